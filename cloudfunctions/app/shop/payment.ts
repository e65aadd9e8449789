/**
 * Taking the payment: `pay` prepares the trade with the provider; the provider's notification (`paymentNotify`, a
 * platform-only call) is confirmed by querying the provider, then the order moves pending_payment → paid in one
 * guarded update that writes the "order paid" steps (outbox). The same notification fifty times marks it paid once
 * and emits one event; a notification for a paid order finishes steps a crash left owed.
 */
import type { PayView } from '../../../types/api';
import type { OrderDoc } from '../../../types/models';
import { AppError } from '../../infra/errors';
import { collection } from '../../infra/collections';
import type { Ctx } from '../../infra/handler';
import { buyersOrder } from './orders';
import { finishOwedSteps, runOwedSteps, transitionOrder } from './outbox';
import { paymentProvider, PaymentProviderError } from '../../infra/payments';
import { groupSeams } from './seams';

const PAID_STATUSES = ['paid', 'shipped', 'received', 'refunded'];

export async function pay(ctx: Ctx, orderId: string): Promise<PayView> {
  const order = await buyersOrder(ctx, orderId);
  if (PAID_STATUSES.includes(order.status)) throw new AppError('ORDER_ALREADY_PAID');
  if (order.status !== 'pending_payment') throw new AppError('ORDER_EXPIRED', order.status === 'cancelled' ? '订单已取消' : undefined);
  if (ctx.clock.now() >= order.expiresAt) throw new AppError('ORDER_EXPIRED');
  // A 拼团 order whose group was decided (or whose seat went back) is not offered for payment.
  await groupSeams.assertGroupPayable(ctx, order);
  const provider = paymentProvider();
  const description = order.items.length === 1 ? order.items[0].title : `${order.items[0].title} 等 ${order.items.length} 件商品`;
  try {
    const prepared = await provider.unifiedOrder({
      outTradeNo: order.payment.outTradeNo,
      totalFen: order.payableFen,
      description,
      openid: ctx.openid,
      appid: ctx.identity.appid,
      expiresAt: order.expiresAt,
    });
    return { provider: provider.name, orderId: order._id, outTradeNo: order.payment.outTradeNo, payableFen: order.payableFen, ...prepared };
  } catch (e) {
    if (e instanceof PaymentProviderError) {
      if (e.providerCode === 'ORDERPAID') throw new AppError('ORDER_ALREADY_PAID');
      console.error(`[shop] unifiedOrder ${order._id} failed`, e);
      throw new AppError('PAYMENT_FAILED');
    }
    throw e;
  }
}

export interface NotifyResult {
  orderId: string;
  status: OrderDoc['status'];
  /** True only for the one notification that moved the order to paid. */
  transitioned: boolean;
}

/**
 * Mark an order paid once the provider confirms it. Used by the notification and by expiry/cancel when the
 * provider says the trade was paid after all.
 *
 * The common case costs one write: the trade is asked first (the order's outTradeNo is its id), then one guarded
 * update moves the order pending_payment → paid only if it charges exactly what was paid and is not a 拼团 order,
 * whose seat must take the payment first. Anything else (a repeat, a 拼团 order, an amount that differs, a trade
 * not paid, an order that does not exist) reads the order and decides as before.
 */
export async function confirmPaid(ctx: Ctx, orderId: string): Promise<NotifyResult> {
  const trade = await paymentProvider()
    .queryOrder(orderId)
    .catch(() => null);
  if (trade?.state === 'SUCCESS' && trade.totalFen !== null) {
    const paid = await markPaid(ctx, orderId, trade.transactionId, { payableFen: trade.totalFen, groupId: null, 'payment.outTradeNo': orderId });
    if (paid) return afterPaid(ctx, paid);
  }
  return confirmPaidSlowly(ctx, orderId);
}

