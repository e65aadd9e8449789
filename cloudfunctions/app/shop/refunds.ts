/**
 * Refunds: the buyer asks inside the window (paid, shipped, or received until the refund deadline); the merchant
 * approves or rejects. Approval is one guarded update (requested → approved), so twenty merchants tapping at once
 * approve once; the one approval pays back through the provider (idempotent by out_refund_no `R<orderId>`) and moves
 * the order to refunded with the "order refunded" steps in its outbox. A refund left approved (provider down, crash)
 * is finished by the timer.
 */
import type { Page, RefundView } from '../../../types/api';
import type { OrderDoc } from '../../../types/models';
import type { RefundDoc, RefundStatus } from '../../../types/modules/shop.models';
import { canRequestRefund, REFUNDABLE_STATUSES } from '../../domain/shopOrders';
import { collection } from '../../infra/collections';
import { isDuplicateKey } from '../../infra/db';
import { AppError } from '../../infra/errors';
import type { Ctx } from '../../infra/handler';
import { enqueueNotification } from '../../infra/notifications';
import { formatFen } from '../../../types/money';
import { holdRewardsForRefund, releaseRefundHoldIfClosed } from '../wallet/refundHolds';
import { buyersOrder } from './orders';
import { runOwedSteps, transitionOrder } from './outbox';
import { paymentProvider } from '../../infra/payments';
import { newestFirst, refundView } from './views';

const RETRY_AFTER_MS = 60_000;

/** Refund states an order's mirror (`refundStatus`) never leaves for "requested" or "rejected". */
const DECIDED_FOR_GOOD = ['approved', 'refunded'];

async function getRefund(ctx: Pick<Ctx, 'db'>, orderId: string): Promise<RefundDoc | undefined> {
  return (await collection(ctx.db, 'refunds').doc(orderId).get()).data?.[0];
}

export async function requestRefund(ctx: Ctx, input: { orderId: string; reason: string }): Promise<RefundView> {
  const order = await buyersOrder(ctx, input.orderId);
  const verdict = canRequestRefund(order, ctx.clock.now());
  if (!verdict.ok) throw new AppError(verdict.reason);
  // A 拼团 order waits for its group: a failed group refunds every member by itself.
  if (order.groupId && order.groupState !== 'succeeded') throw new AppError('GROUP_REFUND_WAIT');
  // First hold the inviter's rewards that count this order, then open the request: no moment in which the
  // request is open and a reward counting it could post (DESIGN rule 10).
  await holdRewardsForRefund(ctx, order);
  const now = ctx.clock.now();
  const refunds = collection(ctx.db, 'refunds');
  const doc: RefundDoc = {
    _id: order._id,
    orderId: order._id,
    buyerId: order.buyerId,
    amountFen: order.payableFen,
    reason: input.reason,
    status: 'requested',
    merchantNote: '',
    requestedAt: now,
    reviewedAt: null,
    reviewedBy: null,
    refundedAt: null,
    refundId: null,
    updatedAt: now,
  };
  let result: RefundDoc;
  try {
    await refunds.add(doc);
    result = doc;
  } catch (e) {
    if (!isDuplicateKey(e)) throw e;
    // Asked before: a rejected request may be asked again; anything else answers what is there.
    const again = await refunds.where({ _id: order._id, status: 'rejected' }).updateAndReturn({ status: 'requested', reason: input.reason, requestedAt: now, reviewedAt: null, reviewedBy: null, merchantNote: '', updatedAt: now });
    result = again.doc ?? ((await getRefund(ctx, order._id)) as RefundDoc);
    // Reopened: the rejection that came just before may be releasing the hold this request found; hold again.
    if (again.doc) await holdRewardsForRefund(ctx, order, { renew: true });
  }
  // Guarded: a review may have decided the request since it was read (approved, even refunded); the order's mirror
  // must not go back to "requested" (an approved refund whose payment the timer retries would become shippable).
  if (result.status === 'requested') {
    const orders = collection(ctx.db, 'orders');
    await orders.where({ _id: order._id, refundStatus: ctx.db.command.nin(DECIDED_FOR_GOOD) }).update({ refundStatus: 'requested', updatedAt: now });
    // A rejection that landed between the request and that write left the order saying "requested" for a rejected
    // refund: read the refund again and follow it (the rejection does the same the other way round).
    const current = await getRefund(ctx, order._id);
    if (current && current.status !== 'requested') {
      await orders.where({ _id: order._id, refundStatus: 'requested' }).update({ refundStatus: current.status, updatedAt: now });
      return refundView(current);
    }
  }
  return refundView(result);
}

