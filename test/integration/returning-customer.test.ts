/**
 * Someone who deleted their account and opens the app again gets a new account (empty wallet, no inviter, no orders
 * of their own) but is not a new customer: what they paid for before, kept under the deleted account's tombstone,
 * still counts against an invitation (BIND_AFTER_PURCHASE) and against new-user offers (a new-users-only 小助力, a
 * new-users-only 拼团 seat). Otherwise a deletion would let a buyer be invited again and again. Someone who never paid
 * is as new as anyone after a deletion. A block outlives the deletion too: the returning account is blocked with the
 * shop's original mark (no help, no assist of their own, no withdrawal) until the merchant unblocks it, and so does
 * a debt (a clawed-back reward already withdrawn): the new account owes it and the next reward pays it first — also
 * one clawed back after the person came back (before it can be withdrawn or spent at checkout), and never what the
 * deleted account's own frozen rewards will pay.
 * Tried as an attacker would: two first opens at once, a slow one racing the merchant's unblock. Through the gateway
 * and the real SDK; every refusal changes nothing, and the ledger audit adds up.
 */
import { tombstoneOf } from '../../cloudfunctions/domain/tombstone';
import { startTestCloud, TestCloud } from '../support/cloud';
import { heldDuring } from '../support/holds';
import { saveCampaign } from './assist-support';
import { advance, buy, call, DAY, expectAuditClean, invitees, inviter, join, MERCHANT, ok, onlyRule, receive, rewardsOf, settle, uniq, wallet } from './referral-support';
import * as shop from './shop-support';

let t: TestCloud;
beforeAll(async () => {
  t = await startTestCloud();
  await onlyRule(t, { name: '邀一返五十', reward: { form: 'cash', amountFen: 5000 }, trigger: { kind: 'everyN', n: 1, minOrderFen: 0 } });
});
afterAll(() => t.close());

const CONSENT = { version: '2026-01' };
const userDoc = async (id: string) => (await t.db.collection('users').doc(id).get()).data[0];

/** A shopper who bought once (paid, received) and then deleted their account. */
async function formerCustomer(prefix: string): Promise<string> {
  const X = uniq(prefix);
  await join(t, X);
  const orderId = await buy(t, X);
  await receive(t, X, orderId);
  expect(await ok(t, X, 'user', 'deleteAccount', { confirm: '注销' })).toEqual({ deleted: true });
  // The paid order lives on under the tombstone, not under the openid.
  expect((await t.db.collection('orders').doc(orderId).get()).data[0]).toMatchObject({ buyerId: tombstoneOf(X), paidAt: expect.anything() });
  return X;
}

/** A 小助力 task of a new shopper on a product of its own, with a campaign of these terms. */
async function openTask(campaign: Record<string, unknown>): Promise<{ taskId: string; productId: string }> {
  const productId = await shop.addProduct(t, { stock: 100, priceFen: 5000 });
  await saveCampaign(t, productId, campaign);
  const owner = uniq('RO');
  await join(t, owner);
  return { taskId: (await ok(t, owner, 'assist', 'start', { productId })).taskId, productId };
}

/** A shopper the merchant blocked, who then deleted their account. */
async function blockedAndDeleted(prefix: string): Promise<string> {
  const X = uniq(prefix);
  await join(t, X);
  await ok(t, MERCHANT, 'merchant', 'blockUser', { openid: X, blocked: true, reason: '刷单' });
  expect(await ok(t, X, 'user', 'deleteAccount', { confirm: '注销' })).toEqual({ deleted: true });
  return X;
}

/** The deleted account's wallet balances (under the tombstone). */
const tombCash = async (openid: string) => (await t.db.collection('wallets').doc(tombstoneOf(openid)).get()).data[0].cash;

/**
 * A's invitee (the first of `count`) bought; the ¥50 reward was posted and withdrawn to WeChat. Answers A, the
 * reward and the other invitees.
 */
