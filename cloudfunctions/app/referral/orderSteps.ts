import type { OrderStep } from '../kernel/orderSteps';
import { settlePaidOrder, settleRefundedOrder, stampReceivedOrder } from './settlement';

/** Steps the referral module runs when an order is paid, received or refunded (see app/orderSteps.ts). */
export const referralOrderSteps: OrderStep[] = [
  // A 拼团 order is settled when its group succeeds ('grouped'), never while the group may still fail.
  { name: 'referral.settle', on: 'paid', run: (ctx, order, notes) => (order.groupId ? Promise.resolve() : settlePaidOrder(ctx, order, notes)) },
  { name: 'referral.settle', on: 'grouped', run: (ctx, order, notes) => settlePaidOrder(ctx, order, notes) },
  { name: 'referral.stampDeadline', on: 'received', run: (ctx, order) => stampReceivedOrder(ctx, order) },
  { name: 'referral.refund', on: 'refunded', run: (ctx, order) => settleRefundedOrder(ctx, order) },
];
