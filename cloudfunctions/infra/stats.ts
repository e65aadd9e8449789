/**
 * Pre-aggregated counters for the merchant's dashboard (`stats_daily`), updated as events happen, exactly once per
 * event key, in ONE guarded update: the counter document remembers the keys it has counted, and
 * `where({ _id, keys: _.nin(batchKeys) }).update({ 'c.<name>': _.inc(n), keys: _.push(batchKeys) })` adds the
 * counters and the keys together, atomically, only if none of the keys is there yet. A replay finds its key and
 * changes nothing. Each event goes to one of STATS_SHARDS documents of its Asia/Shanghai day (chosen by a hash of
 * its key, so a replay finds the same one): concurrent events spread instead of queueing on one hot document.
 * Rebate balance counters also go to the month's all-time shard (day `all`), for frozen vs available.
 * The dashboard reads every shard of its days with one query, without the keys (projection).
 *
 * Why not a transaction with a marker document (start, insert marker, inc, commit = 4 round trips and conflicts
 * on hot shards): this is 1 round trip in the common case, on every hot path it is added to (payment
 * notification, help, login). A day shard holds the keys of its events: ~40 bytes each, 1 MB at 200k events a day.
 *
 * Events that a transaction already makes exactly once (the settle job posting rewards: the ledger entries' unique
 * keys refuse a second posting) are counted inside that transaction instead (countInTx): no key, just an increment
 * of a lane document, committed or rolled back with the posting itself. Keys would cost the most there: 100,000
 * rewards posted at once would push 100,000 keys into documents that every update rewrites and re-checks.
 */
import crypto from 'node:crypto';
import { ALL_TIME, COUNTER_NAME, isBalanceCounter, laneDocIds, laneShard, shanghaiDay, STATS_LANES, STATS_SHARDS, statsDocId, StatsDoc } from '../domain/stats';
import { collection } from './collections';
import { isDuplicateKey } from './db';
import type { Ctx } from './handler';

export type StatsCtx = Pick<Ctx, 'db' | 'clock'>;

export interface StatEvent {
  /** Unique per real-world event, e.g. `order:<id>:paid`: the same key counts once, however often it is recorded. */
  eventKey: string;
  /** When it happened: picks the Asia/Shanghai calendar day (a replay must pass the same time). */
  at: Date;
  counters: Record<string, number>;
  /**
   * Picks the shard (default: the event key). Must be a function of the event alone, so a replay finds the same
   * document; events that share it (one user's rewards) share one update.
   */
  shardKey?: string;
}

export const STATS = 'stats_daily';

/** Valid counter names and integer values; zeros left out. */
function cleanCounters(input: Record<string, number>): Record<string, number> {
  const counters: Record<string, number> = {};
  for (const [k, v] of Object.entries(input)) {
    if (!COUNTER_NAME.test(k)) throw new Error(`recordStat: bad counter name ${k}`);
    if (!Number.isSafeInteger(v)) throw new Error(`recordStat: counter ${k} must be an integer`);
    if (v !== 0) counters[k] = v;
  }
  return counters;
}

function clean(e: StatEvent): StatEvent | null {
  if (!e.eventKey || e.eventKey.length > 200) throw new Error(`recordStat: bad event key ${e.eventKey}`);
  const counters = cleanCounters(e.counters);
  return Object.keys(counters).length ? { ...e, counters } : null;
}

export function shardOf(eventKey: string): number {
  return crypto.createHash('sha1').update(eventKey).digest()[0] % STATS_SHARDS;
}

interface Target {
  id: string;
  day: string;
  month: string | null;
  shard: number;
  events: { key: string; counters: Record<string, number> }[];
}

/** The counter documents these events go to: each event's day shard, plus the month's all-time shard for balances. */
function targets(events: StatEvent[]): Target[] {
  const out = new Map<string, Target>();
  const add = (id: string, day: string, month: string | null, shard: number, key: string, counters: Record<string, number>) => {
    const t = out.get(id) ?? { id, day, month, shard, events: [] };
    t.events.push({ key, counters });
    out.set(id, t);
  };
  for (const e of events) {
    const day = shanghaiDay(e.at);
    const shard = shardOf(e.shardKey ?? e.eventKey);
    add(statsDocId(day, shard), day, null, shard, e.eventKey, e.counters);
    const balances = Object.fromEntries(Object.entries(e.counters).filter(([k]) => isBalanceCounter(k)));
    if (Object.keys(balances).length) add(`${ALL_TIME}:${day.slice(0, 7)}#${shard}`, ALL_TIME, day.slice(0, 7), shard, e.eventKey, balances);
  }
  return [...out.values()];
}

function sum(events: Target['events']): Record<string, number> {
  const c: Record<string, number> = {};
  for (const e of events) for (const [k, v] of Object.entries(e.counters)) c[k] = (c[k] ?? 0) + v;
  return c;
}

