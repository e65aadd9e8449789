/**
 * Pre-aggregated counters for the merchant's dashboard (`stats_daily`), updated as events happen, exactly once per
 * event key: one CloudBase transaction writes the event's marker (`stats_marks/<eventKey>`, a unique _id) and
 * `_.inc`s the counters on one shard of the event's Asia/Shanghai day. A replay collides on the marker and changes
 * nothing. Each day has STATS_SHARDS counter documents and each attempt picks one at random, so concurrent events
 * rarely write the same document (CloudBase gives a transaction up after four conflicts). Rebate balance counters are
 * also added to the all-time shards (day `all`). The dashboard reads every shard of its days with one query.
 */
import { ALL_TIME, COUNTER_NAME, isBalanceCounter, shanghaiDay, STATS_SHARDS, statsDocId, StatsDoc } from '../domain/stats';
import { isDuplicateKey } from './db';
import type { Ctx } from './handler';

export type StatsCtx = Pick<Ctx, 'db' | 'clock'>;

export interface StatEvent {
  /** Unique per real-world event, e.g. `order:<id>:paid`: the same key counts once, however often it is recorded. */
  eventKey: string;
  /** When it happened: picks the Asia/Shanghai calendar day. */
  at: Date;
  counters: Record<string, number>;
}

export const STATS = 'stats_daily';
export const MARKS = 'stats_marks';

/* eslint-disable @typescript-eslint/no-explicit-any */
type Tx = { collection(name: string): any };

const isConflict = (e: unknown) => (e as { code?: string })?.code === 'DATABASE_TRANSACTION_CONFLICT';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const ROUNDS = 8;

function clean(e: StatEvent): StatEvent | null {
  if (!e.eventKey || e.eventKey.length > 240) throw new Error(`recordStat: bad event key ${e.eventKey}`);
  const counters: Record<string, number> = {};
  for (const [k, v] of Object.entries(e.counters)) {
    if (!COUNTER_NAME.test(k)) throw new Error(`recordStat: bad counter name ${k}`);
    if (!Number.isSafeInteger(v)) throw new Error(`recordStat: counter ${k} must be an integer`);
    if (v !== 0) counters[k] = v;
  }
  return Object.keys(counters).length ? { ...e, counters } : null;
}

/** Counter documents this batch adds to: the day shard of each event, plus the all-time shard for balances. */
function targets(events: StatEvent[], shard: number): Map<string, { day: string; counters: Record<string, number> }> {
  const out = new Map<string, { day: string; counters: Record<string, number> }>();
  const add = (day: string, k: string, v: number) => {
    const id = statsDocId(day, shard);
    const t = out.get(id) ?? { day, counters: {} };
    t.counters[k] = (t.counters[k] ?? 0) + v;
    out.set(id, t);
  };
  for (const e of events) {
    const day = shanghaiDay(e.at);
    for (const [k, v] of Object.entries(e.counters)) {
      add(day, k, v);
      if (isBalanceCounter(k)) add(ALL_TIME, k, v);
    }
  }
  return out;
}

async function commitBatch(ctx: StatsCtx, events: StatEvent[]): Promise<void> {
  const _ = ctx.db.command;
  for (let round = 1; ; round++) {
    const shard = Math.floor(Math.random() * STATS_SHARDS);
    try {
      await ctx.db.runTransaction(async (t: Tx) => {
        const now = ctx.clock.now();
        for (const e of events) await t.collection(MARKS).add({ _id: e.eventKey, day: shanghaiDay(e.at), at: e.at, counters: e.counters, recordedAt: now });
        for (const [id, { day, counters }] of targets(events, shard)) {
          const incs: Record<string, unknown> = { updatedAt: now };
          for (const [k, v] of Object.entries(counters)) incs[`c.${k}`] = _.inc(v);
          const res = await t.collection(STATS).doc(id).update(incs);
          if (!res?.updated) await t.collection(STATS).add({ _id: id, day, shard, c: counters, updatedAt: now });
        }
      });
      return;
    } catch (e) {
      if (!isConflict(e) || round >= ROUNDS) throw e;
      await sleep(5 + Math.random() * 20 * round);
    }
  }
}

/**
 * Count these events, each exactly once (by its key). One transaction for the lot; if one of them was counted
 * before, each is tried on its own. Answers how many were counted now.
 */
export async function recordStats(ctx: StatsCtx, events: StatEvent[]): Promise<number> {
  const list = events.map(clean).filter((e): e is StatEvent => e !== null);
  const unique = [...new Map(list.map((e) => [e.eventKey, e])).values()];
  if (!unique.length) return 0;
  try {
    await commitBatch(ctx, unique);
    return unique.length;
  } catch (e) {
    if (!isDuplicateKey(e)) throw e;
  }
  if (unique.length === 1) return 0;
  let counted = 0;
  for (const e of unique) {
    try {
      await commitBatch(ctx, [e]);
      counted++;
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
    }
  }
  return counted;
}

/** Count one event exactly once. Answers false when it had been counted already. */
export async function recordStat(ctx: StatsCtx, event: StatEvent): Promise<boolean> {
  return (await recordStats(ctx, [event])) === 1;
}

/** Every shard of these days and the all-time shards, in one query (at most 1000 documents: 120 days). */
export async function readStatsDocs(ctx: StatsCtx, days: string[]): Promise<StatsDoc[]> {
  const _ = ctx.db.command;
  const res = await ctx.db
    .collection(STATS)
    .where({ day: _.in([...days, ALL_TIME]) })
    .limit(1000)
    .get();
  return res.data as StatsDoc[];
}
