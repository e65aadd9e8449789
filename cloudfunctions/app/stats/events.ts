/**
 * Where each dashboard counter is counted, one function per kind of event, each recording with an event key that
 * makes it count once (infra/stats.ts), or inside a transaction that makes the event happen once (rewards posted).
 * The other modules call these where the event happens (this module imports none of them, so any may); the order
 * events are the merchant module's order steps (merchant/orderSteps.ts) and confirmations a settle job there.
 */
import type { OrderDoc, UserDoc } from '../../../types/models';
import type { AssistTaskDoc } from '../../../types/modules/assist.models';
import type { ReferralDoc, ReferralEventDoc, RewardDoc } from '../../../types/modules/referral.models';
import { rebateCounter, shanghaiDay } from '../../domain/stats';
import { isTombstone } from '../../domain/tombstone';
import { countInTx, recordStats, StatEvent, StatsCtx, StatsTx, wasCounted, wasCountedOnAnyShard } from '../../infra/stats';

/** Stats are a view: a failure to count is logged, never the user's failure (the outbox steps retry their own). */
async function safely(what: string, ctx: StatsCtx, events: StatEvent[]): Promise<void> {
  try {
    await recordStats(ctx, events);
  } catch (e) {
    console.error(`[stats] ${what} not counted`, e);
  }
}

/**
 * A login: a new user (and whether an invite card, poster or assist card brought them), and the day's active user.
 * `lastLoginAt` is the previous login (before this one), so a user is counted active once a day without a write.
 * `at`: the login's time as the user document has it (a second clock reading could fall on the next day).
 */
export async function statsOnLogin(ctx: StatsCtx, input: { user: Pick<UserDoc, '_id' | 'createdAt'>; isNew: boolean; previousLoginAt: Date | null; invited: boolean; at: Date }): Promise<void> {
  const now = input.at;
  const events: StatEvent[] = [];
  // On the user's shard: a first open's two events are one update.
  const shardKey = input.user._id;
  if (input.isNew) events.push({ eventKey: `user:${input.user._id}`, at: input.user.createdAt, shardKey, counters: { usersNew: 1, usersInvited: input.invited ? 1 : 0 } });
  const today = shanghaiDay(now);
  if (input.isNew || !input.previousLoginAt || shanghaiDay(input.previousLoginAt) !== today) {
    events.push({ eventKey: `active:${today}:${input.user._id}`, at: now, shardKey, counters: { usersActive: 1 } });
  }
  await safely('login', ctx, events);
}

/**
 * A funnel event of the referral module (events/<id>): card opens and the first login from a card, binds. The first
 * login from a card counts once per user: on the open that set users.cardOpenedAt (`firstCardOpen`), not on every
 * day's first (a day's counter document only knows that day's keys).
 */
export async function statsOnReferralEvent(ctx: StatsCtx, eventId: string, e: Omit<ReferralEventDoc, 'day'>, firstCardOpen = false): Promise<void> {
  const events: StatEvent[] = [];
  // On the user's shard: a card open and its first login are one update.
  const shardKey = e.userId;
  if (e.type === 'open' && e.source !== 'code') {
    events.push({ eventKey: `open:${eventId}`, at: e.at, shardKey, counters: { cardOpens: 1 } });
    if (firstCardOpen) events.push({ eventKey: `cardLogin:${e.userId}`, at: e.at, shardKey, counters: { cardLogins: 1 } });
  }
  if (e.type === 'bind') events.push({ eventKey: `bind:${eventId}`, at: e.at, shardKey, counters: { bound: 1 } });
  await safely('referral event', ctx, events);
}

function rewardIssued(r: RewardDoc): StatEvent {
  return { eventKey: `reward:${r._id}:issued`, at: r.createdAt, shardKey: r.userId, counters: { [rebateCounter(r.form, 'n')]: 1, [rebateCounter(r.form, 'amt')]: r.amount } };
}

/** Rewards that exist now (frozen or available; capped ones were never paid). */
export function rewardIssuedEvents(rewards: RewardDoc[]): StatEvent[] {
  return rewards.filter((r) => r.status === 'frozen' || r.status === 'available').map(rewardIssued);
}

/**
 * Rewards voided (while frozen) or clawed back (after they were posted), with their issue: a paid reward's void can
 * be counted before its issue (the order step that counts the issue runs after the settlement commits, and a refund
 * of another order in the group may void it in between); its issue's key makes the later count a no-op, so issued
 * and voided always come in pairs. The void is counted twice over: on its own day (voided or clawback, for the
 * balances) and on the day (undone, for the rebate cost of the days it was issued). A reward a cap left unpaid was never issued (`voidedFrom: 'capped'`); an older void
 * without `voidedFrom` counts only when its issue was counted (looked up).
 */
