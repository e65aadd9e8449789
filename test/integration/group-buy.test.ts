/**
 * 拼团 through the gateway and the real SDK, trying to break it: a group succeeds exactly at N (never before, never
 * past it), group orders are not shippable until then, the referral rebate waits for the group; 200 friends after the
 * last seat get one order between them; the deadline timer racing the last payment ends either succeeded with N or
 * failed with every member refunded exactly once; a failed group gives everything back (provider refund once per
 * order, coupon, wallet cash and points, units); a payment that arrives after its group was decided goes straight back.
 * The ledger audit runs after the file (test/support/audit-after.ts).
 */
import { openGroupForOrder, prepareGroupCheckout } from '../../cloudfunctions/app/group/seats';
import { takeCreateLock } from '../../cloudfunctions/app/shop/createLocks';
import { withUserTx } from '../../cloudfunctions/app/wallet/tx';
import { orderIdFor, requestFingerprint } from '../../cloudfunctions/domain/shopOrders';
import { issueCoupon } from '../../cloudfunctions/app/coupons/coupons';
import { RELEASE_GRACE_MS } from '../../cloudfunctions/domain/groupBuy';
import { heldDuring } from '../support/holds';
import { creditAvailable } from '../../cloudfunctions/domain/ledger';
import type { Fen } from '../../types/money';
import { startTestCloud, TestCloud } from '../support/cloud';
import { loginMany } from './assist-support';
import { invitees, inviter, onlyRule, rewardsOf } from './referral-support';
import { addProduct, ADDRESS, call, consentingShopper, couponDoc, MERCHANT, MINUTE, ok, orderDoc, payOrder, payRoute, stockOf, uniq } from './shop-support';

let t: TestCloud;
const HOUR = 60 * MINUTE;
const ctx = () => ({ db: t.db as any, clock: { now: () => new Date(t.cloud.clock.now()) } });

beforeAll(async () => {
  t = await startTestCloud();
});
afterAll(async () => {
  await t.close();
});

const offer = (productId: string, over: Record<string, unknown> = {}) => ({
  productId,
  active: true,
  groupSize: 3,
  groupPriceFen: 6900,
  timeLimitHours: 24,
  allowJoinAny: true,
  newUsersOnly: false,
  maxOpenPerShopper: 2,
  leaderReward: { kind: 'none' },
  minSizeAtDeadline: null,
  ...over,
});

async function groupProduct(stock: number, over: Record<string, unknown> = {}) {
  const productId = await addProduct(t, { stock, priceFen: 9900 });
  await ok(t, MERCHANT, 'saveGroupOffer', offer(productId, over), 'merchant');
  return productId;
}

/** A group order (open or join) through createOrder; answers the order view. */
async function groupOrder(buyer: string, productId: string, group: { openGroup?: true; groupId?: string }, extra: Record<string, unknown> = {}) {
  const { order } = await ok(t, buyer, 'createOrder', { requestId: uniq('greq'), items: [{ productId, quantity: 1 }], address: ADDRESS, ...group, ...extra });
  return order;
}

async function openPaidGroup(leader: string, productId: string, extra: Record<string, unknown> = {}) {
  const order = await groupOrder(leader, productId, { openGroup: true }, extra);
  await payOrder(t, leader, order.id);
  return { groupId: order.group.groupId as string, orderId: order.id as string };
}

const groupDoc = async (id: string) => (await t.db.collection('groups').doc(id).get()).data[0];
const settle = () => ok(t, MERCHANT, 'run', {}, 'settle');
const trade = async (orderId: string) => (await payRoute(t, 'query', { outTradeNo: orderId })).body;

it('the merchant’s offer is validated, with the reasons in Chinese', async () => {
  const productId = await addProduct(t, { stock: 10, priceFen: 9900 });
  const bad = await call(t, MERCHANT, 'saveGroupOffer', offer(productId, { groupPriceFen: 9900, minSizeAtDeadline: 3 }), 'merchant');
  expect(bad.code).toBe('GROUP_OFFER_INVALID');
  expect(bad.message).toContain('拼团价须低于商品原价');
  expect(bad.message).toContain('到期成团的最少人数');
  const cash = await call(t, MERCHANT, 'saveGroupOffer', offer(productId, { leaderReward: { kind: 'cash', amountFen: 100 } }), 'merchant');
  expect(cash.code).toBe('INVALID_ARGUMENT');
  const big = await call(t, MERCHANT, 'saveGroupOffer', offer(productId, { groupSize: 11 }), 'merchant');
  expect(big.code).toBe('INVALID_ARGUMENT');
  expect(await call(t, 'shop-nobody', 'saveGroupOffer', offer(productId), 'merchant')).toMatchObject({ ok: false, code: 'FORBIDDEN' });
  const saved = await ok(t, MERCHANT, 'saveGroupOffer', offer(productId), 'merchant');
  expect(saved.rulesText[0]).toBe('3 人成团，拼团价 ¥69.00（单买 ¥99.00），每单限购 1 件。');
});

