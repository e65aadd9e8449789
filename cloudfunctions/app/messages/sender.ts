/**
 * The outbox's sender, run by the settle timer (app/jobs.ts): queued messages go out as WeChat subscribe messages
 * (infra/wxOpenApi.ts), with the templates of config/subscribeMessages.ts.
 *
 * - Each message is claimed with ONE guarded update (queued | failed and due | sending with a lapsed lease →
 *   sending, with this run's claim id and a lease) before anything is sent, so two runs at once never send a
 *   message twice; every later transition is guarded by the claim id.
 * - At most one message per user, kind and Asia/Shanghai day: whoever inserts the day's marker document
 *   (message_caps/<day>|<kind>|<user>, a deterministic id) may send; the others end `capped`. No read-add-write.
 *   A message that ends dead gives its marker back.
 * - A failed send is retried with exponential backoff (nextAttemptAt); after NOTIFY_MAX_ATTEMPTS attempts, or at
 *   once on an error no retry can change (the user has not subscribed, …), it is dead-lettered (`dead`).
 * - Delivery counts for the dashboard (msgSent / msgCapped / msgFailed / msgDead, infra/stats.ts) are counted once
 *   per transition by event key; a transition leaves `counted: false` until they are, and the next run counts what
 *   a run that died left owed.
 * - At most once: just before asking WeChat the claimer marks the message (`sendAttemptedAt`). A send with no answer
 *   (a timeout: it may have been delivered), or a lapsed claim still marked (a run that died after asking), ends
 *   `unconfirmed` and is never sent again; its day's slot stays taken. Only an answered failure is retried.
 * A run works in batches within a time budget; whatever it leaves is taken by the next.
 */
import { isTombstone } from '../../domain/tombstone';
import crypto from 'node:crypto';
import { messageData, templateFor } from '../../../config/subscribeMessages';
import { capMarkerId, maxAttempts, PERMANENT_ERRCODES, retryDelayMs } from '../../domain/messageDelivery';
import { shanghaiDay } from '../../domain/stats';
import { collection } from '../../infra/collections';
import { isDuplicateKey } from '../../infra/db';
import type { Ctx } from '../../infra/handler';
import type { NotificationDoc, NotificationStatus } from '../../infra/notifications';
import { recordStats, StatEvent } from '../../infra/stats';
import { wxOpenApi } from '../../infra/wxOpenApi';
import type { Job, JobRun } from '../kernel/jobs';

const COLLECTION = 'notifications';
const CAPS = 'message_caps';
/** The sender stops starting sends after this long… */
const BUDGET_MS = Number(process.env.MESSAGE_JOB_BUDGET_MS ?? 4000);
/** …or once the settle run has taken this long in all (it runs after the other jobs; the local cloud gives a function 20 s) — but always gets a second. */
const RUN_BUDGET_MS = Number(process.env.SETTLE_RUN_BUDGET_MS ?? 12_000);
const MIN_MS = 1000;
const BATCH = 50;
const CONCURRENCY = 8;
/** How long a claim holds: well past the send's own timeout (10 s), so only a run that died loses its claim. */
const LEASE_MS = 120_000;
const DAY_MS = 24 * 3600_000;

type Env = Record<string, string | undefined>;
type Done = Pick<NotificationDoc, '_id' | 'status' | 'attempts'> & { at: Date };

/** The dashboard events a message's current state owes (their keys make a recount harmless). */
function eventsOf(n: Done): StatEvent[] {
  const ev = (suffix: string, counter: string): StatEvent => ({ eventKey: `msg:${n._id}:${suffix}`, at: n.at, counters: { [counter]: 1 } });
  const attempt = n.attempts ?? 0;
  switch (n.status) {
    case 'sent':
      return [ev('sent', 'msgSent')];
    case 'capped':
      return [ev('capped', 'msgCapped')];
    case 'failed':
      return [ev(`fail:${attempt}`, 'msgFailed')];
    case 'dead':
      return [ev(`fail:${attempt}`, 'msgFailed'), ev('dead', 'msgDead')];
    case 'unconfirmed':
      return [ev(`fail:${attempt}`, 'msgFailed')];
    default:
      return [];
  }
}

