/**
 * No dead ends (issue 17.2): a product that does not exist offers 返回首页 beside 重试, and the product page always
 * has 首页 in its action bar.
 */
import { cloudRoutes, fail, ok, renderPage, waitFor, wxCallsTo } from './harness';
import { me, productDetail } from './fixtures';

test('商品不存在: 重试 and 返回首页; 首页 in the action bar once it loads', async () => {
  let calls = 0;
  const page = await renderPage('packages/shop/product/index', {
    query: { id: 'p-gone', inviter: 'K7Q2MZ', source: 'card' },
    launchQuery: { inviter: 'K7Q2MZ', source: 'card' },
    cloud: cloudRoutes({
      'user.login': () => ok(me()),
      'shop.getProduct': () => (++calls <= 2 ? fail('PRODUCT_NOT_FOUND') : ok(productDetail('p-tea'))),
    }),
  });
  await page.waitForText('商品不存在');
  expect(page.all('state-actions')[0].textContent).toBe('重试返回首页');
  await page.tap('home-button');
  await waitFor(() => wxCallsTo('switchTab').length === 1, { what: 'switchTab' });
  expect(wxCallsTo('switchTab')[0].url).toBe('/pages/index/index');

  await page.tap('retry-button');
  await page.waitForText('商品不存在');
  await page.tap('retry-button');
  await page.waitForClass('action-bar__home');
  expect(page.one('action-bar')?.textContent).toMatch(/^首页购物车/);
  await page.tap('action-bar__home');
  await waitFor(() => wxCallsTo('switchTab').length === 2, { what: 'switchTab from the action bar' });
  expect(wxCallsTo('switchTab')[1].url).toBe('/pages/index/index');
});