function markPaid(ctx: Ctx, orderId: string, transactionId: string | null, guard: Record<string, unknown> = {}): Promise<OrderDoc | null> {
  return transitionOrder(ctx, orderId, ['pending_payment'], { status: 'paid', paidAt: ctx.clock.now(), 'payment.transactionId': transactionId }, 'paid', guard);
}

async function afterPaid(ctx: Ctx, paid: OrderDoc): Promise<NotifyResult> {
  await runOwedSteps(ctx, paid);
  // The group may be full now (this was the N-th member), or already decided: the order follows it.
  if (paid.groupId) await groupSeams.settleGroup(ctx, paid.groupId);
  return { orderId: paid._id, status: 'paid', transitioned: true };
}

async function confirmPaidSlowly(ctx: Ctx, orderId: string): Promise<NotifyResult> {
  const order = (await collection(ctx.db, 'orders').doc(orderId).get()).data[0];
  if (!order) throw new AppError('ORDER_NOT_FOUND');
  if (order.status !== 'pending_payment') {
    if (PAID_STATUSES.includes(order.status)) {
      // Already paid: a repeat. Finish what a crash may have left owed, if nobody is on it.
      if (order.pendingSteps.length) await finishOwedSteps(ctx, orderId);
      if (order.groupId && order.groupState === 'waiting') await groupSeams.settleGroup(ctx, order.groupId);
    } else {
      await refundLatePayment(ctx, order);
    }
    return { orderId, status: order.status, transitioned: false };
  }
  const trade = await paymentProvider().queryOrder(order.payment.outTradeNo);
  if (trade.state !== 'SUCCESS' || trade.totalFen !== order.payableFen) throw new AppError('PAYMENT_NOT_CONFIRMED');
  // 拼团: the payment counts on the order's seat first; a seat that no longer takes it (the group was decided, or
  // the seat went back) means the order closes and the money goes straight back.
  if (order.groupId && (await groupSeams.payGroupSeat(ctx, order)) === 'refused') return refuseGroupPayment(ctx, order);
  const paid = await markPaid(ctx, orderId, trade.transactionId);
  if (!paid) {
    const current = (await collection(ctx.db, 'orders').doc(orderId).get()).data[0];
    if (current.status === 'expired' || current.status === 'cancelled') await refundLatePayment(ctx, current);
    return { orderId, status: current.status, transitioned: false };
  }
  return afterPaid(ctx, paid);
}

/**
 * A 拼团 payment that its group can no longer take (decided meanwhile, or the seat went back when the order closed):
 * the order closes as cancelled (stock, coupon and wallet spend back by the "closed" steps) and the trade is refunded
 * in full at once, as for any payment after its order closed.
 */
async function refuseGroupPayment(ctx: Ctx, order: OrderDoc): Promise<NotifyResult> {
  const moved = await transitionOrder(ctx, order._id, ['pending_payment'], { status: 'cancelled', groupState: 'refused' }, 'closed');
  if (moved) await runOwedSteps(ctx, moved);
  const current = (await collection(ctx.db, 'orders').doc(order._id).get()).data[0];
  if (current.status === 'cancelled' || current.status === 'expired') await refundLatePayment(ctx, current);
  return { orderId: order._id, status: current.status, transitioned: false };
}

/** A trade paid after its order closed (stock and coupon already released): the money goes back in full, once. */
async function refundLatePayment(ctx: Ctx, order: OrderDoc): Promise<void> {
  const provider = paymentProvider();
  const trade = await provider.queryOrder(order.payment.outTradeNo);
  if (trade.state !== 'SUCCESS' || trade.totalFen === null) return;
  await provider.refund({ outTradeNo: order.payment.outTradeNo, outRefundNo: `L${order._id}`, totalFen: trade.totalFen, refundFen: trade.totalFen, reason: '订单已关闭，支付原路退回' });
  console.warn(`[shop] order ${order._id} was paid after it closed (${order.status}); refunded in full`);
}