it('succeeds exactly at N: shippable only then, the referral rebate only then, the leader rewarded once', async () => {
  await onlyRule(t, { name: '每单返 5 元', reward: { form: 'cash', amountFen: 500 }, trigger: { kind: 'eachOrder', minOrderFen: 0 } });
  const A = await inviter(t, 'gA');
  const [B, C] = await invitees(t, A.code, 2, 'gF');
  const L = uniq('gL');
  const productId = await groupProduct(100, { leaderReward: { kind: 'points', points: 300 } });

  // Before the leader pays nobody can join, and the card says so.
  const leaderOrder = await groupOrder(L, productId, { openGroup: true });
  const groupId = leaderOrder.group.groupId;
  expect(leaderOrder.items[0].unitPriceFen).toBe(6900);
  expect(leaderOrder.payableFen).toBe(6900);
  expect((await call(t, B, 'createOrder', { requestId: uniq('r'), items: [{ productId, quantity: 1 }], address: ADDRESS, groupId })).code).toBe('GROUP_NOT_OPEN');
  await payOrder(t, L, leaderOrder.id);
  let g = await groupDoc(groupId);
  expect(g).toMatchObject({ status: 'open', paidCount: 1, seatsTaken: 1 });

  // The leader's paid order is not shippable, nor refundable on request, while the group is open.
  expect((await call(t, MERCHANT, 'shipOrder', { orderId: leaderOrder.id, carrier: '顺丰', trackingNo: 'SF0001' }, 'merchant')).code).toBe('GROUP_NOT_SHIPPABLE');
  expect((await call(t, L, 'requestRefund', { orderId: leaderOrder.id, reason: '不想要了' })).code).toBe('GROUP_REFUND_WAIT');

  const bOrder = await groupOrder(B, productId, { groupId });
  await payOrder(t, B, bOrder.id);
  expect(await groupDoc(groupId)).toMatchObject({ status: 'open', paidCount: 2 });
  // B was invited by A, but the rebate waits for the group.
  expect((await rewardsOf(t, A.id)).filter((r) => r.orderId === bOrder.id)).toHaveLength(0);
  expect((await orderDoc(t, bOrder.id)).pendingSteps).toEqual([]);

  const card = await ok(t, C, 'getGroup', { groupId });
  expect(card).toMatchObject({ status: 'open', size: 3, paidCount: 2, remaining: 1, seatsLeft: 1 });
  expect(card.members).toHaveLength(2);
  expect(card.members[0].isLeader).toBe(true);
  expect(card.viewer.actions).toContain('join');
  expect(card.rulesText.join('')).toContain('自动全额退款');

  const cOrder = await groupOrder(C, productId, { groupId });
  await payOrder(t, C, cOrder.id);
  g = await groupDoc(groupId);
  expect(g).toMatchObject({ status: 'succeeded', paidCount: 3, seatsTaken: 3, fanout: 'done', leaderRewardState: 'held' });
  for (const id of [leaderOrder.id, bOrder.id, cOrder.id]) {
    const o = await orderDoc(t, id);
    expect(o).toMatchObject({ status: 'paid', groupState: 'succeeded', pendingSteps: [] });
  }
  // Now the rebates of A's invitees are frozen, once each; the leader's points are frozen once, not spendable.
  const rewards = (await rewardsOf(t, A.id)).filter((r) => [bOrder.id, cOrder.id].includes(r.orderId));
  expect(rewards.map((r) => r.status)).toEqual(['frozen', 'frozen']);
  const points = await t.db.collection('ledger').where({ userId: L, rewardId: `group-leader:${groupId}` }).get();
  expect(points.data.map((e: any) => [e.bucket, e.amount])).toEqual([['frozen', 300]]);
  expect((await ok(t, L, 'summary', {}, 'wallet')).points).toMatchObject({ available: 0, frozen: 300 });
  await ok(t, MERCHANT, 'shipOrder', { orderId: bOrder.id, carrier: '顺丰', trackingNo: 'SF0002' }, 'merchant');

  // A fourth friend is too late; the card says so; the group never grows past 3.
  const D = uniq('gD');
  expect((await call(t, D, 'createOrder', { requestId: uniq('r'), items: [{ productId, quantity: 1 }], address: ADDRESS, groupId })).code).toBe('GROUP_CLOSED');
  expect((await ok(t, D, 'getGroup', { groupId })).viewer.cannotJoin).toBe('GROUP_CLOSED');
  expect(await stockOf(t, productId)).toBe(97);

  const stats = await ok(t, MERCHANT, 'groupStats', {}, 'merchant');
  expect(stats.funnel.opened).toBeGreaterThanOrEqual(1);
  expect(stats.funnel.shared).toBeGreaterThanOrEqual(1);
  expect(stats.funnel.succeeded).toBeGreaterThanOrEqual(1);
  const list = await ok(t, MERCHANT, 'listGroups', { status: 'succeeded' }, 'merchant');
  expect(list.items.map((r: any) => r.groupId)).toContain(groupId);
});

