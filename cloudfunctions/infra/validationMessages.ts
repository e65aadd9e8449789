/**
 * What a shopper or a merchant reads when a payload fails validation: one Chinese sentence per zod issue, never a
 * field path ("请求参数不正确：useCashFen"). Two tables in this one place: each field name's Chinese label, and each
 * kind of issue's sentence. Every field of every action's schema has a label (test/unit/validation-messages.test.ts
 * walks the schemas); a field without one still reads as 参数, never as its name.
 */
import type { ZodIssue } from 'zod';
import { ERRORS } from '../../types/errors';

/** Field name → what it is called in Chinese (an amount in fen says so: the limits in the sentence are in fen). */
export const FIELD_LABELS: Record<string, string> = {
  // catalogue: search, archive, variants (规格)
  q: '搜索词',
  archived: '归档状态',
  lines: '商品行',
  options: '规格',
  values: '规格值',
  skus: '规格明细',
  skuId: '规格',
  spec: '规格',
  stockQty: '库存',
  // user
  inviteCode: '邀请码',
  confirm: '确认文字',
  storeName: '店铺名称',
  banners: '首页横幅',
  categories: '商品分类',
  categoryId: '分类',
  heading: '横幅标题',
  caption: '横幅文字',
  qualifications: '资质信息',
  servicePhone: '客服电话',
  source: '来源',
  taskId: '助力任务编号',
  version: '隐私保护指引版本',
  nickname: '昵称',
  avatarUrl: '头像地址',
  // shop: products, cart, checkout
  productId: '商品编号',
  productIds: '商品编号列表',
  quantity: '数量',
  items: '商品',
  couponId: '优惠券编号',
  useCashFen: '使用的余额（分）',
  usePoints: '使用的积分',
  requestId: '请求编号',
  rev: '修改版本',
  fromCart: '是否来自购物车',
  assistTaskId: '助力任务编号',
  addressId: '收货地址编号',
  address: '收货地址',
  orderId: '订单编号',
  outTradeNo: '支付单号',
  provider: '支付渠道',
  transactionId: '支付流水号',
  totalFee: '支付金额（分）',
  resultCode: '支付结果',
  reason: '原因',
  status: '状态',
  cursor: '分页位置',
  pageSize: '每页条数',
  // addresses
  id: '编号',
  isDefault: '是否默认地址',
  name: '名称',
  phone: '手机号',
  province: '省份',
  city: '城市',
  district: '区县',
  detail: '详细地址',
  // prices a client must not send (refused by name, but labelled like any field)
  price: '价格',
  priceFen: '价格（分）',
  unitPriceFen: '单价（分）',
  subtotalFen: '小计（分）',
  totalFen: '合计（分）',
  itemsTotalFen: '商品总额（分）',
  payableFen: '应付金额（分）',
  amountFen: '金额（分）',
  discountFen: '优惠金额（分）',
  couponFen: '优惠券金额（分）',
  // wallet
  withdrawalId: '提现编号',
  asset: '资产类型',
  // merchant: shop
  carrier: '快递公司',
  trackingNo: '快递单号',
  approve: '是否同意',
  note: '备注',
  refundWindowDays: '退款期限（天）',
  autoConfirmDays: '自动确认收货（天）',
  // merchant: rebate rules and settings
  active: '是否启用',
  priority: '优先级',
  reward: '奖励',
  form: '奖励形式',
  minSpendFen: '使用门槛（分）',
  validDays: '有效天数',
  points: '积分',
  trigger: '触发条件',
  kind: '类型',
  n: '邀请人数',
  minOrderFen: '订单最低金额（分）',
  fixedFen: '固定返现（分）',
  ratioBp: '返现比例（万分比）',
  caps: '奖励上限',
  perInviterPerDay: '每人每天上限',
  perInviterTotal: '每人累计上限',
  startsAt: '开始时间',
  endsAt: '结束时间',
  bindingValidityDays: '邀请关系有效天数',
  pointsPerYuan: '每元可抵积分',
  pointsMaxShareBp: '积分抵扣比例上限（万分比）',
  withdrawMinFen: '单笔最低提现（分）',
  withdrawMaxFen: '单笔最高提现（分）',
  withdrawDailyCount: '每日提现次数',
  transferConfirmHours: '确认收款时限（小时）',
  userId: '用户编号',
  rewardId: '奖励编号',
  // merchant: assist campaigns
  campaignId: '助力活动编号',
  helpersNeeded: '需要助力人数',
  durationHours: '助力时长（小时）',
  success: '助力成功奖励',
  validHours: '有效小时数',
  fallback: '未完成时的奖励',
  pointsPerHelper: '每位好友换得积分',
  amountFenPerHelper: '每位好友换得券额（分）',
  newUsersOnly: '是否仅限新用户',
  helperDailyCap: '每人每天助力次数',
  openTasksPerShopper: '每人同时进行的任务数',
  // 拼团: the shopper's checkout and the merchant's offer
  openGroup: '是否发起拼团',
  groupId: '拼团编号',
  groupSize: '成团人数',
  groupPriceFen: '拼团价（分）',
  timeLimitHours: '拼团时限（小时）',
  allowJoinAny: '是否允许凑团',
  maxOpenPerShopper: '每人同时发起的拼团数',
  leaderReward: '团长奖励',
  minSizeAtDeadline: '到期成团最少人数',
  // 阶梯预售: the merchant's pre-sale
  depositFen: '定金（分）',
  basePriceFen: '预售价（分）',
  tiers: '价格阶梯',
  minDeposits: '达到的定金人数',
  balanceEndsAt: '尾款截止时间',
  forfeitUnpaid: '未付尾款是否扣定金',
  // merchant: dashboard, products, users
  range: '统计范围',
  title: '商品名称',
  description: '商品描述',
  images: '商品图片',
  stock: '库存',
  onSale: '是否上架',
  sort: '排序',
  query: '搜索内容',
  flagged: '是否只看异常用户',
  openid: '用户',
  blocked: '是否限制',
  // merchant: 报表
  startDay: '开始日期',
  endDay: '结束日期',
};

