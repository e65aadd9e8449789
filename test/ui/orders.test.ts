/** 我的订单: orders by status with their actions — pay (WeChat Pay), cancel, confirm receipt, refund request. */
import { callsTo, cloudRoutes, ok, renderPage, ui, waitFor, wxCallsTo, type RenderedPage } from './harness';
import { me, order, wechatPay } from './fixtures';

let page: RenderedPage;
const orders = {
  unpaid: order('o-unpaid-0001'),
  shipped: order('o-shipped-0002', { status: 'shipped', paidAt: '2025-03-01T02:05:00.000Z', shippedAt: '2025-03-02T02:00:00.000Z', shipping: { carrier: '顺丰速运', trackingNo: 'SF123' } }),
  received: order('o-receivd-0003', { status: 'received', receivedAt: '2025-03-03T02:00:00.000Z', refundDeadline: '2099-01-01T00:00:00.000Z' }),
};
let unpaidStatus: 'pending_payment' | 'paid' = 'pending_payment';

beforeAll(async () => {
  page = await renderPage('packages/shop/orders/index', {
    query: { status: '' },
    cloud: cloudRoutes({
      'user.login': () => ok(me()),
      'shop.listOrders': (p) => {
        const all = [{ ...orders.unpaid, status: unpaidStatus }, orders.shipped, orders.received];
        return ok({ items: p.status ? all.filter((o) => o.status === p.status) : all, next: null });
      },
      'shop.pay': (p) => ok(wechatPay(p.orderId as string)),
      'shop.getOrder': () => {
        unpaidStatus = 'paid';
        return ok({ ...orders.unpaid, status: 'paid' });
      },
      'shop.cancelOrder': () => ok({ ...orders.unpaid, status: 'cancelled' }),
      'shop.confirmReceipt': () => ok({ ...orders.shipped, status: 'received' }),
      'shop.requestRefund': (p) =>
        ok({ orderId: p.orderId, buyerId: 'o-test-1', amountFen: 16800, reason: p.reason, status: 'requested', merchantNote: '', requestedAt: '', reviewedAt: null, refundedAt: null }),
    }),
  });
  await page.waitForClass('order-card');
});

test('lists orders with their status, shipping and the actions each allows', () => {
  expect(page.all('order-card')).toHaveLength(3);
  expect(page.all('order-card__status').map((e) => e.textContent)).toEqual(['待付款', '已发货', '已收货']);
  expect(page.text()).toContain('顺丰速运 SF123');
  const actions = page.all('order-card').map((card) => Array.from(card.querySelectorAll('[class*="order-action--"]')).map((b) => b.textContent));
  expect(actions).toEqual([['去支付', '取消订单'], ['确认收货', '申请退款'], ['申请退款']]);
});

test('去支付 takes WeChat Pay with the server’s params, then waits until the server says paid', async () => {
  await page.tap('order-action--pay');
  // Paid: the order's page opens with 支付成功 and the next steps (issue 17.7).
  await waitFor(() => wxCallsTo('navigateTo').some((n) => n.url === '/packages/shop/order/index?id=o-unpaid-0001&paid=1'), { what: 'the paid order page' });
  expect(callsTo('shop.pay').map((c) => c.payload)).toEqual([{ orderId: 'o-unpaid-0001' }]);
  const [payment] = wxCallsTo('requestPayment');
  expect(payment).toMatchObject({ timeStamp: '1700000000', nonceStr: 'n0nce', package: 'prepay_id=wx123', signType: 'RSA', paySign: 'c2lnbg==' });
  expect(callsTo('shop.getOrder').length).toBeGreaterThanOrEqual(1);
  await waitFor(() => page.all('order-card__status')[0]?.textContent === '待发货', { what: 'list refreshed' });
});

test('确认收货 asks, then confirms on the server', async () => {
  await page.tap('order-action--confirm');
  await waitFor(() => callsTo('shop.confirmReceipt').length === 1, { what: 'confirmReceipt' });
  expect(wxCallsTo('showModal').pop().title).toBe('确认收货');
  expect(callsTo('shop.confirmReceipt')[0].payload).toEqual({ orderId: 'o-shipped-0002' });
});

test('申请退款 asks for a reason in a sheet and sends it', async () => {
  const received = page.all('order-card')[2];
  await page.tapElement(received.querySelector('[class*="order-action--refund"]') as HTMLElement);
  await page.waitForClass('refund-sheet');
  await page.tap('refund-sheet__submit');
  await page.waitForText('请选择或填写退款原因');
  await page.tap('refund-reason');
  await page.waitForClass('refund-reason--on');
  await page.tap('refund-sheet__submit');
  await waitFor(() => callsTo('shop.requestRefund').length === 1, { what: 'requestRefund' });
  expect(callsTo('shop.requestRefund')[0].payload).toEqual({ orderId: 'o-receivd-0003', reason: '不想要了' });
  await waitFor(() => page.one('refund-sheet') === null, { what: 'sheet closed' });
});

test('取消订单 needs a confirmation; declining changes nothing', async () => {
  ui.wxOverrides.showModal = () => ({ errMsg: 'showModal:ok', confirm: false, cancel: true });
  ui.cloud = cloudRoutes({
    'shop.listOrders': () => ok({ items: [orders.unpaid], next: null }),
    'shop.cancelOrder': () => ok({ ...orders.unpaid, status: 'cancelled' }),
  });
  page.instance.onPullDownRefresh();
  await waitFor(() => page.all('order-card').length === 1, { what: 'one order' });
  await page.tap('order-action--cancel');
  await waitFor(() => wxCallsTo('showModal').some((m) => m.title === '取消订单'), { what: 'modal' });
  expect(callsTo('shop.cancelOrder')).toHaveLength(0);
  delete ui.wxOverrides.showModal;
  await page.tap('order-action--cancel');
  await waitFor(() => callsTo('shop.cancelOrder').length === 1, { what: 'cancel' });
});
