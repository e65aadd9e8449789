export default definePageConfig({
  navigationBarTitleText: '推三返一',
  enablePullDownRefresh: true,
  backgroundTextStyle: 'dark',
  onReachBottomDistance: 100,
});
