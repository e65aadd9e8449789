/**
 * A friend taps 助力. The task is a hot document (DESIGN rule 5): many friends write it at once and CloudBase
 * transactions give up after four conflicts, so nothing here is a transaction on the task:
 *  1. read the task and refuse what the task alone decides (self, already helped, done, ended);
 *  2. insert the assist with the deterministic _id `${taskId}:${helperId}`: one friend helps a task once;
 *  3. claim one of the helper's daily slots with a guarded increment (it returns the helper's first arrival, and
 *     refuses a blocked helper: the flag is mirrored on the helper record);
 *  4. count with a GUARDED update: `where({_id, status: 'open', helpers: _.lt(target), ...}).update(_.inc(1))` —
 *     the count can never pass the target; a friend the guard turns away gets the assist and slot back, and hears
 *     "already done" (or "ended");
 *  5. the friend whose count reached the target completes the task with a guarded transition (reward once).
 * Round trips for a friend who opened the card first: 5 (6 for the one who completes the task).
 */
import { isTombstone } from '../../domain/tombstone';
import type { AssistHelpResult } from '../../../types/modules/assist.api';
import type { AssistDoc, AssistTaskDoc } from '../../../types/modules/assist.models';
import type { Arrival } from '../../domain/assistPolicy';
import { helperRefusal, isNewHelper, lostRaceRefusal, shanghaiDay, taskRefusal } from '../../domain/assistPolicy';
import { collection } from '../../infra/collections';
import { isDuplicateKey } from '../../infra/db';
import { AppError } from '../../infra/errors';
import type { Ctx } from '../../infra/handler';
import { isBlocked } from '../accounts/blocking';
import { bindInviter } from '../referral/binding';
import { claimDailySlot, hasPaidOrder, isRegistered, loadHelper, releaseDailySlot } from './helpers';
import { noticeFriendHelped } from './notices';
import { completeTask } from './rewards';
import { loadTask } from './tasks';

/** Counts one helper on a task; answers the helpers counted after it, or null when the count was refused. */
export type HelpCounter = (ctx: Ctx, task: AssistTaskDoc, helperId: string) => Promise<number | null>;

/** The real counter: one guarded update, so concurrent friends can never count past the target. */
export const guardedCount: HelpCounter = async (ctx, task, helperId) => {
  const _ = ctx.db.command;
  const now = ctx.clock.now();
  const res = await collection(ctx.db, 'assist_tasks')
    .where({ _id: task._id, status: 'open', helpers: _.lt(task.target), helperIds: _.neq(helperId), deadline: _.gt(now) })
    .updateAndReturn({ helpers: _.inc(1), helperIds: _.push(helperId), updatedAt: now });
  return res.doc ? res.doc.helpers : null;
};

/** An assist inserted by a request that died before counting it is older than any live request (functions time out at 10 s). */
const STALE_ASSIST_MS = 60_000;

/**
 * New = a registered user (has a `users` record) who first opened the app through this card after the task started,
 * with no paid order. The record and the orders are read (in parallel) only for someone who arrived through this card.
 */
async function newness(ctx: Ctx, task: AssistTaskDoc, arrival: Arrival | null): Promise<boolean> {
  if (!arrival || arrival.taskId !== task._id) return false;
  const [registered, paid] = await Promise.all([isRegistered(ctx, ctx.openid), hasPaidOrder(ctx, ctx.openid)]);
  return isNewHelper({ taskId: task._id, taskStartedAt: task.startedAt, arrival, hasPaidOrder: paid, registered });
}

/** Arrived through this card as their first open: worth offering the owner as inviter (binding checks the user itself). */
function arrivedThroughThisCard(task: AssistTaskDoc, arrival: Arrival | null): boolean {
  return isNewHelper({ taskId: task._id, taskStartedAt: task.startedAt, arrival, hasPaidOrder: false, registered: true });
}

/** Insert the assist; false when this friend already has one on this task (after clearing one left by a crash). */
async function insertAssist(ctx: Ctx, task: AssistTaskDoc, doc: AssistDoc): Promise<boolean> {
  const assists = collection(ctx.db, 'assists');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      await assists.add(doc);
      return true;
    } catch (e) {
      if (!isDuplicateKey(e)) throw e;
    }
    // The task we read does not count this friend: the other assist is either in flight right now (a double tap)
    // or was left by a request that died between insert and count. Only the latter is old; void it and retry once.
    if (attempt > 0 || task.helperIds.includes(doc.helperId)) return false;
    const existing = (await assists.doc(doc._id).get()).data?.[0];
    if (!existing || ctx.clock.now().getTime() - existing.createdAt.getTime() < STALE_ASSIST_MS) return false;
    const fresh = await loadTask(ctx, task._id);
    if (!fresh || fresh.helperIds.includes(doc.helperId)) return false;
    await assists.where({ _id: doc._id, createdAt: existing.createdAt }).remove();
  }
  return false;
}