export async function reviewRefund(ctx: Ctx, input: { orderId: string; approve: boolean; note?: string }): Promise<RefundView> {
  const now = ctx.clock.now();
  const status: RefundStatus = input.approve ? 'approved' : 'rejected';
  const res = await collection(ctx.db, 'refunds')
    .where({ _id: input.orderId, status: 'requested' })
    .updateAndReturn({ status, reviewedAt: now, reviewedBy: ctx.openid, merchantNote: input.note ?? '', updatedAt: now });
  const won = res.doc;
  if (!won) {
    // Someone reviewed it first (or it never existed): answer what is there; never pay back twice.
    const current = await getRefund(ctx, input.orderId);
    if (!current) throw new AppError('REFUND_NOT_FOUND');
    return refundView(current);
  }
  const orders = collection(ctx.db, 'orders');
  // Approved: the order is not shipped any more from here (shipOrder refuses it), even while the payment provider's
  // refund fails and the timer retries it. First of all, so that nothing failing after the decision leaves it shippable.
  if (input.approve) await orders.where({ _id: input.orderId, status: ctx.db.command.in(REFUNDABLE_STATUSES) }).update({ refundStatus: 'approved', updatedAt: now });
  // Right after the one decision that won, before anything else can fail: the buyer hears it once per decision.
  await noticeRefundDecided(ctx, won);
  if (!input.approve) {
    // Guarded as above: a request reopened and approved since this rejection keeps its "approved".
    await orders.where({ _id: input.orderId, refundStatus: ctx.db.command.nin(DECIDED_FOR_GOOD) }).update({ refundStatus: 'rejected', updatedAt: now });
    const order = (await orders.doc(input.orderId).get()).data?.[0];
    // The buyer may ask again the moment it is rejected (a rejected request reopens): the hold goes only if no
    // request is open (read in the inviter's wallet transaction), and the order says "requested" again if one is.
    if (order) await releaseRefundHoldIfClosed(ctx, order);
    if ((await getRefund(ctx, input.orderId))?.status === 'requested') await orders.where({ _id: input.orderId, refundStatus: 'rejected' }).update({ refundStatus: 'requested', updatedAt: now });
    return refundView(won);
  }
  return refundView(await payBack(ctx, won));
}

/** 退款审核结果 for the buyer (a rejected request may be asked and decided again: keyed by the decision's time). */
function noticeRefundDecided(ctx: Ctx, r: RefundDoc) {
  const approved = r.status === 'approved';
  return enqueueNotification(ctx, {
    sourceKey: `refund:decided:${r.orderId}:${(r.reviewedAt ?? r.updatedAt).getTime()}`,
    userId: r.buyerId,
    kind: 'refund.decided',
    title: approved ? '退款申请已通过' : '退款申请未通过',
    body: approved ? `商家已同意退款，${formatFen(r.amountFen)} 将原路退回。` : `商家未同意退款${r.merchantNote ? `：${r.merchantNote}` : '。'}`,
    page: `packages/shop/order/index?id=${encodeURIComponent(r.orderId)}`,
    facts: { orderId: r.orderId, approved: approved ? '1' : '0', amountFen: String(r.amountFen), note: r.merchantNote ?? '' },
  });
}

