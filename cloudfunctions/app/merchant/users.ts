/**
 * The merchant's view of users: search, flags for likely abuse, one user's invitees (one level down) with their
 * ledger, blocking, and adding another merchant by invite code.
 */
import type { Page, Role } from '../../../types/api';
import type { UserDoc } from '../../../types/models';
import type { MerchantLedgerRow, MerchantUserRow, ReferralTreeView, TreeInviteeStatus } from '../../../types/modules/merchant.api';
import type { LedgerEntryDoc, ReferralDoc } from '../../../types/modules/referral.models';
import { flagsOf, flagText, InviteeSummary } from '../../domain/merchantFlags';
import { collection } from '../../infra/collections';
import { AppError } from '../../infra/errors';
import type { Ctx } from '../../infra/handler';
import { merchantOpenids } from '../../infra/handler';
import { rewardView } from '../referral/merchantActions';
import { entryTitle } from '../wallet/views';
import { setBlocked } from '../accounts/blocking';

/** A user as this module reads one (USER_FIELDS). */
type StoredUser = Pick<UserDoc, '_id' | 'nickname' | 'avatarUrl' | 'inviteCode' | 'roles' | 'createdAt' | 'inviterId' | 'blocked'>;

const USER_FIELDS = { _id: true, nickname: true, avatarUrl: true, inviteCode: true, roles: true, createdAt: true, inviterId: true, blocked: true };

function rolesOf(u: StoredUser): Role[] {
  const roles = new Set<Role>(u.roles ?? ['shopper']);
  if (merchantOpenids().has(u._id)) roles.add('merchant');
  return [...roles];
}

const NO_INVITEES: InviteeSummary = { count: 0, boundAts: [], bought: 0, boughtReversed: 0 };

export function userRow(u: StoredUser, invitees: InviteeSummary): MerchantUserRow {
  const flags = flagsOf(invitees);
  return {
    openid: u._id,
    nickname: u.nickname,
    avatarUrl: u.avatarUrl ?? '',
    inviteCode: u.inviteCode,
    roles: rolesOf(u),
    createdAt: u.createdAt.toISOString(),
    inviterId: u.inviterId ?? null,
    invitees: invitees.count,
    blocked: u.blocked ? { at: u.blocked.at.toISOString(), reason: u.blocked.reason } : null,
    flags,
    flagTexts: flags.map(flagText),
  };
}

/**
 * Each inviter's invitees summed by the database in one aggregation (all of them, however many: a page's big inviter
 * cannot crowd the others out of a capped read), for these inviters or, without ids, for everyone who invited.
 */
async function inviteeSummaries(ctx: Ctx, inviterIds?: string[]): Promise<Map<string, InviteeSummary>> {
  const _ = ctx.db.command;
  const $ = _.aggregate;
  const bought = $.gt(['$conversions', 0]);
  let agg = collection(ctx.db, 'referrals').aggregate();
  if (inviterIds) agg = agg.match({ inviterId: _.in(inviterIds) });
  const res = await agg
    .group({
      _id: '$inviterId',
      count: $.sum(1),
      boundAts: $.push('$boundAt'),
      bought: $.sum($.cond({ if: bought, then: 1, else: 0 })),
      boughtReversed: $.sum($.cond({ if: $.and([bought, $.eq(['$status', 'reversed'])]), then: 1, else: 0 })),
    })
    .limit(10_000)
    .end();
  // The aggregation's rows are untyped (the SDK's `end()`): typed here.
  const rows = (res.data ?? res.list ?? []) as (Omit<InviteeSummary, 'boundAts'> & { _id: string; boundAts: (Date | string)[] })[];
  return new Map(rows.map((r) => [r._id, { count: r.count, bought: r.bought, boughtReversed: r.boughtReversed, boundAts: r.boundAts.map((d) => new Date(d)) }]));
}

