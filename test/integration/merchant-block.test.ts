/**
 * Blocking through the merchant tab, end to end on the real functions: a blocked user can still buy, but earns no
 * rebate from their invitees, cannot help a friend's assist, start one, or withdraw; unblocked, they earn again.
 * Abuse flags show on the user list.
 */
import { startTestCloud, TestCloud } from '../support/cloud';
import { buy, call, expectAuditClean, inviter, invitees, MERCHANT, ok, onlyRule, productAt, refund } from './referral-support';

let t: TestCloud;

beforeAll(async () => {
  t = await startTestCloud({ seed: false });
});
afterAll(async () => {
  await t?.close();
});

it('a blocked inviter buys, but earns nothing and cannot help, start an assist or withdraw', async () => {
  await onlyRule(t, { name: '每单返现', reward: { form: 'cash', amountFen: 500 }, trigger: { kind: 'eachOrder', minOrderFen: 0 } });
  const product = await productAt(t, 3000);
  await ok(t, MERCHANT, 'merchant', 'saveAssistCampaign', { productId: product, active: true, helpersNeeded: 2, durationHours: 24, success: { kind: 'price', priceFen: 1000, validHours: 48 }, fallback: { kind: 'none' }, newUsersOnly: false, helperDailyCap: 5, openTasksPerShopper: 1, startsAt: null, endsAt: null });
  const a = await inviter(t, 'A');
  const [b, c] = await invitees(t, a.code, 2);

  const blocked = await ok(t, MERCHANT, 'merchant', 'blockUser', { openid: a.id, blocked: true, reason: '刷单' });
  expect(blocked.blocked.reason).toBe('刷单');

  // A still buys
  await buy(t, a.id, 3000);
  // B's order earns A nothing while A is blocked
  await buy(t, b, 3000);
  expect((await t.db.collection('rewards').where({ userId: a.id }).count()).total).toBe(0);
  // A cannot help B's assist, nor start one, nor withdraw
  const task = await ok(t, b, 'assist', 'start', { productId: product });
  expect(await call(t, a.id, 'assist', 'help', { taskId: task.taskId })).toMatchObject({ ok: false, code: 'USER_BLOCKED' });
  expect((await t.db.collection('assist_tasks').doc(task.taskId).get()).data[0].helpers).toBe(0);
  expect(await call(t, a.id, 'assist', 'start', { productId: product })).toMatchObject({ ok: false, code: 'USER_BLOCKED' });
  expect(await call(t, a.id, 'wallet', 'withdraw', { amountFen: 100, requestId: 'withdraw-blocked-1' })).toMatchObject({ ok: false, code: 'USER_BLOCKED' });

  // unblocked: C's order earns A the rebate again
  await ok(t, MERCHANT, 'merchant', 'blockUser', { openid: a.id, blocked: false });
  await buy(t, c, 3000);
  const rewards = (await t.db.collection('rewards').where({ userId: a.id }).get()).data;
  expect(rewards.map((r: { amount: number; status: string }) => [r.amount, r.status])).toEqual([[500, 'frozen']]);

  // the merchant sees it in A's tree
  const tree = await ok(t, MERCHANT, 'merchant', 'referralTree', { openid: a.id });
  expect(tree.invitees.map((i: { status: string }) => i.status).sort()).toEqual(['bought', 'bound']);
  expect(tree.rewards).toHaveLength(1);
  expect(tree.ledger.map((e: { reason: string }) => e.reason)).toEqual(['reward_frozen']);
});

it('flags many invitees in a short time, and an inviter whose buying invitees all refunded', async () => {
  const a = await inviter(t, 'Burst');
  await invitees(t, a.code, 5);
  const flagged = await ok(t, MERCHANT, 'merchant', 'users', { flagged: true });
  const row = flagged.items.find((u: { openid: string }) => u.openid === a.id);
  expect(row).toMatchObject({ invitees: 5, flags: ['burst_invites'] });
  expect(row.flagTexts[0]).toContain('1 小时内邀请了 5 位以上好友');
  const search = await ok(t, MERCHANT, 'merchant', 'users', { query: a.code });
  expect(search.items[0].flags).toEqual(['burst_invites']);
});

it('counts and flags every inviter on a page, however many invitees another one has', async () => {
  // X invited 1,200 (seeded), Y two friends who bought and were both refunded; both on the first page of 用户.
  const [x, y] = [await inviter(t, 'BigX'), await inviter(t, 'SmallY')];
  const at = new Date(t.cloud.clock.now() - 30 * 24 * 3600_000);
  const refs = (inviterId: string, n: number, status: string, conversions: number, prefix: string) =>
    Array.from({ length: n }, (_, i) => ({ _id: `${prefix}-${i}`, inviterId, upline: null, source: 'card', boundAt: new Date(at.getTime() + i * 7200_000), expiresAt: null, status, conversion: null, conversions, updatedAt: at }));
  const big = refs(x.id, 1200, 'bound', 0, `${x.id}-f`);
  for (let i = 0; i < big.length; i += 100) await Promise.all(big.slice(i, i + 100).map(({ _id, ...doc }) => t.db.collection('referrals').doc(_id).set(doc)));
  for (const { _id, ...doc } of refs(y.id, 2, 'reversed', 1, `${y.id}-f`)) await t.db.collection('referrals').doc(_id).set(doc);

  const page = await ok(t, MERCHANT, 'merchant', 'users', { pageSize: 20 });
  const row = (id: string) => page.items.find((u: { openid: string }) => u.openid === id);
  expect(row(x.id)).toMatchObject({ invitees: 1200, flags: [] });
  expect(row(y.id)).toMatchObject({ invitees: 2, flags: ['invitees_refund'] });
  const flagged = await ok(t, MERCHANT, 'merchant', 'users', { flagged: true, pageSize: 50 });
  expect(flagged.items.map((u: { openid: string }) => u.openid)).toContain(y.id);
  const tree = await ok(t, MERCHANT, 'merchant', 'referralTree', { openid: x.id });
  expect(tree.user.invitees).toBe(1200);
  expect(tree.invitees).toHaveLength(500);
});

