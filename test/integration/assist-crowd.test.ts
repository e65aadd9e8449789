/**
 * The hot document under a crowd, through the gateway and the real SDK: 1,000 different friends tap 助力 on one task
 * needing 3 at the same moment → exactly 3 assists, success once, one reward, 997 clear "already done" answers and
 * no errors; one friend tapping 50 times at once → one assist.
 */
import { startTestCloud, TestCloud } from '../support/cloud';
import { call, loginMany, notificationsFor, startTask, task } from './assist-support';

/* eslint-disable @typescript-eslint/no-explicit-any */
let t: TestCloud;
const FRIENDS = Array.from({ length: 1000 }, (_, i) => `crowd-friend-${i}`);
const OWNER = 'crowd-owner';

beforeAll(async () => {
  t = await startTestCloud();
  await loginMany(t, [OWNER, 'crowd-owner-2', 'crowd-tapper', ...FRIENDS]);
}, 120_000);
afterAll(() => t.close());

it('1,000 friends at once on a task needing 3: exactly 3 counted, success once, 997 told it is done', async () => {
  const { taskId } = await startTask(t, OWNER);
  const answers = await Promise.all(FRIENDS.map((f) => call(t, f, 'assist', 'help', { taskId })));

  const byCode = new Map<string, number>();
  for (const a of answers) byCode.set(a.ok ? 'ok' : a.code, (byCode.get(a.ok ? 'ok' : a.code) ?? 0) + 1);
  expect(Object.fromEntries(byCode)).toEqual({ ok: 3, ASSIST_TASK_DONE: 997 });
  const late = answers.find((a) => !a.ok);
  expect(late.message).toContain('发起自己的助力');
  expect(answers.filter((a) => a.ok && a.data.completed)).toHaveLength(1);
  expect(answers.filter((a) => a.ok).map((a) => a.data.helpers).sort()).toEqual([1, 2, 3]);

  const doc = await task(t, taskId);
  expect(doc).toMatchObject({ status: 'succeeded', helpers: 3 });
  expect(doc.helperIds).toHaveLength(3);
  expect(doc.voucher).toMatchObject({ priceFen: 9900, orderId: null });
  const winners = answers.map((a, i) => (a.ok ? FRIENDS[i] : null)).filter(Boolean);
  expect([...doc.helperIds].sort()).toEqual([...winners].sort());

  const assists = (await t.db.collection('assists').where({ taskId }).limit(1000).get()).data;
  expect(assists.map((a: any) => a.helperId).sort()).toEqual([...winners].sort());
  expect(await notificationsFor(t, OWNER, 'assist.succeeded')).toHaveLength(1);
  expect(await notificationsFor(t, OWNER, 'assist.helped')).toHaveLength(2);
  // Losers got their daily slot back: nobody but the three winners has a help counted today.
  const counted = (await t.db.collection('assist_helpers').where({ dayCount: t.db.command.gt(0) }).limit(1000).get()).data;
  expect(counted.map((h: any) => h._id).sort()).toEqual([...winners].sort());
}, 120_000);

it('the same friend tapping 50 times at once helps once', async () => {
  const { taskId } = await startTask(t, 'crowd-owner-2');
  const answers = await Promise.all(Array.from({ length: 50 }, () => call(t, 'crowd-tapper', 'assist', 'help', { taskId })));
  const codes = answers.map((a) => (a.ok ? 'ok' : a.code));
  expect(codes.filter((c) => c === 'ok')).toHaveLength(1);
  expect(codes.filter((c) => c === 'ASSIST_ALREADY_HELPED')).toHaveLength(49);
  const doc = await task(t, taskId);
  expect(doc).toMatchObject({ status: 'open', helpers: 1, helperIds: ['crowd-tapper'] });
  const { total } = await t.db.collection('assists').where({ taskId }).count();
  expect(total).toBe(1);
  const helper = (await t.db.collection('assist_helpers').doc('crowd-tapper').get()).data[0];
  expect(helper.dayCount).toBe(1);
});
