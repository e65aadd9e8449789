export default definePageConfig({
  navigationBarTitleText: '看板',
  enablePullDownRefresh: true,
  backgroundTextStyle: 'dark',
});
