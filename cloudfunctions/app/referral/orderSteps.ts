import type { OrderStep } from '../orderSteps';
import { settlePaidOrder, settleRefundedOrder, stampReceivedOrder } from './settlement';

/** Steps the referral module runs when an order is paid, received or refunded (see app/orderSteps.ts). */
export const referralOrderSteps: OrderStep[] = [
  { name: 'referral.settle', on: 'paid', run: (ctx, order) => settlePaidOrder(ctx, order) },
  { name: 'referral.stampDeadline', on: 'received', run: (ctx, order) => stampReceivedOrder(ctx, order) },
  { name: 'referral.refund', on: 'refunded', run: (ctx, order) => settleRefundedOrder(ctx, order) },
];
