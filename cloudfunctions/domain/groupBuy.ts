/**
 * The group-buy (拼团) rules, pure: what an offer may say, who may open or join a group, what a group's fate is at
 * any moment, and how a payment is received. No SDK, no clock: callers pass `now`. The state machine:
 *
 *   pending ──leader pays──▶ open ──N-th member pays──▶ succeeded
 *      │                       └──deadline, fewer than minSize paid──▶ failed (every member refunded)
 *      └──leader's order closes unpaid──▶ cancelled        (deadline with ≥ minSize paid ──▶ succeeded)
 *
 * Each arrow out of `open` is one guarded update, so the timer and the last payment can never both win.
 */
import type { Fen } from '../../types/money';
import type { OrderDoc } from '../../types/models';
import type { GroupDoc, GroupStatus, GroupTerms } from '../../types/modules/group.models';

export const GROUP_SIZE_MIN = 2;
export const GROUP_SIZE_MAX = 10;

/** Cross-field problems of an offer, in Chinese, for GROUP_OFFER_INVALID (empty: fine). */
export function offerProblems(t: GroupTerms, listPriceFen: Fen): string[] {
  const out: string[] = [];
  if (!Number.isInteger(t.groupSize) || t.groupSize < GROUP_SIZE_MIN || t.groupSize > GROUP_SIZE_MAX) out.push(`成团人数须为 ${GROUP_SIZE_MIN}–${GROUP_SIZE_MAX} 人`);
  if (!Number.isSafeInteger(t.groupPriceFen) || t.groupPriceFen < 1) out.push('拼团价须至少 ¥0.01');
  else if (t.groupPriceFen >= listPriceFen) out.push('拼团价须低于商品原价');
  if (!Number.isInteger(t.timeLimitHours) || t.timeLimitHours < 1 || t.timeLimitHours > 24 * 7) out.push('拼团时限须为 1–168 小时');
  if (!Number.isInteger(t.maxOpenPerShopper) || t.maxOpenPerShopper < 1 || t.maxOpenPerShopper > 10) out.push('每人同时发起的拼团数须为 1–10 个');
  if (t.minSizeAtDeadline !== null && (!Number.isInteger(t.minSizeAtDeadline) || t.minSizeAtDeadline < GROUP_SIZE_MIN || t.minSizeAtDeadline >= t.groupSize)) {
    out.push(`到期成团的最少人数须为 ${GROUP_SIZE_MIN} 人到成团人数减 1`);
  }
  const r = t.leaderReward;
  if (r.kind === 'coupon') {
    if (r.amountFen >= t.groupPriceFen) out.push('团长优惠券面额须低于拼团价');
    if (r.minSpendFen < 0) out.push('优惠券门槛不能为负');
  }
  return out;
}

/** Paid members a group needs at its deadline. */
export function minSizeOf(t: Pick<GroupTerms, 'groupSize' | 'minSizeAtDeadline'>): number {
  return t.minSizeAtDeadline !== null && t.minSizeAtDeadline < t.groupSize ? t.minSizeAtDeadline : t.groupSize;
}

export type GroupFacts = Pick<GroupDoc, 'status' | 'size' | 'minSize' | 'seatsTaken' | 'paidCount' | 'deadline' | 'leaderId' | 'memberIds'>;

/**
 * The fate of a group as things stand, or null while nothing is to be decided: full → succeeded (any time);
 * past the deadline → succeeded with at least minSize paid, else failed. Only an open group is decided.
 */
export function decision(g: GroupFacts, now: Date): 'succeeded' | 'failed' | null {
  if (g.status !== 'open') return null;
  if (g.paidCount >= g.size) return 'succeeded';
  if (!g.deadline || now.getTime() < g.deadline.getTime()) return null;
  return g.paidCount >= g.minSize ? 'succeeded' : 'failed';
}

/** The status a viewer should see now (an open group past its deadline shows as decided before the timer runs). */
export function effectiveStatus(g: GroupFacts, now: Date): GroupStatus {
  return decision(g, now) ?? g.status;
}

export type JoinRefusal = 'GROUP_NOT_OPEN' | 'GROUP_CLOSED' | 'GROUP_FULL' | 'GROUP_ALREADY_MEMBER' | 'GROUP_NEW_USERS_ONLY';