it('a block at the same moment as five invitees paying: the flag survives every settlement, and afterwards nothing is earned', async () => {
  await onlyRule(t, { name: '每单返现', reward: { form: 'cash', amountFen: 300 }, trigger: { kind: 'eachOrder', minOrderFen: 0 } });
  const a = await inviter(t, 'Race');
  const friends = await invitees(t, a.code, 6);
  // A's wallet exists and is busy: five settlements write it while the block lands
  await Promise.all([...friends.slice(0, 5).map((f) => buy(t, f, 3000)), ok(t, MERCHANT, 'merchant', 'blockUser', { openid: a.id, blocked: true, reason: '刷单' })]);
  const wallet = (await t.db.collection('wallets').doc(a.id).get()).data[0];
  expect(wallet.blocked).toBe(true); // no settlement that read the wallet before the block wrote it back without the flag
  const before = (await t.db.collection('rewards').where({ userId: a.id }).count()).total;
  expect(before).toBeLessThanOrEqual(5);
  expect(wallet.cash.frozen).toBe(before * 300); // each reward earned before the block, and only those, in the wallet
  await buy(t, friends[5], 3000);
  expect((await t.db.collection('rewards').where({ userId: a.id }).count()).total).toBe(before);
});

describe('推三返一 groups of a blocked inviter, and groups the merchant voids', () => {
  const groupRule = () => onlyRule(t, { name: '推三返一', reward: { form: 'cash', amountFen: 3000 }, trigger: { kind: 'everyN', n: 3, minOrderFen: 0 } });
  const standing = async (userId: string) =>
    ((await t.db.collection('rewards').where({ userId }).get()).data as { _id: string; status: string; members: { inviteeId: string }[] }[]).filter((r) => r.status === 'frozen' || r.status === 'available');
  /** Under the 推三返一 rule: an inviter, `invited` friends bound to them, the first `buying` of whom buy. */
  async function inviterWithBuyers(prefix: string, invited: number, buying: number) {
    await groupRule();
    const a = await inviter(t, prefix);
    const fs = await invitees(t, a.code, invited);
    const orders: string[] = [];
    for (const f of fs.slice(0, buying)) orders.push(await buy(t, f, 3000));
    return { a, fs, orders };
  }
  const progressOf = async (userId: string) => {
    const p = await ok(t, userId, 'referral', 'progress');
    return { groups: p.groups, text: p.text };
  };

  it('a refund dissolving a blocked inviter’s group re-forms nothing from the friend waiting; unblocked, the next purchase does', async () => {
    const { a, fs, orders } = await inviterWithBuyers('GB', 5, 4);
    expect((await standing(a.id)).map((r) => r.members.map((m) => m.inviteeId))).toEqual([fs.slice(0, 3)]);

    await ok(t, MERCHANT, 'merchant', 'blockUser', { openid: a.id, blocked: true, reason: '刷单' });
    await refund(t, fs[1], orders[1]);
    // Before: the friend in the pool (fs[3]) completed the group again, a new ¥30 frozen for the blocked inviter.
    expect(await standing(a.id)).toEqual([]);
    const w = (await t.db.collection('wallets').doc(a.id).get()).data[0];
    expect(w.cash).toMatchObject({ frozen: 0, available: 0 });
    expect((await progressOf(a.id)).groups).toBe(0);

    await ok(t, MERCHANT, 'merchant', 'blockUser', { openid: a.id, blocked: false });
    await buy(t, fs[4], 3000);
    const after = await standing(a.id);
    expect(after).toHaveLength(1);
    expect(after[0].members.map((m) => m.inviteeId)).not.toContain(fs[1]);
    expect((await progressOf(a.id)).groups).toBe(1);
    await expectAuditClean(t);
  });

  it('a group voided by the merchant leaves the inviter’s count of groups once, even when a member then refunds', async () => {
    const { a, fs, orders } = await inviterWithBuyers('GV', 4, 3);
    expect(await progressOf(a.id)).toEqual({ groups: 1, text: '3/3' });
    const [group] = await standing(a.id);
    // Twice at once: voided once, counted down once.
    await Promise.all([1, 2].map(() => call(t, MERCHANT, 'merchant', 'voidReward', { rewardId: group._id, reason: '刷单' })));
    expect(await progressOf(a.id)).toEqual({ groups: 0, text: '0/3' });
    await refund(t, fs[0], orders[0]);
    expect((await progressOf(a.id)).groups).toBe(0);
    await buy(t, fs[3], 3000);
    expect(await progressOf(a.id)).toEqual({ groups: 0, text: '1/3' });
    await expectAuditClean(t);
  });
});
