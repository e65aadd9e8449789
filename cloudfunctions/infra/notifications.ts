/**
 * The notification outbox. Use cases enqueue a message ("a friend helped you", "reward unfrozen", …) with a source
 * key, so a rerun enqueues it once (the `_id` is `n:<sourceKey>`); inside a transaction they insert the same
 * document with the change itself (newNotification). The settle timer's sender (app/messages/sender.ts) delivers
 * queued messages as WeChat subscribe messages (config/subscribeMessages.ts says which kinds and how).
 *
 * Life of a message: queued → sending (claimed by one run, with a lease) → sent | capped (the user had one of this
 * kind today) | failed (retried at nextAttemptAt) → … → dead (gave up) | skipped (kind not sent or no template).
 */
import { isDuplicateKey } from './db';
import type { Ctx } from './handler';

/** `unconfirmed`: WeChat was asked to send it and no answer came back (it may have been delivered): never sent again. */
export type NotificationStatus = 'queued' | 'sending' | 'sent' | 'failed' | 'capped' | 'dead' | 'skipped' | 'unconfirmed';

export interface NotificationDoc {
  _id: string;
  userId: string;
  kind: string;
  title: string;
  body: string;
  /** Page the message opens, e.g. 'packages/wallet/index'. */
  page: string | null;
  /** Details for the template's fields (config/subscribeMessages.ts), strings only. */
  facts?: Record<string, string> | null;
  status: NotificationStatus;
  createdAt: Date;
  sentAt: Date | null;
  /** Send attempts so far (a claim counts one). */
  attempts?: number;
  /** A failed message is retried from then on. */
  nextAttemptAt?: Date | null;
  /** The run sending it now, and until when its claim holds (a run that died is taken over after). */
  claimId?: string | null;
  claimUntil?: Date | null;
  /** Set by the claimer just before it asks WeChat to send, cleared when a failure is answered: a claim that lapsed with it set belongs to a run that died after asking, so the message may have been delivered. */
  sendAttemptedAt?: Date | null;
  /** The Asia/Shanghai day whose cap slot this message took. */
  capDay?: string | null;
  lastError?: string | null;
  /** False while the dashboard's delivery counters for the latest transition are still owed. */
  counted?: boolean;
  /** The sender's latest transition (absent until the sender first moves it). */
  updatedAt?: Date;
}

export interface NewNotification {
  sourceKey: string;
  userId: string;
  kind: string;
  title: string;
  body: string;
  page?: string;
  facts?: Record<string, string>;
}

/** The outbox document of a message, as enqueueNotification writes it (transactions insert it themselves). */
export function newNotification(now: Date, n: NewNotification): NotificationDoc {
  return {
    _id: `n:${n.sourceKey}`,
    userId: n.userId,
    kind: n.kind,
    title: n.title,
    body: n.body,
    page: n.page ?? null,
    facts: n.facts ?? null,
    status: 'queued',
    createdAt: now,
    sentAt: null,
    attempts: 0,
    nextAttemptAt: null,
    claimId: null,
    claimUntil: null,
    capDay: null,
    lastError: null,
  };
}

/** Enqueue once per source key (e.g. `assist:helped:${taskId}:${helperId}`). Returns false when already queued. */
export function enqueueNotification(ctx: Pick<Ctx, 'db' | 'clock'>, n: NewNotification): Promise<boolean> {
  return enqueueNotice(ctx, newNotification(ctx.clock.now(), n));
}

/** Enqueue a message built with newNotification (or a module's notice builder) once. Returns false when already queued. */
export async function enqueueNotice(ctx: Pick<Ctx, 'db'>, doc: NotificationDoc): Promise<boolean> {
  try {
    await ctx.db.collection('notifications').add(doc);
    return true;
  } catch (e) {
    if (isDuplicateKey(e)) return false;
    throw e;
  }
}
