export default defineAppConfig({
  // Tab pages only: the main package is what every shopper downloads first (target ≤ 400 KB).
  pages: ['pages/index/index', 'pages/invite/index', 'pages/mine/index', 'pages/merchant/index'],
  subPackages: [
    { root: 'packages/shop', pages: ['product/index', 'cart/index', 'checkout/index', 'orders/index', 'order/index', 'group/index', 'store/index'] },
    { root: 'packages/assist', pages: ['task/index', 'mine/index'] },
    { root: 'packages/wallet', pages: ['index', 'ledger/index', 'withdraw/index', 'coupons/index'] },
    { root: 'packages/profile', pages: ['index', 'poster/index', 'privacy/index'] },
    // The merchant's tools (issue #7): only merchants open them, so shoppers never download this package.
    {
      root: 'packages/merchant',
      pages: ['dashboard/index', 'products/index', 'product/index', 'rules/index', 'campaigns/index', 'orders/index', 'refunds/index', 'withdrawals/index', 'users/index', 'user/index', 'groups/index', 'groupOffer/index', 'presale/index', 'settings/index', 'store/index', 'reports/index', 'banners/index', 'categories/index'],
    },
  ],
  preloadRule: {
    'pages/index/index': { network: 'all', packages: ['packages/shop'] },
  },
  window: {
    navigationBarTitleText: '推三返一',
    navigationBarBackgroundColor: '#ffffff',
    navigationBarTextStyle: 'black',
    // WeChat always draws its bar; Taro's h5 draws the same (title, back, home) only when this is set.
    navigationStyle: 'default',
    backgroundColor: '#f5f5f5',
    backgroundTextStyle: 'dark',
  },
  // Custom: the 商家 tab shows only to merchants, which a static tab bar cannot do (see components/TabBar).
  tabBar: {
    custom: true,
    color: '#999999',
    selectedColor: '#e4393c',
    backgroundColor: '#ffffff',
    borderStyle: 'black',
    list: [
      { pagePath: 'pages/index/index', text: '首页' },
      { pagePath: 'pages/invite/index', text: '邀请' },
      { pagePath: 'pages/mine/index', text: '我的' },
      { pagePath: 'pages/merchant/index', text: '商家' },
    ],
  },
});