async function withdrawnReward(prefix: string, count = 1) {
  const A = await inviter(t, prefix);
  const [B, ...others] = await invitees(t, A.code, count, `${prefix}B`);
  await receive(t, B, await buy(t, B));
  await advance(t, 8 * DAY);
  await settle(t);
  const w = await ok(t, A.id, 'wallet', 'withdraw', { amountFen: 5000, requestId: uniq('rlw') });
  await ok(t, MERCHANT, 'merchant', 'reviewWithdrawal', { withdrawalId: w.id, approve: true });
  await ok(t, A.id, 'wallet', 'confirmTransfer', { withdrawalId: w.id });
  const [reward] = await rewardsOf(t, A.id);
  return { A, rewardId: reward._id as string, others };
}

it('back through a friend’s card: a new, empty account, not bound to the friend; a typed code is refused the same way', async () => {
  const A = await inviter(t, 'RA');
  const X = await formerCustomer('RX');
  const login = await ok(t, X, 'user', 'login', { inviteCode: A.code, source: 'card' });
  expect(login).toMatchObject({ isNew: true, hasInviter: false });
  expect((await ok(t, X, 'wallet', 'summary')).cash.availableFen).toBe(0);
  const consented = await ok(t, X, 'user', 'consent', CONSENT);
  expect(consented).toMatchObject({ hasInviter: false, binding: { bound: false, reason: 'BIND_AFTER_PURCHASE' } });
  expect(await userDoc(X)).toMatchObject({ inviterId: null, pendingInviter: null });
  expect((await t.db.collection('referrals').doc(X).get()).data).toEqual([]);

  expect(await call(t, X, 'user', 'bindCode', { inviteCode: A.code })).toMatchObject({ ok: false, code: 'BIND_AFTER_PURCHASE' });
  expect(await userDoc(X)).toMatchObject({ inviterId: null, pendingInviter: null });
  expect((await ok(t, A.id, 'referral', 'myInvitees')).items).toEqual([]);
});

it('back and agreeing at once from two devices: still never bound', async () => {
  const A = await inviter(t, 'RA');
  const X = await formerCustomer('RX');
  await ok(t, X, 'user', 'login', { inviteCode: A.code, source: 'card' });
  const both = await Promise.all([call(t, X, 'user', 'consent', CONSENT), call(t, X, 'user', 'bindCode', { inviteCode: A.code })]);
  expect(both.every((r) => !r.ok || r.data.hasInviter === false)).toBe(true);
  expect(await userDoc(X)).toMatchObject({ inviterId: null });
  expect((await t.db.collection('referrals').doc(X).get()).data).toEqual([]);
});

it('someone who never paid is as new as anyone after a deletion: bound to the card’s sharer', async () => {
  const A = await inviter(t, 'RA');
  const Y = uniq('RY');
  await join(t, Y);
  expect(await ok(t, Y, 'user', 'deleteAccount', { confirm: '注销' })).toEqual({ deleted: true });
  await ok(t, Y, 'user', 'login', { inviteCode: A.code, source: 'card' });
  expect(await ok(t, Y, 'user', 'consent', CONSENT)).toMatchObject({ hasInviter: true, binding: { bound: true } });
  expect(await userDoc(Y)).toMatchObject({ inviterId: A.id });
});

it('a new-users-only 小助力 refuses them as not new and counts nothing; a new friend on the same card counts', async () => {
  const { taskId } = await openTask({ newUsersOnly: true, helpersNeeded: 2 });
  const X = await formerCustomer('RX');
  await ok(t, X, 'user', 'login', { taskId, source: 'card' });
  await ok(t, X, 'user', 'consent', CONSENT);
  expect((await ok(t, X, 'assist', 'get', { taskId })).viewer.cannotHelp).toBe('ASSIST_NEW_USERS_ONLY');
  expect(await call(t, X, 'assist', 'help', { taskId })).toMatchObject({ ok: false, code: 'ASSIST_NEW_USERS_ONLY' });
  expect((await t.db.collection('assist_tasks').doc(taskId).get()).data[0]).toMatchObject({ helpers: 0, helperIds: [] });
  expect((await t.db.collection('assists').where({ taskId }).count()).total).toBe(0);

  const N = uniq('RN');
  await ok(t, N, 'user', 'login', { taskId, source: 'card' });
  await ok(t, N, 'assist', 'get', { taskId });
  expect(await ok(t, N, 'assist', 'help', { taskId })).toMatchObject({ helpers: 1 });
});