it('200 friends after the last seat: one order holds it, the rest are refused before paying; the group never passes N', async () => {
  const productId = await groupProduct(1000);
  const [L, M] = [uniq('cL'), uniq('cM')];
  const { groupId } = await openPaidGroup(L, productId);
  const m = await groupOrder(M, productId, { groupId });
  await payOrder(t, M, m.id);

  const friends = Array.from({ length: 200 }, (_, i) => `crowd-${i}-${uniq('f')}`);
  await loginMany(t, friends);
  await Promise.all(friends.map((f) => consentingShopper(t, f)));
  const answers = await Promise.all(friends.map((f) => call(t, f, 'createOrder', { requestId: uniq('r'), items: [{ productId, quantity: 1 }], address: ADDRESS, groupId })));
  const created = answers.filter((a) => a.ok);
  expect(created).toHaveLength(1);
  const refusals = new Set(answers.filter((a) => !a.ok).map((a) => a.code));
  expect([...refusals].every((c) => c === 'GROUP_FULL' || c === 'GROUP_CLOSED')).toBe(true);
  expect(await groupDoc(groupId)).toMatchObject({ status: 'open', seatsTaken: 3, paidCount: 2 });
  // Stock: only the three orders hold units.
  expect(await stockOf(t, productId)).toBe(997);

  const winner = created[0].data.order;
  const buyer = friends[answers.indexOf(created[0])];
  await payOrder(t, buyer, winner.id);
  expect(await groupDoc(groupId)).toMatchObject({ status: 'succeeded', seatsTaken: 3, paidCount: 3 });
  const orders = await t.db.collection('orders').where({ groupId }).limit(1000).get();
  expect(orders.data.filter((o: any) => o.status === 'paid')).toHaveLength(3);
}, 180_000);

it('a join is 7 database requests, and the seat claim makes every check the read before it made, holding nothing after a refusal', async () => {
  const productId = await groupProduct(100);
  const otherProduct = await groupProduct(100);
  const [L, J, O] = [uniq('jL'), uniq('jJ'), uniq('jO')];
  const { groupId } = await openPaidGroup(L, productId);
  const join = (buyer: string, body: Record<string, unknown>) => call(t, buyer, 'createOrder', { requestId: uniq('r'), items: [{ productId, quantity: 1 }], address: ADDRESS, ...body });

  // The refusals, each after the stock was taken and the requestId locked: both given back (the same requestId works after).
  const requestId = uniq('r');
  expect((await join(J, { requestId, groupId: 'gp-000000000000000000000000' })).code).toBe('GROUP_NOT_FOUND');
  expect((await call(t, J, 'createOrder', { requestId: uniq('r'), items: [{ productId: otherProduct, quantity: 1 }], address: ADDRESS, groupId })).code).toBe('GROUP_ORDER_INVALID');
  expect((await join(L, { groupId })).code).toBe('GROUP_ALREADY_MEMBER');
  expect(await stockOf(t, productId)).toBe(99);
  expect(await stockOf(t, otherProduct)).toBe(100);
  expect(await groupDoc(groupId)).toMatchObject({ seatsTaken: 1, memberIds: [L] });

  // The join itself, counted at the local cloud: products, users, lock, stock, seat claim, order number, order.
  await consentingShopper(t, J);
  const before = t.cloud.engine.stats.requests;
  const res = await t.callAs(J, 'shop', { action: 'createOrder', requestId, items: [{ productId, quantity: 1 }], address: ADDRESS, groupId });
  expect(t.cloud.engine.stats.requests - before).toBe(7);
  expect(res.body.ok).toBe(true);
  const order = res.body.data.order;
  expect(order.payableFen).toBe(6900);
  expect(order.group.groupId).toBe(groupId);
  expect(new Date(order.expiresAt).getTime()).toBeLessThanOrEqual(new Date((await groupDoc(groupId)).deadline).getTime());
  expect(await groupDoc(groupId)).toMatchObject({ seatsTaken: 2, memberIds: [L, J], seatOrderIds: [(await groupDoc(groupId)).leaderOrderId, order.id] });
  expect(await stockOf(t, productId)).toBe(98);

  // A group for new users only: someone with a paid order is refused without ever holding the seat; a new user joins.
  const fresh = await groupProduct(100, { newUsersOnly: true });
  const nu = await openPaidGroup(uniq('nL'), fresh);
  await openPaidGroup(O, otherProduct);
  expect((await call(t, O, 'createOrder', { requestId: uniq('r'), items: [{ productId: fresh, quantity: 1 }], address: ADDRESS, groupId: nu.groupId })).code).toBe('GROUP_NEW_USERS_ONLY');
  expect(await groupDoc(nu.groupId)).toMatchObject({ seatsTaken: 1 });
  expect(await stockOf(t, fresh)).toBe(99);
  const newcomer = await groupOrder(uniq('nN'), fresh, { groupId: nu.groupId });
  expect(newcomer.payableFen).toBe(6900);
  expect(await groupDoc(nu.groupId)).toMatchObject({ seatsTaken: 2 });

  // A size no offer allows today (an older group): still claimed against its own size, never past it.
  const odd = await groupProduct(100, { groupSize: 2 });
  const og = await openPaidGroup(uniq('oL'), odd);
  await t.db.collection('groups').where({ _id: og.groupId }).update({ size: 12 });
  await groupOrder(uniq('oA'), odd, { groupId: og.groupId });
  expect(await groupDoc(og.groupId)).toMatchObject({ seatsTaken: 2 });
  await t.db.collection('groups').where({ _id: og.groupId }).update({ seatsTaken: 12 }); // as if ten more held seats
  expect((await call(t, uniq('oB'), 'createOrder', { requestId: uniq('r'), items: [{ productId: odd, quantity: 1 }], address: ADDRESS, groupId: og.groupId })).code).toBe('GROUP_FULL');
  expect(await groupDoc(og.groupId)).toMatchObject({ seatsTaken: 12 });
  expect(await stockOf(t, odd)).toBe(98);
});