/**
 * Refusals decided from the group as read, in the order a person wants to hear them; null: go on and claim a seat
 * (the guarded claim decides again under concurrency). `isNew` is asked only for new-users-only offers.
 */
export function joinRefusal(g: GroupFacts & { rules: Pick<GroupTerms, 'newUsersOnly'> }, userId: string, isNew: boolean | null, now: Date): JoinRefusal | null {
  if (g.leaderId === userId || g.memberIds.includes(userId)) return 'GROUP_ALREADY_MEMBER';
  if (g.status === 'pending') return 'GROUP_NOT_OPEN';
  if (effectiveStatus(g, now) !== 'open') return 'GROUP_CLOSED';
  if (g.seatsTaken >= g.size) return 'GROUP_FULL';
  if (g.rules.newUsersOnly && isNew === false) return 'GROUP_NEW_USERS_ONLY';
  return null;
}

/** A guarded seat claim failed although the group looked joinable: it filled up, or it closed meanwhile. */
export function lostSeatRefusal(g: Pick<GroupDoc, 'deadline'>, now: Date): JoinRefusal {
  return g.deadline && now.getTime() < g.deadline.getTime() ? 'GROUP_FULL' : 'GROUP_CLOSED';
}

/** A joiner's unpaid order must not outlive the group: it expires at the usual time or at the deadline, earlier first. */
export function joinOrderExpiry(usual: Date, deadline: Date | null): Date {
  return deadline && deadline.getTime() < usual.getTime() ? deadline : usual;
}

/** Groups a leader holds that count against the offer's cap: waiting for the leader's payment, or open. */
export function countsAgainstCap(g: GroupFacts, now: Date): boolean {
  const s = effectiveStatus(g, now);
  return s === 'pending' || s === 'open';
}

/** Success rate in basis points (succeeded over decided), null before any decision. */
export function successRateBp(succeeded: number, failed: number): number | null {
  const decided = succeeded + failed;
  return decided ? Math.round((succeeded * 10_000) / decided) : null;
}

/** Seats nobody holds. */
export function seatsLeft(g: Pick<GroupDoc, 'size' | 'seatsTaken'>): number {
  return Math.max(g.size - g.seatsTaken, 0);
}

/** How long the timer waits before looking again at a group whose orders are not all received yet. */
const RECHECK_MS = 6 * 3600_000;
/**
 * A 团长 reward is released only this long after the last refund deadline: a refund asked just before it passed the
 * window check and writes its request within a function's time limit (60 s at most), so by then it is there to see.
 */
export const RELEASE_GRACE_MS = 5 * 60_000;
/** Refund requests (and orders' refundStatus) still open. */
export const OPEN_REFUND = new Set(['requested', 'approved']);

/**
 * What the member orders say about a held reward now: release it, take it back, or look again at `checkAt`.
 * `openRefunds`: the orders with a refund request still open (read from the requests, which are written before the
 * order hears of them).
 */
export function leaderRewardVerdict(
  group: Pick<GroupDoc, 'minSize' | 'paidOrderIds'>,
  orders: Pick<OrderDoc, '_id' | 'status' | 'refundDeadline' | 'refundStatus'>[],
  openRefunds: Set<string>,
  now: Date,
): { action: 'release' | 'void' } | { action: 'wait'; checkAt: Date } {
  const kept = orders.filter((o) => o.status !== 'refunded' && o.refundStatus !== 'refunded');
  if (kept.length < group.minSize) return { action: 'void' };
  // An order not read (it cannot be missing: paid orders are never removed) counts as still open.
  const missing = group.paidOrderIds.length - orders.length;
  const refundOpen = (o: (typeof kept)[number]) => OPEN_REFUND.has(o.refundStatus ?? '') || openRefunds.has(o._id);
  const releaseAt = (o: (typeof kept)[number]) => (o.status === 'received' && o.refundDeadline && !refundOpen(o) ? o.refundDeadline.getTime() + RELEASE_GRACE_MS : null);
  const due = kept.map(releaseAt);
  if (!missing && due.every((t) => t !== null && t <= now.getTime())) return { action: 'release' };
  // All received with no refund open: look again when the last one's window (and its grace) has passed; otherwise
  // in a few hours.
  const checkAt = !missing && due.every((t) => t !== null) ? Math.max(...(due as number[])) : now.getTime() + RECHECK_MS;
  return { action: 'wait', checkAt: new Date(checkAt) };
}
