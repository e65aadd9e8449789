/**
 * A group's seats: the hot document changes only by guarded `where` updates (DESIGN rule 5), never a transaction.
 * - the leader's order makes the group (pending; the deterministic _id is the leader's n-th group on the product, so
 *   two taps cannot lead past the offer's cap);
 * - a friend's order claims a seat BEFORE payment: `where({_id, status:'open', seatsTaken < size, memberIds ≠ me,
 *   deadline > now})` + `_.inc(1)`; so a group can never hold more than N orders, paid or not (createOrder does not read
 *   the group before: the claim answers it, see claimSeat);
 * - an order that closes unpaid gives its seat back (guarded on the order still holding it, unpaid);
 * - a payment counts on the seat its order holds (guarded: open, seat held, not counted yet). The leader's payment
 *   opens the group (pending → open) and starts its clock.
 * These are the seams createOrder, pay, confirmPaid and the order outbox call (app/shop/seams.ts).
 */
import crypto from 'node:crypto';
import type { OrderDoc, ProductDoc } from '../../../types/models';
import type { Fen } from '../../../types/money';
import type { GroupDoc, GroupOfferDoc } from '../../../types/modules/group.models';
import { countsAgainstCap, effectiveStatus, GROUP_SIZE_MAX, GROUP_SIZE_MIN, joinOrderExpiry, joinRefusal, lostSeatRefusal, minSizeOf } from '../../domain/groupBuy';
import { isDuplicateKey } from '../../infra/db';
import { collection } from '../../infra/collections';
import { AppError } from '../../infra/errors';
import type { Ctx } from '../../infra/handler';
import { hasPaidOrder } from '../assist/helpers';
import { loadOffer, termsOf } from './offers';

export const GROUPS = 'groups';
const HOUR = 3600_000;

export async function loadGroup(ctx: Pick<Ctx, 'db'>, groupId: string): Promise<GroupDoc | null> {
  return (await collection(ctx.db, GROUPS).doc(groupId).get()).data?.[0] ?? null;
}

/** Deterministic, opaque group id: the leader's n-th group on a product (the openid never shows in a share card). */
export function groupIdFor(leaderId: string, productId: string, seq: number): string {
  return `gp-${crypto.createHash('sha256').update(`${leaderId}\n${productId}\n${seq}`).digest('hex').slice(0, 24)}`;
}

export interface GroupCheckout {
  kind: 'open' | 'join';
  /** The unit price of the one line. */
  priceFen: Fen;
  offer: GroupOfferDoc | null;
  group: GroupDoc | null;
}

/** A group order buys one unit of one product, nothing else on it. */
export function assertGroupLine(items: { productId: string; quantity: number; assistTaskId?: string }[]): { productId: string } {
  if (items.length !== 1 || items[0].quantity !== 1 || items[0].assistTaskId) throw new AppError('GROUP_ORDER_INVALID');
  return { productId: items[0].productId };
}

/**
 * Everything a group checkout needs to know before anything is written (shared by quote and createOrder): the price,
 * and for a join, the refusals the group as read decides (the guarded seat claim decides again).
 */
export async function prepareGroupCheckout(ctx: Ctx, input: { productId: string; openGroup?: boolean; groupId?: string }): Promise<GroupCheckout> {
  if (input.groupId) {
    const group = await loadGroup(ctx, input.groupId);
    if (!group) throw new AppError('GROUP_NOT_FOUND');
    if (group.productId !== input.productId) throw new AppError('GROUP_ORDER_INVALID');
    const now = ctx.clock.now();
    const early = joinRefusal(group, ctx.openid, null, now);
    if (early) throw new AppError(early);
    if (group.rules.newUsersOnly && (await hasPaidOrder(ctx, ctx.openid))) throw new AppError('GROUP_NEW_USERS_ONLY');
    return { kind: 'join', priceFen: group.rules.groupPriceFen, offer: null, group };
  }
  const offer = await loadOffer(ctx, input.productId);
  if (!offer || !offer.active) throw new AppError('GROUP_OFFER_NOT_FOUND');
  return { kind: 'open', priceFen: offer.groupPriceFen, offer, group: null };
}

/**
 * The leader's order makes a pending group. At the offer's cap of groups waiting or open it is refused. Two creates
 * at once aim at the same next seq, whose _id only one insert can take; the other reads again.
 */