it('a new-users-only 拼团 refuses them a seat (GROUP_NEW_USERS_ONLY) and holds nothing', async () => {
  const productId = await shop.addProduct(t, { stock: 100, priceFen: 9900 });
  await shop.ok(t, MERCHANT, 'saveGroupOffer', { productId, active: true, groupSize: 3, groupPriceFen: 6900, timeLimitHours: 24, allowJoinAny: true, newUsersOnly: true, maxOpenPerShopper: 2, leaderReward: { kind: 'none' }, minSizeAtDeadline: null }, 'merchant');
  const leader = uniq('RL');
  await shop.consentingShopper(t, leader);
  const { order } = await shop.ok(t, leader, 'createOrder', { requestId: uniq('greq'), items: [{ productId, quantity: 1 }], address: shop.ADDRESS, openGroup: true });
  await shop.payOrder(t, leader, order.id);
  const groupId = order.group.groupId as string;

  const X = await formerCustomer('RX');
  await join(t, X);
  const refused = await shop.call(t, X, 'createOrder', { requestId: uniq('greq'), items: [{ productId, quantity: 1 }], address: shop.ADDRESS, groupId });
  expect(refused).toMatchObject({ ok: false, code: 'GROUP_NEW_USERS_ONLY' });
  expect((await t.db.collection('groups').doc(groupId).get()).data[0]).toMatchObject({ seatsTaken: 1 });
  expect(await shop.stockOf(t, productId)).toBe(99);
  expect((await userDoc(X)).newUserGroupSeat ?? null).toBeNull();
});

it('a user the shop blocked stays blocked after deleting the account and coming back (two first opens at once), until unblocked', async () => {
  const { taskId, productId } = await openTask({ helpersNeeded: 2 });
  const X = await blockedAndDeleted('RB');

  // Back, from two devices at the same moment: one account, blocked with the shop's mark.
  const opens = await Promise.all([call(t, X, 'user', 'login'), call(t, X, 'user', 'login')]);
  expect(opens.map((r) => r.ok)).toEqual([true, true]);
  expect(opens.filter((r) => r.data.isNew)).toHaveLength(1);
  await ok(t, X, 'user', 'consent', CONSENT);
  expect((await userDoc(X)).blocked).toMatchObject({ reason: '刷单', by: MERCHANT });
  expect(await call(t, X, 'assist', 'help', { taskId })).toMatchObject({ ok: false, code: 'USER_BLOCKED' });
  expect((await t.db.collection('assist_tasks').doc(taskId).get()).data[0]).toMatchObject({ helpers: 0, helperIds: [] });
  expect(await call(t, X, 'assist', 'start', { productId })).toMatchObject({ ok: false, code: 'USER_BLOCKED' });
  expect(await call(t, X, 'wallet', 'withdraw', { amountFen: 100, requestId: uniq('rbwithdraw') })).toMatchObject({ ok: false, code: 'USER_BLOCKED' });
  expect((await t.db.collection('withdrawals').where({ userId: X }).count()).total).toBe(0);

  await ok(t, MERCHANT, 'merchant', 'blockUser', { openid: X, blocked: false });
  expect(await ok(t, X, 'assist', 'help', { taskId })).toMatchObject({ helpers: 1 });
});

it('someone never blocked comes back unblocked', async () => {
  const X = uniq('RU');
  await join(t, X);
  await ok(t, X, 'user', 'deleteAccount', { confirm: '注销' });
  await ok(t, X, 'user', 'login');
  expect((await userDoc(X)).blocked ?? null).toBeNull();
  expect((await t.db.collection('wallets').doc(X).get()).data[0]?.blocked ?? null).toBeNull();
});

