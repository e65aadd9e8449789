/**
 * The order outbox. A state change ("paid", "received", "refunded", and the shop's own "closed" = cancelled or
 * expired unpaid) is one guarded update that also writes the names of the steps still owed (`pendingSteps`) and a
 * lease. The caller then runs them and pulls the finished names in one update at the end. If it dies, or a step
 * throws, the names stay: a retry or the settle timer claims the lease once it has passed and finishes them. Steps
 * are idempotent, and the lease keeps two runners from working on the same order at once.
 */
import type { OrderDoc, OrderStatus } from '../../../types/models';
import { collection } from '../../infra/collections';
import type { Ctx } from '../../infra/handler';
import type { OrderEvent, StepNotes } from '../kernel/orderSteps';
import { ORDER_STEPS, stepsFor } from '../orderSteps';
import { checkoutSeams, groupSeams } from './seams';
import { releaseCouponFromOrder } from '../coupons/coupons';
import { spentWallet } from './orderSteps';
import { releaseOrderStockOnce } from './stock';

type ShopEvent = OrderEvent | 'closed';
type Step = { name: string; run(ctx: Ctx, order: OrderDoc, notes: StepNotes): Promise<void> };

export const STEP_LEASE_MS = 60_000;

/** What goes back when an unpaid order closes, in this order: stock, coupon, assist voucher, wallet spend, 拼团 seat. */
export const CLOSE_STEPS: Step[] = [
  { name: 'shop.releaseStock', run: (ctx, order) => releaseOrderStockOnce(ctx, order) },
  {
    name: 'shop.releaseCoupon',
    run: async (ctx, order) => {
      if (order.couponId) await releaseCouponFromOrder(ctx, order.couponId, order._id);
    },
  },
  {
    name: 'shop.releaseAssist',
    run: async (ctx, order) => {
      if (order.assistTaskId) await checkoutSeams.releaseAssistPrice(ctx, { taskId: order.assistTaskId, orderId: order._id });
    },
  },
  {
    name: 'shop.returnWalletSpend',
    run: async (ctx, order) => {
      if (spentWallet(order)) await checkoutSeams.returnWalletSpend(ctx, { orderId: order._id, buyerId: order.buyerId });
    },
  },
  {
    name: 'shop.releaseGroupSeat',
    run: async (ctx, order) => {
      if (order.groupId) await groupSeams.releaseGroupSeat(ctx, order);
    },
  },
];

function stepsOf(event: ShopEvent): Step[] {
  return event === 'closed' ? CLOSE_STEPS : stepsFor(event);
}

function resolve(key: string): Step | undefined {
  const colon = key.indexOf(':');
  const event = key.slice(0, colon);
  const name = key.slice(colon + 1);
  if (event === 'closed') return CLOSE_STEPS.find((s) => s.name === name);
  return ORDER_STEPS.find((s) => s.on === event && s.name === name);
}

/**
 * Move an order from one of `from` to a new state in one guarded update that also writes the steps owed for `event`.
 * Answers the order as written, or null when the guard did not hold (someone else moved it first).
 */
export async function transitionOrder(
  ctx: Ctx,
  orderId: string,
  from: OrderStatus[],
  patch: Record<string, unknown>,
  event: ShopEvent,
  extraGuard: Record<string, unknown> = {},
): Promise<OrderDoc | null> {
  const _ = ctx.db.command;
  const now = ctx.clock.now();
  const names = stepsOf(event).map((s) => `${event}:${s.name}`);
  const owed = names.length ? { pendingSteps: _.push(names), stepsLeaseUntil: new Date(now.getTime() + STEP_LEASE_MS) } : {};
  const res = await collection(ctx.db, 'orders')
    .where({ _id: orderId, status: from.length === 1 ? from[0] : _.in(from), ...extraGuard })
    .updateAndReturn({ ...patch, ...owed, updatedAt: now });
  return res.doc;
}

/** Run what the order owes (the caller holds the lease). Answers the step names still owed afterwards. */
export async function runOwedSteps(ctx: Ctx, order: OrderDoc): Promise<string[]> {
  const _ = ctx.db.command;
  const keys = [...new Set(order.pendingSteps)];
  // Later steps see what this run has finished (e.g. the stats step waits for referral.settle) without a read.
  const current: OrderDoc = { ...order, pendingSteps: [...keys] };
  const notes: StepNotes = {};
  const done: string[] = [];
  const left: string[] = [];
  for (const key of keys) {
    const step = resolve(key);
    if (!step) {
      // Written by a bundle that knows a step this one does not (a deploy in progress): leave it for one that does.
      console.error(`[shop] order ${order._id} owes step ${key}, unknown to this function; it stays owed`);
      left.push(key);
      continue;
    }
    try {
      await step.run(ctx, current, notes);
    } catch (e) {
      console.error(`[shop] order ${order._id} step ${key} failed; it stays owed`, e);
      left.push(key);
      continue;
    }
    done.push(key);
    current.pendingSteps = current.pendingSteps.filter((k) => k !== key);
  }
  if (!done.length && !left.length) return left;
  // One update for the whole run (not one per step): a crash before it only reruns steps, which are idempotent.
  // Failed steps: hand the lease back at once so a retry or the next timer run may take them.
  const res = await collection(ctx.db, 'orders')
    .where({ _id: order._id })
    .updateAndReturn({ ...(done.length ? { pendingSteps: _.pullAll(done) } : {}), stepsLeaseUntil: left.length ? ctx.clock.now() : null });
  // Steps another event wrote meanwhile (a 拼团 decided while this ran) must not be left without a lease to claim.
  const after = res.doc;
  if (!left.length && after?.pendingSteps?.length && !after.stepsLeaseUntil) {
    await collection(ctx.db, 'orders').where({ _id: order._id, stepsLeaseUntil: null }).update({ stepsLeaseUntil: ctx.clock.now() });
  }
  return left;
}

/** Claim an order whose owed steps nobody is running (lease passed) and run them. Null when there is nothing to take. */
export async function finishOwedSteps(ctx: Ctx, orderId: string): Promise<string[] | null> {
  const _ = ctx.db.command;
  const now = ctx.clock.now();
  const res = await collection(ctx.db, 'orders')
    .where({ _id: orderId, stepsLeaseUntil: _.lte(now) })
    .updateAndReturn({ stepsLeaseUntil: new Date(now.getTime() + STEP_LEASE_MS) });
  const order = res.doc;
  if (!order) return null;
  if (!order.pendingSteps.length) {
    // Guarded: steps another event wrote since the claim keep the lease it set (cleared, they were stranded: the
    // timer claims only a lease that has passed, never none).
    await collection(ctx.db, 'orders').where({ _id: orderId, 'pendingSteps.0': _.exists(false) }).update({ stepsLeaseUntil: null });
    return [];
  }
  return runOwedSteps(ctx, order);
}

/** Timer: finish every order whose steps are owed and unclaimed. */
export async function finishAllOwedSteps(ctx: Ctx, batch = 50): Promise<number> {
  const _ = ctx.db.command;
  const res = await collection(ctx.db, 'orders').where({ stepsLeaseUntil: _.lte(ctx.clock.now()) }).field({ _id: true }).limit(batch).get();
  let done = 0;
  for (const { _id } of res.data) if ((await finishOwedSteps(ctx, _id)) !== null) done++;
  return done;
}
