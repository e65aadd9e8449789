/**
 * Per-person assist state (`assist_helpers`, `_id` = openid): the first arrival through an assist card and the
 * day's help counter.
 *
 * How "new" is known. A helper is new for a task when they first opened the app through THAT task's card after it
 * started and have no paid order. The first arrival is recorded once per user, first writer wins:
 *  - by the referral module's `user.login` (it receives `taskId` from the card) calling `recordAssistArrival`
 *    with `firstOpen` = its own "this login created the user";
 *  - or by `assist.get` when the viewer opens the card: it counts as the first open when the viewer has no user
 *    record yet or the record (`users.createdAt`) was created within FIRST_OPEN_GRACE_MS.
 * Either way the arrival is written only for a first open, and never overwritten, so a user is new for one task
 * at most. `help` reads it back in the same guarded update that claims a daily slot.
 */
import type { AssistHelperDoc } from '../../../types/modules/assist.models';
import { isFirstOpen, shanghaiDay } from '../../domain/assistPolicy';
import { purchaserIds } from '../../domain/tombstone';
import { collection } from '../../infra/collections';
import { isDuplicateKey } from '../../infra/db';
import type { Ctx } from '../../infra/handler';

const HELPERS = 'assist_helpers';

export async function loadHelper(ctx: Ctx, openid: string): Promise<AssistHelperDoc | null> {
  return (await collection(ctx.db, HELPERS).doc(openid).get()).data?.[0] ?? null;
}

/**
 * Record that `openid` arrived through task `taskId`'s card. Only a first open is recorded, once per user (a later
 * call, or one for another task, changes nothing). Returns true when this call recorded it.
 */
export async function recordAssistArrival(
  ctx: Pick<Ctx, 'db' | 'clock'>,
  input: { taskId: string; openid: string; firstOpen: boolean; via?: 'login' | 'card' },
): Promise<boolean> {
  if (!input.firstOpen || !input.openid || !input.taskId) return false;
  const now = ctx.clock.now();
  const arrival = { taskId: input.taskId, at: now, via: input.via ?? 'login' };
  const helpers = collection(ctx.db, HELPERS);
  const doc: AssistHelperDoc = { _id: input.openid, firstArrival: arrival, day: shanghaiDay(now), dayCount: 0, updatedAt: now };
  try {
    await helpers.add(doc);
    return true;
  } catch (e) {
    if (!isDuplicateKey(e)) throw e;
  }
  const _ = ctx.db.command;
  const res = await helpers.where({ _id: input.openid, firstArrival: null }).update({ firstArrival: _.set(arrival), updatedAt: now });
  return res.updated === 1;
}

/**
 * A viewer opened a task's card (`assist.get`): make sure they have a helper record (so their `help` claims its
 * daily slot in one round trip) and record the arrival when this is their first open of the app.
 */
export async function noteCardView(ctx: Ctx, taskId: string, helper: AssistHelperDoc | null): Promise<AssistHelperDoc> {
  const now = ctx.clock.now();
  if (helper?.firstArrival) return helper;
  const user = (await collection(ctx.db, 'users').doc(ctx.openid).get()).data?.[0] ?? null;
  const first = isFirstOpen(user?.createdAt ?? null, now);
  if (first) {
    await recordAssistArrival(ctx, { taskId, openid: ctx.openid, firstOpen: true, via: 'card' });
    return (await loadHelper(ctx, ctx.openid)) ?? { _id: ctx.openid, firstArrival: null, day: null, dayCount: 0, updatedAt: now };
  }
  if (!helper) {
    const doc: AssistHelperDoc = { _id: ctx.openid, firstArrival: null, day: shanghaiDay(now), dayCount: 0, updatedAt: now };
    try {
      await collection(ctx.db, HELPERS).add(doc);
      return doc;
    } catch (e) {
      if (!isDuplicateKey(e)) throw e;
      return (await loadHelper(ctx, ctx.openid)) ?? doc;
    }
  }
  return helper;
}

export type DailyClaim = { ok: true; helper: AssistHelperDoc } | { ok: false };

/**
 * Claim one of today's help slots atomically (never read-add-write): a guarded increment under the cap; a first
 * record; or a counter left from another day reset to 1. The claimed record comes back with the first arrival.
 * A blocked helper (flag mirrored by accounts/blocking.ts) claims nothing: the caller tells why with one read.
 */
export async function claimDailySlot(ctx: Ctx, openid: string, cap: number): Promise<DailyClaim> {
  const _ = ctx.db.command;
  const now = ctx.clock.now();
  const day = shanghaiDay(now);
  const helpers = collection(ctx.db, HELPERS);
  for (let attempt = 0; attempt < 2; attempt++) {
    const same = await helpers.where({ _id: openid, day, dayCount: _.lt(cap), blocked: _.neq(true) }).updateAndReturn({ dayCount: _.inc(1), updatedAt: now });
    if (same.doc) return { ok: true, helper: same.doc };
    if (attempt === 0) {
      const doc: AssistHelperDoc = { _id: openid, firstArrival: null, day, dayCount: 1, updatedAt: now };
      try {
        await helpers.add(doc);
        return { ok: true, helper: doc };
      } catch (e) {
        if (!isDuplicateKey(e)) throw e;
      }
    }
    const fresh = await helpers.where({ _id: openid, day: _.neq(day), blocked: _.neq(true) }).updateAndReturn({ day, dayCount: 1, updatedAt: now });
    if (fresh.doc) return { ok: true, helper: fresh.doc };
  }
  return { ok: false };
}

/**
 * Give back a slot claimed for a help that was then not counted: on the day it was claimed (`claimed.day`), never on
 * the clock's day now — a claim just before midnight given back just after would take a slot from the new day.
 */
export async function releaseDailySlot(ctx: Ctx, openid: string, claimed: Pick<AssistHelperDoc, 'day'>): Promise<void> {
  const _ = ctx.db.command;
  await collection(ctx.db, HELPERS).where({ _id: openid, day: claimed.day, dayCount: _.gt(0) }).update({ dayCount: _.inc(-1) });
}

/** Whether the app's `user.login` created this user's record (an openid that never logged in is not a user yet). */
export async function isRegistered(ctx: Ctx, userId: string): Promise<boolean> {
  const res = await collection(ctx.db, 'users').doc(userId).field({ _id: true }).get();
  return (res.data?.length ?? 0) > 0;
}

/** Whether the user has ever paid for an order, under this account or one they deleted before (paidAt is set at payment). */
export async function hasPaidOrder(ctx: Ctx, userId: string): Promise<boolean> {
  const _ = ctx.db.command;
  const res = await collection(ctx.db, 'orders').where({ buyerId: _.in(purchaserIds(userId)), paidAt: _.neq(null) }).field({ _id: true }).limit(1).get();
  return res.data.length > 0;
}
