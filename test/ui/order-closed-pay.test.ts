/**
 * 订单详情 (compiled weapp page) when the payment lands after the order closed (its pay time ran out, or its 拼团
 * ended while the pay sheet was open): the server refunds it, so the page never says 支付成功 — it says the order
 * closed and the money goes back.
 */
import { cloudRoutes, ok, renderPage, ui, waitFor, wxCallsTo, type RenderedPage } from './harness';
import { localPay, me, order } from './fixtures';
import { fen } from '../../types/money';

let page: RenderedPage;
let settled = false;
const unpaid = order('o-late', { itemsTotalFen: fen(6900), payableFen: fen(6900) });

beforeAll(async () => {
  ui.wxOverrides.request = (o) => ({ errMsg: 'request:ok', statusCode: 200, data: { outTradeNo: o.data.outTradeNo, state: 'SUCCESS' }, header: {} });
  page = await renderPage('packages/shop/order/index', {
    query: { id: 'o-late', pay: '1' },
    cloud: cloudRoutes({
      'user.login': () => ok(me()),
      // Paid at the last moment: the server closed the order and refunds the payment.
      'shop.getOrder': () => ok(settled ? { ...unpaid, status: 'cancelled', actions: [] } : unpaid),
      'shop.pay': () => ok(localPay('o-late', 6900)),
    }),
  });
  await page.waitForClass('pay-sheet');
});

test('a payment that came after the order closed: no 支付成功, the shopper is told it goes back', async () => {
  settled = true;
  await page.tap('pay-sheet__confirm');
  await waitFor(() => wxCallsTo('showToast').some((t) => t.title === '订单已关闭，已付款项将原路退回'), { what: 'the closed toast' });
  await page.waitForText('已取消');
  expect(page.one('pay-success')).toBeNull();
  expect(wxCallsTo('showToast').some((t) => t.title === '支付成功')).toBe(false);
});
