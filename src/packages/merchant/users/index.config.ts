export default definePageConfig({
  navigationBarTitleText: '用户',
  enablePullDownRefresh: true,
  backgroundTextStyle: 'dark',
  onReachBottomDistance: 100,
});
