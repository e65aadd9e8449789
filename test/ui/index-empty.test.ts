/** 首页 with no products. */
import { callsTo, cloudRoutes, ok, renderPage } from './harness';
import { me } from './fixtures';

test('shows 暂无商品 and no cards when the shop is empty', async () => {
  const page = await renderPage('pages/index/index', {
    cloud: cloudRoutes({
      'user.login': () => ok(me()),
      'shop.listProducts': () => ok({ items: [], next: null }),
    }),
  });
  await page.waitForClass('empty-state');
  expect(page.one('empty-state')?.textContent).toContain('暂无商品');
  expect(page.all('product-card')).toHaveLength(0);
  expect(page.one('error-state')).toBeNull();
  expect(callsTo('shop.listProducts')).toHaveLength(1);
});
