/**
 * A deleted account's id (app/account.ts tombstoneOf): its documents live on under `deleted_<hash>`, never the openid.
 * Pure.
 */
export const TOMBSTONE_PREFIX = 'deleted_';

export function isTombstone(userId: string): boolean {
  return userId.startsWith(TOMBSTONE_PREFIX);
}
