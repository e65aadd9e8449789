/** 我的助力: my tasks with progress and status; tapping opens one. */
import { cloudRoutes, ok, renderPage, wxCallsTo } from './harness';
import { me } from './fixtures';

test('lists my tasks with progress, status and voucher state', async () => {
  const page = await renderPage('packages/assist/mine/index', {
    cloud: cloudRoutes({
      'user.login': () => ok(me()),
      'assist.mine': () =>
        ok({
          items: [
            { taskId: 'at-1', status: 'open', productId: 'p-tea', productTitle: '明前龙井', target: 3, helpers: 1, startedAt: '2025-03-01T02:00:00.000Z', deadline: '2025-03-02T02:00:00.000Z', voucherState: null },
            { taskId: 'at-0', status: 'succeeded', productId: 'p-tea', productTitle: '明前龙井', target: 3, helpers: 3, startedAt: '2025-02-01T02:00:00.000Z', deadline: '2025-02-02T02:00:00.000Z', voucherState: 'used' },
          ],
          next: null,
        }),
    }),
  });
  await page.waitForClass('my-assist');
  expect(page.all('my-assist__status').map((e) => e.textContent)).toEqual(['进行中', '已成功']);
  expect(page.text()).toContain('1/3 位好友');
  expect(page.text()).toContain('助力价已使用');
  await page.tap('my-assist');
  expect(wxCallsTo('navigateTo').pop().url).toBe('/packages/assist/task/index?taskId=at-1');
});
