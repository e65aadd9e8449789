/** 订单详情 after shipping (issue 17.7): carrier, tracking number (copyable) and ship time, also once received. */
import { cloudRoutes, ok, renderPage, wxCallsTo, type RenderedPage } from './harness';
import { me, order } from './fixtures';

let page: RenderedPage;

beforeAll(async () => {
  page = await renderPage('packages/shop/order/index', {
    query: { id: 'o-5' },
    cloud: cloudRoutes({
      'user.login': () => ok(me()),
      'shop.getOrder': () =>
        ok(
          order('o-5', {
            status: 'received',
            paidAt: '2026-11-20T02:00:00.000Z',
            shippedAt: '2026-11-21T03:00:00.000Z',
            shipping: { carrier: '顺丰速运', trackingNo: 'SF1234567890' },
            receivedAt: '2026-11-23T04:00:00.000Z',
            refundDeadline: '2026-11-30T04:00:00.000Z',
          }),
        ),
    }),
  });
  await page.waitForClass('order-shipment');
});

test('the shipment shows on a received order: carrier, tracking number, ship time', () => {
  const card = page.one('order-shipment')!.textContent!;
  expect(card).toContain('物流信息');
  expect(page.one('order-shipment__carrier')?.textContent).toBe('顺丰速运');
  expect(page.one('order-shipment__no')?.textContent).toBe('SF1234567890');
  expect(card).toContain('发货时间');
  expect(page.one('order-no')?.textContent).toBe('订单编号 20261123-000042');
});

test('复制 puts the tracking number on the clipboard', async () => {
  await page.tap('order-shipment__copy');
  expect(wxCallsTo('setClipboardData').pop().data).toBe('SF1234567890');
});
