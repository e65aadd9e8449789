/** What the merchant pages call an order's and a refund's status (订单, 退款审核, 用户详情). */
import type { OrderStatus } from '../../../types/models';
import type { RefundStatus } from '../../../types/modules/shop.models';

export const ORDER_STATUS_TEXT: Record<OrderStatus, string> = { pending_payment: '待付款', paid: '待发货', shipped: '已发货', received: '已收货', refunded: '已退款', cancelled: '已取消', expired: '已过期' };
export const REFUND_STATUS_TEXT: Record<RefundStatus, string> = { requested: '待审核', approved: '退款中', rejected: '已拒绝', refunded: '已退款' };
