/**
 * Every refusal of `help` with its catalogued code, through the gateway and the real SDK, and nothing counted for
 * it: not found, the owner, twice, the daily cap, ended (deadline passed), already done, new users only (an old user,
 * a user who arrived through another task's card, a new user with a paid order) — and the new helper who is counted
 * and bound to the owner.
 */
import { claimDailySlot, releaseDailySlot } from '../../cloudfunctions/app/assist/helpers';
import { startTestCloud, TestCloud } from '../support/cloud';
import { failNext } from '../support/holds';
import { call, HOUR, login, loginMany, ok, saveCampaign, startTask, task } from './assist-support';

/* eslint-disable @typescript-eslint/no-explicit-any */
let t: TestCloud;
beforeAll(async () => {
  t = await startTestCloud();
  await loginMany(t, ['ref-owner', 'ref-f1', 'ref-capped', 'ref-o1', 'ref-o2', 'ref-o3', 'ref-o4', 'ref-old']);
});
afterAll(() => t.close());

async function expectRefused(openid: string, taskId: string, code: string) {
  const before = await task(t, taskId);
  const r = await call(t, openid, 'assist', 'help', { taskId });
  expect(r).toEqual({ ok: false, code, message: expect.any(String) });
  const after = await task(t, taskId);
  if (after) expect(after.helpers).toBe(before.helpers);
  const { total } = await t.db.collection('assists').where({ taskId, helperId: openid }).count();
  return total;
}

/**
 * The owner became the new helper's inviter: bound at once, or held as pending until the helper consents to the
 * privacy notice (the referral module's rule), whichever the binding rules chose.
 */
async function expectOwnerIsInviter(helper: string, owner: string, outcome: string) {
  const user = (await t.db.collection('users').doc(helper).get()).data[0];
  if (outcome === 'bound') expect(user.inviterId).toBe(owner);
  else {
    expect(outcome).toBe('pending');
    expect(user.pendingInviter).toMatchObject({ inviterId: owner });
  }
}

it('an unknown task', async () => {
  const r = await call(t, 'ref-f1', 'assist', 'help', { taskId: 'at-000000000000000000000000' });
  expect(r).toMatchObject({ ok: false, code: 'ASSIST_TASK_NOT_FOUND' });
  expect((await call(t, 'ref-f1', 'assist', 'get', { taskId: 'nope' })).code).toBe('ASSIST_TASK_NOT_FOUND');
});

it('the owner cannot help their own task', async () => {
  const { taskId } = await startTask(t, 'ref-owner');
  expect(await expectRefused('ref-owner', taskId, 'ASSIST_SELF_HELP')).toBe(0);
});

it('a friend helps a task once', async () => {
  const { taskId } = await startTask(t, 'ref-owner');
  await ok(t, 'ref-f1', 'assist', 'help', { taskId });
  expect(await expectRefused('ref-f1', taskId, 'ASSIST_ALREADY_HELPED')).toBe(1);
  expect((await task(t, taskId)).helpers).toBe(1);
});

it("a helper's daily cap (3 on the demo campaign) counts across tasks", async () => {
  const ids: string[] = [];
  for (const o of ['ref-o1', 'ref-o2', 'ref-o3', 'ref-o4']) ids.push((await startTask(t, o)).taskId);
  for (const id of ids.slice(0, 3)) await ok(t, 'ref-capped', 'assist', 'help', { taskId: id });
  expect(await expectRefused('ref-capped', ids[3], 'ASSIST_DAILY_CAP')).toBe(0);
  const view = await ok(t, 'ref-capped', 'assist', 'get', { taskId: ids[3] });
  expect(view.viewer.cannotHelp).toBe('ASSIST_DAILY_CAP');
  // The next calendar day (Asia/Shanghai) the cap starts again.
  await t.dev('clock', { advanceMs: 24 * HOUR });
  const next = await startTask(t, 'ref-o4');
  expect(next.taskId).not.toBe(ids[3]);
  expect(await ok(t, 'ref-capped', 'assist', 'help', { taskId: next.taskId })).toMatchObject({ helpers: 1 });
  await t.dev('clock', { reset: true });
});

it('a task past its deadline has ended, even before the timer expires it', async () => {
  const { taskId } = await startTask(t, 'ref-o1');
  await t.dev('clock', { advanceMs: 25 * HOUR });
  expect(await expectRefused('ref-f1', taskId, 'ASSIST_TASK_EXPIRED')).toBe(0);
  await t.dev('clock', { reset: true });
});