export async function rewardVoidedEvents(ctx: StatsCtx, rewards: RewardDoc[]): Promise<StatEvent[]> {
  const out: StatEvent[] = [];
  for (const r of rewards) {
    if (r.status !== 'voided' || !r.voidedAt || r.voidedFrom === 'capped') continue;
    const issued = rewardIssued(r);
    // An issue counted before its inviter deleted their account sits on the shard of the openid, which the reward no
    // longer names: re-sent under the tombstone it would count again. Such a void counts only if the issue is found.
    const deleted = isTombstone(r.userId);
    const lookUp = r.voidedFrom === undefined || deleted;
    // Under a tombstone the shard is unknown (it was the openid's): every shard of its day is looked at.
    if (lookUp && !(await (deleted ? wasCountedOnAnyShard(ctx, issued) : wasCounted(ctx, issued)))) continue;
    out.push(
      ...(lookUp ? [] : [issued]),
      { eventKey: `reward:${r._id}:voided`, at: r.voidedAt, shardKey: r.userId, counters: { [rebateCounter(r.form, r.postedAt ? 'clawback' : 'voided')]: r.amount } },
      // The issue no longer stands: the rebate cost of its day goes down.
      { eventKey: `reward:${r._id}:undone`, at: r.createdAt, shardKey: r.userId, counters: { [rebateCounter(r.form, 'undone_n')]: 1, [rebateCounter(r.form, 'undone')]: r.amount } },
    );
  }
  return out;
}

/**
 * Rewards moved frozen → available by the settle job, counted inside the transaction that posts them (referral/jobs.ts):
 * that transaction posts each reward once (its ledger entries have unique keys; a coupon reward changes its status in
 * it), and the counters commit or roll back with it, so each posted reward counts once without an event key, even
 * when a run is killed and run again. `lane`: the counter lane, one that no concurrent transaction writes (countInTx).
 * A failure here fails the transaction: the rewards stay frozen and the next run posts and counts them together.
 */
export async function countRewardsPostedInTx(t: StatsTx, _: StatsCtx['db']['command'], lane: number, at: Date, rewards: Pick<RewardDoc, 'form' | 'amount'>[]): Promise<void> {
  const counters: Record<string, number> = {};
  for (const r of rewards) {
    const k = rebateCounter(r.form, 'posted');
    counters[k] = (counters[k] ?? 0) + r.amount;
  }
  await countInTx(t, _, { at, lane, counters });
}

/** A reward voided by the merchant (fraud found later). */
export async function statsOnRewardVoided(ctx: StatsCtx, rewards: RewardDoc[]): Promise<void> {
  try {
    await recordStats(ctx, await rewardVoidedEvents(ctx, rewards));
  } catch (e) {
    console.error('[stats] reward voided not counted', e);
  }
}

/** An assist task started, succeeded or expired (one event key per task and outcome). */
export function assistStatEvent(task: Pick<AssistTaskDoc, '_id'>, what: 'started' | 'succeeded' | 'expired', at: Date): StatEvent {
  const counter = what === 'started' ? 'assistStarted' : what === 'succeeded' ? 'assistSucceeded' : 'assistExpired';
  return { eventKey: `assist:${task._id}:${what}`, at, counters: { [counter]: 1 } };
}

/**
 * An assist task's start, counted when it happens; answers whether it was (else the task's `statsOwed` flag has the
 * settle timer count it). Success and expiry are owed by their transitions and counted by the timer (assist/jobs.ts).
 */
export async function statsOnAssistStarted(ctx: StatsCtx, task: Pick<AssistTaskDoc, '_id'>, at: Date): Promise<boolean> {
  try {
    await recordStats(ctx, [assistStatEvent(task, 'started', at)]);
    return true;
  } catch (e) {
    console.error('[stats] assist started not counted now; the settle timer counts it', e);
    return false;
  }
}

/**
 * The conversion an order made (the invitee's first purchase, counted once per invitee, on the day it happened), on
 * the inviter's shard with the order's other counters and the rewards it earned them. Only the order that converted
 * the invitee carries it: a later order of theirs, paid on another day, would otherwise count them again there (its
 * day's document does not hold the key). An invitee converting again after a refund reversed the first conversion
 * is still one invitee.
 */
export function conversionEvents(order: OrderDoc, ref: ReferralDoc | null): StatEvent[] {
  if (!ref || ref.conversions !== 1 || ref.conversion?.orderId !== order._id) return [];
  return [{ eventKey: `firstBuy:${ref._id}`, at: ref.conversion.at, shardKey: ref.inviterId, counters: { converted: 1 } }];
}
