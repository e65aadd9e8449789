/**
 * The seams other modules hook into when an order changes state: "order paid", "order received" (the refund
 * deadline is now known) and "order refunded". Each module lists its steps in app/<module>/orderSteps.ts; the shop
 * writes the names of the steps owed into the order's outbox (`pendingSteps`) together with the state change, and
 * runs them. Every step must be idempotent: it may run again after a crash or a retry.
 */
import type { OrderEvent, OrderStep } from './kernel/orderSteps';
import { assistOrderSteps } from './assist/orderSteps';
import { merchantOrderSteps } from './merchant/orderSteps';
import { referralOrderSteps } from './referral/orderSteps';
import { shopOrderSteps } from './shop/orderSteps';

// The merchant's dashboard counters go last: they count what the other modules' steps did.
export const ORDER_STEPS: OrderStep[] = [...shopOrderSteps, ...referralOrderSteps, ...assistOrderSteps, ...merchantOrderSteps];

export function stepsFor(event: OrderEvent): OrderStep[] {
  return ORDER_STEPS.filter((s) => s.on === event);
}
