/** Flags for likely abuse of the referral program, from one inviter's invitees. Pure; thresholds in one place. */
import type { AbuseFlag } from '../../types/modules/merchant.api';

export interface InviteeFacts {
  boundAt: Date;
  status: 'bound' | 'converted' | 'reversed';
  /** How many times the invitee converted (a refunded one can convert again). */
  conversions: number;
}

/** Many invitees in a short time: at least `count` bindings inside any `windowMs`. */
export const BURST = { count: 5, windowMs: 3600_000 };
/** Invitees who all refund: at least this many bought, and every one of them is refunded now. */
export const ALL_REFUND_MIN = 2;

export function hasBurst(boundAts: Date[], rule = BURST): boolean {
  const t = boundAts.map((d) => d.getTime()).sort((a, b) => a - b);
  for (let i = 0, j = 0; j < t.length; j++) {
    while (t[j] - t[i] > rule.windowMs) i++;
    if (j - i + 1 >= rule.count) return true;
  }
  return false;
}

/** What the flags read of one inviter's invitees, however many: the database sums it (app/merchant/users.ts). */
export interface InviteeSummary {
  count: number;
  boundAts: Date[];
  /** Invitees who ever bought, and how many of those are refunded (reversed) now. */
  bought: number;
  boughtReversed: number;
}

export function summarize(invitees: InviteeFacts[]): InviteeSummary {
  const bought = invitees.filter((i) => i.conversions > 0);
  return { count: invitees.length, boundAts: invitees.map((i) => i.boundAt), bought: bought.length, boughtReversed: bought.filter((i) => i.status === 'reversed').length };
}

export function flagsOf(s: InviteeSummary): AbuseFlag[] {
  const flags: AbuseFlag[] = [];
  if (hasBurst(s.boundAts)) flags.push('burst_invites');
  if (s.bought >= ALL_REFUND_MIN && s.boughtReversed === s.bought) flags.push('invitees_refund');
  return flags;
}

export function abuseFlags(invitees: InviteeFacts[]): AbuseFlag[] {
  return flagsOf(summarize(invitees));
}

export function flagText(flag: AbuseFlag): string {
  return flag === 'burst_invites'
    ? `${BURST.windowMs / 3600_000} 小时内邀请了 ${BURST.count} 位以上好友`
    : `下单的好友（至少 ${ALL_REFUND_MIN} 位）全部退款了`;
}
