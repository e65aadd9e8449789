/**
 * Blocking a user: they can still buy, but earn no rewards and cannot help or withdraw. The flag lives on the user
 * (`users/<openid>.blocked`); withdrawals ask `isBlocked` and refuse with USER_BLOCKED. Two mirrors let the hot paths
 * refuse inside a write they make anyway: `assist_helpers/<openid>.blocked` (help's daily-slot claim) and
 * `wallets/<openid>.blocked` (the settlement that would reward them reads that wallet in its transaction). Its own
 * module (imports no other), so referral and assist ask it without depending on the merchant module, whose 用户
 * page sets the flag.
 */
import type { UserDoc } from '../../../types/models';
import { newWallet } from '../../domain/ledger';
import { collection } from '../../infra/collections';
import { isDuplicateKey } from '../../infra/db';
import { AppError } from '../../infra/errors';
import type { Ctx } from '../../infra/handler';

export interface BlockMark {
  at: Date;
  by: string;
  reason: string;
}

type DbCtx = Pick<Ctx, 'db'>;

/** Whether `openid` is blocked, and whether their account was created after they deleted an earlier one: one read by id. */
export async function standingOf(ctx: DbCtx, openid: string): Promise<{ blocked: boolean; formerAccount: boolean }> {
  if (!openid) return { blocked: false, formerAccount: false };
  const res = await collection(ctx.db, 'users').doc(openid).field({ blocked: true, formerAccount: true }).get();
  const user = res.data?.[0] as { blocked?: BlockMark | null; formerAccount?: boolean } | undefined;
  return { blocked: !!user?.blocked, formerAccount: !!user?.formerAccount };
}

/** One read by id. A user that does not exist is not blocked. */
export async function isBlocked(ctx: DbCtx, openid: string): Promise<boolean> {
  return (await standingOf(ctx, openid)).blocked;
}

/** Refuse with USER_BLOCKED when `openid` is blocked. */
export async function assertNotBlocked(ctx: DbCtx, openid: string): Promise<void> {
  if (await isBlocked(ctx, openid)) throw new AppError('USER_BLOCKED');
}

/**
 * Copy the flag onto `assist_helpers/<openid>` (created if missing, so no later insert can lack it): help's guarded
 * daily-slot claim refuses a blocked helper in the update it already makes. Rerun by a retried block/unblock.
 */
async function mirrorOnAssistHelper(ctx: Ctx, openid: string, blocked: boolean): Promise<void> {
  const helpers = collection(ctx.db, 'assist_helpers');
  const now = ctx.clock.now();
  if ((await helpers.where({ _id: openid }).update({ blocked, updatedAt: now })).updated === 1 || !blocked) return;
  if (!(await inserted(insertBlockedHelper(ctx, openid, now)))) await helpers.where({ _id: openid }).update({ blocked: true, updatedAt: now });
}

/**
 * Copy the flag onto `wallets/<openid>` (created, empty, if missing, so a first reward cannot miss it). A settlement
 * in flight for this user read the wallet in its transaction: this write makes it conflict and rerun with the flag.
 */
async function mirrorOnWallet(ctx: Ctx, openid: string, blocked: boolean): Promise<void> {
  const wallets = collection(ctx.db, 'wallets');
  const now = ctx.clock.now();
  if ((await wallets.where({ _id: openid }).update({ blocked, updatedAt: now })).updated === 1 || !blocked) return;
  if (!(await inserted(insertBlockedWallet(ctx, openid, now)))) await wallets.where({ _id: openid }).update({ blocked: true, updatedAt: now });
}

const insertBlockedHelper = (ctx: Ctx, openid: string, now: Date) => collection(ctx.db, 'assist_helpers').add({ _id: openid, firstArrival: null, day: null, dayCount: 0, blocked: true, updatedAt: now });
const insertBlockedWallet = (ctx: Ctx, openid: string, now: Date) => collection(ctx.db, 'wallets').add({ ...newWallet(openid, now), blocked: true });

/** Whether the insert wrote its document (false: one with that id exists already). */
async function inserted(write: Promise<unknown>): Promise<boolean> {
  try {
    await write;
    return true;
  } catch (e) {
    if (!isDuplicateKey(e)) throw e;
    return false;
  }
}

/** Block or unblock (idempotent: blocking a blocked user keeps the first mark). Answers the user as stored. */
export async function setBlocked(ctx: Ctx, input: { openid: string; blocked: boolean; reason?: string }): Promise<UserDoc & { blocked?: BlockMark | null }> {
  const _ = ctx.db.command;
  const users = collection(ctx.db, 'users');
  if (input.blocked) {
    const mark: BlockMark = { at: ctx.clock.now(), by: ctx.openid, reason: (input.reason ?? '').trim() || '商家封禁' };
    await users.where({ _id: input.openid, blocked: null }).update({ blocked: _.set(mark) });
  } else {
    await users.where({ _id: input.openid, blocked: _.neq(null) }).update({ blocked: null });
  }
  await mirrorOnAssistHelper(ctx, input.openid, input.blocked);
  await mirrorOnWallet(ctx, input.openid, input.blocked);
  const user = (await users.doc(input.openid).get()).data?.[0] as (UserDoc & { blocked?: BlockMark | null }) | undefined;
  if (!user) throw new AppError('USER_NOT_FOUND');
  return user;
}

/**
 * A block outlives an account deletion: when an openid whose deleted account was blocked opens the app again, the
 * mark is carried to the new account. The mirrors are written here, before the new user document exists (which the
 * caller then creates with the mark), so there is no moment in which the new account could help or be rewarded
 * unblocked. They are inserted, never updated: the deletion removed both, so only this carry (or an earlier first
 * open that stopped half way) creates them, and a slow second first open cannot put back a block the merchant lifted
 * after the first one finished.
 */
export async function carryBlockOver(ctx: Ctx, openid: string): Promise<void> {
  const now = ctx.clock.now();
  await inserted(insertBlockedHelper(ctx, openid, now));
  await inserted(insertBlockedWallet(ctx, openid, now));
}