it('a new user holds one seat in groups for new users only at a time: not two unpaid ones (nor two at once), another once the first closes unpaid', async () => {
  const fresh = await groupProduct(100, { newUsersOnly: true });
  const [g1, g2, g3] = [await openPaidGroup(uniq('n1L'), fresh), await openPaidGroup(uniq('n2L'), fresh), await openPaidGroup(uniq('n3L'), fresh)];
  const N = uniq('nNew');
  const first = await groupOrder(N, fresh, { groupId: g1.groupId });
  // A second group for new users only while the first seat is unpaid: refused, nothing held.
  expect((await call(t, N, 'createOrder', { requestId: uniq('r'), items: [{ productId: fresh, quantity: 1 }], address: ADDRESS, groupId: g2.groupId })).code).toBe('GROUP_NEW_USERS_ONLY');
  expect(await groupDoc(g2.groupId)).toMatchObject({ seatsTaken: 1 });
  // The first order closes unpaid: the seat and the user's new-user place go back, and another group takes them.
  await ok(t, N, 'cancelOrder', { orderId: first.id });
  const second = await groupOrder(N, fresh, { groupId: g2.groupId });
  expect(second.payableFen).toBe(6900);
  await payOrder(t, N, second.id);
  expect((await call(t, N, 'createOrder', { requestId: uniq('r'), items: [{ productId: fresh, quantity: 1 }], address: ADDRESS, groupId: g3.groupId })).code).toBe('GROUP_NEW_USERS_ONLY');

  // Two joins at the same moment by one new user, into two groups: one seat.
  const M = uniq('nBoth');
  const both = await Promise.all([g1, g3].map((g) => call(t, M, 'createOrder', { requestId: uniq('r'), items: [{ productId: fresh, quantity: 1 }], address: ADDRESS, groupId: g.groupId })));
  expect(both.filter((r) => r.ok)).toHaveLength(1);
  expect(both.find((r) => !r.ok)?.code).toBe('GROUP_NEW_USERS_ONLY');
  expect((await groupDoc(g1.groupId)).memberIds.includes(M) !== (await groupDoc(g3.groupId)).memberIds.includes(M)).toBe(true);
});

it('an unpaid seat goes back when its order is cancelled or expires, and someone else may take it', async () => {
  const productId = await groupProduct(100, { groupSize: 2 });
  const [L, X, Y] = [uniq('sL'), uniq('sX'), uniq('sY')];
  const { groupId } = await openPaidGroup(L, productId);
  const x = await groupOrder(X, productId, { groupId });
  expect((await call(t, Y, 'createOrder', { requestId: uniq('r'), items: [{ productId, quantity: 1 }], address: ADDRESS, groupId })).code).toBe('GROUP_FULL');
  await ok(t, X, 'cancelOrder', { orderId: x.id });
  expect(await groupDoc(groupId)).toMatchObject({ seatsTaken: 1, memberIds: [L] });
  const y = await groupOrder(Y, productId, { groupId });
  await t.dev('clock', { advanceMs: 16 * MINUTE });
  await settle();
  expect((await orderDoc(t, y.id)).status).toBe('expired');
  expect(await groupDoc(groupId)).toMatchObject({ status: 'open', seatsTaken: 1, paidCount: 1 });
  expect(await stockOf(t, productId)).toBe(99);
});

