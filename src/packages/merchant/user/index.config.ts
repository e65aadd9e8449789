export default definePageConfig({
  navigationBarTitleText: '用户详情',
});
