export default definePageConfig({
  navigationBarTitleText: '订单',
  enablePullDownRefresh: true,
  backgroundTextStyle: 'dark',
  onReachBottomDistance: 100,
});
