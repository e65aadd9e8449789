/**
 * 订单详情 straight from checkout (?pay=1): the server's amounts, then the pay step. With the local provider (the
 * browser build's payment system) it is a confirmation sheet that posts the trade to the local cloud.
 */
import { callsTo, cloudRoutes, ok, renderPage, ui, waitFor, wxCallsTo, type RenderedPage } from './harness';
import { localPay, me, order } from './fixtures';
import { fen } from '../../types/money';

let page: RenderedPage;
let paid = false;
const unpaid = order('o-9', {
  itemsTotalFen: fen(16800),
  discounts: { couponFen: fen(1000), walletCashFen: fen(500), pointsFen: fen(300), pointsUsed: 30 },
  payableFen: fen(15000),
});

beforeAll(async () => {
  ui.wxOverrides.request = (o) => ({ errMsg: 'request:ok', statusCode: 200, data: { outTradeNo: o.data.outTradeNo, state: 'SUCCESS' }, header: {} });
  page = await renderPage('packages/shop/order/index', {
    query: { id: 'o-9', pay: '1' },
    cloud: cloudRoutes({
      'user.login': () => ok(me()),
      'shop.getOrder': () => ok(paid ? { ...unpaid, status: 'paid', paidAt: '2025-03-01T02:05:00.000Z' } : unpaid),
      'shop.pay': () => ok(localPay('o-9', 15000)),
    }),
  });
  await page.waitForClass('pay-sheet');
});

test('shows the server’s breakdown: items, coupon, wallet cash, points, payable', () => {
  const text = page.text();
  expect(text).toContain('待付款');
  expect(page.one('order-items-total')?.textContent).toBe('¥168.00');
  expect(text).toContain('-¥10.00');
  expect(text).toContain('-¥5.00');
  expect(text).toContain('积分抵扣（30 积分）');
  expect(page.one('order-payable')?.textContent).toBe('¥150.00');
});

test('the pay step opens by itself with the amount; 确认支付 posts the trade to the local payment system', async () => {
  expect(callsTo('shop.pay').map((c) => c.payload)).toEqual([{ orderId: 'o-9' }]);
  expect(page.one('pay-sheet__amount')?.textContent).toBe('¥150.00');
  paid = true;
  await page.tap('pay-sheet__confirm');
  await page.waitForClass('pay-success');
  const [req] = wxCallsTo('request');
  expect(req.url).toBe('/__pay/confirm');
  expect(req.method).toBe('POST');
  expect(req.data).toEqual({ outTradeNo: 'o-9' });
  expect(wxCallsTo('requestPayment')).toHaveLength(0);
  await page.waitForText('待发货');
});

test('支付成功 (issue 17.7): the amount, the short order number and the next steps; no toast in its place', async () => {
  const panel = page.one('pay-success')!.textContent!;
  expect(panel).toContain('支付成功');
  expect(panel).toContain('实付 ¥150.00');
  expect(panel).toContain('订单编号 20261123-000042');
  expect(wxCallsTo('showToast').some((t) => t.title === '支付成功')).toBe(false);
  expect(page.all('pay-success__actions')[0].textContent).toBe('查看订单邀请好友继续逛');

  await page.tap('pay-success__invite');
  expect(wxCallsTo('switchTab').pop().url).toBe('/pages/invite/index');
  await page.tap('pay-success__home');
  expect(wxCallsTo('switchTab').pop().url).toBe('/pages/index/index');
  await page.tap('pay-success__order');
  await waitFor(() => page.one('pay-success') === null, { what: 'the panel to close on 查看订单' });
  expect(page.one('order-no')?.textContent).toBe('订单编号 20261123-000042');
});
