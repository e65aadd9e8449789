/**
 * The dashboard's order counters, as steps of the order outbox (app/orderSteps.ts): paid (orders, GMV, and for an
 * invited buyer the first purchase and the rewards the settlement created), received, refunded (and the rewards it
 * voided or regrouped). They run after the referral module's steps; while its step for the same event is still
 * owed, this one waits too (throws, so it stays owed), so it never counts rewards before they exist.
 */
import type { OrderDoc } from '../../../types/models';
import type { ReferralDoc, RewardDoc } from '../../../types/modules/referral.models';
import { recordStats, StatEvent } from '../../infra/stats';
import type { Ctx } from '../../infra/handler';
import { collection } from '../../infra/collections';
import type { OrderEvent, OrderStep, StepNotes } from '../kernel/orderSteps';
import { conversionEvents, rewardIssuedEvents, rewardVoidedEvents } from '../stats/events';

const REFERRAL_STEP: Partial<Record<OrderEvent, string>> = { paid: 'paid:referral.settle', grouped: 'grouped:referral.settle', refunded: 'refunded:referral.refund' };

async function waitForReferral(ctx: Ctx, order: OrderDoc, event: OrderEvent): Promise<void> {
  const key = REFERRAL_STEP[event];
  if (!key || !order.pendingSteps?.includes(key)) return;
  const fresh = (await collection(ctx.db, 'orders').doc(order._id).field({ pendingSteps: true }).get()).data[0];
  if (fresh?.pendingSteps?.includes(key)) throw new Error(`stats for order ${order._id} wait for ${key}`);
}

async function readReferral(ctx: Ctx, buyerId: string): Promise<ReferralDoc | null> {
  return (await collection(ctx.db, 'referrals').doc(buyerId).get()).data[0] ?? null;
}

/**
 * An invited buyer's first purchase and the rewards the referral settlement created for the order: from the
 * settlement's notes when it committed in this run, else read back (a rerun, or the settlement ran in another).
 */
async function referralEvents(ctx: Ctx, order: OrderDoc, event: 'paid' | 'grouped', notes: StepNotes): Promise<StatEvent[]> {
  if (notes.settled) return [...conversionEvents(order, notes.settled.referral), ...rewardIssuedEvents(notes.settled.rewards)];
  await waitForReferral(ctx, order, event);
  const [ref, rewards] = await Promise.all([readReferral(ctx, order.buyerId), collection(ctx.db, 'rewards').where({ orderId: order._id }).limit(100).get()]);
  return [...conversionEvents(order, ref), ...rewardIssuedEvents(rewards.data)];
}

/**
 * The order's own counters. An invited order's go to its inviter's shard (shardKey), where its conversion and its
 * rewards go too (stats/events.ts), so a payment that completes a group counts in one update (infra/stats.ts).
 */
async function onPaid(ctx: Ctx, order: OrderDoc, notes: StepNotes): Promise<void> {
  const at = order.paidAt ?? ctx.clock.now();
  const paid: StatEvent = { eventKey: `order:${order._id}:paid`, at, counters: { ordersPaid: 1, gmvFen: order.itemsTotalFen, paidFen: order.payableFen } };
  if (order.inviterId) paid.shardKey = order.inviterId;
  const events = [paid];
  // A 拼团 order's referral part is settled, and counted, when its group succeeds (the 'grouped' step below).
  if (order.inviterId && !order.groupId) events.push(...(await referralEvents(ctx, order, 'paid', notes)));
  await recordStats(ctx, events);
}

async function onRefunded(ctx: Ctx, order: OrderDoc): Promise<void> {
  const events: StatEvent[] = [{ eventKey: `order:${order._id}:refunded`, at: order.refundedAt ?? ctx.clock.now(), counters: { ordersRefunded: 1, refundFen: order.payableFen } }];
  if (order.inviterId) {
    await waitForReferral(ctx, order, 'refunded');
    const ref = await readReferral(ctx, order.buyerId);
    if (ref) {
      // What the refund voided (rewards counting this order), and any group it re-formed with a waiting invitee: a new
      // reward made by this refund (its orderId), whose members are the others, not this order.
      const _ = ctx.db.command;
      const res = await collection(ctx.db, 'rewards')
        .where(_.or([{ userId: ref.inviterId, 'members.orderId': order._id }, { userId: ref.inviterId, orderId: order._id }]))
        .limit(100)
        .get();
      const rewards = res.data;
      events.push(...(await rewardVoidedEvents(ctx, rewards)), ...rewardIssuedEvents(rewards));
    }
  }
  await recordStats(ctx, events);
}

export const merchantOrderSteps: OrderStep[] = [
  { name: 'merchant.stats', on: 'paid', run: onPaid },
  {
    name: 'merchant.stats',
    on: 'grouped',
    run: async (ctx, order, notes) => {
      if (order.inviterId) await recordStats(ctx, await referralEvents(ctx, order, 'grouped', notes));
    },
  },
  { name: 'merchant.stats', on: 'received', run: (ctx, order) => recordStats(ctx, [{ eventKey: `order:${order._id}:received`, at: order.receivedAt ?? ctx.clock.now(), counters: { ordersReceived: 1 } }]).then(() => undefined) },
  { name: 'merchant.stats', on: 'refunded', run: onRefunded },
];
