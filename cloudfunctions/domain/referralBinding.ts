/**
 * Who may be bound to whom (DESIGN rule 1): first touch wins and is permanent (or lasts the merchant's validity);
 * only a user with no inviter and no paid order; never to themself; never into a cycle. Before the privacy consent
 * the inviter is held as pending (first touch wins there too) and bound at consent. Pure.
 */
import type { ErrorCode } from '../../types/errors';

/**
 * The longest chain of inviters above any user: how far up a chain we look for a cycle, so a bind that would make a
 * longer one is refused rather than half-checked (the audit reports a longer chain).
 */
export const MAX_CHAIN_DEPTH = 32;

export interface BindFacts {
  inviteeId: string;
  inviterId: string;
  /** The invitee's current binding, if any. */
  current: { inviterId: string; expiresAt: Date | null; converted: boolean } | null;
  /** An inviter already held until consent. */
  pendingInviterId: string | null;
  consented: boolean;
  inviteeHasPaidOrder: boolean;
  /** The inviter's ancestors, nearest first (the inviter's inviter, then theirs, …). */
  inviterAncestors: string[];
  /** False when the walk stopped at MAX_CHAIN_DEPTH before reaching a user without an inviter. */
  chainComplete: boolean;
  /** Levels of invitees below the invitee (0 when they invited nobody): binding hangs all of them under the inviter. */
  inviteeHeight?: number;
  now: Date;
  /** At consent the held inviter is bound: the pending slot is this very inviter, not a competitor. */
  atConsent?: boolean;
}

export type BindDecision = { action: 'bind' } | { action: 'pending' } | { action: 'refuse'; reason: ErrorCode };

/** A binding still holds while it has not expired, and forever once it converted. */
export function bindingHolds(current: BindFacts['current'], now: Date): boolean {
  if (!current) return false;
  return current.converted || current.expiresAt === null || now < current.expiresAt;
}

export function decideBinding(f: BindFacts): BindDecision {
  if (f.inviteeId === f.inviterId) return { action: 'refuse', reason: 'SELF_INVITE' };
  if (bindingHolds(f.current, f.now)) return { action: 'refuse', reason: 'ALREADY_BOUND' };
  if (f.inviteeHasPaidOrder) return { action: 'refuse', reason: 'BIND_AFTER_PURCHASE' };
  if (f.inviterAncestors.includes(f.inviteeId)) return { action: 'refuse', reason: 'BIND_CYCLE' };
  if (!f.chainComplete || f.inviterAncestors.length + 1 + (f.inviteeHeight ?? 0) > MAX_CHAIN_DEPTH) return { action: 'refuse', reason: 'BIND_CHAIN_TOO_DEEP' };
  if (!f.consented) {
    if (f.pendingInviterId && f.pendingInviterId !== f.inviterId) return { action: 'refuse', reason: 'ALREADY_BOUND' };
    return { action: 'pending' };
  }
  if (f.pendingInviterId && f.pendingInviterId !== f.inviterId && !f.atConsent) return { action: 'refuse', reason: 'ALREADY_BOUND' };
  return { action: 'bind' };
}

/** When a binding made at `now` ends, given the merchant's validity in days (null = never). */
export function bindingExpiry(now: Date, validityDays: number | null): Date | null {
  if (validityDays === null || validityDays <= 0) return null;
  return new Date(now.getTime() + validityDays * 24 * 3600_000);
}

