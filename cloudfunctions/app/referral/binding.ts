/**
 * Binding an invitee to their inviter (DESIGN rule 1, domain/referralBinding): first touch wins and is permanent
 * (or lasts the merchant's validity), only a user with no inviter and no paid order, never to themself, never into
 * a cycle, held as pending until the privacy consent. The user's `inviterId` and `referrals/<invitee>` are written
 * together in one transaction; the funnel gets an event.
 */
import { isTombstone, purchaserIds } from '../../domain/tombstone';
import type { ErrorCode } from '../../../types/errors';
import type { UserDoc } from '../../../types/models';
import type { BindSource, ReferralDoc, ReferralEventDoc } from '../../../types/modules/referral.models';
import { shanghaiDay } from '../../domain/rebateRules';
import { BindFacts, bindingExpiry, decideBinding, MAX_CHAIN_DEPTH } from '../../domain/referralBinding';
import { collection, TxHandle, txCollection } from '../../infra/collections';
import { statsOnReferralEvent } from '../stats/events';
import { loadSettings } from '../wallet/settings';
import { DbCtx, retrying } from '../wallet/tx';

export interface BindResult {
  bound: boolean;
  /** Held until consent. */
  pending?: boolean;
  reason?: ErrorCode;
  /** The inviter's document as the decision read it (absent when the inviter is unknown). */
  inviter?: UserLite;
}

export type UserLite = Pick<UserDoc, '_id' | 'inviterId' | 'consent' | 'pendingInviter' | 'nickname' | 'hasInvitees'>;

/** The user fields a binding decision reads (a caller that read them already passes the documents in). */
export const bindingUserFields = { _id: true, inviterId: true, consent: true, pendingInviter: true, nickname: true, hasInvitees: true };
const userFields = bindingUserFields;

/**
 * Bind (or hold) the inviter. `known`: the invitee's and the inviter's documents when the caller read them in this
 * request (login just made or read both), saving a read; the transaction reads the invitee again either way.
 * `inviteeCreatedNow`: this request created the invitee's user document, so they have no order, paid or not (an order
 * needs a user who agreed to the privacy notice; a deleted account's orders went to its tombstone): no orders read.
 */
export async function bindInviter(ctx: DbCtx, input: { inviteeId: string; inviterId: string; source: BindSource; inviteeCreatedNow?: boolean }, known?: UserLite[]): Promise<BindResult> {
  return bind(ctx, input, false, known);
}

/** At consent: bind the inviter held as pending, if still allowed; a refused one is dropped. */
export async function bindPendingInviter(ctx: DbCtx, userId: string, known?: UserLite): Promise<BindResult | null> {
  const user = known ?? (await collection(ctx.db, 'users').doc(userId).field(userFields).get()).data?.[0];
  const pending = user?.pendingInviter;
  if (!pending) return null;
  const result = await bind(ctx, { inviteeId: userId, inviterId: pending.inviterId, source: pending.source }, true, user ? [user] : undefined);
  if (!result.bound) await collection(ctx.db, 'users').where({ _id: userId, 'pendingInviter.inviterId': pending.inviterId }).update({ pendingInviter: null });
  return result;
}

