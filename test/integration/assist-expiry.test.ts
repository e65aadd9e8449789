/**
 * Expiry through the settle timer: a task past its deadline with partial help becomes expired and owes its
 * fallback scaled by the helpers reached, paid once (however often the timer runs), with one consolation notice;
 * a full task the timer finds is completed instead; no fallback for nobody.
 */
import { startTestCloud, TestCloud } from '../support/cloud';
import { failNext } from '../support/holds';
import { HOUR, loginMany, notificationsFor, ok, saveCampaign, settle, startTask, task } from './assist-support';

/* eslint-disable @typescript-eslint/no-explicit-any */
let t: TestCloud;
beforeAll(async () => {
  t = await startTestCloud();
  await loginMany(t, ['exp-owner', 'exp-owner-2', 'exp-owner-3', 'exp-f1', 'exp-f2', 'exp-f3']);
});
afterAll(() => t.close());
afterEach(() => t.dev('clock', { reset: true }));

it('partial help, then the deadline: expired once, 2 helpers × 100 points owed and paid once', async () => {
  const { taskId } = await startTask(t, 'exp-owner');
  await ok(t, 'exp-f1', 'assist', 'help', { taskId });
  await ok(t, 'exp-f2', 'assist', 'help', { taskId });

  await t.dev('clock', { advanceMs: 23 * HOUR });
  await settle(t);
  expect((await task(t, taskId)).status).toBe('open');

  await t.dev('clock', { advanceMs: 2 * HOUR });
  // Moving the clock fires the settle timer on the local cloud; run it once more by hand as well.
  await settle(t);
  const doc = await task(t, taskId);
  expect(doc).toMatchObject({ status: 'expired', helpers: 2, fallbackOwed: { kind: 'points', points: 200 } });
  expect(doc.fallbackState).toBe('paid');

  // Rerun: nothing more happens.
  for (let i = 0; i < 3; i++) {
    const again = await settle(t);
    expect(again.jobs['assist.expireTasks']).toBe(0);
    expect(again.jobs['assist.payFallbacks']).toBe(0);
  }
  expect((await task(t, taskId)).expiredAt).toEqual(doc.expiredAt);
  const notices = await notificationsFor(t, 'exp-owner', 'assist.expired');
  expect(notices).toHaveLength(1);
  expect(notices[0].body).toContain('200 积分');
  // Credited once to the owner's available points in the referral ledger, keyed by the task.
  const entries = (await t.db.collection('ledger').where({ userId: 'exp-owner', asset: 'points' }).limit(100).get()).data;
  expect(entries.map((e: any) => [e.op, e.bucket, e.amount])).toEqual([[`credit:assist:fallback:${taskId}`, 'available', 200]]);
  const wallet = await ok(t, 'exp-owner', 'wallet', 'summary', {});
  expect(wallet.points).toMatchObject({ available: 200 });

  const view = await ok(t, 'exp-owner', 'assist', 'get', { taskId });
  expect(view).toMatchObject({ status: 'expired', msLeft: 0, fallback: { kind: 'points', points: 200 } });
  expect(view.viewer.actions).toEqual(['startOwn']);
});

it('nobody helped: expired with nothing owed, and told so once', async () => {
  const { taskId } = await startTask(t, 'exp-owner-2');
  await t.dev('clock', { advanceMs: 25 * HOUR });
  await settle(t);
  await settle(t);
  expect(await task(t, taskId)).toMatchObject({ status: 'expired', helpers: 0, fallbackOwed: { kind: 'none' }, fallbackState: 'none' });
  const notices = await notificationsFor(t, 'exp-owner-2', 'assist.expired');
  expect(notices).toHaveLength(1);
  expect(notices[0].body).toContain('重新发起');
});

