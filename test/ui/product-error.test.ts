/** 商品详情 when loading fails: the catalogue's message, 重试; and a product with no campaign and no stock. */
import { cloudRoutes, fail, ok, renderPage } from './harness';
import { me, productDetail } from './fixtures';

test('a failed load shows the catalogue message and 重试 loads again', async () => {
  let calls = 0;
  const page = await renderPage('packages/shop/product/index', {
    query: { id: 'p-rice' },
    cloud: cloudRoutes({
      'user.login': () => ok(me()),
      'shop.getProduct': () =>
        ++calls === 1 ? fail('PRODUCT_NOT_FOUND') : ok(productDetail('p-rice', { title: '五常大米', stock: 0, rules: { rebate: [], assist: null } })),
    }),
  });
  await page.waitForText('商品不存在');
  await page.tap('retry-button');
  await page.waitForText('五常大米');
  // No campaign: no assist button and no assist rules; no stock: no buying.
  expect(page.one('product-page__start-assist')).toBeNull();
  expect(page.one('product-page__assist-rules')).toBeNull();
  expect(page.one('action-bar__buy')?.textContent).toBe('已售罄');
});
