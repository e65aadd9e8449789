/**
 * Issue 17.10 on 订单详情: the buttons are the server's (a phone whose clock is behind is not offered 申请退款 past the
 * deadline).
 */
import { cloudRoutes, ok, renderPage } from './harness';
import { me, order } from './fixtures';

test('a received order the server says is past its refund window shows no 申请退款, whatever the phone’s clock says', async () => {
  const page = await renderPage('packages/shop/order/index', {
    query: { id: 'o-late' },
    cloud: cloudRoutes({
      'user.login': () => ok(me()),
      // The phone thinks the deadline is a year away; the server, on its own clock, allows nothing.
      'shop.getOrder': () => ok(order('o-late', { status: 'received', refundDeadline: new Date(Date.now() + 365 * 86400_000).toISOString(), actions: [] })),
    }),
  });
  await page.waitForText('已收货');
  expect(page.one('order-action--refund')).toBeNull();
  expect(page.one('order-bar')).toBeNull();
});
