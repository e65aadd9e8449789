/** The custom tab bar (weapp) for a shopper: 首页 / 邀请 / 我的, no 商家; tapping switches tab. */
import { cloudRoutes, ok, renderPage, waitFor, wxCallsTo } from './harness';
import { me } from './fixtures';

test('a shopper sees three tabs and a tap switches to the tab page', async () => {
  const bar = await renderPage('custom-tab-bar/index', { cloud: cloudRoutes({ 'user.login': () => ok(me()) }) });
  await bar.waitForClass('tab-bar__item');
  await new Promise((r) => setTimeout(r, 30));
  expect(bar.all('tab-bar__text').map((e) => e.textContent)).toEqual(['首页', '邀请', '我的']);
  expect(bar.one('tab-bar__item--active')?.textContent).toBe('首页');
  await bar.tap('tab-bar__item--invite');
  expect(wxCallsTo('switchTab').map((o) => o.url)).toEqual(['/pages/invite/index']);
  await waitFor(() => bar.one('tab-bar__item--active')?.textContent === '邀请', { what: 'invite selected' });
});
