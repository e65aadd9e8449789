/**
 * The requestId lock of createOrder (`idempotency/shop.createOrder:<orderId>`), and the repair of a create that died
 * holding things. A create takes, before its order is written: stock, a 拼团 seat, the coupon (locked to the order),
 * the assist price (the voucher claimed by the order) and the wallet spend (a ledger operation keyed by the order).
 * When it fails it gives them back itself; when it is killed (the function's time limit, a crash) nothing does, and
 * a shopper who leaves the checkout never retries that requestId: the coupon stays locked, the voucher used and the
 * wallet cash spent, for an order that does not exist.
 *
 * So the lock records what the create may hold (`holds`, known before anything is taken) and is marked pending
 * (`pendingSince`). The settle timer looks at pending locks older than any create can run: an order was written →
 * the mark is cleared; none → the lock is claimed (a guarded update on its `createdAt`, which a retry taking the lock
 * over also guards on, so only one of the two goes on), the group it opened (still pending) or a new user's one-seat
 * marker, the coupon, the voucher and the wallet spend go back (each a guarded or keyed operation on this order id: a
 * rerun changes nothing) and the lock is removed, so a retry of the requestId starts afresh. A seat in a friend's
 * group goes back by the group's own timer (group/seats.ts, no order and no live lock).
 * Units the create may have reserved cannot be told apart from units it never reached (taking them is a guarded
 * update with no per-order mark): they are logged, not guessed.
 */
import type { OrderDoc } from '../../../types/models';
import { collection, type LooseDoc } from '../../infra/collections';
import { isDuplicateKey } from '../../infra/db';
import { AppError } from '../../infra/errors';
import type { Ctx } from '../../infra/handler';
import { releaseCouponFromOrder } from '../coupons/coupons';
import { checkoutSeams, groupSeams } from './seams';

type DbCtx = Pick<Ctx, 'db' | 'clock'>;

const PREFIX = 'shop.createOrder:';
/** A lock older than this belongs to a create that crashed: a retry of its requestId takes it over. */
const LOCK_STALE_MS = 30_000;
/** No create runs this long (the shop function's limit is 10 s deployed, 20 s on the local cloud): it has ended. */
const ABANDONED_AFTER_MS = 2 * 60_000;
const BATCH = 100;
const MAX_BATCHES = 20;

/** What a create may hold for its order, recorded with its lock before it takes any of it. */
export interface CreateHolds {
  buyerId: string;
  couponId: string | null;
  assistTaskId: string | null;
  walletSpend: boolean;
  /** A 拼团 order: opening a group, or joining one (absent on locks written before this was recorded). */
  group?: 'open' | 'join' | null;
}

interface CreateLock extends LooseDoc {
  _id: string;
  fingerprint: string;
  createdAt: Date;
  /** Set when taken; cleared once the timer saw the order written. */
  pendingSince?: Date | null;
  holds?: CreateHolds;
}

const orderIdOf = (lock: { _id: string }) => lock._id.slice(PREFIX.length);

async function writtenOrder(ctx: Pick<Ctx, 'db'>, orderId: string): Promise<OrderDoc | undefined> {
  return (await collection(ctx.db, 'orders').doc(orderId).get()).data?.[0];
}

/** The requestId's lock: one create per (buyer, requestId) runs at a time; a stale lock (a crashed create) is taken over. */
export async function takeCreateLock(ctx: DbCtx, orderId: string, fingerprint: string, holds: CreateHolds): Promise<'taken' | OrderDoc> {
  const locks = collection(ctx.db, 'idempotency');
  const lockId = `${PREFIX}${orderId}`;
  const now = ctx.clock.now();
  try {
    await locks.add({ _id: lockId, scope: 'shop.createOrder', fingerprint, createdAt: now, pendingSince: now, holds });
    return 'taken';
  } catch (e) {
    if (!isDuplicateKey(e)) throw e;
  }
  const [lockRes, order] = await Promise.all([locks.doc(lockId).get(), writtenOrder(ctx, orderId)]);
  const lock = lockRes.data?.[0] as CreateLock | undefined;
  if (order) return order;
  if (lock && lock.fingerprint !== fingerprint) throw new AppError('REQUEST_ID_REUSED');
  if (lock && now.getTime() - new Date(lock.createdAt).getTime() > LOCK_STALE_MS) {
    const res = await locks.where({ _id: lockId, createdAt: lock.createdAt }).update({ createdAt: now });
    if (res.updated === 1) return 'taken';
  }
  throw new AppError('CONFLICT', '订单正在创建中，请勿重复提交');
}