async function bind(ctx: DbCtx, input: { inviteeId: string; inviterId: string; source: BindSource; inviteeCreatedNow?: boolean }, atConsent: boolean, known?: UserLite[]): Promise<BindResult> {
  const { inviteeId, inviterId, source } = input;
  if (!inviteeId || !inviterId) return { bound: false, reason: 'INVALID_ARGUMENT' };
  if (inviteeId === inviterId) return { bound: false, reason: 'SELF_INVITE' };
  // A deleted account invites nobody (its assist card or an old code must not bind a newcomer to it for good).
  if (isTombstone(inviterId)) return { bound: false, reason: 'INVITE_CODE_INVALID' };
  const _ = ctx.db.command;
  const now = ctx.clock.now();
  // Read only the documents the caller did not pass in (none, one, or both in one query).
  const missing = [inviteeId, inviterId].filter((id) => !known?.some((u) => u._id === id));
  const read = missing.length ? (await collection(ctx.db, 'users').where({ _id: _.in(missing) }).field(userFields).get()).data : [];
  const users = [...(known ?? []), ...read];
  const invitee = users.find((u) => u._id === inviteeId);
  const inviter = users.find((u) => u._id === inviterId);
  if (!inviter) return { bound: false, reason: 'INVITE_CODE_INVALID' };
  if (!invitee) return { bound: false, reason: 'NOT_FOUND' };

  const [current, orders, chain, inviteeHeight] = await Promise.all([
    currentBinding(ctx, invitee),
    input.inviteeCreatedNow ? NO_ORDERS : ordersOf(ctx, inviteeId),
    ancestorsOf(ctx, inviter),
    heightBelow(ctx, invitee),
  ]);
  const facts: BindFacts = {
    inviteeId,
    inviterId,
    current,
    pendingInviterId: invitee.pendingInviter?.inviterId ?? null,
    consented: !!invitee.consent,
    inviteeHasPaidOrder: orders.paid,
    inviterAncestors: chain.ancestors,
    chainComplete: chain.complete,
    inviteeHeight,
    now,
    atConsent,
  };
  const decision = decideBinding(facts);
  if (decision.action === 'refuse') return { bound: false, reason: decision.reason, inviter };

  if (decision.action === 'pending') {
    if (invitee.pendingInviter?.inviterId === inviterId) return { bound: false, pending: true, inviter };
    const res = await collection(ctx.db, 'users')
      .where({ _id: inviteeId, pendingInviter: null, consent: null })
      .update({ pendingInviter: _.set({ inviterId, source, at: now }) });
    if (res.updated !== 1) return { bound: false, reason: 'ALREADY_BOUND', inviter };
    await recordEvent(ctx, { type: 'bind_pending', userId: inviteeId, inviterId, source, bound: false, reason: null, orderId: null });
    return { bound: false, pending: true, inviter };
  }

  const settings = await loadSettings(ctx);
  const referral: ReferralDoc = {
    _id: inviteeId,
    inviterId,
    upline: chain.ancestors[0] ?? null,
    source,
    boundAt: now,
    expiresAt: bindingExpiry(now, settings.bindingValidityDays),
    status: 'bound',
    conversion: null,
    conversions: 0,
    updatedAt: now,
  };
  const reason = await retrying(8, (): Promise<ErrorCode | null> => ctx.db.runTransaction(async (t: TxHandle) => {
    // Read again inside: whoever bound first in the meantime wins.
    const fresh = (await txCollection(t, 'users').doc(inviteeId).get()).data;
    const prior = (await txCollection(t, 'referrals').doc(inviteeId).get()).data;
    if (!fresh) return 'NOT_FOUND' as ErrorCode;
    const again = decideBinding({
      ...facts,
      current: fresh.inviterId && prior ? { inviterId: prior.inviterId, expiresAt: prior.expiresAt, converted: prior.status === 'converted' } : fresh.inviterId ? { inviterId: fresh.inviterId, expiresAt: null, converted: false } : null,
      pendingInviterId: fresh.pendingInviter?.inviterId ?? null,
      consented: !!fresh.consent,
    });
    if (again.action !== 'bind') return again.action === 'refuse' ? again.reason : ('CONSENT_REQUIRED' as ErrorCode);
    if (await paidWhileBinding(t, orders.unpaid, now)) return 'BIND_AFTER_PURCHASE' as ErrorCode;
    const guarded = await guardAgainstCycles(t, fresh, inviterId, now);
    if (guarded) return guarded;
    await txCollection(t, 'users').doc(inviteeId).update({ inviterId, boundAt: now, pendingInviter: null });
    const { _id, ...doc } = referral;
    await txCollection(t, 'referrals').doc(_id).set(doc);
    return null;
  }));
  if (reason) return { bound: false, reason, inviter };
  await recordEvent(ctx, { type: 'bind', userId: inviteeId, inviterId, source, bound: true, reason: null, orderId: null });
  return { bound: true, inviter };
}

type BindingUser = UserLite & Pick<UserDoc, 'hasInvitees'>;

/**
 * The cycle check and the write as one decision (DESIGN rule 11). The transactions run under snapshot isolation,
 * so a check that only reads could pass in two binds that each close half of a ring (A→B and B→A at once). A cycle
 * through the invitee needs the invitee to have invitees of their own:
 * - every bind marks its inviter `hasInvitees` (written once, the first time), so a bind *to* the invitee that
 *   races this one writes the invitee's document too, and one of the two conflicts and retries with fresh reads;
 * - when the invitee has (or, on an older document, may have) invitees, the inviter's chain is walked inside the
 *   transaction and every link read is written, so any bind that changes a link conflicts with this one.
 * Either way, what this transaction read cannot change before it commits: the check holds at the commit.
 * Answers a refusal, or null after writing the guard.
 */
async function guardAgainstCycles(t: TxHandle, invitee: BindingUser, inviterId: string, now: Date): Promise<ErrorCode | null> {
  const inviter = (await txCollection(t, 'users').doc(inviterId).get()).data;
  if (!inviter) return 'INVITE_CODE_INVALID';
  const links: string[] = [];
  if (invitee.hasInvitees !== false) {
    let next: string | null | undefined = inviter.inviterId;
    while (next) {
      if (next === invitee._id) return 'BIND_CYCLE';
      if (links.length >= MAX_CHAIN_DEPTH || links.includes(next)) return 'BIND_CHAIN_TOO_DEEP';
      links.push(next);
      const up = (await txCollection(t, 'users').doc(next).get()).data;
      next = up?.inviterId ?? null;
    }
  }
  const mark = invitee.hasInvitees !== false || inviter.hasInvitees !== true;
  if (mark) await txCollection(t, 'users').doc(inviterId).update({ hasInvitees: true, bindGuardAt: now });
  for (const id of links) await txCollection(t, 'users').doc(id).update({ bindGuardAt: now });
  return null;
}

