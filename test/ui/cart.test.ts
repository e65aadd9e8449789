/** 购物车: lines from shop.getCart, quantity steps, remove with confirmation, selection and checkout. */
import { callsTo, cloudRoutes, ok, renderPage, waitFor, wxCallsTo, type RenderedPage } from './harness';
import { cart, me } from './fixtures';
import { fen } from '../../types/money';

let page: RenderedPage;
let current = cart([
  { productId: 'p-tea', title: '明前龙井', priceFen: fen(16800), quantity: 1, stock: 5 },
  { productId: 'p-rice', title: '五常大米', priceFen: fen(8990), quantity: 2 },
  { productId: 'p-nuts', title: '每日坚果', priceFen: fen(9900), quantity: 1, stock: 0, available: false },
]);

beforeAll(async () => {
  page = await renderPage('packages/shop/cart/index', {
    cloud: cloudRoutes({
      'user.login': () => ok(me()),
      'shop.getCart': () => ok(current),
      'shop.setCartQuantity': (p) => {
        current = { ...current, items: current.items.map((l) => (l.productId === p.productId ? { ...l, quantity: p.quantity as number } : l)) };
        return ok(current);
      },
      'shop.removeFromCart': (p) => {
        current = { ...current, items: current.items.filter((l) => !(p.productIds as string[]).includes(l.productId)) };
        return ok(current);
      },
    }),
  });
  await page.waitForClass('cart-line');
});

test('shows each line; a gone product is marked and not counted', () => {
  expect(page.all('cart-line')).toHaveLength(3);
  expect(page.all('cart-line__title').map((e) => e.textContent)).toEqual(['明前龙井', '五常大米', '每日坚果']);
  expect(page.all('cart-line--unavailable')).toHaveLength(1);
  expect(page.text()).toContain('已失效');
  // 168.00 + 2 × 89.90
  expect(page.one('cart-total')?.textContent).toBe('¥347.80');
  expect(page.one('cart-checkout')?.textContent).toBe('去结算(3)');
});

test('＋ sets the new quantity on the server and shows what it answers', async () => {
  await page.tap('stepper__plus');
  await waitFor(() => page.one('cart-total')?.textContent === '¥515.80', { what: 'new total' });
  expect(callsTo('shop.setCartQuantity').map((c) => c.payload)).toEqual([{ productId: 'p-tea', quantity: 2 }]);
});

test('unticking a line leaves it out of the total and the checkout', async () => {
  await page.tap('check');
  await page.waitForText('去结算(2)');
  expect(page.one('cart-total')?.textContent).toBe('¥179.80');
  await page.tap('cart-checkout');
  expect(wxCallsTo('navigateTo').pop().url).toBe('/packages/shop/checkout/index?items=p-rice%3A2&fromCart=1');
});

test('删除 asks first, then removes the line', async () => {
  await page.tap('cart-line__remove');
  await waitFor(() => page.all('cart-line').length === 2, { what: 'line removed' });
  expect(wxCallsTo('showModal')[0].content).toContain('明前龙井');
  expect(callsTo('shop.removeFromCart').map((c) => c.payload)).toEqual([{ productIds: ['p-tea'] }]);
});