async function countDone(ctx: Ctx, done: Done[]): Promise<void> {
  const owing = done.filter((d) => eventsOf(d).length);
  if (!owing.length) return;
  await recordStats(ctx, owing.flatMap(eventsOf));
  const _ = ctx.db.command;
  await collection(ctx.db, COLLECTION).where({ _id: _.in(owing.map((d) => d._id)), counted: false }).update({ counted: true });
}

/** Transitions a run that died left uncounted, and cap markers of days long gone. */
async function tidy(ctx: Ctx): Promise<void> {
  const _ = ctx.db.command;
  const owed = await collection(ctx.db, COLLECTION).where({ counted: false, status: _.in(['sent', 'capped', 'failed', 'dead', 'unconfirmed']) }).field({ status: true, attempts: true, updatedAt: true }).limit(500).get();
  await countDone(ctx, owed.data.map((d) => ({ ...d, at: d.updatedAt ?? ctx.clock.now() })));
  await collection(ctx.db, CAPS).where({ day: _.lt(shanghaiDay(new Date(ctx.clock.now().getTime() - 2 * DAY_MS))) }).remove();
}

interface Run {
  ctx: Ctx;
  env: Env;
  claimId: string;
}

/** Take one message for this run; null when another run has it (or it is no longer due). */
async function claim(run: Run, n: NotificationDoc): Promise<NotificationDoc | null> {
  const { ctx } = run;
  const _ = ctx.db.command;
  const now = ctx.clock.now();
  const due = n.status === 'failed' ? { nextAttemptAt: _.lte(now) } : n.status === 'sending' ? { claimUntil: _.lte(now) } : {};
  const res = await collection(ctx.db, COLLECTION)
    .where({ _id: n._id, status: n.status, ...due })
    .updateAndReturn({ status: 'sending', claimId: run.claimId, claimUntil: new Date(now.getTime() + LEASE_MS), attempts: _.inc(1), updatedAt: now });
  return res.doc ?? null;
}

/** Move a claimed message on, if this run still holds it. */
async function finish(run: Run, n: NotificationDoc, status: NotificationStatus, patch: Partial<NotificationDoc> = {}, now = run.ctx.clock.now()): Promise<Done | null> {
  const res = await collection(run.ctx.db, COLLECTION)
    .where({ _id: n._id, status: 'sending', claimId: run.claimId })
    .update({ ...patch, status, claimId: null, claimUntil: null, counted: status === 'skipped', updatedAt: now });
  return res.updated === 1 ? { _id: n._id, status, attempts: n.attempts, at: now } : null;
}

/** The day's slot for this user and kind: true when this message holds it (now or from an earlier attempt). */
async function takeCapSlot(run: Run, n: NotificationDoc, day: string): Promise<boolean> {
  const caps = collection(run.ctx.db, CAPS);
  const _id = capMarkerId(n.userId, n.kind, day);
  try {
    await caps.add({ _id, userId: n.userId, kind: n.kind, day, messageId: n._id, at: run.ctx.clock.now() });
    return true;
  } catch (e) {
    if (!isDuplicateKey(e)) throw e;
  }
  const held = (await caps.doc(_id).get()).data?.[0];
  return held?.messageId === n._id;
}

async function releaseCapSlot(run: Run, n: NotificationDoc, day: string): Promise<void> {
  await collection(run.ctx.db, CAPS).where({ _id: capMarkerId(n.userId, n.kind, day), messageId: n._id }).remove();
}

