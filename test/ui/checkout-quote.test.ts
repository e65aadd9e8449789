/**
 * 结算 and the server's quote when it is slow or refuses: a failed quote shows its message, the page's own estimate
 * and a working 提交订单 (createOrder is the authority); answers that arrive out of order never show an older
 * selection's price; a coupon the quote leaves out is shown as unusable and not sent with the order.
 */
import { callsTo, cloudRoutes, fail, ok, renderPage, waitFor, wxCallsTo } from './harness';
import { address, me, order, orderQuote, productDetail, walletSummary } from './fixtures';
import type { OrderQuote } from '../../types/api';
import { fen } from '../../types/money';

/** The mock cloud's price of the tea (¥168.00): ¥50 of cash, 300 points for ¥3; coupon c-5 is refused by the server. */
function quoteFor(p: Record<string, unknown>): OrderQuote {
  const walletCashFen = p.useCashFen ? 5000 : 0;
  const pointsFen = p.usePoints ? 300 : 0;
  return orderQuote({
    walletCashFen: fen(walletCashFen),
    pointsFen: fen(pointsFen),
    pointsUsed: pointsFen,
    payableFen: fen(16800 - walletCashFen - pointsFen),
    coupon: p.couponId ? { id: String(p.couponId), usable: false, reason: 'COUPON_MIN_SPEND' } : null,
  });
}

type Held = { payload: Record<string, unknown>; answer: () => void };

test('a failed quote, answers out of order, and a coupon the server leaves out', async () => {
  let failQuote = true;
  let hold = false;
  const held: Held[] = [];
  let creates = 0;
  const page = await renderPage('packages/shop/checkout/index', {
    query: { items: 'p-tea:1' },
    cloud: cloudRoutes({
      'user.login': () => ok(me()),
      'shop.getProduct': () => ok(productDetail('p-tea')),
      'shop.listAddresses': () => ok([address({ id: 'addr-3' })]),
      'shop.listCoupons': () => ok([{ id: 'c-5', title: '满减券', amountFen: fen(500), minSpendFen: fen(10000), status: 'available', expiresAt: null, orderId: null }]),
      'wallet.summary': () => ok(walletSummary()),
      'shop.quote': (p) => {
        if (failQuote) return fail('OUT_OF_STOCK', '「明前龙井 250g 礼盒」库存不足');
        if (!hold) return ok(quoteFor(p));
        return new Promise((resolve) => held.push({ payload: p, answer: () => resolve(ok(quoteFor(p))) }));
      },
      'shop.createOrder': () => (++creates === 1 ? fail('OUT_OF_STOCK', '「明前龙井 250g 礼盒」库存不足') : ok({ order: order('o-9'), created: true })),
    }),
  });
  const payable = () => page.one('checkout-payable')?.textContent;

  // The quote failed: its message, the page's estimate, and 提交订单 still goes to createOrder.
  await page.waitForClass('checkout-quote-error');
  expect(page.one('checkout-quote-error')?.textContent).toContain('库存不足');
  expect(page.one('checkout-estimate')?.textContent).toBe('¥168.00');
  expect(page.text()).toContain('预计');
  await page.tap('checkout-submit');
  await waitFor(() => page.one('checkout-error'), { what: 'the order refused' });
  expect(callsTo('shop.createOrder')).toHaveLength(1);
  expect(callsTo('shop.createOrder')[0].payload).toMatchObject({ items: [{ productId: 'p-tea', quantity: 1 }], addressId: 'addr-3' });

  // Tapping the message asks again.
  failQuote = false;
  await page.tap('checkout-quote-error');
  await waitFor(() => payable() === '¥168.00', { what: 'the quoted price' });
  expect(page.one('checkout-quote-error')).toBeNull();
  expect(page.text()).not.toContain('预计');

  // Two changes in quick succession, answered newest first: the older answer is dropped when it comes.
  hold = true;
  await page.fire('cash-switch', 'change', { value: true });
  await waitFor(() => held.length === 1, { what: 'the quote with cash asked' });
  expect(page.one('checkout-summary--updating')).not.toBeNull();
  expect(page.one('checkout-payable--updating')?.textContent).toBe('¥168.00');
  await page.fire('points-switch', 'change', { value: true });
  await waitFor(() => held.length === 2, { what: 'the quote with cash and points asked' });
  held[1].answer();
  await waitFor(() => payable() === '¥115.00', { what: 'the newest price' });
  held[0].answer();
  await new Promise((resolve) => setTimeout(resolve, 50));
  expect(payable()).toBe('¥115.00');
  expect(page.one('checkout-summary--updating')).toBeNull();
  expect(page.one('summary-cash')?.textContent).toContain('-¥50.00');
  expect(page.one('summary-points')?.textContent).toContain('-¥3.00（300 积分）');
  hold = false;

  // A coupon the server will not take: shown as unusable, left out of the price and of the order.
  await page.tap('coupon-row');
  await page.tap('coupon-option');
  await waitFor(() => callsTo('shop.quote').at(-1)!.payload.couponId === 'c-5', { what: 'the quote with the coupon' });
  await page.waitForText('不可用：未达到优惠券的使用门槛');
  expect(payable()).toBe('¥115.00');
  expect(page.one('summary-coupon')).toBeNull();
  await page.tap('checkout-submit');
  await waitFor(() => wxCallsTo('redirectTo').length === 1, { what: 'redirect to the order' });
  const { requestId: _id, ...sent } = callsTo('shop.createOrder')[1].payload;
  expect(sent).toEqual({ items: [{ productId: 'p-tea', quantity: 1 }], addressId: 'addr-3', useCashFen: 12345, usePoints: 300 });
});