/** Count these events on one document, all or none (a key already there refuses the update). Answers whether it did. */
async function applyAll(ctx: StatsCtx, t: Target, events: Target['events']): Promise<boolean> {
  const _ = ctx.db.command;
  const now = ctx.clock.now();
  const keys = events.map((e) => e.key);
  const patch: Record<string, unknown> = { keys: _.push(keys), updatedAt: now };
  for (const [k, v] of Object.entries(sum(events))) patch[`c.${k}`] = _.inc(v);
  const res = await collection(ctx.db, STATS).where({ _id: t.id, keys: keys.length === 1 ? _.neq(keys[0]) : _.nin(keys) }).update(patch);
  if (res.updated === 1) return true;
  try {
    await collection(ctx.db, STATS).add({ _id: t.id, day: t.day, ...(t.month ? { month: t.month } : {}), shard: t.shard, c: sum(events), keys, updatedAt: now });
    return true;
  } catch (e) {
    if (!isDuplicateKey(e)) throw e;
  }
  // The document exists: either one of the keys is counted already, or it was created by a concurrent first event.
  if (events.length === 1) {
    const again = await collection(ctx.db, STATS).where({ _id: t.id, keys: _.neq(keys[0]) }).update(patch);
    return again.updated === 1;
  }
  return false;
}

/** Count one document's events; when some were counted before, the others one by one. Answers how many it counted. */
async function applyTarget(ctx: StatsCtx, t: Target): Promise<number> {
  if (await applyAll(ctx, t, t.events)) return t.events.length;
  if (t.events.length === 1) return 0;
  let counted = 0;
  for (const e of t.events) if (await applyAll(ctx, t, [e])) counted++;
  return counted;
}

/**
 * A day document and its month's all-time document of the same shard, counted in ONE update when every event bound
 * for the all-time one also goes to the day one (the usual case: one order's or one user's events share a shard):
 * `where({ _id: _.in([day, allTime]), keys: _.nin(keys) })` with the day's patch. The all-time document then also
 * holds the day counters and keys of those events (the dashboard reads only balance counters there; a month shard
 * holds ~40 bytes per such event). Each document's guard holds on its own, so a key counted on one refuses only that
 * one: when not exactly both took the update, the one that did is found by the batch token it stored, and the other
 * is counted as usual.
 */
async function applyPair(ctx: StatsCtx, day: Target, all: Target): Promise<{ day: number; all: number } | null> {
  const _ = ctx.db.command;
  const keys = day.events.map((e) => e.key);
  const batch = crypto.randomBytes(8).toString('hex');
  const patch: Record<string, unknown> = { keys: _.push(keys), batch, updatedAt: ctx.clock.now() };
  for (const [k, v] of Object.entries(sum(day.events))) patch[`c.${k}`] = _.inc(v);
  const stats = collection(ctx.db, STATS);
  const res = await stats.where({ _id: _.in([day.id, all.id]), keys: keys.length === 1 ? _.neq(keys[0]) : _.nin(keys) }).update(patch);
  if (res.updated === 2) return { day: day.events.length, all: all.events.length };
  if (res.updated === 0) return null;
  const took = (await stats.where({ _id: _.in([day.id, all.id]), batch }).field({ _id: true }).get()).data.map((d) => d._id);
  if (took.includes(day.id)) return { day: day.events.length, all: await applyTarget(ctx, all) };
  return { day: await applyTarget(ctx, day), all: all.events.length };
}

/** The all-time target whose events all belong to `day` too (same shard and month), if any. */
function companionOf(day: Target, all: Target[]): Target | undefined {
  const keys = new Set(day.events.map((e) => e.key));
  return all.find((a) => a.shard === day.shard && a.month === day.day.slice(0, 7) && a.events.every((e) => keys.has(e.key)));
}

/**
 * Count these events, each exactly once (by its key): one guarded update per counter document in the common case,
 * and one for a day document together with its all-time companion (applyPair).
 * Answers how many events were counted now on their day (0 for replays).
 */
export async function recordStats(ctx: StatsCtx, events: StatEvent[]): Promise<number> {
  const list = events.map(clean).filter((e): e is StatEvent => e !== null);
  const unique = [...new Map(list.map((e) => [e.eventKey, e])).values()];
  if (!unique.length) return 0;
  const all = targets(unique);
  const allTime = all.filter((t) => t.month !== null);
  let counted = 0;
  for (const t of all) {
    if (t.month !== null) continue;
    const companion = companionOf(t, allTime);
    const paired = companion ? await applyPair(ctx, t, companion) : null;
    if (paired) {
      counted += paired.day;
      allTime.splice(allTime.indexOf(companion!), 1);
    } else {
      counted += await applyTarget(ctx, t);
    }
  }
  for (const t of allTime) await applyTarget(ctx, t);
  return counted;
}

/**
 * Create the counter documents of today, tomorrow and their months ahead of time (settle timer), so the first event
 * of a day also costs one update instead of an update that misses and an insert. One read when they all exist.
 */
