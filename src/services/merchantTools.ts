/**
 * The merchant's tools, each a page in the merchant subpackage (packages/merchant/, issue #7). The 商家 tab lists
 * only what is here, so it never links to a page that does not exist: add an entry together with its page.
 */
export interface MerchantTool {
  title: string;
  description: string;
  path: string;
}

export const MERCHANT_TOOLS: MerchantTool[] = [
  { title: '看板', description: '用户、订单、返利、助力和邀请漏斗', path: '/packages/merchant/dashboard/index' },
  { title: '商品', description: '新建、编辑、上下架、库存和图片', path: '/packages/merchant/products/index' },
  { title: '返利规则', description: '推三返一等规则，保存前预览', path: '/packages/merchant/rules/index' },
  { title: '助力活动', description: '为商品设置好友助力', path: '/packages/merchant/campaigns/index' },
  { title: '报表', description: '按日期看商品销售、退款和邀请排行，导出表格', path: '/packages/merchant/reports/index' },
  { title: '订单', description: '按状态查看，填写快递发货', path: '/packages/merchant/orders/index' },
  { title: '退款审核', description: '同意或拒绝退款申请', path: '/packages/merchant/refunds/index' },
  { title: '提现审核', description: '通过转账或拒绝提现', path: '/packages/merchant/withdrawals/index' },
  { title: '用户', description: '搜索用户、邀请关系、封禁和作弊提示', path: '/packages/merchant/users/index' },
  { title: '拼团', description: '拼团设置、成团率、漏斗和各状态的团', path: '/packages/merchant/groups/index' },
  { title: '阶梯预售', description: '定金、价格档位、尾款和定金人数', path: '/packages/merchant/presale/index' },
  { title: '店铺设置', description: '退款期、自动收货、积分、提现和邀请有效期', path: '/packages/merchant/settings/index' },
  { title: '店铺资质', description: '首页展示的店铺名称、资质和客服电话', path: '/packages/merchant/store/index' },
  { title: '商品分类', description: '首页的分类标签，按顺序显示', path: '/packages/merchant/categories/index' },
  { title: '首页横幅', description: '首页顶部轮播的标题、文字和链接商品', path: '/packages/merchant/banners/index' },
];
