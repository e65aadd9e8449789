import type { OrderStep } from '../orderSteps';

/** Steps the shop module runs when an order is paid, received or refunded (see app/orderSteps.ts). */
export const shopOrderSteps: OrderStep[] = [];