/**
 * The paid-order check (ordersOf) is a query, outside the transaction (a transaction reads documents by id only), so
 * a first payment could land between it and the commit. The unpaid orders that query found are read again here: a
 * paid one refuses; one still unpaid is written, so a payment marking it paid after this snapshot makes the commit
 * conflict and the binding run again (and refuse). A payment after the commit came after the binding: allowed.
 */
async function paidWhileBinding(t: TxHandle, orderIds: string[], now: Date): Promise<boolean> {
  for (const id of orderIds) {
    const order = (await txCollection(t, 'orders').doc(id).get()).data;
    if (!order) continue;
    if (order.paidAt) return true;
    if (order.status === 'pending_payment') await txCollection(t, 'orders').doc(id).update({ bindCheckedAt: now });
  }
  return false;
}

async function currentBinding(ctx: DbCtx, invitee: UserLite): Promise<BindFacts['current']> {
  if (!invitee.inviterId) return null;
  const ref = (await collection(ctx.db, 'referrals').doc(invitee._id).get()).data?.[0];
  if (!ref) return { inviterId: invitee.inviterId, expiresAt: null, converted: false };
  return { inviterId: ref.inviterId, expiresAt: ref.expiresAt, converted: ref.status === 'converted' };
}

const NO_ORDERS = { paid: false, unpaid: [] as string[] };
/** Unpaid orders the binding checks again (each expires within the pay timeout; more at once is not a shopper). */
const UNPAID_ORDERS_READ = 20;

/**
 * Whether any order of theirs was ever paid (a refunded one too: the order documents are the truth), and the ids of
 * their unpaid orders (which the binding transaction checks again), in one query: paid ones sort first (a missing or
 * null paidAt sorts last when descending), so however many unpaid orders there are, a paid one is seen.
 */
async function ordersOf(ctx: DbCtx, buyerId: string): Promise<{ paid: boolean; unpaid: string[] }> {
  const _ = ctx.db.command;
  const res = await collection(ctx.db, 'orders')
    .where(_.and([{ buyerId: _.in(purchaserIds(buyerId)) }, _.or([{ paidAt: _.neq(null) }, { status: 'pending_payment' }])]))
    .orderBy('paidAt', 'desc')
    .field({ _id: true, paidAt: true })
    .limit(UNPAID_ORDERS_READ)
    .get();
  return { paid: !!res.data[0]?.paidAt, unpaid: res.data.filter((o) => !o.paidAt).map((o) => o._id) };
}

/** The inviter's chain upward, nearest first, at most MAX_CHAIN_DEPTH long. */
async function ancestorsOf(ctx: DbCtx, inviter: UserLite): Promise<{ ancestors: string[]; complete: boolean }> {
  const ancestors: string[] = [];
  let next = inviter.inviterId ?? null;
  while (next) {
    if (ancestors.length >= MAX_CHAIN_DEPTH || ancestors.includes(next) || next === inviter._id) return { ancestors, complete: false };
    ancestors.push(next);
    const up = (await collection(ctx.db, 'users').doc(next).field({ inviterId: true }).get()).data?.[0];
    next = up?.inviterId ?? null;
  }
  return { ancestors, complete: true };
}

/** Levels of invitees below a user (0 for one who invited nobody, known without a read from the mark). */
async function heightBelow(ctx: DbCtx, user: UserLite & Pick<UserDoc, 'hasInvitees'>): Promise<number> {
  if (user.hasInvitees === false) return 0;
  const _ = ctx.db.command;
  let frontier = [user._id];
  let height = 0;
  while (frontier.length && height <= MAX_CHAIN_DEPTH) {
    const next: string[] = [];
    for (let i = 0; i < frontier.length; i += 500) {
      const res = await collection(ctx.db, 'users').where({ inviterId: _.in(frontier.slice(i, i + 500)) }).field({ _id: true }).limit(1000).get();
      next.push(...res.data.map((u) => u._id));
    }
    if (!next.length) break;
    height++;
    frontier = next;
  }
  return height;
}

/** A funnel event; `firstCardOpen`: this open is the user's first through a card (users.cardOpenedAt). */
export async function recordEvent(ctx: DbCtx, e: Omit<ReferralEventDoc, 'day' | 'at'>, opts: { firstCardOpen?: boolean } = {}): Promise<void> {
  const now = ctx.clock.now();
  const doc: ReferralEventDoc = { ...e, day: shanghaiDay(now), at: now };
  const { id } = await collection(ctx.db, 'events').add(doc);
  await statsOnReferralEvent(ctx, String(id), doc, opts.firstCardOpen ?? false);
}