export async function helpAssistTask(ctx: Ctx, input: { taskId: string }, count: HelpCounter = guardedCount): Promise<AssistHelpResult> {
  const now = ctx.clock.now();
  const helperId = ctx.openid;
  const task = await loadTask(ctx, input.taskId);
  // A deleted owner's task (it lives on under the tombstone) is gone for everyone else.
  if (!task || isTombstone(task.ownerId)) throw new AppError('ASSIST_TASK_NOT_FOUND');
  const refusal = taskRefusal(task, helperId, now);
  if (refusal) {
    // A full task left open (its completer died before the transition) is completed by whoever sees it.
    if (refusal === 'ASSIST_TASK_DONE' && task.status === 'open') await completeTask(ctx, task);
    throw new AppError(refusal);
  }

  // New-users-only: decided before anything is written.
  let isNew: boolean | null = null;
  if (task.rules.newUsersOnly) {
    isNew = await newness(ctx, task, (await loadHelper(ctx, helperId))?.firstArrival ?? null);
    const notNew = helperRefusal({ helpsToday: 0, dailyCap: Infinity, newUsersOnly: true, isNew });
    if (notNew) throw new AppError(notNew);
  }

  const assist: AssistDoc = { _id: `${task._id}:${helperId}`, taskId: task._id, helperId, ownerId: task.ownerId, day: shanghaiDay(now), createdAt: now };
  if (!(await insertAssist(ctx, task, assist))) throw new AppError('ASSIST_ALREADY_HELPED');
  const voidAssist = () => collection(ctx.db, 'assists').doc(assist._id).remove();

  // A claim that failed outright leaves no assist behind (else the friend's retry is refused as already helped).
  const claim = await claimDailySlot(ctx, helperId, task.rules.helperDailyCap).catch(async (e: unknown) => {
    await voidAssist().catch(() => undefined);
    throw e;
  });
  if (!claim.ok) {
    // The claim's guard also refuses a blocked helper (no separate block read on the common path): tell which.
    const [blocked] = await Promise.all([isBlocked(ctx, helperId), voidAssist()]);
    throw new AppError(blocked ? 'USER_BLOCKED' : 'ASSIST_DAILY_CAP');
  }

  let helpers: number | null;
  try {
    helpers = await count(ctx, task, helperId);
  } catch (e) {
    // The count failed, or its answer was lost. The task says which: not listing this friend, nothing was counted,
    // so the assist and the day's slot go back (else a failed write costs the friend the day's help); listing them,
    // the help stands and goes on from the task as it is.
    const fresh = await loadTask(ctx, task._id).catch(() => null);
    if (!fresh) throw e;
    if (!fresh.helperIds.includes(helperId)) {
      await Promise.all([voidAssist(), releaseDailySlot(ctx, helperId, claim.helper)]);
      throw e;
    }
    helpers = fresh.helpers;
  }
  if (helpers === null) {
    await Promise.all([voidAssist(), releaseDailySlot(ctx, helperId, claim.helper)]);
    throw new AppError(lostRaceRefusal(task, now));
  }

  const completed = helpers >= task.target;
  if (completed) await completeTask(ctx, task);
  else await noticeFriendHelped(ctx, task, helperId, helpers);

  // A helper who arrived new through this card is bound to the owner as their inviter, by the referral module's
  // rules (which refuse a user with a paid order, an inviter already, a cycle, …).
  let inviterBinding: AssistHelpResult['inviterBinding'] = null;
  if (isNew ?? arrivedThroughThisCard(task, claim.helper.firstArrival)) {
    try {
      const r = await bindInviter(ctx, { inviteeId: helperId, inviterId: task.ownerId, source: 'assist' });
      inviterBinding = r.bound ? 'bound' : r.pending ? 'pending' : 'refused';
    } catch (e) {
      // The help is counted either way; a failed binding is the referral module's to retry, not the friend's.
      console.error(`[assist] bindInviter failed for ${helperId} → ${task.ownerId}`, e);
      inviterBinding = 'refused';
    }
  }
  return { taskId: task._id, helpers, target: task.target, completed, inviterBinding };
}
