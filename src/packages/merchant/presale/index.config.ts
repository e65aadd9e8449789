export default definePageConfig({
  navigationBarTitleText: '阶梯预售',
});