/** Claim, cap, send and record one message. Answers its new state, or null when another run had it. */
async function deliver(run: Run, queued: NotificationDoc): Promise<Done | null> {
  const n = await claim(run, queued);
  if (!n) return null;
  // The run that held it before died after asking WeChat: it may have been delivered, so it is not sent again.
  if (n.sendAttemptedAt) return finish(run, n, 'unconfirmed', { lastError: 'an earlier run asked WeChat to send it and stopped before the answer: not sent again', nextAttemptAt: null });
  // A deleted account (its messages moved to the tombstone, or one queued for it afterwards): nobody to tell.
  if (isTombstone(n.userId)) return finish(run, n, 'skipped', { lastError: 'the account was deleted' });
  const template = templateFor(n.kind, run.env);
  if (!template) return finish(run, n, 'skipped', { lastError: 'no template for this kind' });
  const day = n.capDay ?? shanghaiDay(run.ctx.clock.now());
  if (!(await takeCapSlot(run, n, day))) return finish(run, n, 'capped', { capDay: day });
  const state = run.env.SUBSCRIBE_MINIPROGRAM_STATE;
  const asking = await collection(run.ctx.db, COLLECTION).where({ _id: n._id, status: 'sending', claimId: run.claimId }).update({ sendAttemptedAt: run.ctx.clock.now() });
  if (asking.updated !== 1) return null;
  const outcome = await wxOpenApi().sendSubscribeMessage({
    touser: n.userId,
    template_id: template.id,
    page: template.spec.page(n),
    data: messageData(template.spec, n),
    miniprogram_state: state === 'developer' || state === 'trial' ? state : 'formal',
    lang: 'zh_CN',
  });
  const now = run.ctx.clock.now();
  if (outcome.ok) return finish(run, n, 'sent', { capDay: day, sentAt: now, lastError: null }, now);
  const attempts = n.attempts ?? 1;
  const lastError = `${outcome.errcode} ${outcome.errmsg}`.slice(0, 300);
  // No answer: it may have reached the user. Not retried, and its day's slot stays taken.
  if (outcome.noAnswer) return finish(run, n, 'unconfirmed', { capDay: day, lastError, nextAttemptAt: null }, now);
  if (PERMANENT_ERRCODES.has(outcome.errcode) || attempts >= maxAttempts(run.env)) {
    const done = await finish(run, n, 'dead', { capDay: day, lastError, nextAttemptAt: null }, now);
    // Nothing reached the user: another message of this kind may still go out today.
    if (done) await releaseCapSlot(run, n, day);
    return done;
  }
  return finish(run, n, 'failed', { capDay: day, lastError, sendAttemptedAt: null, nextAttemptAt: new Date(now.getTime() + retryDelayMs(attempts, run.env)) }, now);
}

async function inParallel<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) out.push(await fn(items[next++]));
    }),
  );
  return out;
}

/** Send what is due: new messages oldest first, then retries that are due, then claims of runs that died. */
export async function sendQueuedMessages(ctx: Ctx, env: Env = process.env, jobRun: JobRun = { startedAt: Date.now() }): Promise<number> {
  const started = Date.now();
  const deadline = Math.min(started + BUDGET_MS, Math.max(jobRun.startedAt + RUN_BUDGET_MS, started + MIN_MS));
  const run: Run = { ctx, env, claimId: crypto.randomUUID() };
  await tidy(ctx);
  const _ = ctx.db.command;
  const now = ctx.clock.now();
  const sources: { where: Record<string, unknown>; order: string }[] = [
    { where: { status: 'queued' }, order: 'createdAt' },
    { where: { status: 'failed', nextAttemptAt: _.lte(now) }, order: 'nextAttemptAt' },
    { where: { status: 'sending', claimUntil: _.lte(now) }, order: 'claimUntil' },
  ];
  let handled = 0;
  for (const source of sources) {
    while (Date.now() < deadline) {
      const res = await collection(ctx.db, COLLECTION).where(source.where).orderBy(source.order, 'asc').limit(BATCH).get();
      const batch = res.data;
      if (!batch.length) break;
      const results = await inParallel(batch, CONCURRENCY, async (n) => {
        if (Date.now() >= deadline) return { moved: false, done: null };
        try {
          return { moved: true, done: await deliver(run, n) };
        } catch (e) {
          // The database or the provider failed around this one: it stays where it is for the next run.
          console.error(`[messages] ${n._id} not delivered this run`, e);
          return { moved: false, done: null };
        }
      });
      const done = results.map((r) => r.done).filter((d): d is Done => d !== null);
      handled += done.length;
      await countDone(ctx, done);
      // Only messages that keep failing before their claim are left in place: stop rather than spin on them.
      if (batch.length < BATCH || !results.some((r) => r.moved)) break;
    }
  }
  return handled;
}

export const messageJobs: Job[] = [{ name: 'messages.send', run: (ctx, jobRun) => sendQueuedMessages(ctx, process.env, jobRun) }];
