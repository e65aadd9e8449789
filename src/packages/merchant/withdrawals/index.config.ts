export default definePageConfig({
  navigationBarTitleText: '提现审核',
  enablePullDownRefresh: true,
  backgroundTextStyle: 'dark',
  onReachBottomDistance: 100,
});