/**
 * Give back, in order, the pending group it opened (or a new user's seat marker), the coupon, the assist voucher and the
 * wallet spend held for `orderId` (no order of that id was written): each keyed by the order id, so whichever attempt
 * took them, and a no-op for what none took.
 */
export async function giveBackHolds(ctx: DbCtx, orderId: string, holds: CreateHolds): Promise<void> {
  if (holds.group) await groupSeams.releaseAbandonedGroupHolds(ctx, { buyerId: holds.buyerId, orderId, group: holds.group });
  if (holds.couponId) await releaseCouponFromOrder(ctx, holds.couponId, orderId);
  if (holds.assistTaskId) await checkoutSeams.releaseAssistPrice(ctx, { taskId: holds.assistTaskId, orderId });
  if (holds.walletSpend) await checkoutSeams.returnWalletSpend(ctx, { orderId, buyerId: holds.buyerId });
}

/** A create that failed and gave back what it held: its requestId is free for a retry. */
export async function dropCreateLock(ctx: DbCtx, orderId: string): Promise<void> {
  await collection(ctx.db, 'idempotency').doc(`${PREFIX}${orderId}`).remove();
}

/**
 * Timer: pending create locks old enough that their create has ended. Written orders clear the mark (one update per
 * batch); the others are repaired. Answers the creates repaired.
 */
export async function releaseAbandonedCreates(ctx: DbCtx): Promise<number> {
  const _ = ctx.db.command;
  const locks = collection(ctx.db, 'idempotency');
  let repaired = 0;
  for (let batch = 0; batch < MAX_BATCHES; batch++) {
    const now = ctx.clock.now().getTime();
    const found = (await locks.where({ pendingSince: _.lt(new Date(now - ABANDONED_AFTER_MS)) }).limit(BATCH).get()).data as CreateLock[];
    if (!found.length) break;
    const ids = found.map(orderIdOf);
    const written = new Set((await collection(ctx.db, 'orders').where({ _id: _.in(ids) }).field({ _id: true }).limit(ids.length).get()).data.map((o) => o._id));
    const done = found.filter((l) => written.has(orderIdOf(l)));
    if (done.length) await locks.where({ _id: _.in(done.map((l) => l._id)) }).update({ pendingSince: null });
    let skipped = 0;
    for (const lock of found) {
      if (written.has(orderIdOf(lock))) continue;
      // Taken over by a retry that may be running now (or claimed by a repair that died): not yet.
      if (now - new Date(lock.createdAt).getTime() < ABANDONED_AFTER_MS) {
        skipped++;
        continue;
      }
      if (await repairAbandonedCreate(ctx, lock)) repaired++;
    }
    if (found.length < BATCH || skipped === found.length) break;
  }
  return repaired;
}

async function repairAbandonedCreate(ctx: DbCtx, lock: CreateLock): Promise<boolean> {
  const locks = collection(ctx.db, 'idempotency');
  const orderId = orderIdOf(lock);
  const now = ctx.clock.now();
  // Claimed on the createdAt read: a retry taking the lock over guards on the same value, so one of the two goes on.
  const claim = await locks.where({ _id: lock._id, createdAt: lock.createdAt }).update({ createdAt: now });
  if (claim.updated !== 1) return false;
  // The order after all (written as the lock was read): it stands with what it holds.
  if (await writtenOrder(ctx, orderId)) {
    await locks.where({ _id: lock._id }).update({ pendingSince: null });
    return false;
  }
  if (lock.holds) await giveBackHolds(ctx, orderId, lock.holds);
  console.warn(`[shop] createOrder ${orderId} ended without its order: coupon, assist price and wallet spend given back; units it may have reserved are not known`);
  await locks.where({ _id: lock._id, createdAt: now }).remove();
  return true;
}
