/** 收支明细: entries newest first with readable reasons; cash and points tabs. */
import { callsTo, cloudRoutes, ok, renderPage, waitFor } from './harness';
import { entry, me } from './fixtures';

test('cash entries, then the points tab asks for points', async () => {
  const page = await renderPage('packages/wallet/ledger/index', {
    cloud: cloudRoutes({
      'user.login': () => ok(me()),
      'wallet.entries': (p) =>
        ok(
          p.asset === 'points'
            ? { items: [entry('p-1', { asset: 'points', amount: 100, title: '助力未满的积分补偿', bucket: 'available', bucketText: '可用' })], next: null }
            : { items: [entry('e-1', { title: '邀请奖励到账', amount: 5000, bucket: 'available', bucketText: '可用' }), entry('e-2', { title: '申请提现', amount: -5000, bucketText: '可用' })], next: 2 },
        ),
    }),
  });
  await page.waitForClass('entry');
  expect(callsTo('wallet.entries')[0].payload).toEqual({ asset: 'cash', pageSize: 20 });
  expect(page.all('entry__amount').map((e) => e.textContent)).toEqual(['+¥50.00', '-¥50.00']);
  expect(page.text()).toContain('上拉加载更多');
  await page.tap('ledger-tab--points');
  await waitFor(() => page.text().includes('助力未满的积分补偿'), { what: 'points entries' });
  expect(callsTo('wallet.entries').pop()!.payload).toEqual({ asset: 'points', pageSize: 20 });
  expect(page.one('entry__amount')?.textContent).toBe('+100 积分');
});
