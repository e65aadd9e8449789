export default definePageConfig({
  navigationBarTitleText: '我的助力',
  enablePullDownRefresh: true,
  backgroundTextStyle: 'dark',
  onReachBottomDistance: 100,
});