it('a coupon fallback is scaled by helpers reached', async () => {
  await saveCampaign(t, 'p-honey', {
    helpersNeeded: 4,
    success: { kind: 'coupon', amountFen: 2000, minSpendFen: 5000, validDays: 7 },
    fallback: { kind: 'coupon', amountFenPerHelper: 300, minSpendFen: 3000, validDays: 3 },
  });
  const { taskId } = await startTask(t, 'exp-owner-3', 'p-honey');
  for (const f of ['exp-f1', 'exp-f2', 'exp-f3']) await ok(t, f, 'assist', 'help', { taskId });
  await t.dev('clock', { advanceMs: 25 * HOUR });
  await settle(t);
  await settle(t);
  const doc = await task(t, taskId);
  expect(doc).toMatchObject({ status: 'expired', fallbackState: 'paid', fallbackOwed: { kind: 'coupon', amountFen: 900, minSpendFen: 3000, validDays: 3 } });
  const coupons = (await t.db.collection('coupons').where({ ownerId: 'exp-owner-3' }).limit(10).get()).data;
  expect(coupons).toEqual([expect.objectContaining({ amountFen: 900, minSpendFen: 3000, status: 'available', sourceKey: `assist:fallback:${taskId}` })]);
});

it('a coupon reward is issued once when the task succeeds', async () => {
  const { taskId } = await startTask(t, 'exp-f1', 'p-honey');
  for (const f of ['exp-owner', 'exp-owner-2', 'exp-owner-3', 'exp-f2']) await ok(t, f, 'assist', 'help', { taskId });
  await settle(t);
  const doc = await task(t, taskId);
  expect(doc).toMatchObject({ status: 'succeeded', voucher: null, rewardState: 'paid' });
  const coupons = (await t.db.collection('coupons').where({ ownerId: 'exp-f1' }).limit(10).get()).data;
  expect(coupons).toEqual([expect.objectContaining({ _id: doc.rewardCouponId, amountFen: 2000, minSpendFen: 5000, status: 'available' })]);
});

it('a full task left open (its completer died before the transition) is completed by the timer, once', async () => {
  const { taskId } = await startTask(t, 'exp-owner-2');
  // Simulate the crash: counted to the target, never transitioned.
  await t.db.collection('assist_tasks').doc(taskId).update({ helpers: 3, helperIds: ['exp-f1', 'exp-f2', 'exp-f3'] });
  await t.dev('clock', { advanceMs: 25 * HOUR });
  await settle(t);
  await settle(t);
  const doc = await task(t, taskId);
  expect(doc).toMatchObject({ status: 'succeeded', voucher: { priceFen: 9900 } });
  expect(await notificationsFor(t, 'exp-owner-2', 'assist.succeeded')).toHaveLength(1);
});

it('an expiry whose count is lost (the counter write fails) is counted by a later firing, once', async () => {
  const { taskId } = await startTask(t, 'exp-owner-3');
  await ok(t, 'exp-f3', 'assist', 'help', { taskId });
  const key = `assist:${taskId}:expired`;
  const counted = async () => {
    const docs = (await t.db.collection('stats_daily').where({ keys: key }).limit(10).get()).data as { c: Record<string, number> }[];
    return docs.length;
  };
  const expiredTotal = async () => {
    const docs = (await t.db.collection('stats_daily').where({ 'c.assistExpired': t.db.command.gt(0) }).limit(1000).get()).data as { _id: string; c: Record<string, number> }[];
    return docs.filter((d) => /^20\d\d-/.test(d._id)).reduce((s, d) => s + d.c.assistExpired, 0);
  };
  const before = await expiredTotal();
  const lost = await failNext(t, { action: 'database.modifyDocument', collectionName: 'stats_daily', queryContains: key }, 1);
  await t.dev('clock', { advanceMs: 25 * HOUR }); // the timer fires: the task expires, its count fails
  expect((await task(t, taskId)).status).toBe('expired');
  expect(await lost.used()).toBe(true);
  await settle(t);
  await settle(t);
  expect(await counted()).toBe(1);
  expect(await expiredTotal()).toBe(before + 1);
  expect((await task(t, taskId)).statsOwed).toBe(false);
});
