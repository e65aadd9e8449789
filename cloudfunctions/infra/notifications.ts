/**
 * The notification outbox. Use cases enqueue a message ("a friend helped you", "reward frozen", …) with a source key,
 * so a rerun enqueues it once; a provider delivers queued messages: locally it records them as delivered, in
 * production it sends WeChat subscribe messages (templates configured by the merchant).
 */
import { isDuplicateKey } from './db';
import type { Ctx } from './handler';

export interface NotificationDoc {
  _id: string;
  userId: string;
  kind: string;
  title: string;
  body: string;
  /** Page the message opens, e.g. 'pages/wallet/index'. */
  page: string | null;
  status: 'queued' | 'sent' | 'failed';
  createdAt: Date;
  sentAt: Date | null;
}

export interface NotificationProvider {
  deliver(n: NotificationDoc): Promise<void>;
}

/** Enqueue once per source key (e.g. `assist:helped:${taskId}:${helperId}`). Returns false when already queued. */
export async function enqueueNotification(
  ctx: Pick<Ctx, 'db' | 'clock'>,
  n: { sourceKey: string; userId: string; kind: string; title: string; body: string; page?: string },
): Promise<boolean> {
  const doc: NotificationDoc = {
    _id: `n:${n.sourceKey}`,
    userId: n.userId,
    kind: n.kind,
    title: n.title,
    body: n.body,
    page: n.page ?? null,
    status: 'queued',
    createdAt: ctx.clock.now(),
    sentAt: null,
  };
  try {
    await ctx.db.collection('notifications').add(doc);
    return true;
  } catch (e) {
    if (isDuplicateKey(e)) return false;
    throw e;
  }
}
