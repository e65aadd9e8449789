/** 商家 tab for a merchant: their name and the merchant tools that exist (none yet: issue #7 adds them). */
import { cloudRoutes, ok, renderPage } from './harness';
import { me } from './fixtures';

test('shows the merchant’s name and lists only tool pages that exist', async () => {
  const page = await renderPage('pages/merchant/index', {
    cloud: cloudRoutes({ 'user.login': () => ok(me({ nickname: '店长', roles: ['shopper', 'merchant'] })) }),
  });
  await page.waitForClass('merchant-head__name');
  expect(page.one('merchant-head__name')?.textContent).toBe('店长');
  expect(page.all('merchant-tool')).toHaveLength(0);
  expect(page.text()).toContain('暂无可用的商家工具页面');
});
