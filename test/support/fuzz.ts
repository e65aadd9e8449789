/**
 * Payload fuzzing for function actions. Most payloads mutate ONE field of a valid example (so they get past the
 * first check and reach the use case); the rest drop or add fields. A seeded PRNG makes every run repeatable.
 * `fuzzAction` sends them to a local cloud and checks every answer (used by test/integration/fuzz.test.ts and the
 * bench).
 */
export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** mulberry32: tiny, fast, seeded. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pick = <T>(rnd: () => number, xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)];

/** Values that are wrong in some way for almost any field. `otherIds` are real ids belonging to someone else. */
export function hostileValues(otherIds: string[]): Json[] {
  return [
    null,
    true,
    false,
    0,
    -1,
    -100,
    0.5,
    1.005,
    -0.01,
    1e308,
    2 ** 53 + 1,
    -(2 ** 31),
    '',
    ' ',
    '0',
    '-1',
    'x'.repeat(100_000),
    '中文'.repeat(5000),
    '../../etc/passwd',
    '<script>alert(1)</script>',
    '\u0000\uffff\ud800',
    [],
    [1, 2, 3],
    Array.from({ length: 1000 }, (_, i) => i),
    {},
    { $gt: '' },
    { $ne: null },
    { $regex: '.*' },
    { $where: 'sleep(1000)' },
    { $in: ['a', 'b'] },
    { _id: { $exists: true } },
    ...otherIds,
  ];
}

/**
 * Wrong values of the field's own type, so they pass a type check and reach the rules behind it: for strings other
 * users' ids, blanks, lookalikes and operator-shaped text; for numbers zero, negatives, fractions (fen are whole),
 * the edges of safe integers; for booleans the other one.
 */
export function sameTypeValues(original: Json, otherIds: string[]): Json[] {
  if (typeof original === 'string') {
    return [...otherIds, ...otherIds, '', ' ', `${original} `, original.toUpperCase(), `${original}x`, original.slice(0, -1), '$gt', '{"$ne":null}', 'a'.repeat(65), '中文'.repeat(40), 'null', 'undefined', '2026-13-45T99:00:00Z'];
  }
  if (typeof original === 'number') return [0, -1, -original, original + 1, original * 1000, original + 0.5, 0.01, 1.5, -0.5, 99, 100, 2 ** 31, 2 ** 53, Number.MAX_SAFE_INTEGER, 1e15];
  if (typeof original === 'boolean') return [!original];
  if (Array.isArray(original)) return [[], [...original, ...original], Array.from({ length: 60 }, () => original[0] ?? null), [null]];
  return [];
}

export interface Mutation {
  payload: Record<string, Json>;
  kind: 'field' | 'nested' | 'element' | 'drop' | 'extra';
  field: string | null;
}

/** Set `key` as an own property, even `__proto__` (as JSON.parse on the other side would make it). */
function setOwn(obj: Record<string, Json>, key: string, value: Json) {
  Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
}

/**
 * One mutated payload. Three in four change a single existing field's value — inside a nested object or the first
 * element of an array of objects half the time (a cart line's quantity, a rule's reward amount) — the rest drop a
 * field or add one (identity and price fields a client must not send, `$` operators, `__proto__`).
 */
export function mutate(valid: Record<string, Json>, rnd: () => number, otherIds: string[]): Mutation {
  const fields = Object.keys(valid);
  const roll = rnd();
  const hostile = hostileValues(otherIds);
  // Half the time a wrong value of the field's own type (it gets past validation), else anything hostile.
  const valueFor = (original: Json): Json => {
    const typed = sameTypeValues(original, otherIds);
    return typed.length && rnd() < 0.5 ? pick(rnd, typed) : pick(rnd, hostile);
  };
  const copy: Record<string, Json> = JSON.parse(JSON.stringify(valid));
  if (fields.length > 0 && roll < 0.75) {
    const field = pick(rnd, fields);
    const original = copy[field];
    if (original && typeof original === 'object' && !Array.isArray(original) && rnd() < 0.5) {
      const inner = Object.keys(original);
      if (inner.length) {
        const key = pick(rnd, inner);
        setOwn(original as Record<string, Json>, key, valueFor((original as Record<string, Json>)[key]));
        return { payload: copy, kind: 'nested', field: `${field}.${key}` };
      }
    }
    const first = Array.isArray(original) ? original[0] : undefined;
    if (first && typeof first === 'object' && !Array.isArray(first) && rnd() < 0.5) {
      const inner = Object.keys(first);
      if (inner.length) {
        const key = pick(rnd, inner);
        setOwn(first as Record<string, Json>, key, valueFor((first as Record<string, Json>)[key]));
        return { payload: copy, kind: 'element', field: `${field}[0].${key}` };
      }
    }
    setOwn(copy, field, valueFor(original));
    return { payload: copy, kind: 'field', field };
  }
  if (fields.length > 0 && roll < 0.88) {
    const field = pick(rnd, fields);
    delete copy[field];
    return { payload: copy, kind: 'drop', field };
  }
  const extra = pick(rnd, ['openid', '_openid', 'userId', 'buyerId', 'ownerId', 'priceFen', 'role', 'roles', '$where', '__proto__', 'constructor', 'amountFen', 'status', `f${Math.floor(rnd() * 1000)}`]);
  setOwn(copy, extra, pick(rnd, hostile));
  return { payload: copy, kind: 'extra', field: extra };
}