it('a seat whose createOrder died after the claim (no order, a stale lock) goes back on the timer', async () => {
  const productId = await groupProduct(10, { groupSize: 2 });
  const [L, Z] = [uniq('kL'), uniq('kZ')];
  const { groupId } = await openPaidGroup(L, productId);
  // What a createOrder killed between its seat claim and its order insert leaves: the seat and the requestId lock.
  const _ = t.db.command;
  const ghost = `o${uniq('ghost').replace(/[^a-z0-9]/gi, '')}`.slice(0, 27);
  await t.db.collection('groups').where({ _id: groupId }).update({ seatsTaken: _.inc(1), memberIds: _.push(Z), seatOrderIds: _.push(ghost) });
  await t.db.collection('idempotency').add({ _id: `shop.createOrder:${ghost}`, scope: 'shop.createOrder', fingerprint: 'x', createdAt: new Date(t.cloud.clock.now()) });
  await settle();
  expect(await groupDoc(groupId)).toMatchObject({ seatsTaken: 2 }); // still within the create's time
  await t.dev('clock', { advanceMs: 2 * MINUTE });
  await settle();
  expect(await groupDoc(groupId)).toMatchObject({ status: 'open', seatsTaken: 1, memberIds: [L] });
  const y = await groupOrder(uniq('kY'), productId, { groupId });
  expect(y.group.groupId).toBe(groupId);
});

it('a leader whose createOrder died after opening the group (no order, never retried): the timer drops the pending group, so the cap frees', async () => {
  const productId = await groupProduct(10, { maxOpenPerShopper: 1 });
  const L = uniq('kLead');
  await consentingShopper(t, L);
  // What such a create leaves: its lock (holding a group it opens) and the pending group its order would lead.
  const requestId = uniq('greq');
  const input = { requestId, items: [{ productId, quantity: 1 }], address: ADDRESS, openGroup: true as const };
  const orderId = orderIdFor(L, requestId);
  const leaderCtx = { ...ctx(), openid: L } as any;
  expect(await takeCreateLock(ctx(), orderId, requestFingerprint(input), { buyerId: L, couponId: null, assistTaskId: null, walletSpend: false, group: 'open' })).toBe('taken');
  const checkout = await prepareGroupCheckout(leaderCtx, { productId, openGroup: true });
  const product = (await t.db.collection('products').doc(productId).get()).data[0];
  const pending = await openGroupForOrder(leaderCtx, { offer: checkout!.offer!, product, orderId });
  expect(pending.status).toBe('pending');
  // It counts against the cap of 1 open group per shopper.
  expect(await call(t, L, 'createOrder', { requestId: uniq('greq'), items: [{ productId, quantity: 1 }], address: ADDRESS, openGroup: true })).toMatchObject({ ok: false, code: 'GROUP_OPEN_LIMIT' });
  await t.dev('clock', { advanceMs: 3 * MINUTE });
  await settle();
  expect(await groupDoc(pending._id)).toBeUndefined();
  const again = await groupOrder(L, productId, { openGroup: true });
  expect(await groupDoc(again.group.groupId)).toMatchObject({ status: 'pending', leaderOrderId: again.id });
  await t.dev('clock', { reset: true });
});

it('a failed group refunds every member in full, exactly once: provider, coupon, wallet cash and points, units', async () => {
  const productId = await groupProduct(50, { groupSize: 3, timeLimitHours: 2 });
  const [L, M] = [uniq('fL'), uniq('fM')];
  await loginMany(t, [L, M]);
  const coupon = (await issueCoupon(ctx(), { sourceKey: uniq('gcoupon'), ownerId: L, amountFen: 500 as Fen, minSpendFen: 0 as Fen, validDays: 30, held: false })).couponId;
  await withUserTx(ctx(), L, async (u) => {
    u.post(uniq('test:seed-cash'), creditAvailable(u.balances, 'cash', 1000, 'reward_posted'));
    u.post(uniq('test:seed-points'), creditAvailable(u.balances, 'points', 500, 'points_credit'));
  });
  const { groupId, orderId: lo } = await openPaidGroup(L, productId, { couponId: coupon, useCashFen: 1000, usePoints: 500 });
  const lOrder = await orderDoc(t, lo);
  expect(lOrder.payableFen).toBe(6900 - 500 - 1000 - 500);
  const m = await groupOrder(M, productId, { groupId });
  await payOrder(t, M, m.id);
  expect(await stockOf(t, productId)).toBe(48);

  await t.dev('clock', { advanceMs: 2 * HOUR + MINUTE });
  // The timer and a viewer at once: the group is decided once.
  await Promise.all([settle(), ok(t, M, 'getGroup', { groupId }), settle()]);
  const g = await groupDoc(groupId);
  expect(g).toMatchObject({ status: 'failed', fanout: 'done' });
  for (const id of [lo, m.id]) {
    const o = await orderDoc(t, id);
    expect(o).toMatchObject({ status: 'refunded', groupState: 'failed', refundStatus: 'refunded', pendingSteps: [] });
    const tr = await trade(id);
    expect(tr.refunds).toHaveLength(1);
    expect(tr.refundedFee).toBe(tr.totalFee);
  }
  expect((await couponDoc(t, coupon)).status).toBe('available');
  const w = (await t.db.collection('wallets').doc(L).get()).data[0];
  expect(w.cash.available).toBe(1000);
  expect(w.points.available).toBe(500);
  expect(await stockOf(t, productId)).toBe(50);
  const view = await ok(t, L, 'getGroup', { groupId });
  expect(view).toMatchObject({ status: 'failed', remaining: 0, msLeft: 0 });
  expect(view.viewer.orderState).toBe('failed');

  // Again, and again: nothing is refunded twice.
  await settle();
  await t.dev('clock', { advanceMs: 5 * MINUTE });
  await settle();
  for (const id of [lo, m.id]) expect((await trade(id)).refunds).toHaveLength(1);
});

