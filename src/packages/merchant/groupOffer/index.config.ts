export default definePageConfig({
  navigationBarTitleText: '拼团设置',
});
