/**
 * 结算: saved address, coupon picker, wallet cash and points priced by the server's quote (asked again on every change),
 * and 提交订单 sending the quoted selection — ids and choices only.
 */
import { callsTo, cloudRoutes, ok, renderPage, waitFor, wxCallsTo, type RenderedPage } from './harness';
import { address, me, order, orderQuote, productDetail, walletSummary } from './fixtures';
import { fen } from '../../types/money';

let page: RenderedPage;

/** The mock cloud's price: tea ¥168.00 + 2 × rice ¥89.90; c-10 takes ¥10, the wallet ¥20 of cash and 300 points (¥3). */
function quoteFor(p: Record<string, unknown>) {
  const couponFen = p.couponId === 'c-10' ? 1000 : 0;
  const walletCashFen = p.useCashFen ? 2000 : 0;
  const pointsFen = p.usePoints ? 300 : 0;
  return orderQuote({
    lines: [
      { productId: 'p-tea', title: '明前龙井 250g 礼盒', quantity: 1, unitPriceFen: fen(16800), subtotalFen: fen(16800), assisted: false },
      { productId: 'p-rice', title: '五常大米', quantity: 2, unitPriceFen: fen(8990), subtotalFen: fen(17980), assisted: false },
    ],
    itemsTotalFen: fen(34780),
    couponFen: fen(couponFen),
    walletCashFen: fen(walletCashFen),
    pointsFen: fen(pointsFen),
    pointsUsed: pointsFen,
    payableFen: fen(34780 - couponFen - walletCashFen - pointsFen),
    coupon: p.couponId ? { id: String(p.couponId), usable: true, reason: null } : null,
  });
}

const payable = () => page.one('checkout-payable')?.textContent;
const lastQuote = () => callsTo('shop.quote').at(-1)!.payload;

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
      'shop.quote': (p) => ok(quoteFor(p)),
      'shop.createOrder': () => ok({ order: order('o-77'), created: true }),
    }),
  });
  await page.waitForClass('checkout-item');
});

test('shows the default address, the items and the server’s price of them', async () => {
  expect(page.one('address-card__name')?.textContent).toContain('王五');
  expect(page.all('checkout-item')).toHaveLength(2);
  await page.waitForClass('checkout-payable');
  // 168.00 + 2 × 89.90, as quoted
  expect(payable()).toBe('¥347.80');
  expect(page.one('summary-items')?.textContent).toContain('¥347.80');
  expect(page.text()).not.toContain('预计');
  expect(page.text()).not.toContain('实付金额以提交后系统计算为准');
  expect(page.one('coupon-row')?.textContent).toContain('1 张可用');
  expect(callsTo('shop.quote')).toHaveLength(1);
  expect(lastQuote()).toEqual({ items: [{ productId: 'p-tea', quantity: 1 }, { productId: 'p-rice', quantity: 2 }] });
});

test('the coupon picker offers coupons; one under its minimum spend cannot be picked', async () => {
  await page.tap('coupon-row');
  await page.waitForClass('coupon-picker');
  expect(page.all('coupon-option')).toHaveLength(2);
  expect(page.all('picker-row--off')[0].textContent).toContain('未达门槛');
  await page.tap('coupon-option');
  await waitFor(() => page.one('coupon-picker') === null, { what: 'picker closed' });
  await waitFor(() => payable() === '¥337.80', { what: 'the price with the coupon' });
  expect(lastQuote()).toMatchObject({ couponId: 'c-10' });
  expect(page.one('coupon-row')?.textContent).toContain('-¥10.00');
  expect(page.one('summary-coupon')?.textContent).toContain('-¥10.00');
});

test('余额 and 积分 are priced again by the server each time they are switched', async () => {
  const before = callsTo('shop.quote').length;
  await page.fire('cash-switch', 'change', { value: true });
  await waitFor(() => payable() === '¥317.80', { what: 'the price with cash' });
  expect(page.one('summary-cash')?.textContent).toContain('-¥20.00');
  expect(lastQuote()).toEqual({ items: [{ productId: 'p-tea', quantity: 1 }, { productId: 'p-rice', quantity: 2 }], couponId: 'c-10', useCashFen: 2000 });

  await page.fire('points-switch', 'change', { value: true });
  await waitFor(() => payable() === '¥314.80', { what: 'the price with points' });
  expect(page.one('summary-points')?.textContent).toContain('-¥3.00（300 积分）');
  expect(lastQuote()).toMatchObject({ couponId: 'c-10', useCashFen: 2000, usePoints: 300 });

  await page.fire('points-switch', 'change', { value: false });
  await waitFor(() => payable() === '¥317.80', { what: 'the price without points' });
  expect(page.one('summary-points')).toBeNull();
  expect(lastQuote().usePoints).toBeUndefined();
  expect(callsTo('shop.quote')).toHaveLength(before + 3);
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
  // The very selection the bottom bar's price was quoted for.
  expect(rest).toEqual({ ...lastQuote(), addressId: 'addr-9' });
  expect(JSON.stringify(call.payload)).not.toMatch(/price|total|payable/i);
  expect(wxCallsTo('redirectTo')[0].url).toBe('/packages/shop/order/index?id=o-77&pay=1');
});
