/**
 * The signed-in user: first open creates them (openid from the call context) with a unique invite code; an open from
 * a share card, a poster, a typed code or an assist card binds the inviter (app/referral/binding) and is recorded
 * for the funnel; consent to the privacy notice binds an inviter held until then.
 */
import crypto from 'node:crypto';
import type { Role } from '../../types/api';
import type { BindingOutcome, LoginInput, LoginResult } from '../../types/modules/referral.api';
import type { UserDoc } from '../../types/models';
import type { BindSource } from '../../types/modules/referral.models';
import { maskNickname } from '../../types/names';
import { inviteCodeFrom } from '../domain/inviteCode';
import { tombstoneOf } from '../domain/tombstone';
import { collection } from '../infra/collections';
import { isDuplicateKey } from '../infra/db';
import { AppError } from '../infra/errors';
import type { Ctx } from '../infra/handler';
import { merchantOpenids } from '../infra/handler';
import { BlockMark, carryBlockOver } from './accounts/blocking';
import { statsOnLogin } from './stats/events';
import { carryDebtOver } from './wallet/carryOver';
import { BindResult, bindInviter, bindingUserFields, bindPendingInviter, recordEvent, UserLite } from './referral/binding';

const DEFAULT_NICKNAME = '微信用户';

/** The inviter as this user may see them: the masked nickname, only once the inviter agreed to the privacy notice. */
function inviterView(inviter: UserLite | undefined): LoginResult['inviter'] {
  const nickname = inviter?.nickname?.trim();
  // A friend who never set a name reads better as 好友 (the app's wording) than as a masked 微**户.
  if (!inviter?.consent || !nickname || nickname === DEFAULT_NICKNAME) return null;
  return { nickname: maskNickname(nickname) };
}

function toResult(user: UserDoc, isNew: boolean, binding: BindingOutcome | null, inviter?: UserLite): LoginResult {
  const roles = new Set<Role>(user.roles);
  if (merchantOpenids().has(user._id)) roles.add('merchant');
  return {
    openid: user._id,
    inviteCode: user.inviteCode,
    nickname: user.nickname,
    avatarUrl: user.avatarUrl,
    roles: [...roles],
    isNew,
    consented: !!user.consent,
    hasInviter: !!user.inviterId,
    binding,
    inviter: inviterView(inviter),
  };
}

function outcome(r: BindResult): BindingOutcome {
  return { bound: r.bound, pending: !!r.pending, reason: r.reason ?? null };
}

async function getUser(ctx: Ctx): Promise<UserDoc | undefined> {
  return (await collection(ctx.db, 'users').doc(ctx.openid).get()).data?.[0];
}

/** First open creates the user; later opens touch lastLoginAt. An invite in the open is bound and recorded. */
export async function loginUser(ctx: Ctx, input: LoginInput = {}): Promise<LoginResult> {
  const now = ctx.clock.now();
  let user = await getUser(ctx);
  const invite = await resolveInvite(ctx, input);
  // Opened through a shared card, a poster or an assist card (a typed code is no open).
  const cardOpen = !!invite && invite.source !== 'code';
  let isNew = false;
  let firstCardOpen = false;
  if (!user) {
    ({ user, isNew } = await createUser(ctx, now, cardOpen));
    firstCardOpen = isNew && cardOpen;
  }
  if (!isNew) firstCardOpen = await touchLogin(ctx, user, now, cardOpen);
  // A reward of the deleted account clawed back since the last open is owed here from now on.
  if (!isNew && user.formerAccount) await carryDebtOver(ctx, ctx.openid);
  await statsOnLogin(ctx, { user, isNew, previousLoginAt: isNew ? null : user.lastLoginAt, invited: !!invite?.inviterId && invite.source !== 'code', at: now });
  if (!invite) return toResult(user, isNew, null);
  const known = invite.inviter ? [user, invite.inviter] : undefined;
  const result: BindResult = invite.inviterId ? await bindInviter(ctx, { inviteeId: ctx.openid, inviterId: invite.inviterId, source: invite.source, inviteeCreatedNow: isNew }, known) : { bound: false, reason: 'INVITE_CODE_INVALID' };
  if (invite.source !== 'code') {
    const open = { type: 'open' as const, userId: ctx.openid, inviterId: invite.inviterId, source: invite.source, bound: result.bound, reason: result.reason ?? (result.pending ? 'CONSENT_REQUIRED' : null), orderId: null };
    await recordEvent(ctx, open, { firstCardOpen });
  }
  // What the binding wrote, without reading the user again (the result shows whether there is an inviter).
  if (result.bound && invite.inviterId) user = { ...user, inviterId: invite.inviterId, boundAt: now, pendingInviter: null };
  return toResult(user, isNew, outcome(result), result.inviter ?? invite.inviter);
}

/**
 * A later open: lastLoginAt, and on the user's first open through a card, cardOpenedAt with it, guarded so that of
 * two first card opens at once only one is the first. Answers whether this open was that first one.
 */
async function touchLogin(ctx: Ctx, user: UserDoc, now: Date, cardOpen: boolean): Promise<boolean> {
  const users = collection(ctx.db, 'users');
  if (cardOpen && !user.cardOpenedAt) {
    const first = await users.where({ _id: ctx.openid, cardOpenedAt: ctx.db.command.eq(null) }).update({ lastLoginAt: now, cardOpenedAt: now });
    if (first.updated === 1) return true;
  }
  await users.doc(ctx.openid).update({ lastLoginAt: now });
  return false;
}

