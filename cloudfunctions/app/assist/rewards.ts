/**
 * The moments a task pays: success (guarded transition open → succeeded, once) and expiry (guarded transition
 * open → expired with the fallback owed, then paid once through the referral ledger's `creditPoints` or the shop's
 * `issueCoupon`, both idempotent by source key). What is owed is on the task first, so a failed payment is retried by
 * the settle job, never lost.
 */
import type { AssistTaskDoc, AssistVoucher, ExpiryFallback } from '../../../types/modules/assist.models';
import type { Fen } from '../../../types/money';
import { formatFen } from '../../../types/money';
import { expiryFallback } from '../../domain/assistPolicy';
import type { Ctx } from '../../infra/handler';
import { collection } from '../../infra/collections';
import { assistStatEvent } from '../stats/events';
import { recordStats } from '../../infra/stats';
import { noticeExpired, noticeSucceeded } from './notices';
import { creditPoints } from '../wallet/ledgerApi';
import { issueCoupon } from '../coupons/coupons';

const TASKS = 'assist_tasks';
const HOUR = 3600 * 1000;

/**
 * A full task becomes succeeded exactly once: the update is guarded on `status: 'open'`, so however many callers
 * (the friend who filled it, a late friend repairing a crash, the timer) try, one moves it and grants the reward.
 * The owner's notice is enqueued first (idempotent), so a crash after the transition leaves nothing owed for a price
 * reward; a coupon reward stays `rewardState: 'owed'` until issued. Returns true when this call made the transition.
 */
export async function completeTask(ctx: Ctx, task: AssistTaskDoc): Promise<boolean> {
  const _ = ctx.db.command;
  const now = ctx.clock.now();
  await noticeSucceeded(ctx, task);
  const success = task.rules.success;
  const voucher: AssistVoucher | null =
    success.kind === 'price'
      ? { productId: task.productId, priceFen: success.priceFen, validUntil: new Date(now.getTime() + success.validHours * HOUR), orderId: null, claimedAt: null }
      : null;
  const res = await collection(ctx.db, TASKS)
    .where({ _id: task._id, status: 'open', helpers: _.gte(task.target) })
    .update({
      status: 'succeeded',
      succeededAt: now,
      voucher: voucher ? _.set(voucher) : null,
      rewardState: success.kind === 'coupon' ? 'owed' : 'none',
      // Counted by the settle timer (assist.countOwedStats), not here: off the help path, and never lost to a crash.
      statsOwed: true,
      updatedAt: now,
    });
  if (res.updated !== 1) return false;
  if (success.kind === 'coupon') await payCouponReward(ctx, { ...task, status: 'succeeded', rewardState: 'owed' });
  return true;
}

/**
 * Count what a task owes the dashboard, once each (event keys per task): its start, and its success or expiry; then
 * clear the flag, guarded on the status counted (a task that moved on meanwhile stays owed for its new event). A
 * failure stays owed. The start is usually counted already (assist.start): its key makes this a no-op.
 */
export async function countOwedStats(ctx: Ctx, task: AssistTaskDoc): Promise<boolean> {
  if (!task.statsOwed) return false;
  const events = [assistStatEvent(task, 'started', task.startedAt)];
  if (task.status === 'succeeded' && task.succeededAt) events.push(assistStatEvent(task, 'succeeded', task.succeededAt));
  if (task.status === 'expired' && task.expiredAt) events.push(assistStatEvent(task, 'expired', task.expiredAt));
  await recordStats(ctx, events);
  const res = await collection(ctx.db, TASKS).where({ _id: task._id, status: task.status, statsOwed: true }).update({ statsOwed: false });
  return res.updated === 1;
}

/** Issue a succeeded task's coupon, once per task (the source key). */
export async function payCouponReward(ctx: Ctx, task: AssistTaskDoc): Promise<boolean> {
  const success = task.rules.success;
  if (success.kind !== 'coupon' || task.rewardState !== 'owed') return false;
  const { couponId } = await issueCoupon(ctx, {
    sourceKey: `assist:reward:${task._id}`,
    ownerId: task.ownerId,
    amountFen: success.amountFen,
    minSpendFen: success.minSpendFen,
    validDays: success.validDays,
    held: false,
    title: `助力成功券 ${formatFen(success.amountFen)}`,
  });
  const res = await collection(ctx.db, TASKS)
    .where({ _id: task._id, rewardState: 'owed' })
    .update({ rewardState: 'paid', rewardCouponId: couponId, updatedAt: ctx.clock.now() });
  return res.updated === 1;
}

/**
 * Expire a task past its deadline, once: guarded on it still being open with the helpers we scaled the fallback
 * by. A task that filled up is completed instead. Returns what happened.
 */
export async function expireTask(ctx: Ctx, task: AssistTaskDoc): Promise<'expired' | 'succeeded' | 'skipped'> {
  const _ = ctx.db.command;
  const now = ctx.clock.now();
  if (task.status !== 'open' || now.getTime() < task.deadline.getTime()) return 'skipped';
  if (task.helpers >= task.target) return (await completeTask(ctx, task)) ? 'succeeded' : 'skipped';
  const owed = expiryFallback(task.rules.fallback, task.helpers);
  const res = await collection(ctx.db, TASKS)
    .where({ _id: task._id, status: 'open', helpers: task.helpers, deadline: _.lte(now) })
    .update({
      status: 'expired',
      expiredAt: now,
      fallbackOwed: _.set(owed),
      fallbackState: owed.kind === 'none' ? 'none' : 'owed',
      // Counted by the settle timer (assist.countOwedStats, later in this same firing): a firing cut off by its time
      // limit right after this update used to lose the count.
      statsOwed: true,
      updatedAt: now,
    });
  if (res.updated !== 1) return 'skipped';
  const expired: AssistTaskDoc = { ...task, status: 'expired', expiredAt: now, fallbackOwed: owed, fallbackState: owed.kind === 'none' ? 'none' : 'owed' };
  if (owed.kind === 'none') await noticeExpired(ctx, expired, owed);
  else await payFallback(ctx, expired);
  return 'expired';
}

/**
 * Pay an expired task's owed fallback once: the ledger / coupon module dedupes on the source key, and the task
 * moves owed → paid with a guarded update. If paying fails it stays owed and the settle job retries.
 */
export async function payFallback(ctx: Ctx, task: AssistTaskDoc): Promise<boolean> {
  const owed = task.fallbackOwed as ExpiryFallback | null;
  if (task.fallbackState !== 'owed' || !owed || owed.kind === 'none') return false;
  const sourceKey = `assist:fallback:${task._id}`;
  if (owed.kind === 'points') {
    await creditPoints(ctx, { userId: task.ownerId, points: owed.points, sourceKey, reason: '助力未成功补偿' });
  } else {
    await issueCoupon(ctx, {
      sourceKey,
      ownerId: task.ownerId,
      amountFen: owed.amountFen as Fen,
      minSpendFen: owed.minSpendFen,
      validDays: owed.validDays,
      held: false,
      title: `助力安慰券 ${formatFen(owed.amountFen)}`,
    });
  }
  await noticeExpired(ctx, task, owed);
  const res = await collection(ctx.db, TASKS)
    .where({ _id: task._id, fallbackState: 'owed' })
    .update({ fallbackState: 'paid', fallbackPaidAt: ctx.clock.now(), updatedAt: ctx.clock.now() });
  return res.updated === 1;
}
