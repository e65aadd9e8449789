import type { OrderStep } from '../kernel/orderSteps';

/** Steps the assist module runs when an order is paid, received or refunded (see app/orderSteps.ts). */
export const assistOrderSteps: OrderStep[] = [];
