/**
 * Holding a database request (local only, for tests that must put one step of a use case at an exact moment):
 * `POST /__dev/db/hold {action, collectionName?, inTransaction?, queryContains?}` arms a hold; the next request that
 * matches waits before the engine sees it, until `POST /__dev/db/release {id}`. With `fail: n` the next n matching
 * requests fail at once instead (`DATABASE_REQUEST_FAILED`, nothing written), as a request lost to the network does. `GET /__dev/db/hold?id=` answers
 * whether a request is waiting. A hold matches one request; it lets go when released or after 20 s at the latest;
 * at `/__dev/reset` the waiting request fails instead (the store it was meant for is gone).
 * A held request gets no snapshot and no lock until it is let through: holding a transaction's first read holds
 * where its snapshot starts.
 */

export interface HoldRule {
  /** The wire action, e.g. `database.getDocument`. */
  action: string;
  collectionName?: string;
  /** Only a request that carries a transactionId (true) or one that does not (false). */
  inTransaction?: boolean;
  /** A text the request's query (as sent) must contain, e.g. a document id. */
  queryContains?: string;
  /** Fail this many matching requests instead of holding one. */
  fail?: number;
}

interface Hold {
  id: string;
  rule: HoldRule;
  /** Resolves when the hold is released or times out ('go'), or at a reset ('fail': the store it was meant for is gone). */
  released: Promise<'go' | 'fail'>;
  /** A request matched and waits for `released`. */
  waiting: boolean;
  /** Requests failed so far (a failing hold). */
  failed: number;
  release: (how: 'go' | 'fail') => void;
}

const MAX_HOLD_MS = 20_000;

export class DatabaseHolds {
  private readonly holds = new Map<string, Hold>();
  private seq = 0;

  arm(input: Record<string, unknown>): { id: string } {
    const rule = parseRule(input);
    const id = `hold${++this.seq}`;
    let resolve!: (how: 'go' | 'fail') => void;
    const released = new Promise<'go' | 'fail'>((r) => (resolve = r));
    // Never longer than this: a test that forgot to release must not wedge the local cloud.
    const timer = setTimeout(() => this.release(id), MAX_HOLD_MS);
    timer.unref();
    const release = (how: 'go' | 'fail') => {
      clearTimeout(timer);
      resolve(how);
    };
    this.holds.set(id, { id, rule, released, waiting: false, failed: 0, release });
    return { id };
  }

  state(id: string): { id: string; armed: boolean; waiting: boolean; failed: number } {
    const hold = this.holds.get(id);
    return { id, armed: !!hold && !hold.waiting, waiting: !!hold?.waiting, failed: hold?.failed ?? 0 };
  }

  release(id: string, how: 'go' | 'fail' = 'go'): { released: boolean } {
    const hold = this.holds.get(id);
    if (!hold) return { released: false };
    this.holds.delete(id);
    hold.release(how);
    return { released: true };
  }

  /**
   * null unless an armed hold matches this request; then a promise that resolves when it is released, or 'fail'
   * for a failing hold (which stays armed until it has failed its count, then is gone).
   */
  wait(action: string, body: Record<string, unknown>): Promise<'go' | 'fail'> | 'fail' | null {
    if (this.holds.size === 0) return null;
    for (const hold of this.holds.values()) {
      if (hold.waiting || !matches(hold.rule, action, body)) continue;
      if (hold.rule.fail !== undefined) {
        if (++hold.failed >= hold.rule.fail) this.release(hold.id);
        return 'fail';
      }
      hold.waiting = true;
      return hold.released;
    }
    return null;
  }

  /** At a reset: every hold goes, and a request still waiting fails rather than write into the fresh store. */
  releaseAll(): void {
    for (const id of [...this.holds.keys()]) this.release(id, 'fail');
  }
}

function parseRule(input: Record<string, unknown>): HoldRule {
  const { action, collectionName, inTransaction, queryContains, fail } = input;
  if (typeof action !== 'string' || !action.startsWith('database.')) throw new Error('action must be a database.* action');
  if (collectionName !== undefined && typeof collectionName !== 'string') throw new Error('collectionName must be a string');
  if (inTransaction !== undefined && typeof inTransaction !== 'boolean') throw new Error('inTransaction must be true or false');
  if (queryContains !== undefined && typeof queryContains !== 'string') throw new Error('queryContains must be a string');
  if (fail !== undefined && !(Number.isSafeInteger(fail) && (fail as number) >= 1 && (fail as number) <= 100)) throw new Error('fail must be a count from 1 to 100');
  return { action, collectionName, inTransaction, queryContains, fail: fail as number | undefined };
}

function matches(rule: HoldRule, action: string, body: Record<string, unknown>): boolean {
  if (rule.action !== action) return false;
  if (rule.collectionName !== undefined && body.collectionName !== rule.collectionName) return false;
  if (rule.inTransaction !== undefined && (body.transactionId !== undefined) !== rule.inTransaction) return false;
  if (rule.queryContains !== undefined) {
    const query = typeof body.query === 'string' ? body.query : JSON.stringify(body.query ?? null);
    if (!query.includes(rule.queryContains)) return false;
  }
  return true;
}
