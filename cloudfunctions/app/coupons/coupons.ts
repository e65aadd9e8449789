/**
 * Coupons: owned by one user, applied at checkout by the server, used once, returned when the order is cancelled,
 * expires unpaid or is refunded. Other modules issue them (rebate rewards, assist results) through `issueCoupon`,
 * idempotent by source key; a `held` coupon stays frozen until `activateCoupon` (e.g. at a refund deadline) or is
 * taken back by `voidCoupon`. Every status change is a guarded update, so a coupon can be in one order only.
 */
import crypto from 'node:crypto';
import type { CouponView } from '../../../types/api';
import type { Fen } from '../../../types/money';
import { yuanText } from '../../../types/money';
import type { CouponDoc, CouponStatus } from '../../../types/modules/shop.models';
import { addDays } from '../../domain/shopOrders';
import { couponStateRefusal } from '../../domain/shopPricing';
import { collection } from '../../infra/collections';
import { isDuplicateKey } from '../../infra/db';
import { AppError } from '../../infra/errors';
import type { Ctx } from '../../infra/handler';
import { iso } from '../../../types/time';

type DbCtx = Pick<Ctx, 'db' | 'clock'>;

/** The coupon's _id from its source key: issuing twice finds the same document. */
export function couponIdFor(sourceKey: string): string {
  return `c${crypto.createHash('sha256').update(sourceKey).digest('hex').slice(0, 26)}`;
}

export interface IssueCouponInput {
  /** Idempotency key, e.g. `rebate:<ruleId>:<orderId>`. */
  sourceKey: string;
  ownerId: string;
  amountFen: Fen;
  minSpendFen: Fen;
  /** Days of validity, counted from when the coupon becomes available. */
  validDays: number;
  /** true = frozen until activateCoupon (rewards frozen until a refund deadline). */
  held: boolean;
  /** Shown in the wallet; a default is made from the amount. */
  title?: string;
}

/** Issue a coupon once per source key. Answers its id and whether this call created it. */
export async function issueCoupon(ctx: DbCtx, input: IssueCouponInput): Promise<{ couponId: string; created: boolean }> {
  // Tolerate the early assist seam's `userId` spelling of the owner.
  const ownerId = input.ownerId ?? (input as unknown as { userId?: string }).userId;
  if (!input.sourceKey || !ownerId) throw new Error('issueCoupon: sourceKey and ownerId are required');
  if (!Number.isSafeInteger(input.amountFen) || input.amountFen <= 0) throw new Error('issueCoupon: amountFen must be a positive integer');
  if (!Number.isSafeInteger(input.minSpendFen) || input.minSpendFen < 0) throw new Error('issueCoupon: minSpendFen must be a non-negative integer');
  if (!Number.isSafeInteger(input.validDays) || input.validDays < 1 || input.validDays > 3650) throw new Error('issueCoupon: validDays must be 1–3650');
  const now = ctx.clock.now();
  const couponId = couponIdFor(input.sourceKey);
  const doc: CouponDoc = {
    _id: couponId,
    sourceKey: input.sourceKey,
    ownerId,
    title: input.title ?? `${yuanText(input.amountFen)} 元优惠券`,
    amountFen: input.amountFen,
    minSpendFen: input.minSpendFen,
    validDays: input.validDays,
    status: input.held ? 'held' : 'available',
    expiresAt: input.held ? null : addDays(now, input.validDays),
    orderId: null,
    createdAt: now,
    updatedAt: now,
  };
  try {
    await collection(ctx.db, 'coupons').add(doc);
    return { couponId, created: true };
  } catch (e) {
    if (isDuplicateKey(e)) return { couponId, created: false };
    throw e;
  }
}

/** A held coupon becomes available (its validity starts now). False when it was not held (already active, void…). */
export async function activateCoupon(ctx: DbCtx, sourceKey: string): Promise<boolean> {
  const id = couponIdFor(sourceKey);
  const coupon = (await collection(ctx.db, 'coupons').doc(id).get()).data?.[0];
  if (!coupon || coupon.status !== 'held') return false;
  const now = ctx.clock.now();
  const res = await collection(ctx.db, 'coupons').where({ _id: id, status: 'held' }).update({ status: 'available', expiresAt: addDays(now, coupon.validDays), updatedAt: now });
  return res.updated === 1;
}

/**
 * Take back a coupon: a held or available one is void now (true). One locked in an order or used by one stays with
 * that order but is marked revoked, so it is void, not available, when the order gives it back (false). Retried
 * when the coupon moved between the two guarded writes (an order gave it back meanwhile).
 */
export async function voidCoupon(ctx: DbCtx, sourceKey: string): Promise<boolean> {
  const _ = ctx.db.command;
  const coupons = collection(ctx.db, 'coupons');
  const id = couponIdFor(sourceKey);
  for (let attempt = 0; attempt < 3; attempt++) {
    const now = ctx.clock.now();
    const res = await coupons.where({ _id: id, status: _.in(['held', 'available']) }).update({ status: 'void', updatedAt: now });
    if (res.updated === 1) return true;
    const marked = await coupons.where({ _id: id, status: _.in(['locked', 'used']) }).update({ revokedAt: now, updatedAt: now });
    if (marked.updated === 1) return false;
    const found = (await coupons.doc(id).field({ status: true }).get()).data?.[0];
    if (!found || !['held', 'available', 'locked', 'used'].includes(found.status)) return false; // void, expired or never issued
  }
  throw new Error(`voidCoupon: coupon ${id} kept moving`);
}

