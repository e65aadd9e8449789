/** 商家 tab reached by a shopper (a stale link): no tools, a way back to the shop. */
import { cloudRoutes, ok, renderPage, wxCallsTo } from './harness';
import { me } from './fixtures';

test('a shopper is told this is the merchant’s entrance', async () => {
  const page = await renderPage('pages/merchant/index', { cloud: cloudRoutes({ 'user.login': () => ok(me()) }) });
  await page.waitForText('你的账号不是商家');
  expect(page.one('merchant-tools')).toBeNull();
  await page.tap('primary-button');
  expect(wxCallsTo('switchTab').map((o) => o.url)).toEqual(['/pages/index/index']);
});
