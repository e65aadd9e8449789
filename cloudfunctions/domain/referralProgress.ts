/**
 * 推三返一 groups. Each converted invitee joins the pool of the everyN rule that applied to their first order; every
 * n members make a group, which earns one reward. A member whose order is refunded leaves: from the pool, or by
 * dissolving their group (its reward is taken back) — the other members return to the front of the pool, so the
 * next conversion completes the group again ("the reward returns"). Pure.
 */
import type { GroupMember, RewardDoc } from '../../types/modules/referral.models';

export interface Progress {
  pool: GroupMember[];
  /** Completed groups that still stand. */
  groups: number;
}

export interface PoolChange {
  progress: Progress;
  /** Groups completed by this change, in order (each of exactly n members). */
  completed: GroupMember[][];
}

const empty = (): Progress => ({ pool: [], groups: 0 });

function completeGroups(pool: GroupMember[], groups: number, n: number): PoolChange {
  const rest = [...pool];
  const completed: GroupMember[][] = [];
  while (rest.length >= n) completed.push(rest.splice(0, n));
  return { progress: { pool: rest, groups: groups + completed.length }, completed };
}

/** A converted invitee joins the pool (once: joining again changes nothing). */
export function joinPool(p: Progress | undefined, member: GroupMember, n: number): PoolChange {
  const cur = p ?? empty();
  if (cur.pool.some((m) => m.inviteeId === member.inviteeId)) return { progress: cur, completed: [] };
  return completeGroups([...cur.pool, member], cur.groups, n);
}

/** A member still waiting in the pool leaves it (their conversion was reversed). */
export function leavePool(p: Progress | undefined, inviteeId: string): Progress {
  const cur = p ?? empty();
  return { pool: cur.pool.filter((m) => m.inviteeId !== inviteeId), groups: cur.groups };
}

/** A group loses `leavingInviteeId`: it no longer counts, and its other members go back to the front of the pool. */
export function dissolveGroup(p: Progress | undefined, group: GroupMember[], leavingInviteeId: string, n: number): PoolChange {
  const cur = p ?? empty();
  const back = group.filter((m) => m.inviteeId !== leavingInviteeId && !cur.pool.some((x) => x.inviteeId === m.inviteeId));
  return completeGroups([...back, ...cur.pool], Math.max(0, cur.groups - 1), n);
}

/** Record a member's refund deadline wherever it sits in the pool. */
export function stampPool(p: Progress | undefined, orderId: string, refundDeadline: Date): Progress | undefined {
  if (!p) return p;
  return { ...p, pool: p.pool.map((m) => (m.orderId === orderId ? { ...m, refundDeadline } : m)) };
}

/** A reward matures when every member's refund deadline is known and has passed: the latest of them. */
export function maturityOf(members: GroupMember[]): Date | null {
  if (members.length === 0 || members.some((m) => m.refundDeadline === null)) return null;
  return new Date(Math.max(...members.map((m) => (m.refundDeadline as Date).getTime())));
}

/**
 * What taking a reward back means for its money: still frozen → void it; already posted to available → book a
 * debt (clawback); already taken back, or never paid (capped) → nothing.
 */
export type RewardFate = 'void' | 'clawback' | 'none';

export function fateOf(reward: Pick<RewardDoc, 'status'>, ledger: { posted: boolean; reversed: boolean }): RewardFate {
  if (ledger.reversed || reward.status === 'voided' || reward.status === 'capped') return 'none';
  return ledger.posted ? 'clawback' : 'void';
}

/** "2/3" */
export function progressText(current: number, n: number): string {
  return `${current}/${n}`;
}
