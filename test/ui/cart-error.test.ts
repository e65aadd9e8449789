/** 购物车 when the cart cannot load, and when it is empty after 重试. */
import { cloudRoutes, fail, ok, renderPage, wxCallsTo } from './harness';
import { me } from './fixtures';
import { fen } from '../../types/money';

test('a failed load shows the message; 重试 shows the empty cart with a way to the shop', async () => {
  let calls = 0;
  const page = await renderPage('packages/shop/cart/index', {
    cloud: cloudRoutes({
      'user.login': () => ok(me()),
      'shop.getCart': () => (++calls === 1 ? fail('NETWORK') : ok({ items: [], totalFen: fen(0) })),
    }),
  });
  await page.waitForText('网络不给力');
  await page.tap('retry-button');
  await page.waitForText('购物车是空的');
  await page.tap('primary-button');
  expect(wxCallsTo('switchTab').map((o) => o.url)).toEqual(['/pages/index/index']);
});
