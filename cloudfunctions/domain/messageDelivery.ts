/**
 * How the outbox's sender delivers (app/messages/sender.ts): how many attempts, the pause between them, which
 * WeChat answers no retry can change, and the daily cap's marker. Pure: the environment is passed in.
 */

/** Attempts before a message is dead-lettered (NOTIFY_MAX_ATTEMPTS). */
export function maxAttempts(env: Record<string, string | undefined>): number {
  const n = Number(env.NOTIFY_MAX_ATTEMPTS);
  return Number.isInteger(n) && n >= 1 && n <= 20 ? n : 5;
}

/** Pause after failed attempt `attempt` (1-based): 1 min, 2, 4, 8 … capped at 6 h (NOTIFY_RETRY_BASE_MS sets the first). */
export function retryDelayMs(attempt: number, env: Record<string, string | undefined> = {}): number {
  const base = Number(env.NOTIFY_RETRY_BASE_MS);
  const first = Number.isFinite(base) && base > 0 ? base : 60_000;
  return Math.min(first * 2 ** Math.max(attempt - 1, 0), 6 * 3600_000);
}

/**
 * WeChat answers that no retry can change: invalid openid (40003), template id (40037), page (41030), the user has
 * not subscribed or used the subscription up (43101), a field the template refuses (47003). Others (system busy -1,
 * rate limits, network) are retried.
 */
export const PERMANENT_ERRCODES = new Set([40003, 40037, 41030, 43101, 47003]);

/** The daily cap's marker: one per user, kind and Asia/Shanghai day; whoever inserts it may send. */
export function capMarkerId(userId: string, kind: string, day: string): string {
  return `${day}|${kind}|${userId}`;
}
