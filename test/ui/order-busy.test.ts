/** Issue 17.10 on 订单详情: only the button in flight reads 处理中…, not every button of the order. */
import { cloudRoutes, ok, renderPage, ui, waitFor } from './harness';
import { me, order } from './fixtures';

test('取消订单 with its confirmation open: only that button reads 处理中…', async () => {
  // The confirmation stays open (the user has not answered yet).
  ui.wxOverrides.showModal = () => new Promise(() => undefined);
  const page = await renderPage('packages/shop/order/index', {
    query: { id: 'o-open' },
    cloud: cloudRoutes({
      'user.login': () => ok(me()),
      'shop.getOrder': () => ok(order('o-open', { actions: ['pay', 'cancel'] })),
    }),
  });
  await page.waitForClass('order-action--cancel');
  await page.tap('order-action--cancel');
  await waitFor(() => page.one('order-action--cancel')?.textContent === '处理中…', { what: 'the busy cancel button' });
  expect(page.one('order-action--pay')?.textContent).toBe('去支付');
});