/** How the n-th element of a list is called: 第 1 件商品, 第 2 张商品图片, 第 3 个商品编号. */
const MEASURE: Record<string, string> = { items: '件', images: '张' };

/** The path as Chinese: 收货地址的手机号, 第 1 件商品的数量; 参数 for a field without a label; '' for the request itself. */
export function fieldPhrase(path: (string | number)[]): string {
  let out = '';
  let list: string | null = null;
  for (const seg of path) {
    if (typeof seg === 'number') {
      const listLabel = list ? (FIELD_LABELS[list] ?? '参数') : '';
      const noun = listLabel.replace(/列表$/, '') || '参数';
      const measure = (list && MEASURE[list]) ?? '个';
      // 第 1 件商品 replaces 商品 (the list's own label) rather than following it.
      out = `${listLabel && out.endsWith(listLabel) ? out.slice(0, -listLabel.length) : out}第 ${seg + 1} ${measure}${noun}`;
      list = null;
      continue;
    }
    const label = FIELD_LABELS[seg] ?? '参数';
    out = out ? `${out}的${label}` : label;
    list = seg;
  }
  return out;
}

const TYPE_WORDS: Record<string, string> = {
  integer: '须为整数',
  number: '须为数字',
  string: '须为文字',
  boolean: '须为“是”或“否”',
  array: '须为列表',
  object: '格式不正确',
  date: '须为日期',
};

/** One sentence for one issue, in Chinese, naming the field by its label. */
export function describeIssue(issue: ZodIssue): string {
  const phrase = fieldPhrase(issue.path);
  const subject = phrase || '请求';
  switch (issue.code) {
    case 'invalid_type':
      if (issue.received === 'undefined') return phrase ? `缺少${phrase}` : '请求内容为空';
      if (issue.received === 'null') return `${subject}不能为空`;
      return `${subject}${TYPE_WORDS[issue.expected] ?? '的类型不正确'}`;
    case 'too_small': {
      const min = Number(issue.minimum);
      if (issue.type === 'string') return min <= 1 ? `${subject}不能为空` : `${subject}至少 ${min} 个字`;
      if (issue.type === 'array') return min <= 1 ? `${subject}不能为空` : `${subject}至少 ${min} 项`;
      if (issue.type === 'number') return issue.inclusive ? `${subject}不能小于 ${min}` : `${subject}须大于 ${min}`;
      return `${subject}太小`;
    }
    case 'too_big': {
      const max = Number(issue.maximum);
      if (issue.type === 'string') return `${subject}不能超过 ${max} 个字`;
      if (issue.type === 'array') return `${subject}最多 ${max} 项`;
      if (issue.type === 'number') return issue.inclusive ? `${subject}不能大于 ${max}` : `${subject}须小于 ${max}`;
      return `${subject}太大`;
    }
    case 'invalid_string':
      return issue.validation === 'datetime' ? `${subject}不是有效的时间` : `${subject}格式不正确`;
    case 'invalid_enum_value':
    case 'invalid_literal':
    case 'invalid_union_discriminator':
      return `${subject}不是可选的值`;
    case 'unrecognized_keys':
      return `${phrase ? `${phrase}中` : '请求中'}有不支持的参数`;
    case 'invalid_date':
      return `${subject}不是有效的日期`;
    case 'not_finite':
    case 'not_multiple_of':
      return `${subject}的数值不正确`;
    default:
      return `${subject}不正确`;
  }
}

/** The INVALID_ARGUMENT message for a failed validation: the catalogue's words, then the sentence for its first issue. */
export function invalidArgumentMessage(issue: ZodIssue | undefined): string {
  return `${ERRORS.INVALID_ARGUMENT}：${issue ? describeIssue(issue) : '请检查后重试'}`;
}