it('a task the timer expired has ended', async () => {
  const { taskId } = await startTask(t, 'ref-o2');
  await t.dev('clock', { advanceMs: 25 * HOUR });
  await ok(t, 'demo-merchant', 'settle', 'run');
  await t.dev('clock', { reset: true });
  expect((await task(t, taskId)).status).toBe('expired');
  expect(await expectRefused('ref-f1', taskId, 'ASSIST_TASK_EXPIRED')).toBe(0);
});

describe('new users only', () => {
  let taskId: string;
  let otherTaskId: string;

  beforeAll(async () => {
    // An hour on: everyone logged in so far is no longer in their first session.
    await t.dev('clock', { advanceMs: HOUR });
    await saveCampaign(t, 'p-rice', { newUsersOnly: true, helpersNeeded: 2 });
    taskId = (await startTask(t, 'ref-owner', 'p-rice')).taskId;
    otherTaskId = (await startTask(t, 'ref-o1', 'p-rice')).taskId;
  });

  it('the rules say so before anyone starts', async () => {
    const offer = await ok(t, 'ref-owner', 'assist', 'campaign', { productId: 'p-rice' });
    expect(offer.rulesText.join('\n')).toContain('仅限通过本任务的分享卡片首次打开小程序');
  });

  it('refuses a user who used the app before the task started', async () => {
    await ok(t, 'ref-old', 'assist', 'get', { taskId });
    expect(await expectRefused('ref-old', taskId, 'ASSIST_NEW_USERS_ONLY')).toBe(0);
  });

  it('refuses a new user who first arrived through another task\'s card', async () => {
    await t.login('ref-new-elsewhere');
    await login(t, 'ref-new-elsewhere', { taskId: otherTaskId, source: 'card' });
    await ok(t, 'ref-new-elsewhere', 'assist', 'get', { taskId: otherTaskId });
    await ok(t, 'ref-new-elsewhere', 'assist', 'get', { taskId });
    expect(await expectRefused('ref-new-elsewhere', taskId, 'ASSIST_NEW_USERS_ONLY')).toBe(0);
  });

  it('refuses a new user who already has a paid order', async () => {
    await login(t, 'ref-new-buyer', { taskId, source: 'card' });
    await ok(t, 'ref-new-buyer', 'assist', 'get', { taskId });
    await t.db.collection('orders').add({ _id: 'ref-paid-order', buyerId: 'ref-new-buyer', status: 'paid', paidAt: new Date(), items: [] });
    expect(await expectRefused('ref-new-buyer', taskId, 'ASSIST_NEW_USERS_ONLY')).toBe(0);
  });

  it('refuses an openid that never logged in (no user record), even one whose first arrival was this card', async () => {
    // A bare dev session: `user.login` was never called, so there is no `users` document, only the card's view.
    const ghost = 'ref-ghost';
    await t.login(ghost);
    const view = await ok(t, ghost, 'assist', 'get', { taskId });
    expect(view.viewer.cannotHelp).toBe('ASSIST_NEW_USERS_ONLY');
    expect(view.viewer.actions).not.toContain('help');
    expect(await expectRefused(ghost, taskId, 'ASSIST_NEW_USERS_ONLY')).toBe(0);
    expect((await t.db.collection('users').doc(ghost).get()).data).toEqual([]);
    expect((await task(t, taskId)).helperIds).not.toContain(ghost);
    // The same person once the app's login has run (the card loaded first, the login finished after): new, counted.
    const before = (await task(t, taskId)).helpers;
    await login(t, ghost, { taskId, source: 'card' });
    expect((await ok(t, ghost, 'assist', 'get', { taskId })).viewer.cannotHelp).toBeNull();
    expect(await ok(t, ghost, 'assist', 'help', { taskId })).toMatchObject({ helpers: before + 1 });
  });

  it('counts a new user who opened this card first, and binds them to the owner', async () => {
    const before = (await task(t, taskId)).helpers;
    await login(t, 'ref-new-friend', { taskId, source: 'card' });
    const view = await ok(t, 'ref-new-friend', 'assist', 'get', { taskId });
    expect(view.viewer).toMatchObject({ cannotHelp: null, actions: ['help', 'startOwn'] });
    const r = await ok(t, 'ref-new-friend', 'assist', 'help', { taskId });
    expect(r).toMatchObject({ helpers: before + 1 });
    await expectOwnerIsInviter('ref-new-friend', 'ref-owner', r.inviterBinding);
  });
});

it('a new helper on an open campaign is bound to the owner too; an old one is not', async () => {
  const { taskId } = await startTask(t, 'ref-o3');
  await login(t, 'ref-new-open', { taskId, source: 'card' });
  await ok(t, 'ref-new-open', 'assist', 'get', { taskId });
  const r = await ok(t, 'ref-new-open', 'assist', 'help', { taskId });
  await expectOwnerIsInviter('ref-new-open', 'ref-o3', r.inviterBinding);
  expect(await ok(t, 'ref-old', 'assist', 'help', { taskId })).toMatchObject({ inviterBinding: null });
  expect((await t.db.collection('users').doc('ref-old').get()).data[0].inviterId ?? null).toBeNull();
});