it('a payment that arrives after its group was decided is refunded at once, and the order closes', async () => {
  const productId = await groupProduct(20, { groupSize: 2 });
  const [L, M] = [uniq('lL'), uniq('lM')];
  const { groupId } = await openPaidGroup(L, productId);
  const m = await groupOrder(M, productId, { groupId });
  const prepared = await ok(t, M, 'pay', { orderId: m.id });
  // M pays (the notification is lost for now) and, before it arrives, the group is decided failed — as a timer
  // that won the race would leave it.
  await payRoute(t, 'confirm', { outTradeNo: prepared.outTradeNo, times: 0 });
  await t.db.collection('groups').where({ _id: groupId, status: 'open' }).update({ status: 'failed', decidedAt: new Date(), fanout: 'owed' });
  await payRoute(t, 'confirm', { outTradeNo: prepared.outTradeNo, times: 3 });
  const o = await orderDoc(t, m.id);
  expect(o).toMatchObject({ status: 'cancelled', groupState: 'refused' });
  const tr = await trade(m.id);
  expect(tr.refunds).toHaveLength(1);
  expect(tr.refundedFee).toBe(tr.totalFee);
  await settle();
  expect((await orderDoc(t, (await groupDoc(groupId)).leaderOrderId)).status).toBe('refunded');
  expect(await stockOf(t, productId)).toBe(20);
});

it('the deadline timer racing the last payment, many times: succeeded with N, or failed with every payment refunded once', async () => {
  const ROUNDS = 50;
  const productId = await groupProduct(10_000, { groupSize: 2, timeLimitHours: 1, maxOpenPerShopper: 10 });
  const outcomes = { succeeded: 0, failed: 0 };
  for (let round = 0; round < ROUNDS; round++) {
    const [L, M] = [uniq(`rL${round}`), uniq(`rM${round}`)];
    const { groupId, orderId: lo } = await openPaidGroup(L, productId);
    // The last member joins 50 minutes in: the order expires with the group, at the deadline.
    await t.dev('clock', { advanceMs: 50 * MINUTE });
    const m = await groupOrder(M, productId, { groupId });
    const prepared = await ok(t, M, 'pay', { orderId: m.id });
    const paysInTime = round % 2 === 0;
    if (paysInTime) await payRoute(t, 'confirm', { outTradeNo: prepared.outTradeNo, times: 0 });
    await t.dev('clock', { advanceMs: 10 * MINUTE + (round % 3) * 1000 });
    // Now at once: the timer, the (late) notification or a last try to pay, and a friend opening the card.
    await Promise.all([settle(), payRoute(t, 'confirm', { outTradeNo: prepared.outTradeNo, times: 1 }), ok(t, L, 'getGroup', { groupId }), settle()]);
    await settle();
    const g = await groupDoc(groupId);
    const orders = [await orderDoc(t, lo), await orderDoc(t, m.id)];
    const trades = [await trade(lo), await trade(m.id)];
    expect(['succeeded', 'failed']).toContain(g.status);
    expect(g.paidCount).toBeLessThanOrEqual(2);
    expect(g.seatsTaken).toBeLessThanOrEqual(2);
    if (g.status === 'succeeded') {
      outcomes.succeeded++;
      expect(g.paidCount).toBe(2);
      for (const o of orders) expect(o).toMatchObject({ status: 'paid', groupState: 'succeeded' });
      for (const tr of trades) expect(tr.refunds).toHaveLength(0);
    } else {
      outcomes.failed++;
      // Every trade that was paid is refunded in full, once; nothing unpaid is refunded.
      for (const tr of trades) {
        if (tr.state === 'CLOSED') expect(tr.refunds).toHaveLength(0);
        else {
          expect(tr.refunds).toHaveLength(1);
          expect(tr.refundedFee).toBe(tr.totalFee);
        }
      }
      expect(orders[0].status).toBe('refunded');
    }
    expect(g.fanout).toBe('done');
  }
  // Both ends were reached (a payment in time always wins; no payment always fails).
  expect(outcomes.succeeded).toBeGreaterThan(0);
  expect(outcomes.failed).toBeGreaterThan(0);
}, 300_000);

