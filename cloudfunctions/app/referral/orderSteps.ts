import type { OrderStep } from '../orderSteps';

/** Steps the referral module runs when an order is paid, received or refunded (see app/orderSteps.ts). */
export const referralOrderSteps: OrderStep[] = [];