/** Checkout: lock the buyer's available, unexpired coupon into `orderId` (one guarded write), or say why not. */
export async function lockCouponForOrder(ctx: DbCtx, input: { couponId: string; ownerId: string; orderId: string }): Promise<CouponDoc> {
  const _ = ctx.db.command;
  const now = ctx.clock.now();
  const coupons = collection(ctx.db, 'coupons');
  const res = await coupons
    .where({ _id: input.couponId, ownerId: input.ownerId, status: 'available', expiresAt: _.gt(now) })
    .updateAndReturn({ status: 'locked', orderId: input.orderId, updatedAt: now });
  if (res.doc) return res.doc;
  const found = (await coupons.doc(input.couponId).get()).data?.[0];
  if (!found || found.ownerId !== input.ownerId) throw new AppError('COUPON_NOT_FOUND');
  // Locked to this very order already: a retry of a create that died after locking it (same requestId, same order).
  if (found.status === 'locked' && found.orderId === input.orderId) return found;
  throw new AppError(couponStateRefusal(found, now) ?? 'COUPON_UNAVAILABLE');
}

/** Back from an unpaid order (cancel, expiry, failed checkout): available again, or expired if its time passed. */
export async function releaseCouponFromOrder(ctx: DbCtx, couponId: string, orderId: string): Promise<void> {
  await restoreCoupon(ctx, couponId, orderId, ['locked']);
}

/** The order was paid: the coupon is used. */
export async function useCouponForOrder(ctx: DbCtx, couponId: string, orderId: string): Promise<void> {
  await collection(ctx.db, 'coupons').where({ _id: couponId, orderId, status: 'locked' }).update({ status: 'used', updatedAt: ctx.clock.now() });
}

/**
 * The order was refunded within the window: the coupon comes back. From "used", or still "locked" when the paid
 * order's use step has not run yet (it failed and stays owed; the outbox goes on to the refund's steps): back either
 * way, and the use step, when it runs, finds no locked coupon and changes nothing.
 */
export async function returnCouponFromOrder(ctx: DbCtx, couponId: string, orderId: string): Promise<void> {
  await restoreCoupon(ctx, couponId, orderId, ['used', 'locked']);
}

/** Back from the order: available, or void if it was revoked meanwhile, or expired if its time passed. */
async function restoreCoupon(ctx: DbCtx, couponId: string, orderId: string, from: CouponStatus[]) {
  const _ = ctx.db.command;
  const now = ctx.clock.now();
  const coupons = collection(ctx.db, 'coupons');
  const status = _.in(from);
  const back = await coupons.where({ _id: couponId, orderId, status, expiresAt: _.gt(now), revokedAt: _.eq(null) }).update({ status: 'available', orderId: null, updatedAt: now });
  if (back.updated === 1) return;
  const revoked = await coupons.where({ _id: couponId, orderId, status, revokedAt: _.neq(null) }).update({ status: 'void', orderId: null, updatedAt: now });
  if (revoked.updated === 0) await coupons.where({ _id: couponId, orderId, status }).update({ status: 'expired', orderId: null, updatedAt: now });
}

export async function listMyCoupons(ctx: Ctx, input: { status?: CouponStatus }): Promise<CouponView[]> {
  const where: Record<string, unknown> = { ownerId: ctx.openid };
  // An available coupon past its time reads as expired even before the timer marks it: so it is listed under 已过期,
  // not under 可使用 (asked for available, it is read and left out; asked for expired, it is read too).
  if (input.status === 'expired') where.status = ctx.db.command.in(['expired', 'available']);
  else if (input.status) where.status = input.status;
  const res = await collection(ctx.db, 'coupons').where(where).orderBy('createdAt', 'desc').limit(200).get();
  const now = ctx.clock.now();
  return res.data
    .map((c) => (c.status === 'available' && c.expiresAt && c.expiresAt <= now ? { ...c, status: 'expired' as const } : c))
    .filter((c) => !input.status || c.status === input.status)
    .map(couponView);
}

/** Timer: available coupons past their time become expired (one multi-document update). */
export async function expireCoupons(ctx: DbCtx): Promise<number> {
  const _ = ctx.db.command;
  const now = ctx.clock.now();
  const res = await collection(ctx.db, 'coupons').where({ status: 'available', expiresAt: _.lte(now) }).update({ status: 'expired', updatedAt: now });
  return res.updated ?? 0;
}

function couponView(c: CouponDoc): CouponView {
  return { id: c._id, title: c.title, amountFen: c.amountFen, minSpendFen: c.minSpendFen, status: c.status, expiresAt: iso(c.expiresAt), orderId: c.orderId };
}
