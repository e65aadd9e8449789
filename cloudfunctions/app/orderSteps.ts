/**
 * The seams other modules hook into when an order changes state: "order paid", "order received" (the refund
 * deadline is now known) and "order refunded". Each module lists its steps in app/<module>/orderSteps.ts; the shop
 * writes the names of the steps owed into the order's outbox (`pendingSteps`) together with the state change, and
 * runs them. Every step must be idempotent: it may run again after a crash or a retry.
 */
import type { OrderDoc } from '../../types/models';
import type { Ctx } from './../infra/handler';
import { assistOrderSteps } from './assist/orderSteps';
import { merchantOrderSteps } from './merchant/orderSteps';
import { referralOrderSteps } from './referral/orderSteps';
import { shopOrderSteps } from './shop/orderSteps';

/**
 * 'grouped': a 拼团 order's group succeeded (app/group/fate.ts). Steps that treat a paid order as a purchase someone
 * is rewarded for (the referral settlement, the dashboard's conversions) wait for it on a group order: until its
 * group succeeds the order may still be refunded by the group's failure.
 */
export type OrderEvent = 'paid' | 'received' | 'refunded' | 'grouped';

export interface OrderStep {
  /** Unique, stable name, e.g. 'referral.settle'; stored in the outbox as `${event}:${name}`. */
  name: string;
  on: OrderEvent;
  run(ctx: Ctx, order: OrderDoc): Promise<void>;
}

// The merchant's dashboard counters go last: they count what the other modules' steps did.
export const ORDER_STEPS: OrderStep[] = [...shopOrderSteps, ...referralOrderSteps, ...assistOrderSteps, ...merchantOrderSteps];

export function stepsFor(event: OrderEvent): OrderStep[] {
  return ORDER_STEPS.filter((s) => s.on === event);
}