export async function openGroupForOrder(ctx: Ctx, input: { offer: GroupOfferDoc; product: ProductDoc; orderId: string }): Promise<GroupDoc> {
  const now = ctx.clock.now();
  const groups = collection(ctx.db, GROUPS);
  const { offer, product } = input;
  for (let attempt = 0; attempt < 5; attempt++) {
    const res = await groups.where({ leaderId: ctx.openid, productId: offer.productId }).orderBy('seq', 'desc').limit(100).get();
    const mine = res.data;
    const again = mine.find((g) => g.leaderOrderId === input.orderId);
    if (again) return again; // a create that was retried after a crash
    if (mine.filter((g) => countsAgainstCap(g, now)).length >= offer.maxOpenPerShopper) throw new AppError('GROUP_OPEN_LIMIT');
    const seq = (mine[0]?.seq ?? 0) + 1;
    const group: GroupDoc = {
      _id: groupIdFor(ctx.openid, offer.productId, seq),
      offerId: offer._id,
      productId: offer.productId,
      leaderId: ctx.openid,
      leaderOrderId: input.orderId,
      seq,
      size: offer.groupSize,
      minSize: minSizeOf(offer),
      status: 'pending',
      seatsTaken: 1,
      memberIds: [ctx.openid],
      seatOrderIds: [input.orderId],
      paidCount: 0,
      paidOrderIds: [],
      paidMemberIds: [],
      rules: { ...termsOf(offer), listPriceFen: product.priceFen, productTitle: product.title, productImage: product.images[0] ?? '' },
      createdAt: now,
      openedAt: null,
      deadline: null,
      decidedAt: null,
      sharedAt: null,
      fanout: 'none',
      leaderRewardState: 'none',
      updatedAt: now,
    };
    try {
      await groups.add(group);
      return group;
    } catch (e) {
      if (!isDuplicateKey(e)) throw e;
    }
  }
  throw new AppError('CONFLICT');
}

/**
 * What a createOrder that ended without its order (killed, or failed past its own undo) may leave here, given back by
 * the order id: the group it opened (still pending, led by that order: nobody can have joined it), and a new user's
 * one-seat marker naming it. A seat it took in a friend's group goes back by releaseStaleSeats. No-ops otherwise.
 */
export async function releaseAbandonedGroupHolds(ctx: Pick<Ctx, 'db'>, input: { buyerId: string; orderId: string; group: 'open' | 'join' }): Promise<void> {
  if (input.group === 'open') await collection(ctx.db, GROUPS).where({ leaderId: input.buyerId, status: 'pending', leaderOrderId: input.orderId }).remove();
  else await freeNewUserSeat(ctx, input.buyerId, input.orderId);
}

/** Every group size an offer allows (GROUP_SIZE_MIN..MAX): the seat claim's guard names them, see claimSeat. */
const OFFER_SIZES = Array.from({ length: GROUP_SIZE_MAX - GROUP_SIZE_MIN + 1 }, (_, i) => GROUP_SIZE_MIN + i);

/**
 * A friend's order claims a seat before payment, with one guarded update, and learns the group from it (the price and
 * the deadline the order takes): createOrder reads the group nowhere else (issue 15: a read before the claim was one of
 * a join's 8 round trips; its checks are all still made, here). The guard is the one the read's checks stood for —
 * this product, open, not a member yet, before the deadline, a seat left — and since a `where` cannot compare two
 * fields (`seatsTaken < size`), it names each size an offer allows with fewer seats than that taken. A group for new
 * users only is never taken on this first try: the buyer's paid orders are read first. On a miss the group is read and
 * answers why (GROUP_NOT_FOUND, GROUP_ORDER_INVALID, the join refusals, GROUP_NEW_USERS_ONLY, in that order, as the read
 * before the claim did); a group that could still take the buyer (new users only, or a size outside today's bounds) is
 * claimed again, guarded on its size as read.
 */
