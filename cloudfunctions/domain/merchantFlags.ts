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

export function abuseFlags(invitees: InviteeFacts[]): AbuseFlag[] {
  const flags: AbuseFlag[] = [];
  if (hasBurst(invitees.map((i) => i.boundAt))) flags.push('burst_invites');
  const bought = invitees.filter((i) => i.conversions > 0);
  if (bought.length >= ALL_REFUND_MIN && bought.every((i) => i.status === 'reversed')) flags.push('invitees_refund');
  return flags;
}

export function flagText(flag: AbuseFlag): string {
  return flag === 'burst_invites'
    ? `${BURST.windowMs / 3600_000} 小时内邀请了 ${BURST.count} 位以上好友`
    : `下单的好友（至少 ${ALL_REFUND_MIN} 位）全部退款了`;
}
