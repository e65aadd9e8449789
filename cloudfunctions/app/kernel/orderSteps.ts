/**
 * What an order step is, apart from the list of steps (app/orderSteps.ts): each module's orderSteps.ts implements
 * `OrderStep` and the list imports them, so no module imports the list back (the shop's outbox runs the list).
 */
import type { OrderDoc } from '../../../types/models';
import type { ReferralDoc, RewardDoc } from '../../../types/modules/referral.models';
import type { Ctx } from '../../infra/handler';

/**
 * 'grouped': a 拼团 order's group succeeded (app/group/fate.ts). Steps that treat a paid order as a purchase someone
 * is rewarded for (the referral settlement, the dashboard's conversions) wait for it on a group order: until its
 * group succeeds the order may still be refunded by the group's failure.
 */
export type OrderEvent = 'paid' | 'received' | 'refunded' | 'grouped';

/**
 * What a step leaves for the later steps of the same run (one outbox run of one order), so they need not read it
 * back. Only facts a step has committed go here; a later step that finds nothing (another run did the work, e.g.
 * after a crash) reads the database as it would without notes.
 */
export interface StepNotes {
  /** referral.settle committed this order's settlement: the buyer's referral as it stands, the rewards it created. */
  settled?: { referral: ReferralDoc | null; rewards: RewardDoc[] };
}

export interface OrderStep {
  /** Unique, stable name, e.g. 'referral.settle'; stored in the outbox as `${event}:${name}`. */
  name: string;
  on: OrderEvent;
  run(ctx: Ctx, order: OrderDoc, notes: StepNotes): Promise<void>;
}
