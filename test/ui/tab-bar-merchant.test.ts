/** The custom tab bar for a merchant: 商家 appears as a fourth tab. */
import { cloudRoutes, ok, renderPage, waitFor, wxCallsTo } from './harness';
import { me } from './fixtures';

test('a merchant also sees 商家, which opens the merchant tab', async () => {
  const bar = await renderPage('custom-tab-bar/index', { cloud: cloudRoutes({ 'user.login': () => ok(me({ roles: ['shopper', 'merchant'] })) }) });
  await waitFor(() => bar.all('tab-bar__item').length === 4, { what: 'four tabs' });
  expect(bar.all('tab-bar__text').map((e) => e.textContent)).toEqual(['首页', '邀请', '我的', '商家']);
  await bar.tap('tab-bar__item--merchant');
  expect(wxCallsTo('switchTab').map((o) => o.url)).toEqual(['/pages/merchant/index']);
});