export async function claimSeat(ctx: Ctx, input: { groupId: string; productId: string; orderId: string }): Promise<GroupCheckout> {
  const _ = ctx.db.command;
  const now = ctx.clock.now();
  const groups = collection(ctx.db, GROUPS);
  const { groupId, productId, orderId } = input;
  const joinable = { _id: groupId, productId, status: 'open', memberIds: _.neq(ctx.openid), deadline: _.gt(now) };
  const take = { seatsTaken: _.inc(1), memberIds: _.push(ctx.openid), seatOrderIds: _.push(orderId), updatedAt: now };
  const joined = (g: GroupDoc): GroupCheckout => ({ kind: 'join', priceFen: g.rules.groupPriceFen, offer: null, group: g });
  const first = await groups
    .where(_.and([{ ...joinable, 'rules.newUsersOnly': _.neq(true) }, _.or(OFFER_SIZES.map((n) => ({ size: n, seatsTaken: _.lt(n) })))]))
    .updateAndReturn(take);
  if (first.doc) return joined(first.doc);
  const group = await loadGroup(ctx, groupId);
  if (!group) throw new AppError('GROUP_NOT_FOUND');
  if (group.productId !== productId) throw new AppError('GROUP_ORDER_INVALID');
  const early = joinRefusal(group, ctx.openid, null, now);
  if (early) throw new AppError(early);
  if (group.rules.newUsersOnly) {
    if (await hasPaidOrder(ctx, ctx.openid)) throw new AppError('GROUP_NEW_USERS_ONLY');
    await takeNewUserSeat(ctx, orderId);
  }
  if (group.seatOrderIds.includes(orderId)) return joined(group); // a create retried after a crash already holds it
  const res = await groups.where({ ...joinable, seatsTaken: _.lt(group.size) }).updateAndReturn(take);
  if (res.doc) return joined(res.doc);
  if (group.rules.newUsersOnly) await freeNewUserSeat(ctx, ctx.openid, orderId);
  const fresh = await loadGroup(ctx, groupId);
  if (fresh?.memberIds.includes(ctx.openid)) throw new AppError('GROUP_ALREADY_MEMBER');
  throw new AppError(fresh ? (joinRefusal(fresh, ctx.openid, null, now) ?? lostSeatRefusal(fresh, now)) : 'GROUP_NOT_FOUND');
}

/**
 * A new user joins one group for new users only at a time: their unpaid seats would otherwise each pass the "no paid
 * order" check, and they would take the new-user price, and count as the new member, in any number of groups. The
 * order holding that seat is kept on the user (`newUserGroupSeat`, one guarded write); it goes when that order
 * closes unpaid, and stays once paid (then they are no longer new).
 */
async function takeNewUserSeat(ctx: Ctx, orderId: string): Promise<void> {
  const users = collection(ctx.db, 'users');
  const took = await users.where({ _id: ctx.openid, newUserGroupSeat: ctx.db.command.eq(null) }).update({ newUserGroupSeat: orderId });
  if (took.updated === 1) return;
  const held = (await users.doc(ctx.openid).field({ newUserGroupSeat: true }).get()).data?.[0]?.newUserGroupSeat;
  if (held !== orderId) throw new AppError('GROUP_NEW_USERS_ONLY'); // a retry of the same create holds it already
}

async function freeNewUserSeat(ctx: Pick<Ctx, 'db'>, buyerId: string, orderId: string): Promise<void> {
  await collection(ctx.db, 'users').where({ _id: buyerId, newUserGroupSeat: orderId }).update({ newUserGroupSeat: null });
}

/** When a joiner's unpaid order expires: the usual time, or the group's deadline if that comes first. */
export function groupOrderExpiry(usual: Date, checkout: GroupCheckout): Date {
  return checkout.kind === 'join' ? joinOrderExpiry(usual, checkout.group?.deadline ?? null) : usual;
}

/**
 * An order closed unpaid (cancel, expiry, a failed create): its seat goes back, once; a leader's unpaid group is
 * cancelled (nobody could have joined it). A paid seat is never released.
 */
export async function releaseGroupSeat(ctx: Ctx, order: Pick<OrderDoc, '_id' | 'buyerId' | 'groupId' | 'groupRole'>): Promise<void> {
  if (!order.groupId) return;
  const _ = ctx.db.command;
  const now = ctx.clock.now();
  const groups = collection(ctx.db, GROUPS);
  if (order.groupRole === 'leader') {
    await groups.where({ _id: order.groupId, status: 'pending', leaderOrderId: order._id }).update({ status: 'cancelled', seatsTaken: 0, decidedAt: now, updatedAt: now });
    return;
  }
  await groups
    .where({ _id: order.groupId, seatOrderIds: order._id, paidOrderIds: _.neq(order._id) })
    .update({ seatsTaken: _.inc(-1), seatOrderIds: _.pull(order._id), memberIds: _.pull(order.buyerId), updatedAt: now });
  // Whatever the group (a rerun after the seat went back must still free it): guarded on this order.
  await freeNewUserSeat(ctx, order.buyerId, order._id);
}

