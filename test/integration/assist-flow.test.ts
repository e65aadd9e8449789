/**
 * 小助力 end to end through the real SDK and the gateway: a shopper starts a task on the demo tea, three friends open
 * the card and help, the task succeeds once with a voucher, a late friend hears it is done; the owner's views.
 */
import { startTestCloud, TestCloud } from '../support/cloud';
import { call, loginMany, notificationsFor, ok, OWNER, startTask, task } from './assist-support';
import { avatarSeedOf } from '../../types/names';

/* eslint-disable @typescript-eslint/no-explicit-any */
let t: TestCloud;
beforeAll(async () => {
  t = await startTestCloud();
  await loginMany(t, [OWNER, 'flow-f1', 'flow-f2', 'flow-f3', 'flow-late']);
});
afterAll(() => t.close());

let taskId: string;

it('shows the campaign rules before anyone starts', async () => {
  const offer = await ok(t, OWNER, 'assist', 'campaign', { productId: 'p-tea' });
  expect(offer).toMatchObject({ campaignId: 'campaign-tea', helpersNeeded: 3, success: { kind: 'price', priceFen: 9900 } });
  expect(offer.rulesText.join('\n')).toMatch(/邀请 3 位好友助力.*¥99\.00/);
  expect(offer.rulesText.join('\n')).toMatch(/没有随机砍价/);
  expect(await ok(t, OWNER, 'assist', 'campaign', { productId: 'p-rice' })).toBeNull();
});

it('starts a task; starting again gives the open one back', async () => {
  const view = await startTask(t, OWNER);
  taskId = view.taskId;
  expect(view).toMatchObject({ status: 'open', target: 3, helpers: 0, remaining: 3, product: { id: 'p-tea', priceFen: 16800 } });
  expect(view.viewer).toMatchObject({ isOwner: true, actions: ['share'] });
  expect(view.msLeft).toBeGreaterThan(23 * 3600 * 1000);
  const again = await startTask(t, OWNER);
  expect(again.taskId).toBe(taskId);
  const { total } = await t.db.collection('assist_tasks').where({ ownerId: OWNER }).count();
  expect(total).toBe(1);
});

it('a product without a campaign cannot start', async () => {
  const r = await call(t, OWNER, 'assist', 'start', { productId: 'p-rice' });
  expect(r).toMatchObject({ ok: false, code: 'ASSIST_CAMPAIGN_NOT_FOUND' });
});

it('a friend opening the card sees progress and may help', async () => {
  const view = await ok(t, 'flow-f1', 'assist', 'get', { taskId });
  expect(view.viewer).toEqual({ isOwner: false, helped: false, cannotHelp: null, actions: ['help', 'startOwn'] });
  // Whose task it is, masked as everywhere else (the owner is the demo shopper 小安).
  expect(view.owner).toEqual({ name: '小*', avatarUrl: '', avatarSeed: avatarSeedOf(OWNER) });
  expect(view.voucher).toBeNull();
  expect(view.rulesText.length).toBeGreaterThan(3);
});

it('three friends help: progress is counted one by one, the third completes it once', async () => {
  const r1 = await ok(t, 'flow-f1', 'assist', 'help', { taskId });
  expect(r1).toMatchObject({ helpers: 1, target: 3, completed: false });
  const r2 = await ok(t, 'flow-f2', 'assist', 'help', { taskId });
  expect(r2).toMatchObject({ helpers: 2, completed: false });
  const r3 = await ok(t, 'flow-f3', 'assist', 'help', { taskId });
  expect(r3).toMatchObject({ helpers: 3, completed: true });

  const doc = await task(t, taskId);
  expect(doc).toMatchObject({ status: 'succeeded', helpers: 3, helperIds: ['flow-f1', 'flow-f2', 'flow-f3'] });
  expect(doc.voucher).toMatchObject({ productId: 'p-tea', priceFen: 9900, orderId: null });
  expect(doc.voucher.validUntil.getTime() - doc.succeededAt.getTime()).toBe(48 * 3600 * 1000);
  expect(await notificationsFor(t, OWNER, 'assist.helped')).toHaveLength(2);
  const done = await notificationsFor(t, OWNER, 'assist.succeeded');
  expect(done).toHaveLength(1);
  expect(done[0].body).toMatch(/¥99\.00/);
  const { total } = await t.db.collection('assists').where({ taskId }).count();
  expect(total).toBe(3);
});

it('a late friend is told it is done and offered to start their own', async () => {
  const r = await call(t, 'flow-late', 'assist', 'help', { taskId });
  expect(r).toEqual({ ok: false, code: 'ASSIST_TASK_DONE', message: expect.stringContaining('发起自己的助力') });
  const view = await ok(t, 'flow-late', 'assist', 'get', { taskId });
  expect(view.viewer).toMatchObject({ cannotHelp: 'ASSIST_TASK_DONE', actions: ['startOwn'] });
  const own = await startTask(t, 'flow-late');
  expect(own.taskId).not.toBe(taskId);
  expect(own.viewer.isOwner).toBe(true);
});

it('the owner sees the voucher to buy with; friends see masked names', async () => {
  const view = await ok(t, OWNER, 'assist', 'get', { taskId });
  expect(view).toMatchObject({ status: 'succeeded', helpers: 3, remaining: 0, msLeft: 0 });
  expect(view.voucher).toMatchObject({ priceFen: 9900, state: 'available' });
  expect(view.viewer.actions).toEqual(['buy']);
  expect(view.helpersList).toHaveLength(3);
  // The helpers are new users with WeChat's default nickname 微信用户: shown as it is (not 微**户), each with their
  // own avatar seed for a distinct generated avatar (types/names.ts).
  for (const h of view.helpersList) expect(h.name).toBe('微信用户');
  expect(new Set(view.helpersList.map((h: { avatarSeed: string }) => h.avatarSeed)).size).toBe(3);
  const mine = await ok(t, OWNER, 'assist', 'mine', {});
  expect(mine.items).toEqual([expect.objectContaining({ taskId, status: 'succeeded', helpers: 3, voucherState: 'available', productTitle: expect.any(String) })]);
  expect(mine.next).toBeNull();
});

it('a friend who helped sees it on the card', async () => {
  const view = await ok(t, 'flow-f2', 'assist', 'get', { taskId });
  expect(view.viewer).toMatchObject({ helped: true, cannotHelp: 'ASSIST_ALREADY_HELPED' });
  expect(view.voucher).toBeNull();
});
