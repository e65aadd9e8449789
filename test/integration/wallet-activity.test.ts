/**
 * wallet.activity (issue 17.6) through the real functions: A's three friends buy (推三返一 → ¥50 frozen), the refund
 * window passes and the timer posts it, A withdraws it and is paid. The ledger holds six legs; the activity is two
 * lines — 提现 −¥50 已到账 and 邀请奖励 +¥50 冻结中 → 可提现 — each with its legs, each listed once across pages.
 */
import { startTestCloud, TestCloud } from '../support/cloud';
import { advance, buy, DAY, expectAuditClean, inviter, invitees, MERCHANT, ok, receive, settle, uniq } from './referral-support';

let t: TestCloud;

beforeAll(async () => {
  t = await startTestCloud();
});
afterAll(() => t.close());

it('one reward and one withdrawal: six ledger legs, two lines of activity', async () => {
  const A = await inviter(t, 'act');
  const friends = await invitees(t, A.code, 3, 'actf');
  for (const f of friends) await receive(t, f, await buy(t, f));
  let activity = await ok(t, A.id, 'wallet', 'activity', { asset: 'cash' });
  expect(activity.items.map((e: any) => [e.title, e.amount, e.statusText])).toEqual([['邀请奖励', 5000, '冻结中']]);

  await advance(t, 8 * DAY);
  await settle(t);
  const w = await ok(t, A.id, 'wallet', 'withdraw', { amountFen: 5000, requestId: uniq('wreq') });
  await ok(t, MERCHANT, 'merchant', 'reviewWithdrawal', { withdrawalId: w.id, approve: true });
  await fetch(`${t.cloud.url}/__payout/bills/${w.id}/confirm`, { method: 'POST', body: '{}' });
  expect(await ok(t, A.id, 'wallet', 'confirmTransfer', { withdrawalId: w.id })).toMatchObject({ status: 'paid' });

  const entries = await ok(t, A.id, 'wallet', 'entries', { asset: 'cash', pageSize: 50 });
  expect(entries.items).toHaveLength(6);

  activity = await ok(t, A.id, 'wallet', 'activity', { asset: 'cash' });
  expect(activity.items.map((e: any) => [e.kind, e.title, e.amount, e.statusText, e.steps.join(' → ')])).toEqual([
    ['withdrawal', '提现到微信零钱', -5000, '已到账', '处理中 → 已到账'],
    ['reward', '邀请奖励', 5000, '可提现', '冻结中 → 可提现'],
  ]);
  expect(activity.next).toBeNull();
  // The legs, for the detail view: every entry once.
  const legs = activity.items.flatMap((e: any) => e.legs.map((l: any) => l.id)).sort();
  expect(legs).toEqual(entries.items.map((l: any) => l.id).sort());

  // One line a page: each event on the page of its newest leg, never twice.
  const first = await ok(t, A.id, 'wallet', 'activity', { asset: 'cash', pageSize: 1 });
  const second = await ok(t, A.id, 'wallet', 'activity', { asset: 'cash', pageSize: 1, cursor: first.next });
  expect([...first.items, ...second.items].map((e: any) => e.kind)).toEqual(['withdrawal', 'reward']);
  expect(second.next).toBeNull();
  expect(second.items[0].legs).toHaveLength(3);

  // The points tab has nothing of this.
  expect((await ok(t, A.id, 'wallet', 'activity', { asset: 'points' })).items).toEqual([]);
  await expectAuditClean(t);
});