/** `pay` for a group order: refused once the group can no longer take this payment. */
export async function assertGroupPayable(ctx: Ctx, order: OrderDoc): Promise<void> {
  if (!order.groupId) return;
  const group = await loadGroup(ctx, order.groupId);
  if (!group || !group.seatOrderIds.includes(order._id)) throw new AppError('GROUP_CLOSED');
  const status = effectiveStatus(group, ctx.clock.now());
  if (order.groupRole === 'leader' ? status !== 'pending' : status !== 'open') throw new AppError('GROUP_CLOSED');
}

/**
 * A confirmed payment of a group order counts on its seat, BEFORE the order is marked paid: the leader's opens the
 * group; a member's adds one paid member. 'refused' when the seat no longer takes it (the group was decided, or the
 * seat went back when the order closed): the caller refunds at once. A repeat answers 'counted'.
 */
export async function payGroupSeat(ctx: Ctx, order: OrderDoc): Promise<'counted' | 'refused'> {
  if (!order.groupId) return 'counted';
  const _ = ctx.db.command;
  const now = ctx.clock.now();
  const groups = collection(ctx.db, GROUPS);
  let res;
  if (order.groupRole === 'leader') {
    const group = await loadGroup(ctx, order.groupId);
    if (!group) return 'refused';
    const deadline = new Date(now.getTime() + group.rules.timeLimitHours * HOUR);
    res = await groups
      .where({ _id: order.groupId, status: 'pending', leaderOrderId: order._id })
      .update({ status: 'open', openedAt: now, deadline, paidCount: 1, paidOrderIds: _.set([order._id]), paidMemberIds: _.set([order.buyerId]), updatedAt: now });
  } else {
    res = await groups
      .where({ _id: order.groupId, status: 'open', seatOrderIds: order._id, paidOrderIds: _.neq(order._id) })
      .update({ paidCount: _.inc(1), paidOrderIds: _.push(order._id), paidMemberIds: _.push(order.buyerId), updatedAt: now });
  }
  if (res.updated === 1) return 'counted';
  const fresh = await loadGroup(ctx, order.groupId);
  return fresh?.paidOrderIds.includes(order._id) ? 'counted' : 'refused';
}

/** A createOrder that died between its seat claim and its order insert is over once its lock is this old. */
const STALE_CLAIM_MS = 60_000;

/**
 * Seats held by no live order go back: an order that closed while its release failed, or one never written because its
 * createOrder died after the claim (its requestId lock is stale). `seatOrderIds` and `memberIds` are pushed and pulled
 * together, so the same position names the order and its buyer. Answers the seats released.
 */
export async function releaseStaleSeats(ctx: Ctx, group: GroupDoc): Promise<number> {
  const unpaid = group.seatOrderIds.map((orderId, i) => ({ orderId, buyerId: group.memberIds[i] })).filter((s) => s.orderId !== group.leaderOrderId && !group.paidOrderIds.includes(s.orderId));
  if (!unpaid.length) return 0;
  const _ = ctx.db.command;
  const ids = unpaid.map((s) => s.orderId);
  const [orders, locks] = await Promise.all([
    collection(ctx.db, 'orders').where({ _id: _.in(ids) }).field({ _id: true, status: true }).limit(ids.length).get(),
    collection(ctx.db, 'idempotency').where({ _id: _.in(ids.map((id) => `shop.createOrder:${id}`)) }).limit(ids.length).get(),
  ]);
  const status = new Map(orders.data.map((o) => [o._id, o.status]));
  const lockAt = new Map((locks.data as { _id: string; createdAt: Date }[]).map((l) => [l._id.slice('shop.createOrder:'.length), new Date(l.createdAt).getTime()]));
  const now = ctx.clock.now().getTime();
  let released = 0;
  for (const seat of unpaid) {
    const st = status.get(seat.orderId);
    const closed = st === 'cancelled' || st === 'expired';
    const neverWritten = st === undefined && now - (lockAt.get(seat.orderId) ?? 0) > STALE_CLAIM_MS;
    if (!closed && !neverWritten) continue;
    await releaseGroupSeat(ctx, { _id: seat.orderId, buyerId: seat.buyerId, groupId: group._id, groupRole: 'member' });
    released++;
  }
  return released;
}
