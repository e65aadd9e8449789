/** 订单详情: a failed load, then a shipped order whose pay step is gone and whose receipt can be confirmed. */
import { cloudRoutes, fail, ok, renderPage } from './harness';
import { me, order } from './fixtures';

test('a failed load shows the message; 重试 shows the order with its shipping', async () => {
  let calls = 0;
  const page = await renderPage('packages/shop/order/index', {
    query: { id: 'o-5' },
    cloud: cloudRoutes({
      'user.login': () => ok(me()),
      'shop.getOrder': () =>
        ++calls === 1
          ? fail('ORDER_NOT_FOUND')
          : ok(order('o-5', { status: 'shipped', shippedAt: '2025-03-02T02:00:00.000Z', shipping: { carrier: '中通快递', trackingNo: 'ZT42' } })),
    }),
  });
  await page.waitForText('订单不存在');
  await page.tap('retry-button');
  await page.waitForText('中通快递');
  expect(page.one('order-shipment__no')?.textContent).toBe('ZT42');
  expect(page.all('order-action').map((b) => b.textContent)).toEqual(['确认收货', '申请退款']);
  expect(page.one('pay-sheet')).toBeNull();
});
