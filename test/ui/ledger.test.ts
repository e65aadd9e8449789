/**
 * 收支明细 (issue 17.6): one line per business event with its status — 邀请奖励 +¥50 冻结中 → 可提现, 提现 −¥50 已到账 —
 * not one per ledger leg; the legs only when a line is opened. Cash and points tabs.
 */
import { callsTo, cloudRoutes, ok, renderPage, waitFor } from './harness';
import { activity, entry, me } from './fixtures';

test('a reward and a withdrawal are two lines; tapping one shows its legs; the points tab asks for points', async () => {
  const page = await renderPage('packages/wallet/ledger/index', {
    cloud: cloudRoutes({
      'user.login': () => ok(me()),
      'wallet.activity': (p) =>
        ok(
          p.asset === 'points'
            ? { items: [activity('op:credit:t1:points', { kind: 'credit', asset: 'points', title: '助力未满的积分补偿', amount: 100, status: 'done', statusText: '已到账', steps: [], legs: [] })], next: null }
            : {
                items: [
                  activity('withdraw:w1:cash', {
                    kind: 'withdrawal',
                    title: '提现到微信零钱',
                    amount: -5000,
                    status: 'paid',
                    statusText: '已到账',
                    steps: ['处理中', '已到账'],
                    legs: [entry('w-l1', { title: '申请提现', amount: -5000, bucket: 'available', bucketText: '可用' }), entry('w-l2', { title: '提现处理中', amount: 5000, bucket: 'withdrawing', bucketText: '提现中' }), entry('w-l3', { title: '提现到账微信零钱', amount: -5000, bucket: 'withdrawing', bucketText: '提现中' })],
                  }),
                  activity('reward:r1:cash'),
                ],
                next: 60,
              },
        ),
    }),
  });
  await page.waitForClass('activity');
  expect(callsTo('wallet.activity')[0].payload).toEqual({ asset: 'cash', pageSize: 20 });
  expect(page.all('activity')).toHaveLength(2);
  expect(page.all('activity__title').map((e) => e.textContent)).toEqual(['提现到微信零钱', '邀请奖励']);
  expect(page.all('activity__amount').map((e) => e.textContent)).toEqual(['−¥50.00', '+¥50.00']);
  expect(page.all('activity__status').map((e) => e.textContent)).toEqual(['已到账', '可提现']);
  expect(page.all('activity__meta')[1].textContent).toContain('冻结中 → 可提现');
  // No bookkeeping legs ("邀请奖励解冻 −¥50", "提现处理中 +¥50") until a line is opened.
  expect(page.one('entry')).toBeNull();
  expect(page.text()).not.toContain('提现处理中');
  expect(page.text()).toContain('上拉加载更多');

  await page.tapElement(page.all('activity__line')[1]);
  await page.waitForText('记账明细（3 笔）');
  expect(page.all('entry__title').map((e) => e.textContent)).toEqual(['邀请奖励（冻结中，好友退款期结束后可用）', '邀请奖励解冻', '邀请奖励到账']);

  await page.tap('ledger-tab--points');
  await waitFor(() => page.text().includes('助力未满的积分补偿'), { what: 'points activity' });
  expect(callsTo('wallet.activity').pop()!.payload).toEqual({ asset: 'points', pageSize: 20 });
  expect(page.one('activity__amount')?.textContent).toBe('+100 积分');
});