/** Pay an approved refund back and move the order to refunded. Safe to repeat (timer retries). */
async function payBack(ctx: Ctx, refund: RefundDoc): Promise<RefundDoc> {
  const order = (await collection(ctx.db, 'orders').doc(refund.orderId).get()).data?.[0];
  if (!order) throw new AppError('ORDER_NOT_FOUND');
  let refundId: string;
  try {
    ({ refundId } = await paymentProvider().refund({
      outTradeNo: order.payment.outTradeNo,
      outRefundNo: `R${order._id}`,
      totalFen: order.payableFen,
      refundFen: refund.amountFen,
      reason: refund.reason || '买家申请退款',
    }));
  } catch (e) {
    console.error(`[shop] refund of ${order._id} failed; the timer retries`, e);
    throw new AppError('REFUND_FAILED');
  }
  const now = ctx.clock.now();
  const moved = await transitionOrder(ctx, order._id, REFUNDABLE_STATUSES, { status: 'refunded', refundedAt: now, refundStatus: 'refunded' }, 'refunded');
  if (moved) await runOwedSteps(ctx, moved);
  // The refund is dated as its order is: a retry (the timer's, past midnight maybe) of one whose order moved on an
  // earlier attempt takes that attempt's time, so the 看板 (order) and the 报表 (refund) count it on the same day.
  const refundedAt = moved?.refundedAt ?? (order.status === 'refunded' ? order.refundedAt : null) ?? (await collection(ctx.db, 'orders').doc(order._id).field({ refundedAt: true }).get()).data?.[0]?.refundedAt ?? now;
  const done = await collection(ctx.db, 'refunds')
    .where({ _id: refund._id, status: 'approved' })
    .updateAndReturn({ status: 'refunded', refundId, refundedAt, updatedAt: now });
  return done.doc ?? ((await getRefund(ctx, refund._id)) as RefundDoc);
}

/**
 * A refund nobody has to ask for (a failed 拼团): the request is made already approved, by the system, and paid back
 * through the same path as a merchant's approval (provider refund `R<orderId>`, then "order refunded" steps: coupon,
 * wallet spend and units back). Only the call whose insert made the request pays it, so the provider is asked once;
 * one that finds it made leaves it to that call, or to the timer's retry of approved refunds.
 */
export async function refundOrderAutomatically(ctx: Ctx, order: OrderDoc, reason: string): Promise<RefundDoc | null> {
  const now = ctx.clock.now();
  const doc: RefundDoc = {
    _id: order._id,
    orderId: order._id,
    buyerId: order.buyerId,
    amountFen: order.payableFen,
    reason,
    status: 'approved',
    merchantNote: reason,
    requestedAt: now,
    reviewedAt: now,
    reviewedBy: 'system',
    refundedAt: null,
    refundId: null,
    updatedAt: now,
  };
  try {
    await collection(ctx.db, 'refunds').add(doc);
  } catch (e) {
    if (!isDuplicateKey(e)) throw e;
    return null;
  }
  await collection(ctx.db, 'orders').where({ _id: order._id, refundStatus: ctx.db.command.neq('refunded') }).update({ refundStatus: 'approved', updatedAt: now });
  return payBack(ctx, doc);
}

/** Timer: approved refunds that did not finish (provider down, crash) are paid back now. */
export async function finishApprovedRefunds(ctx: Ctx, batch = 20): Promise<number> {
  const _ = ctx.db.command;
  const before = new Date(ctx.clock.now().getTime() - RETRY_AFTER_MS);
  // Least recently tried first: a failed retry moves its refund to the back, so refunds the provider keeps refusing
  // cannot hold the rest back.
  const res = await collection(ctx.db, 'refunds').where({ status: 'approved', reviewedAt: _.lte(before) }).orderBy('updatedAt', 'asc').limit(batch).get();
  let n = 0;
  for (const r of res.data) {
    try {
      // What the approval does right after its decision, in case it stopped there (each is idempotent): the order is
      // not shippable any more, and the buyer hears the decision (keyed by it, so once).
      await collection(ctx.db, 'orders').where({ _id: r.orderId, status: _.in(REFUNDABLE_STATUSES), refundStatus: _.neq('approved') }).update({ refundStatus: 'approved', updatedAt: ctx.clock.now() });
      await noticeRefundDecided(ctx, r);
      await payBack(ctx, r);
      n++;
    } catch (e) {
      console.error(`[shop] retry of refund ${r._id} failed`, e);
      await collection(ctx.db, 'refunds').where({ _id: r._id, status: 'approved' }).update({ updatedAt: ctx.clock.now() }).catch(() => undefined);
    }
  }
  return n;
}

export async function listRefunds(ctx: Ctx, input: { status?: RefundStatus; cursor?: number; pageSize?: number }): Promise<Page<RefundView>> {
  const where: Record<string, unknown> = {};
  if (input.status) where.status = input.status;
  return newestFirst(ctx, 'refunds', where, 'requestedAt', input, refundView);
}