it('what a deleted account still owed follows the person back: the new account owes it, the next reward pays it first', async () => {
  // A's invitee bought, the ¥50 reward was posted and withdrawn to WeChat, then the merchant took it back: A owes ¥50.
  const { A, rewardId } = await withdrawnReward('RD');
  await ok(t, MERCHANT, 'merchant', 'voidReward', { rewardId, reason: '刷单' });
  expect((await wallet(t, A.id)).cash).toMatchObject({ availableFen: 0, withdrawingFen: 0, debtFen: 5000 });
  expect(await ok(t, A.id, 'user', 'deleteAccount', { confirm: '注销' })).toEqual({ deleted: true });
  expect((await tombCash(A.id)).debt).toBe(5000);

  // Back, from two devices at the same moment: the debt moves once.
  const opens = await Promise.all([call(t, A.id, 'user', 'login'), call(t, A.id, 'user', 'login')]);
  expect(opens.map((r) => r.ok)).toEqual([true, true]);
  const code = opens[0].data.inviteCode as string;
  await ok(t, A.id, 'user', 'consent', CONSENT);
  expect((await wallet(t, A.id)).cash).toMatchObject({ availableFen: 0, debtFen: 5000 });
  expect((await tombCash(A.id)).debt).toBe(0);
  const [line] = (await ok(t, A.id, 'wallet', 'activity')).items;
  expect(line).toMatchObject({ title: '注销前被追回的奖励', amount: -5000, statusText: '待抵扣' });
  expect(JSON.stringify(await ok(t, A.id, 'wallet', 'entries'))).not.toContain(tombstoneOf(A.id));
  expect(await call(t, A.id, 'wallet', 'withdraw', { amountFen: 100, requestId: uniq('rdw') })).toMatchObject({ ok: false, code: 'INSUFFICIENT_BALANCE' });
  await expectAuditClean(t);

  // A invites again; the next ¥50 reward pays the old debt before anything is available.
  const [C] = await invitees(t, code, 1, 'RDC');
  await receive(t, C, await buy(t, C));
  await advance(t, 8 * DAY);
  await settle(t);
  expect((await wallet(t, A.id)).cash).toMatchObject({ availableFen: 0, frozenFen: 0, debtFen: 0 });
  await expectAuditClean(t);
});

it('a deleted account that owed nothing: coming back moves nothing and writes no wallet', async () => {
  const X = uniq('RZ');
  await join(t, X);
  await ok(t, X, 'user', 'deleteAccount', { confirm: '注销' });
  await ok(t, X, 'user', 'login');
  expect((await t.db.collection('wallets').doc(X).get()).data).toEqual([]);
  expect((await t.db.collection('ledger').where({ userId: X }).count()).total).toBe(0);
});

it('a reward clawed back after the person came back is owed by the new account: nothing leaves until it is paid', async () => {
  const { A, rewardId } = await withdrawnReward('RL');
  // Withdraw, delete, come back at once — then the merchant takes the reward back (it lands on the tombstone).
  await ok(t, A.id, 'user', 'deleteAccount', { confirm: '注销' });
  const back = await ok(t, A.id, 'user', 'login');
  await ok(t, A.id, 'user', 'consent', CONSENT);
  await ok(t, MERCHANT, 'merchant', 'voidReward', { rewardId, reason: '刷单' });
  expect((await tombCash(A.id)).debt).toBe(5000);
  // A's next ¥50 reward posts to the new account; the withdrawal of it finds the old debt first.
  const [C] = await invitees(t, back.inviteCode, 1, 'RLC');
  await receive(t, C, await buy(t, C));
  await advance(t, 8 * DAY);
  await settle(t);
  expect(await call(t, A.id, 'wallet', 'withdraw', { amountFen: 5000, requestId: uniq('rlw') })).toMatchObject({ ok: false, code: 'INSUFFICIENT_BALANCE' });
  expect((await wallet(t, A.id)).cash).toMatchObject({ availableFen: 0, debtFen: 0 });
  expect((await tombCash(A.id)).debt).toBe(0);
  expect((await t.db.collection('withdrawals').where({ userId: A.id, status: 'pending' }).count()).total).toBe(0);
  await expectAuditClean(t);
});