describe('the 团长 reward is frozen until the members’ refund windows close', () => {
  /** A group of `size` that succeeded, every member paid; answers its ids. */
  async function succeededGroup(size: number, leaderReward: Record<string, unknown>) {
    const productId = await groupProduct(100, { groupSize: size, leaderReward });
    const L = uniq('lrL');
    const members = Array.from({ length: size - 1 }, (_, i) => uniq(`lrM${i}`));
    const { groupId, orderId } = await openPaidGroup(L, productId);
    const orders = [orderId];
    for (const m of members) {
      const o = await groupOrder(m, productId, { groupId });
      await payOrder(t, m, o.id);
      orders.push(o.id);
    }
    expect(await groupDoc(groupId)).toMatchObject({ status: 'succeeded', leaderRewardState: 'held' });
    return { L, members, buyers: [L, ...members], groupId, orders };
  }
  const shipAndReceive = async (buyer: string, orderId: string) => {
    await ok(t, MERCHANT, 'shipOrder', { orderId, carrier: '顺丰', trackingNo: uniq('SF') }, 'merchant');
    return ok(t, buyer, 'confirmReceipt', { orderId });
  };
  const refundOrder = async (buyer: string, orderId: string) => {
    await ok(t, buyer, 'requestRefund', { orderId, reason: '不想要了' });
    expect((await ok(t, MERCHANT, 'reviewRefund', { orderId, approve: true }, 'merchant')).status).toBe('refunded');
  };
  const leaderLegs = async (L: string, groupId: string) =>
    (await t.db.collection('ledger').where({ userId: L, rewardId: `group-leader:${groupId}` }).get()).data.map((e: any) => `${e.op.split(':').pop()} ${e.bucket} ${e.amount}`).sort();
  /** A group of two with a 250-point reward, both orders received; the clock `before` ms before the second's deadline. */
  async function receivedNearDeadline(before: number) {
    const g = await succeededGroup(2, { kind: 'points', points: 250 });
    for (let i = 0; i < 2; i++) await shipAndReceive(g.buyers[i], g.orders[i]);
    const deadline = (await orderDoc(t, g.orders[1])).refundDeadline.getTime();
    await t.dev('clock', { advanceMs: deadline - t.cloud.clock.now() - before });
    return g;
  }
  /** The merchant approves the second member's refund; the timer's next look takes the reward back. */
  async function approvedThenVoided(L: string, groupId: string, orderId: string) {
    expect(await ok(t, MERCHANT, 'reviewRefund', { orderId, approve: true }, 'merchant')).toMatchObject({ status: 'refunded' });
    await t.dev('clock', { advanceMs: 7 * HOUR });
    await settle();
    expect(await groupDoc(groupId)).toMatchObject({ leaderRewardState: 'voided' });
    expect((await ok(t, L, 'summary', {}, 'wallet')).points).toMatchObject({ available: 0, frozen: 0 });
  }
  /** Past the last refund deadline of these orders, and the grace after it (a request asked just before it lands). */
  const pastDeadlines = async (orderIds: string[]) => {
    const last = Math.max(...(await Promise.all(orderIds.map(async (id) => (await orderDoc(t, id)).refundDeadline.getTime()))));
    await t.dev('clock', { advanceMs: last - t.cloud.clock.now() + RELEASE_GRACE_MS + MINUTE });
  };

  it('points: frozen at success, not spendable; released once, after every member received and their windows closed', async () => {
    const { L, buyers, groupId, orders } = await succeededGroup(2, { kind: 'points', points: 400 });
    expect((await ok(t, L, 'summary', {}, 'wallet')).points).toMatchObject({ available: 0, frozen: 400 });
    // Frozen points cannot pay for anything.
    const spend = await call(t, L, 'createOrder', { requestId: uniq('r'), items: [{ productId: await addProduct(t, { stock: 5, priceFen: 1000 }), quantity: 1 }], address: ADDRESS, usePoints: 400 });
    expect(spend.ok).toBe(false);

    // One member received, the other not yet: the timer waits (even days later).
    await shipAndReceive(buyers[0], orders[0]);
    await t.dev('clock', { advanceMs: 30 * 24 * HOUR });
    await settle();
    expect(await groupDoc(groupId)).toMatchObject({ leaderRewardState: 'held' });
    expect((await ok(t, L, 'summary', {}, 'wallet')).points).toMatchObject({ available: 0, frozen: 400 });

    await shipAndReceive(buyers[1], orders[1]);
    await settle();
    expect(await groupDoc(groupId)).toMatchObject({ leaderRewardState: 'held' });
    await pastDeadlines(orders);
    // Three runs at once: posted once.
    await Promise.all([settle(), settle(), settle()]);
    expect(await groupDoc(groupId)).toMatchObject({ leaderRewardState: 'paid', leaderRewardCheckAt: null });
    expect(await leaderLegs(L, groupId)).toEqual(['frozen frozen 400', 'post available 400', 'post frozen -400']);
    expect((await ok(t, L, 'summary', {}, 'wallet')).points).toMatchObject({ available: 400, frozen: 0 });
    const line = (await ok(t, L, 'activity', { asset: 'points' }, 'wallet')).items.find((a: any) => a.title === '拼团团长奖励');
    expect(line).toMatchObject({ amount: 400, status: 'available', steps: ['冻结中', '已到账'] });
    const notes = (await t.db.collection('notifications').where({ userId: L, kind: 'group.leaderReward' }).get()).data;
    expect(notes).toHaveLength(1);
  });

  it('coupon: held (not usable) at success; two accounts that form a group and both refund leave the leader nothing', async () => {
    const { L, buyers, groupId, orders } = await succeededGroup(2, { kind: 'coupon', amountFen: 2000, minSpendFen: 0, validDays: 30 });
    const coupon = (await t.db.collection('coupons').where({ ownerId: L, sourceKey: `group-leader:${groupId}` }).get()).data[0];
    expect(coupon).toMatchObject({ status: 'held', amountFen: 2000 });
    const use = await call(t, L, 'createOrder', { requestId: uniq('r'), items: [{ productId: await addProduct(t, { stock: 5, priceFen: 5000 }), quantity: 1 }], address: ADDRESS, couponId: coupon._id });
    expect(use.ok).toBe(false);
    expect((await ok(t, L, 'listCoupons', { status: 'available' })).map((c: any) => c.id)).not.toContain(coupon._id);

    await refundOrder(buyers[1], orders[1]);
    await refundOrder(buyers[0], orders[0]);
    await Promise.all([settle(), settle()]);
    expect(await groupDoc(groupId)).toMatchObject({ leaderRewardState: 'voided' });
    expect((await couponDoc(t, coupon._id)).status).toBe('void');
    // Later runs change nothing.
    await t.dev('clock', { advanceMs: 30 * 24 * HOUR });
    await settle();
    expect((await couponDoc(t, coupon._id)).status).toBe('void');
    expect((await t.db.collection('notifications').where({ userId: L, kind: 'group.leaderRewardVoided' }).get()).data).toHaveLength(1);
  });

  it('a refund asked just before the last deadline holds the reward until it is decided: approved takes it back', async () => {
    const { L, buyers, groupId, orders } = await receivedNearDeadline(MINUTE);
    await ok(t, buyers[1], 'requestRefund', { orderId: orders[1], reason: '有质量问题' });
    await t.dev('clock', { advanceMs: 2 * MINUTE });
    // Every window has closed, but one refund is still open: the reward waits.
    await settle();
    expect(await groupDoc(groupId)).toMatchObject({ leaderRewardState: 'held' });
    await approvedThenVoided(L, groupId, orders[1]);
    expect(await leaderLegs(L, groupId)).toEqual(['frozen frozen 250', 'void frozen -250']);
  });

  it('a refund asked a moment before the last deadline, its request still being written when the timer looks: not released, then voided', async () => {
    const { L, buyers, groupId, orders } = await receivedNearDeadline(30_000);
    // The request passed the window check; its write is held while the deadline passes and the timer runs.
    const asked = await heldDuring(t, { action: 'database.insertDocument', collectionName: 'refunds' }, () => call(t, buyers[1], 'requestRefund', { orderId: orders[1], reason: '有质量问题' }), 'the refund request');
    await t.dev('clock', { advanceMs: 60_000 });
    await settle();
    expect(await groupDoc(groupId)).toMatchObject({ leaderRewardState: 'held' });
    expect((await asked.release()).ok).toBe(true);
    // The timer again, inside the grace and after it: the open request holds the reward.
    await settle();
    await t.dev('clock', { advanceMs: RELEASE_GRACE_MS + MINUTE });
    await settle();
    expect(await groupDoc(groupId)).toMatchObject({ leaderRewardState: 'held' });
    await approvedThenVoided(L, groupId, orders[1]);
  });

  it('a group that met its minimum at the deadline keeps the reward while the members it needed keep their orders', async () => {
    const productId = await groupProduct(100, { groupSize: 3, minSizeAtDeadline: 2, timeLimitHours: 2, leaderReward: { kind: 'points', points: 100 } });
    const [L, M] = [uniq('mnL'), uniq('mnM')];
    const { groupId, orderId } = await openPaidGroup(L, productId);
    const m = await groupOrder(M, productId, { groupId });
    await payOrder(t, M, m.id);
    await t.dev('clock', { advanceMs: 2 * HOUR + MINUTE });
    await settle();
    expect(await groupDoc(groupId)).toMatchObject({ status: 'succeeded', paidCount: 2, leaderRewardState: 'held' });
    await shipAndReceive(L, orderId);
    await shipAndReceive(M, m.id);
    await pastDeadlines([orderId, m.id]);
    await settle();
    expect(await groupDoc(groupId)).toMatchObject({ leaderRewardState: 'paid' });
    expect((await ok(t, L, 'summary', {}, 'wallet')).points).toMatchObject({ available: 100, frozen: 0 });
  });
});