export async function prepareStatsDocs(ctx: StatsCtx): Promise<number> {
  const _ = ctx.db.command;
  const now = ctx.clock.now();
  const days = [shanghaiDay(now), shanghaiDay(new Date(now.getTime() + 24 * 3600_000))];
  const wanted = new Map<string, { day: string; month?: string; shard: number }>();
  for (const day of days) {
    for (let shard = 0; shard < STATS_SHARDS; shard++) {
      wanted.set(statsDocId(day, shard), { day, shard });
      wanted.set(`${ALL_TIME}:${day.slice(0, 7)}#${shard}`, { day: ALL_TIME, month: day.slice(0, 7), shard });
    }
  }
  const have = await collection(ctx.db, STATS).where({ _id: _.in([...wanted.keys()]) }).field({ _id: true }).limit(1000).get();
  for (const { _id } of have.data) wanted.delete(_id);
  let made = 0;
  for (const [id, fields] of wanted) {
    try {
      await collection(ctx.db, STATS).add({ _id: id, ...fields, c: {}, keys: [], updatedAt: now });
      made++;
    } catch (e) {
      if (!isDuplicateKey(e)) throw e;
    }
  }
  return made;
}

/* eslint-disable @typescript-eslint/no-explicit-any */
/** A CloudBase transaction handle (its typings say little). */
export type StatsTx = { collection(name: string): any };

/**
 * Add counters inside transaction `t`, which must itself make the event happen exactly once (see the top): the
 * day's lane document and, for balance counters, the month's all-time lane document. A lane is written by one
 * transaction at a time (the caller's concurrent writers take different lanes), so counters never make them conflict.
 * One request per document once it exists; a lane's first write of a day creates it (two creating it at once
 * conflict, and the transaction retries).
 */
export async function countInTx(t: StatsTx, _: StatsCtx['db']['command'], input: { at: Date; lane: number; counters: Record<string, number> }): Promise<void> {
  const { at, lane } = input;
  if (!Number.isInteger(lane) || lane < 0 || lane >= STATS_LANES) throw new Error(`countInTx: bad lane ${lane}`);
  const counters = cleanCounters(input.counters);
  if (!Object.keys(counters).length) return;
  const day = shanghaiDay(at);
  const ids = laneDocIds(day, lane);
  const balances = Object.fromEntries(Object.entries(counters).filter(([k]) => isBalanceCounter(k)));
  const docs: [string, Record<string, unknown>, Record<string, number>][] = [[ids.day, { day }, counters]];
  if (Object.keys(balances).length) docs.push([ids.allTime, { day: ALL_TIME, month: day.slice(0, 7) }, balances]);
  for (const [id, fields, c] of docs) {
    const patch: Record<string, unknown> = { updatedAt: at };
    for (const [k, v] of Object.entries(c)) patch[`c.${k}`] = _.inc(v);
    const res = await t.collection(STATS).doc(id).update(patch);
    if (res?.code) throw res;
    if (res?.updated !== 1) await t.collection(STATS).add({ _id: id, ...fields, shard: laneShard(lane), c, updatedAt: at });
  }
}

/** Whether this event was counted already (one count on its day shard). */
export async function wasCounted(ctx: StatsCtx, e: Pick<StatEvent, 'eventKey' | 'at' | 'shardKey'>): Promise<boolean> {
  const res = await collection(ctx.db, STATS).where({ _id: statsDocId(shanghaiDay(e.at), shardOf(e.shardKey ?? e.eventKey)), keys: e.eventKey }).count();
  return res.total > 0;
}

/**
 * Whether this event was counted on any shard of its day: for an event whose shard key changed since (an account
 * deleted since: its openid became a tombstone, so the shard it was counted on is not the one its key names now).
 */
export async function wasCountedOnAnyShard(ctx: StatsCtx, e: Pick<StatEvent, 'eventKey' | 'at'>): Promise<boolean> {
  const res = await collection(ctx.db, STATS).where({ day: shanghaiDay(e.at), keys: e.eventKey }).count();
  return res.total > 0;
}

/** Count one event exactly once. Answers false when it had been counted already. */
export async function recordStat(ctx: StatsCtx, event: StatEvent): Promise<boolean> {
  return (await recordStats(ctx, [event])) === 1;
}

/**
 * Every shard and lane of these days and the all-time ones (8 shards and up to 8 lanes per month since launch),
 * without the keys: one query while they fit in 1000 documents (30 days are at most 480 — the settle job's lanes are
 * created only when it posts that day, typically one or two), then one more per further 1000.
 */
export async function readStatsDocs(ctx: StatsCtx, days: string[]): Promise<StatsDoc[]> {
  const _ = ctx.db.command;
  const out: StatsDoc[] = [];
  for (;;) {
    const res = await collection(ctx.db, STATS)
      .where({ day: _.in([...days, ALL_TIME]) })
      .orderBy('_id', 'asc')
      .skip(out.length)
      .field({ day: true, c: true })
      .limit(1000)
      .get();
    out.push(...res.data);
    if (res.data.length < 1000) return out;
  }
}
