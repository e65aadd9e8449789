/** Shared mock data for ui tests (shaped by types/api.ts, so a contract change breaks the build of the tests). */
import type {
  AddressView,
  AssistCampaignView,
  AssistTaskView,
  CartView,
  InviteCard,
  InviteeView,
  LedgerEntryView,
  LoginResult,
  Me,
  OrderQuote,
  OrderView,
  PayView,
  ProductDetail,
  ProductSummary,
  RebateRuleView,
  ReferralProgress,
  WalletSummary,
  WithdrawalView,
  WalletActivityView,
} from '../../types/api';
import { fen } from '../../types/money';

export const me = (over: Partial<LoginResult> = {}): LoginResult => ({
  openid: 'o-test-1',
  inviteCode: 'K7Q2MZ',
  nickname: '小明',
  avatarUrl: '',
  roles: ['shopper'],
  isNew: false,
  consented: true,
  hasInviter: false,
  binding: null,
  inviter: null,
  ...over,
});

/** The base shape some older tests build on. */
export const plainMe = (over: Partial<Me> = {}): Me => me(over);

export const product = (id: string, over: Partial<ProductSummary> = {}): ProductSummary => ({
  id,
  title: `商品${id}`,
  image: `https://img.example.com/${id}.png`,
  priceFen: fen(100),
  soldQty: 0,
  stock: 10,
  badges: { rebate: false, assist: false },
  ...over,
});

export const rebateRule = (over: Partial<RebateRuleView> = {}): RebateRuleView => ({
  id: 'rule-1',
  name: '推三返一',
  reward: { form: 'cash', amountFen: fen(5000) },
  trigger: { kind: 'everyN', n: 3, minOrderFen: fen(0) },
  caps: { perInviterPerDay: null, perInviterTotal: null },
  startsAt: null,
  endsAt: null,
  summary: '每邀请 3 位好友首单，返现 ¥50.00',
  details: ['每邀请 3 位好友完成首单，返现 ¥50.00。', '奖励在好友订单过了退款期后可提现。', '只奖励直接邀请，不设多级。'],
  ...over,
});

export const assistCampaign = (over: Partial<AssistCampaignView> = {}): AssistCampaignView => ({
  id: 'campaign-1',
  helpersNeeded: 3,
  durationHours: 24,
  success: { kind: 'price', priceFen: fen(9900), validHours: 48 },
  fallback: { kind: 'points', pointsPerHelper: 100 },
  newUsersOnly: false,
  helperDailyCap: 3,
  startsAt: null,
  endsAt: null,
  summary: '邀请 3 位好友助力，以 ¥99.00 购买',
  details: ['邀请 3 位好友助力，24 小时内完成即可以 ¥99.00 购买 1 件。', '进度按好友人数计算，没有随机金额。'],
  ...over,
});

export const productDetail = (id: string, over: Partial<ProductDetail> = {}): ProductDetail => ({
  ...product(id, { title: '明前龙井 250g 礼盒', priceFen: fen(16800), stock: 50, badges: { rebate: true, assist: true } }),
  images: [`https://img.example.com/${id}-1.png`, `https://img.example.com/${id}-2.png`],
  description: '杭州西湖产区明前采摘。',
  onSale: true,
  rules: { rebate: [rebateRule()], assist: assistCampaign() },
  ...over,
});

export const cart = (lines: Partial<CartView['items'][number]>[]): CartView => {
  const items = lines.map((l, i) => ({
    productId: `p${i + 1}`,
    title: `商品${i + 1}`,
    image: `https://img.example.com/p${i + 1}.png`,
    priceFen: fen(1000),
    stock: 10,
    quantity: 1,
    available: true,
    ...l,
  }));
  return { items, totalFen: fen(items.filter((l) => l.available).reduce((s, l) => s + l.priceFen * l.quantity, 0)) };
};

export const address = (over: Partial<AddressView> = {}): AddressView => ({
  id: 'addr-1',
  name: '李四',
  phone: '13900139000',
  province: '浙江省',
  city: '杭州市',
  district: '西湖区',
  detail: '文三路 1 号',
  isDefault: true,
  ...over,
});

export const order = (id: string, over: Partial<OrderView> = {}): OrderView => ({
  id,
  orderNo: '20261123-000042',
  buyerId: 'o-test-1',
  status: 'pending_payment',
  items: [{ productId: 'p-tea', title: '明前龙井 250g 礼盒', image: 'https://img.example.com/tea.png', quantity: 1, unitPriceFen: fen(16800), subtotalFen: fen(16800) }],
  itemsTotalFen: fen(16800),
  discounts: { couponFen: fen(0), walletCashFen: fen(0), pointsFen: fen(0), pointsUsed: 0 },
  payableFen: fen(16800),
  couponId: null,
  assistTaskId: null,
  address: address(),
  createdAt: '2025-03-01T02:00:00.000Z',
  expiresAt: '2025-03-01T02:15:00.000Z',
  paidAt: null,
  shippedAt: null,
  shipping: null,
  receivedAt: null,
  refundDeadline: null,
  refundedAt: null,
  refundStatus: null,
  ...over,
});

export const wechatPay = (orderId: string): PayView => ({
  provider: 'wechat',
  orderId,
  outTradeNo: orderId,
  payableFen: fen(16800),
  wechat: { timeStamp: '1700000000', nonceStr: 'n0nce', package: 'prepay_id=wx123', signType: 'RSA', paySign: 'c2lnbg==' },
});

