/**
 * A deleted account's id: its documents live on under `deleted_<hash>`, never the openid. Pure.
 */
import crypto from 'node:crypto';

export const TOMBSTONE_PREFIX = 'deleted_';

/** The id that replaces a deleted user's openid: stable (a rerun finds the same), not reversible. */
export function tombstoneOf(openid: string): string {
  return `${TOMBSTONE_PREFIX}${crypto.createHash('sha256').update(`tombstone\u0000${openid}`).digest('hex').slice(0, 24)}`;
}

/**
 * The buyer ids a person's purchases are kept under: their openid, and the tombstone of an account they deleted
 * before. Someone who deleted their account and came back is a new account, but not a new customer: what they paid
 * for before still counts against an invitation (BIND_AFTER_PURCHASE) and new-user offers.
 */
export function purchaserIds(openid: string): string[] {
  return isTombstone(openid) ? [openid] : [openid, tombstoneOf(openid)];
}

export function isTombstone(userId: string): boolean {
  return userId.startsWith(TOMBSTONE_PREFIX);
}
