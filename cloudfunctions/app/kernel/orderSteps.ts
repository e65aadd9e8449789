/**
 * What an order step is, apart from the list of steps (app/orderSteps.ts): each module's orderSteps.ts implements
 * `OrderStep` and the list imports them, so no module imports the list back (the shop's outbox runs the list).
 */
import type { OrderDoc } from '../../../types/models';
import type { Ctx } from '../../infra/handler';

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
