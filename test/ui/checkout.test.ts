/** 结算: saved address, coupon picker, wallet cash and points, and 提交订单 sending ids and choices only. */
import { callsTo, cloudRoutes, ok, renderPage, waitFor, wxCallsTo, type RenderedPage } from './harness';
import { address, me, order, productDetail, walletSummary } from './fixtures';
import { fen } from '../../types/money';

let page: RenderedPage;

beforeAll(async () => {
  page = await renderPage('packages/shop/checkout/index', {
    query: { items: 'p-tea:1,p-rice:2' },
    cloud: cloudRoutes({
      'user.login': () => ok(me()),
      'shop.getProduct': (p) =>
        ok(p.productId === 'p-tea' ? productDetail('p-tea') : productDetail('p-rice', { title: '五常大米', priceFen: fen(8990) })),
      'shop.listAddresses': () => ok([address({ id: 'addr-9', name: '王五', isDefault: true })]),
      'shop.listCoupons': () =>
        ok([
          { id: 'c-10', title: '满减券', amountFen: fen(1000), minSpendFen: fen(10000), status: 'available', expiresAt: null, orderId: null },
          { id: 'c-big', title: '大额券', amountFen: fen(5000), minSpendFen: fen(100000), status: 'available', expiresAt: null, orderId: null },
        ]),
      'wallet.summary': () => ok(walletSummary({ cash: { availableFen: fen(2000), frozenFen: fen(0), withdrawingFen: fen(0), debtFen: fen(0) } })),
      'shop.createOrder': () => ok({ order: order('o-77'), created: true }),
    }),
  });
  await page.waitForClass('checkout-item');
});

test('shows the default address, the items and an estimate (the server prices the order)', () => {
  expect(page.one('address-card__name')?.textContent).toContain('王五');
  expect(page.all('checkout-item')).toHaveLength(2);
  // 168.00 + 2 × 89.90
  expect(page.one('checkout-estimate')?.textContent).toBe('¥347.80');
  expect(page.text()).toContain('实付金额以提交后系统计算为准');
  expect(page.one('coupon-row')?.textContent).toContain('1 张可用');
});

test('the coupon picker offers coupons; one under its minimum spend cannot be picked', async () => {
  await page.tap('coupon-row');
  await page.waitForClass('coupon-picker');
  expect(page.all('coupon-option')).toHaveLength(2);
  expect(page.all('picker-row--off')[0].textContent).toContain('未达门槛');
  await page.tap('coupon-option');
  await waitFor(() => page.one('coupon-picker') === null, { what: 'picker closed' });
  expect(page.one('coupon-row')?.textContent).toContain('-¥10.00');
  expect(page.one('checkout-estimate')?.textContent).toBe('¥337.80');
});

test('提交订单 sends ids, quantities and choices — never a price — then opens the order to pay', async () => {
  await page.fire('cash-switch', 'change', { value: true });
  await page.tap('checkout-submit');
  await waitFor(() => wxCallsTo('redirectTo').length === 1, { what: 'redirect to the order' });
  const [call] = callsTo('shop.createOrder');
  const { requestId, ...rest } = call.payload;
  expect(requestId).toMatch(/^r[a-z0-9]{8,}$/);
  expect(rest).toEqual({
    items: [
      { productId: 'p-tea', quantity: 1 },
      { productId: 'p-rice', quantity: 2 },
    ],
    addressId: 'addr-9',
    couponId: 'c-10',
    useCashFen: 2000,
  });
  expect(JSON.stringify(call.payload)).not.toMatch(/price|total|payable/i);
  expect(wxCallsTo('redirectTo')[0].url).toBe('/packages/shop/order/index?id=o-77&pay=1');
});