/** A stable 32-bit seed from a name (FNV-1a), so each action's payloads are the same on every run. */
export function seedOf(name: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

/* ------------------------------------------------------------------------------------------------------------- */
/* Running the fuzzer against a local cloud: test/integration/fuzz.test.ts (a smaller count) and the bench.        */

/** What one action's fuzz run saw. `violations` is empty when every answer was as it must be. */
export interface FuzzResult {
  key: string;
  fn: string;
  action: string;
  payloads: number;
  /** Answered ok. */
  ok: number;
  /** Got past validation (ok, or refused by the use case with its own code). */
  reached: number;
  /** Answers by code ('ok' for successes). */
  codes: Record<string, number>;
  /** Every payload was refused, so the whole database must read the same before and after. */
  allRefused: boolean;
  /** Refusals that wrote and put everything back as it was (the write sequence moved, no content changed). */
  restored: number;
  violations: string[];
  ms: number;
}

type Envelope = { ok?: unknown; code?: unknown; message?: unknown };
type StoreLike = { seq: number; db?: unknown; names(): string[]; all(c: string): Iterable<{ k: string; doc: string }>; count?(c: string): number };


/** A hash of every document of every collection (contents only, sorted by key) and of the local payment system's state. */
export function databaseHash(store: StoreLike): string {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const hash = require('node:crypto').createHash('sha256');
  for (const name of store.names().sort()) {
    const rows = [...store.all(name)].sort((a, b) => (a.k < b.k ? -1 : a.k > b.k ? 1 : 0));
    hash.update(`\u0001${name}`);
    for (const r of rows) hash.update(`\u0002${r.k}\u0003${r.doc}`);
  }
  // The local payment and payout systems keep their trades and bills in the store's metadata.
  const db = store.db as { prepare(sql: string): { all(): { k: string; v: string }[] } } | undefined;
  for (const r of db?.prepare("SELECT k, v FROM __meta WHERE k LIKE 'pay%' ORDER BY k").all() ?? []) hash.update(`\u0004${r.k}\u0003${r.v}`);
  return hash.digest('hex');
}

/**
 * A copy of every document, kept up to date from the rows written since a write sequence number, so a call that moved
 * the sequence can be told apart: content changed (and which documents), or written and put back as it was.
 */
export class StoreMirror {
  private readonly docs = new Map<string, Map<string, string>>();

  constructor(private readonly store: StoreLike) {
    for (const name of store.names()) this.load(name);
  }

  private load(name: string) {
    this.docs.set(name, new Map([...this.store.all(name)].map((r) => [r.k, r.doc])));
  }

  /** Documents whose content differs from the copy since `seq` (and update the copy). */
  changedSince(seq: number): string[] {
    const db = this.store.db as { prepare(sql: string): { all(...a: unknown[]): { k: string; doc: string }[] } };
    const out: string[] = [];
    for (const name of this.store.names()) {
      const mine = this.docs.get(name) ?? new Map<string, string>();
      this.docs.set(name, mine);
      for (const r of db.prepare(`SELECT k, doc FROM "c_${name}" WHERE ver > ?`).all(seq)) {
        if (mine.get(r.k) !== r.doc) out.push(`${name}/${r.k}${mine.has(r.k) ? '' : ' (new)'}`);
        mine.set(r.k, r.doc);
      }
      if (this.store.count && this.store.count(name) !== mine.size) {
        const before = new Set(mine.keys());
        this.load(name);
        for (const k of before) if (!this.docs.get(name)!.has(k)) out.push(`${name}/${k} (removed)`);
      }
    }
    return out;
  }
}

/** The validator's own refusal (`请求参数不正确：<a sentence>`), as opposed to a use case answering INVALID_ARGUMENT. */
export function refusedByValidation(body: Envelope): boolean {
  return body.code === 'INVALID_ARGUMENT' && typeof body.message === 'string' && body.message.startsWith('请求参数不正确：');
}

export interface FuzzCloud {
  cloud: { url: string; store: StoreLike; host: unknown };
  app: { callFunction(args: { name: string; data: unknown }): Promise<{ result?: unknown }> };
  callAs(openid: string, fn: string, data: Record<string, unknown>): Promise<{ status: number; body: any }>;
}

/** The pid of the function's instance (a crash and restart shows as a new pid). */
function instancePid(t: FuzzCloud, fn: string): number | undefined {
  return (t.cloud.host as { instances: Map<string, { child: { pid?: number; exitCode: number | null; signalCode: string | null } }> }).instances.get(fn)?.child.pid;
}

/**
 * Send `count` mutated payloads of one example, one at a time, as `openid` through the gateway (or as the platform
 * through the SDK when `openid` is null). Each answer must be ok or a catalogued code other than INTERNAL; a refused
 * payload must not move the store's write sequence; the function's instance must be the same process at the end;
 * and when every payload was refused, the content of the whole database must be unchanged.
 */
export async function fuzzAction(
  t: FuzzCloud,
  example: { fn: string; action: string; payload: Record<string, Json> },
  openid: string | null,
  count: number,
  otherIds: string[],
  isCatalogued: (code: unknown) => boolean,
): Promise<FuzzResult> {
  const key = `${example.fn}.${example.action}`;
  const rnd = prng(seedOf(key));
  const result: FuzzResult = { key, fn: example.fn, action: example.action, payloads: 0, ok: 0, reached: 0, codes: {}, allRefused: true, restored: 0, violations: [], ms: 0 };
  const mirror = new StoreMirror(t.cloud.store);
  const started = performance.now();
  const hashBefore = databaseHash(t.cloud.store);
  const call = async (data: Record<string, unknown>): Promise<{ status: number; body: Envelope }> => {
    if (openid) return t.callAs(openid, example.fn, data);
    const res = await t.app.callFunction({ name: example.fn, data });
    return { status: 200, body: (res.result ?? null) as Envelope };
  };
  let pid: number | undefined;
  const violation = (what: string, payload: unknown) => {
    if (result.violations.length < 20) result.violations.push(`${key} ${what} — payload ${JSON.stringify(payload).slice(0, 300)}`);
  };
  for (let i = 0; i < count; i++) {
    const m = mutate(example.payload, rnd, otherIds);
    const seq = t.cloud.store.seq;
    let res: { status: number; body: Envelope };
    try {
      res = await call({ ...m.payload, action: example.action });
    } catch (e) {
      violation(`threw ${(e as Error).message}`, m.payload);
      continue;
    }
    result.payloads++;
    const changed = t.cloud.store.seq !== seq ? mirror.changedSince(seq) : [];
    if (i === 0) pid = instancePid(t, example.fn);
    const body = res.body ?? {};
    if (res.status !== 200) violation(`HTTP ${res.status} ${JSON.stringify(body).slice(0, 200)}`, m.payload);
    if (body.ok === true) {
      result.ok++;
      result.reached++;
      result.allRefused = false;
      result.codes.ok = (result.codes.ok ?? 0) + 1;
      continue;
    }
    const code = String(body.code);
    result.codes[code] = (result.codes[code] ?? 0) + 1;
    if (body.ok !== false || !isCatalogued(body.code)) violation(`answered outside the catalogue: ${JSON.stringify(body).slice(0, 200)}`, m.payload);
    if (code === 'INTERNAL') violation('answered INTERNAL', m.payload);
    // What a user reads is Chinese: a validation refusal names the field by its label, never by its path.
    if (code === 'INVALID_ARGUMENT' && /[A-Za-z]/.test(String(body.message))) violation(`INVALID_ARGUMENT message with Latin letters: ${String(body.message).slice(0, 100)}`, m.payload);
    if (changed.length) violation(`refused with ${code} but changed ${changed.slice(0, 5).join(', ')}`, m.payload);
    else if (t.cloud.store.seq !== seq) result.restored++;
    if (!refusedByValidation(body)) result.reached++;
  }
  const after = instancePid(t, example.fn);
  if (pid === undefined || after !== pid) violation(`the function instance changed (pid ${pid} → ${after}): it crashed`, null);
  if (result.allRefused && databaseHash(t.cloud.store) !== hashBefore) violation('every payload was refused, yet the database content changed', null);
  result.ms = performance.now() - started;
  return result;
}

/** Per function: payloads, answered ok, share that got past validation. */
export function fuzzSummary(results: FuzzResult[]): { fn: string; actions: number; payloads: number; ok: number; reached: number; reachedPct: number; violations: number }[] {
  const fns = [...new Set(results.map((r) => r.fn))];
  return fns.map((fn) => {
    const rs = results.filter((r) => r.fn === fn);
    const payloads = rs.reduce((a, r) => a + r.payloads, 0);
    const reached = rs.reduce((a, r) => a + r.reached, 0);
    return { fn, actions: rs.length, payloads, ok: rs.reduce((a, r) => a + r.ok, 0), reached, reachedPct: payloads ? Math.round((reached / payloads) * 1000) / 10 : 0, violations: rs.reduce((a, r) => a + r.violations.length, 0) };
  });
}