export const localPay = (orderId: string, payableFen = 16800): PayView => ({
  provider: 'local',
  orderId,
  outTradeNo: orderId,
  payableFen: fen(payableFen),
  local: { confirmPath: '/__pay/confirm' },
});

export const assistTask = (over: Partial<AssistTaskView> = {}): AssistTaskView => ({
  taskId: 'at-1',
  status: 'open',
  product: { id: 'p-tea', title: '明前龙井 250g 礼盒', image: 'https://img.example.com/tea.png', priceFen: fen(16800) },
  target: 3,
  helpers: 1,
  remaining: 2,
  helpersList: [{ name: '小*', avatarUrl: '', avatarSeed: 'seed1' }],
  owner: { name: '安*', avatarUrl: '', avatarSeed: 'seed2' },
  startedAt: '2025-03-01T02:00:00.000Z',
  deadline: '2025-03-02T02:00:00.000Z',
  msLeft: 3_600_000 + 120_000 + 5_000,
  rulesText: ['邀请 3 位好友助力，24 小时内完成即可以 ¥99.00 购买 1 件。', '进度按好友人数计算，没有随机金额。'],
  viewer: { isOwner: true, helped: false, cannotHelp: null, actions: ['share'] },
  voucher: null,
  fallback: null,
  ...over,
});

export const inviteCard = (over: Partial<InviteCard> = {}): InviteCard => ({
  inviteCode: 'K7Q2MZ',
  sharePath: '/pages/index/index?inviter=K7Q2MZ&source=card',
  posterPath: '/pages/index/index?inviter=K7Q2MZ&source=poster',
  posterQr: 'data:image/png;base64,AAAA',
  title: '小明邀请你一起买好物',
  ...over,
});

export const progress = (over: Partial<ReferralProgress> = {}): ReferralProgress => ({
  ruleId: 'rule-1',
  ruleName: '推三返一',
  n: 3,
  current: 2,
  text: '2/3',
  groups: 0,
  invitees: 3,
  converted: 2,
  rewardText: '现金奖励 ¥50.00',
  ...over,
});

export const invitee = (nickname: string, status: InviteeView['status'], over: Partial<InviteeView> = {}): InviteeView => ({
  nickname,
  avatarUrl: '',
  avatarSeed: `seed-${nickname}`,
  source: 'card',
  status,
  boundAt: '2025-03-01T02:00:00.000Z',
  ...over,
});

export const walletSummary = (over: Partial<WalletSummary> = {}): WalletSummary => ({
  cash: { availableFen: fen(12345), frozenFen: fen(5000), withdrawingFen: fen(0), debtFen: fen(0) },
  points: { available: 300, frozen: 0, debt: 0 },
  coupons: { available: 2, held: 1 },
  pointsPerYuan: 100,
  withdraw: { minFen: fen(100), maxFen: fen(199999), dailyCount: 3, usedToday: 1, transferConfirmHours: 6 },
  nextUnfreezeAt: null,
  ...over,
});

export const entry = (id: string, over: Partial<LedgerEntryView> = {}): LedgerEntryView => ({
  id,
  asset: 'cash',
  bucket: 'frozen',
  amount: 5000,
  title: '邀请奖励（冻结中）',
  bucketText: '冻结',
  createdAt: '2025-03-01T02:00:00.000Z',
  ...over,
});

/** One line of wallet.activity: by default a reward posted after its freeze (three legs). */
export const activity = (id: string, over: Partial<WalletActivityView> = {}): WalletActivityView => ({
  id,
  kind: 'reward',
  asset: 'cash',
  title: '邀请奖励',
  amount: 5000,
  status: 'available',
  statusText: '可提现',
  steps: ['冻结中', '可提现'],
  note: null,
  startedAt: '2025-03-01T02:00:00.000Z',
  updatedAt: '2025-03-09T02:00:00.000Z',
  legs: [
    entry(`${id}-l1`, { title: '邀请奖励（冻结中，好友退款期结束后可用）' }),
    entry(`${id}-l2`, { title: '邀请奖励解冻', amount: -5000, createdAt: '2025-03-09T02:00:00.000Z' }),
    entry(`${id}-l3`, { title: '邀请奖励到账', bucket: 'available', bucketText: '可用', createdAt: '2025-03-09T02:00:00.000Z' }),
  ],
  ...over,
});

export const withdrawal = (id: string, over: Partial<WithdrawalView> = {}): WithdrawalView => ({
  id,
  amountFen: fen(5000),
  status: 'pending',
  statusText: '待审核',
  createdAt: '2025-03-01T02:00:00.000Z',
  reviewedAt: null,
  paidAt: null,
  failReason: null,
  transfer: null,
  ...over,
});

/** shop.quote's answer (defaults: the tea at list price, nothing off). */
export const orderQuote = (over: Partial<OrderQuote> = {}): OrderQuote => ({
  lines: [{ productId: 'p-tea', title: '明前龙井 250g 礼盒', quantity: 1, unitPriceFen: fen(16800), subtotalFen: fen(16800), assisted: false }],
  itemsTotalFen: fen(16800),
  couponFen: fen(0),
  walletCashFen: fen(0),
  pointsFen: fen(0),
  pointsUsed: 0,
  payableFen: fen(16800),
  coupon: null,
  ...over,
});