it('validates the payload at the edge', async () => {
  expect((await call(t, 'ref-f1', 'assist', 'help', {})).code).toBe('INVALID_ARGUMENT');
  expect((await call(t, 'ref-f1', 'assist', 'help', { taskId: 'x', ownerId: 'ref-f1' })).code).toBe('INVALID_ARGUMENT');
  expect((await call(t, 'ref-f1', 'assist', 'help', { taskId: '$where' })).code).toBe('INVALID_ARGUMENT');
});

it('a slot claimed just before midnight and given back just after comes off the day it was claimed on, not the new one', async () => {
  const ctxAt = (iso: string) => ({ db: t.db as any, clock: { now: () => new Date(iso) } }) as any;
  const helper = 'ref-midnight';
  // 23:59:59.8 Asia/Shanghai: a help claims today's slot, then loses its race for the count...
  const late = await claimDailySlot(ctxAt('2026-12-07T15:59:59.800Z'), helper, 5);
  expect(late).toMatchObject({ ok: true, helper: { day: '2026-12-07', dayCount: 1 } });
  // ...while at 00:00:00.1 another help claims the new day's first slot (the counter moves to the new day)...
  const next = await claimDailySlot(ctxAt('2026-12-07T16:00:00.100Z'), helper, 5);
  expect(next).toMatchObject({ ok: true, helper: { day: '2026-12-08', dayCount: 1 } });
  // ...and the first gives its slot back after midnight: the new day's counted help keeps its slot.
  if (late.ok) await releaseDailySlot(ctxAt('2026-12-07T16:00:00.300Z'), helper, late.helper);
  expect((await t.db.collection('assist_helpers').doc(helper).get()).data[0]).toMatchObject({ day: '2026-12-08', dayCount: 1 });
});

describe('a help whose write fails counts nothing and costs the friend nothing', () => {
  const helperDoc = async (id: string) => (await t.db.collection('assist_helpers').doc(id).get()).data[0];
  const assistsOf = async (helperId: string) => (await t.db.collection('assists').where({ helperId }).get()).data.map((a: any) => a.taskId);

  it('the count fails: no assist left, the day’s slot back (cap 1): the retry counts, or another friend’s task does', async () => {
    await saveCampaign(t, 'p-towel', { helpersNeeded: 3, helperDailyCap: 1 });
    const [o1, o2, h] = ['fail-o1', 'fail-o2', 'fail-h1'];
    await loginMany(t, [o1, o2, h]);
    const t1 = (await startTask(t, o1, 'p-towel')).taskId;
    const t2 = (await startTask(t, o2, 'p-towel')).taskId;
    const f = await failNext(t, { action: 'database.modifyAndReturnDoc', collectionName: 'assist_tasks', queryContains: t1 }, 1);
    expect((await call(t, h, 'assist', 'help', { taskId: t1 })).ok).toBe(false);
    expect(await f.used()).toBe(true);
    expect((await task(t, t1)).helpers).toBe(0);
    expect(await assistsOf(h)).toEqual([]);
    expect((await helperDoc(h)).dayCount).toBe(0);
    // The retry is a fresh help: counted once; the one slot of the day is then taken.
    expect(await ok(t, h, 'assist', 'help', { taskId: t1 })).toMatchObject({ helpers: 1 });
    expect((await helperDoc(h)).dayCount).toBe(1);
    expect((await call(t, h, 'assist', 'help', { taskId: t2 })).code).toBe('ASSIST_DAILY_CAP');
  });

  it('the day’s slot claim fails: no assist left, so the retry counts', async () => {
    await saveCampaign(t, 'p-towel', { helpersNeeded: 3, helperDailyCap: 3 });
    const [o, h] = ['fail-o3', 'fail-h2'];
    await loginMany(t, [o, h]);
    const t1 = (await startTask(t, o, 'p-towel')).taskId;
    await ok(t, h, 'assist', 'get', { taskId: t1 });
    const f = await failNext(t, { action: 'database.modifyAndReturnDoc', collectionName: 'assist_helpers', queryContains: h }, 1);
    expect((await call(t, h, 'assist', 'help', { taskId: t1 })).ok).toBe(false);
    expect(await f.used()).toBe(true);
    expect(await assistsOf(h)).toEqual([]);
    expect(await ok(t, h, 'assist', 'help', { taskId: t1 })).toMatchObject({ helpers: 1 });
    expect((await task(t, t1)).helperIds).toEqual([h]);
  });
});