it('nor is it spent at checkout: a checkout paying with the wallet meets the carried debt first and spends nothing', async () => {
  const { A, rewardId } = await withdrawnReward('RK');
  await ok(t, A.id, 'user', 'deleteAccount', { confirm: '注销' });
  const back = await ok(t, A.id, 'user', 'login');
  await ok(t, A.id, 'user', 'consent', CONSENT);
  await ok(t, MERCHANT, 'merchant', 'voidReward', { rewardId, reason: '刷单' });
  const [C] = await invitees(t, back.inviteCode, 1, 'RKC');
  await receive(t, C, await buy(t, C));
  await advance(t, 8 * DAY);
  await settle(t);
  const productId = await shop.addProduct(t, { stock: 10, priceFen: 9900 });
  const spent = await call(t, A.id, 'shop', 'createOrder', { requestId: uniq('rkreq'), items: [{ productId, quantity: 1 }], address: shop.ADDRESS, useCashFen: 5000 });
  expect(spent).toMatchObject({ ok: false, code: 'INSUFFICIENT_BALANCE' });
  expect(await shop.stockOf(t, productId)).toBe(10);
  expect((await wallet(t, A.id)).cash).toMatchObject({ availableFen: 0, debtFen: 0 });
  expect((await tombCash(A.id)).debt).toBe(0);
  await expectAuditClean(t);
});

it('the next open carries such a debt too, before anything is available', async () => {
  const { A, rewardId } = await withdrawnReward('RO');
  await ok(t, A.id, 'user', 'deleteAccount', { confirm: '注销' });
  await ok(t, A.id, 'user', 'login');
  await ok(t, A.id, 'user', 'consent', CONSENT);
  await ok(t, MERCHANT, 'merchant', 'voidReward', { rewardId, reason: '刷单' });
  await ok(t, A.id, 'user', 'login');
  expect((await wallet(t, A.id)).cash).toMatchObject({ availableFen: 0, debtFen: 5000 });
  expect((await tombCash(A.id)).debt).toBe(0);
  await expectAuditClean(t);
});

it('what the deleted account’s own frozen rewards will pay is not carried: coming back early or late ends the same', async () => {
  const { A, rewardId, others: [C] } = await withdrawnReward('RF', 2);
  // C's order gives a second ¥50, still frozen; then B's is taken back: ¥50 owed beside ¥50 frozen.
  await receive(t, C, await buy(t, C));
  await ok(t, MERCHANT, 'merchant', 'voidReward', { rewardId, reason: '刷单' });
  expect((await wallet(t, A.id)).cash).toMatchObject({ availableFen: 0, frozenFen: 5000, debtFen: 5000 });
  await ok(t, A.id, 'user', 'deleteAccount', { confirm: '注销' });
  // Back before C's reward matures: nothing to carry; when it matures it pays the deleted account's debt.
  await ok(t, A.id, 'user', 'login');
  expect((await wallet(t, A.id)).cash).toMatchObject({ availableFen: 0, debtFen: 0 });
  await advance(t, 8 * DAY);
  await settle(t);
  await ok(t, A.id, 'user', 'login');
  expect(await tombCash(A.id)).toMatchObject({ available: 0, frozen: 0, debt: 0 });
  expect((await wallet(t, A.id)).cash).toMatchObject({ availableFen: 0, debtFen: 0 });
  await expectAuditClean(t);
});

it('a slow second first open does not put back a block the merchant lifted after the first one finished', async () => {
  const { taskId } = await openTask({ helpersNeeded: 3 });
  const X = await blockedAndDeleted('RS');

  // Device 2 has found no account and is held at its read of the deleted one.
  const late = await heldDuring(t, { action: 'database.getDocument', collectionName: 'users', queryContains: tombstoneOf(X) }, () => call(t, X, 'user', 'login'), 'the late open');
  // Device 1 opens and finishes: blocked. The merchant unblocks. Then device 2 goes on.
  expect(await ok(t, X, 'user', 'login')).toMatchObject({ isNew: true });
  await ok(t, X, 'user', 'consent', CONSENT);
  expect((await userDoc(X)).blocked).toMatchObject({ reason: '刷单' });
  await ok(t, MERCHANT, 'merchant', 'blockUser', { openid: X, blocked: false });
  expect((await late.release()).ok).toBe(true);

  expect((await userDoc(X)).blocked ?? null).toBeNull();
  expect((await t.db.collection('assist_helpers').doc(X).get()).data[0].blocked).toBe(false);
  expect((await t.db.collection('wallets').doc(X).get()).data[0].blocked).toBe(false);
  expect(await ok(t, X, 'assist', 'help', { taskId })).toMatchObject({ helpers: 1 });
});