async function createUser(ctx: Ctx, now: Date, cardOpen: boolean): Promise<{ user: UserDoc; isNew: boolean }> {
  const former = await carryOverDeletedAccount(ctx);
  for (let attempt = 0; attempt < 5; attempt++) {
    const user: UserDoc = {
      _id: ctx.openid,
      inviteCode: inviteCodeFrom(crypto.randomBytes(8)),
      nickname: DEFAULT_NICKNAME,
      avatarUrl: '',
      roles: ['shopper'],
      createdAt: now,
      lastLoginAt: now,
      consent: null,
      inviterId: null,
      boundAt: null,
      hasInvitees: false,
      pendingInviter: null,
      cardOpenedAt: cardOpen ? now : null,
      ...(former ? { formerAccount: true } : {}),
      ...(former?.blocked ? { blocked: former.blocked } : {}),
    };
    try {
      await collection(ctx.db, 'users').add(user);
      return { user, isNew: true };
    } catch (e) {
      if (!isDuplicateKey(e)) throw e;
      // Either this user was created by a concurrent first open, or the invite code is taken: look, then retry.
      const raced = await getUser(ctx);
      if (raced) return { user: raced, isNew: false };
    }
  }
  throw new Error('could not allocate a unique invite code');
}

/**
 * Someone who deleted their account and opens the app again (their tombstone's user document exists): the shop's
 * block and what they still owed follow them to the new account. Answers the block mark to create the user with
 * (null: none), or null when there was no earlier account. One read by id for everyone else.
 */
async function carryOverDeletedAccount(ctx: Ctx): Promise<{ blocked: BlockMark | null } | null> {
  const former = (await collection(ctx.db, 'users').doc(tombstoneOf(ctx.openid)).field({ blocked: true }).get()).data?.[0] as { blocked?: BlockMark | null } | undefined;
  if (!former) return null;
  if (former.blocked) await carryBlockOver(ctx, ctx.openid);
  await carryDebtOver(ctx, ctx.openid);
  return { blocked: former.blocked ?? null };
}

/** The inviter an open points at: an assist task's owner, or the owner of an invite code (null when unknown). */
async function resolveInvite(ctx: Ctx, input: LoginInput): Promise<{ inviterId: string | null; source: BindSource; inviter?: UserLite } | null> {
  if (input.taskId) {
    const task = (await collection(ctx.db, 'assist_tasks').doc(input.taskId).field({ ownerId: true }).get()).data?.[0];
    return { inviterId: task?.ownerId ?? null, source: 'assist' };
  }
  if (input.inviteCode) {
    const inviter = await inviterByCode(ctx, input.inviteCode);
    return { inviterId: inviter?._id ?? null, source: input.source ?? 'card', inviter: inviter ?? undefined };
  }
  return null;
}

/** The owner of an invite code, with the fields a binding decision reads (null when the code is unknown). */
async function inviterByCode(ctx: Ctx, code: string): Promise<UserLite | null> {
  const normalized = code.trim().toUpperCase();
  if (!/^[A-Z0-9]{4,16}$/.test(normalized)) return null;
  const res = await collection(ctx.db, 'users').where({ inviteCode: normalized }).field(bindingUserFields).limit(1).get();
  return res.data[0] ?? null;
}

/** 填写邀请码: a typed code binds now (or at consent), or is refused with the catalogued reason. */
export async function bindByCode(ctx: Ctx, input: { inviteCode: string }): Promise<BindingOutcome> {
  const inviterId = (await inviterByCode(ctx, input.inviteCode))?._id;
  if (!inviterId) throw new AppError('INVITE_CODE_INVALID');
  const result = await bindInviter(ctx, { inviteeId: ctx.openid, inviterId, source: 'code' });
  if (!result.bound && !result.pending) throw new AppError(result.reason ?? 'CONFLICT');
  return outcome(result);
}

/** The user agrees to the privacy notice (version recorded); an inviter held until now is bound. */
export async function consentUser(ctx: Ctx, input: { version: string }): Promise<LoginResult> {
  const now = ctx.clock.now();
  const before = await getUser(ctx);
  if (!before) throw new AppError('UNAUTHENTICATED');
  const consent = { version: input.version, at: now };
  // _.set: a plain object would be written field by field, which fails on the null it replaces.
  await collection(ctx.db, 'users').where({ _id: ctx.openid }).update({ consent: ctx.db.command.set(consent) });
  let user: UserDoc = { ...before, consent };
  const held = user.pendingInviter;
  const pending = await bindPendingInviter(ctx, ctx.openid, user);
  // What the binding wrote, without reading the user again: bound to the held inviter, or the held one dropped.
  if (pending && held) user = pending.bound ? { ...user, inviterId: held.inviterId, boundAt: now, pendingInviter: null } : { ...user, pendingInviter: null };
  return toResult(user, false, pending ? outcome(pending) : null, pending?.bound ? pending.inviter : undefined);
}

export async function updateProfile(ctx: Ctx, input: { nickname?: string; avatarUrl?: string }): Promise<LoginResult> {
  const patch: Record<string, string> = {};
  if (input.nickname !== undefined) patch.nickname = input.nickname.trim();
  if (input.avatarUrl !== undefined) patch.avatarUrl = input.avatarUrl;
  if (Object.keys(patch).length === 0) throw new AppError('INVALID_ARGUMENT');
  // An unchanged value updates nothing, so existence is judged by the read that follows.
  await collection(ctx.db, 'users').where({ _id: ctx.openid }).update(patch);
  const user = await getUser(ctx);
  if (!user) throw new AppError('UNAUTHENTICATED');
  return toResult(user, false, null);
}