/** Rows for these users, their invitees summed in one aggregation. */
async function rowsFor(ctx: Ctx, users: StoredUser[]): Promise<MerchantUserRow[]> {
  if (!users.length) return [];
  const by = await inviteeSummaries(ctx, users.map((u) => u._id));
  return users.map((u) => userRow(u, by.get(u._id) ?? NO_INVITEES));
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export async function searchUsers(ctx: Ctx, input: { query?: string; flagged?: boolean; cursor?: number; pageSize?: number }): Promise<Page<MerchantUserRow>> {
  if (input.flagged) return flaggedUsers(ctx, input);
  const offset = input.cursor ?? 0;
  const size = input.pageSize ?? 20;
  const _ = ctx.db.command;
  // A NUL byte cannot be in a BSON regex (the database refuses the query: INTERNAL, found by the fuzzer); no name has one.
  const q = (input.query ?? '').replace(/\u0000/g, '').trim();
  const users = collection(ctx.db, 'users');
  const where = q
    ? _.or([{ _id: q }, { inviteCode: q.toUpperCase() }, { nickname: ctx.db.RegExp({ regexp: escapeRegExp(q), options: 'i' }) }])
    : {};
  const res = await users.where(where).field(USER_FIELDS).orderBy('createdAt', 'desc').skip(offset).limit(size + 1).get();
  const docs = res.data;
  return { items: await rowsFor(ctx, docs.slice(0, size)), next: docs.length > size ? offset + size : null };
}

/** Users with an abuse flag: inviters grouped from their referrals in one aggregation, then their rows. */
async function flaggedUsers(ctx: Ctx, input: { cursor?: number; pageSize?: number }): Promise<Page<MerchantUserRow>> {
  const offset = input.cursor ?? 0;
  const size = input.pageSize ?? 20;
  const flagged = [...(await inviteeSummaries(ctx))].filter(([, s]) => flagsOf(s).length > 0).map(([id]) => id).sort();
  const ids = flagged.slice(offset, offset + size);
  if (!ids.length) return { items: [], next: null };
  const _ = ctx.db.command;
  const users = (await collection(ctx.db, 'users').where({ _id: _.in(ids) }).field(USER_FIELDS).limit(size).get()).data;
  const order = new Map(ids.map((id, i) => [id, i]));
  users.sort((a, b) => order.get(a._id)! - order.get(b._id)!);
  return { items: await rowsFor(ctx, users), next: flagged.length > offset + size ? offset + size : null };
}

async function loadUser(ctx: Ctx, openid: string): Promise<StoredUser> {
  const u = (await collection(ctx.db, 'users').doc(openid).field(USER_FIELDS).get()).data?.[0];
  if (!u) throw new AppError('USER_NOT_FOUND');
  return u;
}

export async function userRowById(ctx: Ctx, openid: string): Promise<MerchantUserRow> {
  return (await rowsFor(ctx, [await loadUser(ctx, openid)]))[0];
}

function treeStatus(r: ReferralDoc, now: Date): TreeInviteeStatus {
  if (r.status === 'reversed') return 'reversed';
  if (r.status !== 'converted' || !r.conversion) return 'bound';
  return r.conversion.refundDeadline && r.conversion.refundDeadline <= now ? 'confirmed' : 'bought';
}

function ledgerRow(e: LedgerEntryDoc): MerchantLedgerRow {
  return { id: e._id, asset: e.asset, bucket: e.bucket, amount: e.amount, reason: e.reason, title: entryTitle(e), note: e.note, createdAt: e.createdAt.toISOString() };
}

/** Invitees a referral tree lists, newest first. */
const TREE_INVITEES = 500;

/** One user, their direct invitees (never further down: one level) with status, their wallet, ledger and rewards. */
export async function referralTree(ctx: Ctx, input: { openid: string }): Promise<ReferralTreeView> {
  const _ = ctx.db.command;
  const now = ctx.clock.now();
  const user = await loadUser(ctx, input.openid);
  const [summary, refs, ledger, rewards, wallet] = await Promise.all([
    inviteeSummaries(ctx, [user._id]),
    // The newest invitees listed (the row's count and flags are over all of them).
    collection(ctx.db, 'referrals').where({ inviterId: user._id }).orderBy('boundAt', 'desc').limit(TREE_INVITEES).get(),
    collection(ctx.db, 'ledger').where({ userId: user._id }).orderBy('createdAt', 'desc').limit(100).get(),
    collection(ctx.db, 'rewards').where({ userId: user._id }).orderBy('createdAt', 'desc').limit(100).get(),
    collection(ctx.db, 'wallets').doc(user._id).get(),
  ]);
  const referrals = refs.data;
  const nameIds = [...referrals.map((r) => r._id), ...(user.inviterId ? [user.inviterId] : [])];
  const names = nameIds.length
    ? new Map((await collection(ctx.db, 'users').where({ _id: _.in(nameIds) }).field({ nickname: true }).limit(1000).get()).data.map((u) => [u._id, u.nickname]))
    : new Map<string, string>();
  const w = wallet.data?.[0];
  return {
    user: userRow(user, summary.get(user._id) ?? NO_INVITEES),
    inviter: user.inviterId ? { openid: user.inviterId, nickname: names.get(user.inviterId) ?? '' } : null,
    invitees: referrals.map((r) => ({
      openid: r._id,
      nickname: names.get(r._id) ?? '',
      source: r.source,
      status: treeStatus(r, now),
      boundAt: r.boundAt.toISOString(),
      conversions: r.conversions ?? 0,
      orderId: r.conversion?.orderId ?? null,
    })),
    wallet: {
      cash: { availableFen: (w?.cash.available ?? 0) as never, frozenFen: (w?.cash.frozen ?? 0) as never, withdrawingFen: (w?.cash.withdrawing ?? 0) as never, debtFen: (w?.cash.debt ?? 0) as never },
      points: { available: w?.points.available ?? 0, frozen: w?.points.frozen ?? 0 },
    },
    ledger: ledger.data.map(ledgerRow),
    rewards: rewards.data.map(rewardView),
  };
}

export async function blockUser(ctx: Ctx, input: { openid: string; blocked: boolean; reason?: string }): Promise<MerchantUserRow> {
  if (input.blocked && input.openid === ctx.openid) throw new AppError('INVALID_ARGUMENT', '不能封禁自己');
  if (input.blocked && merchantOpenids().has(input.openid)) throw new AppError('INVALID_ARGUMENT', '不能封禁店主');
  // Blocking a merchant takes their access away (a blocked user is no merchant), unblocking gives it back: owners
  // only, as removing or adding one is.
  const target = await loadUser(ctx, input.openid);
  if (target.roles?.includes('merchant')) assertOwner(ctx);
  await setBlocked(ctx, input);
  return userRowById(ctx, input.openid);
}

/**
 * Who runs the shop is the owners' decision (MERCHANT_OPENIDS): a merchant the role was given to cannot give it on
 * (one taken-over account would otherwise make merchants of anyone, for good), nor take it away.
 */
function assertOwner(ctx: Ctx): void {
  if (!merchantOpenids().has(ctx.openid)) throw new AppError('FORBIDDEN', '只有店主可以添加、移除或封禁商家');
}

/** Another merchant, found by the invite code they show in 我的; owners only. Idempotent. */
export async function addMerchant(ctx: Ctx, input: { inviteCode: string }): Promise<MerchantUserRow> {
  assertOwner(ctx);
  const code = input.inviteCode.trim().toUpperCase();
  const found = (await collection(ctx.db, 'users').where({ inviteCode: code }).field({ _id: true }).limit(1).get()).data[0];
  if (!found) throw new AppError('INVITE_CODE_INVALID');
  await collection(ctx.db, 'users').where({ _id: found._id }).update({ roles: ctx.db.command.addToSet('merchant') });
  return userRowById(ctx, found._id);
}

/** Take the merchant role back (owners only; an owner's own access comes from MERCHANT_OPENIDS and stays). Idempotent. */
export async function removeMerchant(ctx: Ctx, input: { openid: string }): Promise<MerchantUserRow> {
  assertOwner(ctx);
  if (merchantOpenids().has(input.openid)) throw new AppError('INVALID_ARGUMENT', '店主不能被移除');
  const res = await collection(ctx.db, 'users').where({ _id: input.openid }).update({ roles: ctx.db.command.pull('merchant') });
  if (res.updated === 0 && !(await collection(ctx.db, 'users').doc(input.openid).field({ _id: true }).get()).data[0]) throw new AppError('USER_NOT_FOUND');
  return userRowById(ctx, input.openid);
}
