/** Wording and the actions a shopper can take on an order, shared by the order list and the order page. */
import type { BuyerOrderAction, OrderView } from '../../../types/api';

export const ORDER_STATUS_TEXT: Record<OrderView['status'], string> = {
  pending_payment: '待付款',
  paid: '待发货',
  shipped: '已发货',
  received: '已收货',
  refunded: '已退款',
  cancelled: '已取消',
  expired: '已超时关闭',
};

export const REFUND_STATUS_TEXT: Record<NonNullable<OrderView['refundStatus']>, string> = {
  requested: '退款审核中',
  approved: '退款处理中',
  rejected: '退款申请未通过',
  refunded: '已退款',
};

/** 订单编号 as the buyer reads it: the day's number, or the id on orders made before numbers were given. */
export const orderNoText = (order: Pick<OrderView, 'id' | 'orderNo'>) => order.orderNo ?? order.id;

export type OrderAction = BuyerOrderAction;

/**
 * What the buyer may do now: the server's answer with the order (decided on its clock, so a phone whose clock is off
 * is not offered a refund past the deadline); this phone's estimate only for a view that carries none.
 */
export function orderActions(order: OrderView, now: number = Date.now()): OrderAction[] {
  if (order.actions) return order.actions;
  switch (order.status) {
    case 'pending_payment':
      return ['pay', 'cancel'];
    case 'paid':
      return order.refundStatus === 'requested' || order.refundStatus === 'approved' ? [] : ['refund'];
    case 'shipped':
      return order.refundStatus === 'requested' || order.refundStatus === 'approved' ? ['confirm'] : ['confirm', 'refund'];
    case 'received': {
      const open = order.refundDeadline !== null && new Date(order.refundDeadline).getTime() > now;
      return open && order.refundStatus !== 'requested' && order.refundStatus !== 'approved' && order.refundStatus !== 'refunded' ? ['refund'] : [];
    }
    default:
      return [];
  }
}

export function orderTitle(order: OrderView): string {
  return order.items.length === 1 ? order.items[0].title : `${order.items[0]?.title ?? ''} 等 ${order.items.length} 件`;
}
