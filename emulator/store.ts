/**
 * The embedded durable store: one SQLite table per collection (better-sqlite3), documents as JSON text with a
 * version number. Declared indexes become SQLite expression indexes; unique ones are enforced by SQLite.
 * Queries are planned here only as a pre-filter (a superset of the matches); mingo decides what matches.
 */
import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import type { CollectionSpec, IndexSpec } from '../config/collections';
import { CloudError, collectionNotExist, invalidParam, requestFailed } from './errors';
import { idKey } from './codec';

export interface Row {
  k: string;
  doc: string;
  ver: number;
}

interface Statements {
  get: Database.Statement<[string], Row>;
  insert: Database.Statement<[string, string, number]>;
  update: Database.Statement<[string, number, string]>;
  remove: Database.Statement<[string]>;
  all: Database.Statement<[], Row>;
  count: Database.Statement<[], { n: number }>;
}

interface CollectionInfo {
  name: string;
  table: string;
  indexedFields: Set<string>;
  stmts: Statements;
  planCache: Map<string, Database.Statement<unknown[], Row>>;
}

const NAME_RE = /^[A-Za-z_][A-Za-z0-9_-]{0,63}$/;
const FIELD_RE = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/;

export function fieldExpr(field: string): string {
  const p = field.split('.').map((s) => `"${s}"`).join('.');
  // A Date is stored as {"$date": ms}: index it as its number so ranges on dates use the index too.
  return `ifnull(json_extract(doc, '$.${p}."$date"'), json_extract(doc, '$.${p}'))`;
}

export class Store {
  readonly db: Database.Database;
  private readonly collections = new Map<string, CollectionInfo>();
  seq = 0;

  constructor(dataDir: string | null) {
    if (dataDir) {
      fs.mkdirSync(dataDir, { recursive: true });
      this.db = new Database(path.join(dataDir, 'cloud.sqlite'));
      this.db.pragma('journal_mode = WAL');
      // NORMAL in WAL mode: a committed write is in the OS before we answer, so it survives kill -9 (not power loss).
      this.db.pragma('synchronous = NORMAL');
    } else {
      this.db = new Database(':memory:');
    }
    this.db.exec(`CREATE TABLE IF NOT EXISTS __collections (name TEXT PRIMARY KEY);
      CREATE TABLE IF NOT EXISTS __indexes (coll TEXT NOT NULL, name TEXT NOT NULL, spec TEXT NOT NULL, PRIMARY KEY (coll, name));
      CREATE TABLE IF NOT EXISTS __meta (k TEXT PRIMARY KEY, v TEXT NOT NULL);`);
    for (const { name } of this.db.prepare('SELECT name FROM __collections').all() as { name: string }[]) this.open(name);
    for (const info of this.collections.values()) {
      const row = this.db.prepare(`SELECT max(ver) AS v FROM ${info.table}`).get() as { v: number | null };
      this.seq = Math.max(this.seq, row.v ?? 0);
    }
  }

  close() {
    this.db.close();
  }

  meta(key: string): string | undefined {
    return (this.db.prepare('SELECT v FROM __meta WHERE k = ?').get(key) as { v: string } | undefined)?.v;
  }

  setMeta(key: string, value: string) {
    this.db.prepare('INSERT INTO __meta (k, v) VALUES (?, ?) ON CONFLICT(k) DO UPDATE SET v = excluded.v').run(key, value);
  }

  has(name: string): boolean {
    return this.collections.has(name);
  }

  names(): string[] {
    return [...this.collections.keys()];
  }

  createCollection(name: string): boolean {
    if (!NAME_RE.test(name)) throw invalidParam(`invalid collection name: ${name}`);
    if (this.collections.has(name)) return false;
    this.db.exec(`CREATE TABLE IF NOT EXISTS "c_${name}" (k TEXT PRIMARY KEY, doc TEXT NOT NULL, ver INTEGER NOT NULL)`);
    this.db.prepare('INSERT OR IGNORE INTO __collections (name) VALUES (?)').run(name);
    this.open(name);
    return true;
  }

  ensureIndex(coll: string, spec: IndexSpec) {
    const info = this.info(coll);
    const fields = Object.keys(spec.keys);
    if (fields.length === 0 || !fields.every((f) => FIELD_RE.test(f))) throw invalidParam(`invalid index ${spec.name}`);
    const exprs = fields.map((f) => `${fieldExpr(f)}${spec.keys[f] === -1 ? ' DESC' : ''}`);
    const sqlName = `"i_${coll}_${spec.name}"`;
    const existing = this.db.prepare('SELECT spec FROM __indexes WHERE coll = ? AND name = ?').get(coll, spec.name) as { spec: string } | undefined;
    if (existing && existing.spec !== JSON.stringify(spec)) this.db.exec(`DROP INDEX IF EXISTS ${sqlName}`);
    try {
      this.db.exec(`CREATE ${spec.unique ? 'UNIQUE ' : ''}INDEX IF NOT EXISTS ${sqlName} ON ${info.table} (${exprs.join(', ')})`);
    } catch (e) {
      throw requestFailed(`cannot create index ${spec.name} on ${coll}: ${(e as Error).message}`);
    }
    this.db.prepare('INSERT INTO __indexes (coll, name, spec) VALUES (?, ?, ?) ON CONFLICT(coll, name) DO UPDATE SET spec = excluded.spec').run(coll, spec.name, JSON.stringify(spec));
    for (const f of fields) info.indexedFields.add(f);
    info.planCache.clear();
  }

  applyManifest(specs: CollectionSpec[]) {
    for (const spec of specs) {
      this.createCollection(spec.name);
      for (const index of spec.indexes) this.ensureIndex(spec.name, index);
    }
  }

  indexes(coll: string): IndexSpec[] {
    return (this.db.prepare('SELECT spec FROM __indexes WHERE coll = ?').all(coll) as { spec: string }[]).map((r) => JSON.parse(r.spec));
  }

  get(coll: string, key: string): Row | undefined {
    return this.info(coll).stmts.get.get(key);
  }

  count(coll: string): number {
    return this.info(coll).stmts.count.get()!.n;
  }

  all(coll: string): IterableIterator<Row> {
    return this.info(coll).stmts.all.iterate();
  }

  /** Rows that may match `query` (a superset), using the primary key or declared indexes when the query allows. */
  candidates(coll: string, query: Record<string, unknown> | undefined): IterableIterator<Row> | Row[] {
    const info = this.info(coll);
    if (!query) return info.stmts.all.iterate();
    const idCond = query._id;
    if (idCond !== undefined) {
      const keys = idKeys(idCond);
      if (keys) return keys.map((k) => info.stmts.get.get(k)).filter((r): r is Row => r !== undefined);
    }
    const where: string[] = [];
    const params: unknown[] = [];
    const shape: string[] = [];
    for (const [field, cond] of conditionsOf(query)) {
      if (!info.indexedFields.has(field)) continue;
      const expr = fieldExpr(field);
      const ops = sqlConditions(cond);
      for (const [op, value] of ops) {
        if (op === 'IN') {
          const list = value as unknown[];
          where.push(`${expr} IN (${list.map(() => '?').join(',')})`);
          params.push(...list);
          shape.push(`${field} IN ${list.length}`);
        } else {
          where.push(`${expr} ${op} ?`);
          params.push(value);
          shape.push(`${field} ${op}`);
        }
      }
    }
    if (where.length === 0) return info.stmts.all.iterate();
    const cacheKey = shape.join('&');
    let stmt = info.planCache.get(cacheKey);
    if (!stmt) {
      stmt = this.db.prepare(`SELECT k, doc, ver FROM ${info.table} WHERE ${where.join(' AND ')}`) as Database.Statement<unknown[], Row>;
      if (info.planCache.size < 500) info.planCache.set(cacheKey, stmt);
    }
    return stmt.iterate(...params);
  }

  /** Run writes atomically: all of them land, or none does. */
  atomic<T>(fn: () => T): T {
    return this.db.transaction(fn)();
  }

  insert(coll: string, key: string, doc: string, ver: number) {
    try {
      this.info(coll).stmts.insert.run(key, doc, ver);
    } catch (e) {
      throw mapConstraint(coll, e);
    }
  }

  replace(coll: string, key: string, doc: string, ver: number) {
    try {
      this.info(coll).stmts.update.run(doc, ver, key);
    } catch (e) {
      throw mapConstraint(coll, e);
    }
  }

  remove(coll: string, key: string) {
    this.info(coll).stmts.remove.run(key);
  }

  /** Drop every document of every collection (dev reset); collections and indexes stay. */
  wipe() {
    this.atomic(() => {
      for (const info of this.collections.values()) this.db.exec(`DELETE FROM ${info.table}`);
      this.db.exec('DELETE FROM __meta');
    });
  }

  private info(name: string): CollectionInfo {
    const info = this.collections.get(name);
    if (!info) throw collectionNotExist(name);
    return info;
  }

  private open(name: string) {
    const table = `"c_${name}"`;
    const stmts: Statements = {
      get: this.db.prepare(`SELECT k, doc, ver FROM ${table} WHERE k = ?`),
      insert: this.db.prepare(`INSERT INTO ${table} (k, doc, ver) VALUES (?, ?, ?)`),
      update: this.db.prepare(`UPDATE ${table} SET doc = ?, ver = ? WHERE k = ?`),
      remove: this.db.prepare(`DELETE FROM ${table} WHERE k = ?`),
      all: this.db.prepare(`SELECT k, doc, ver FROM ${table}`),
      count: this.db.prepare(`SELECT count(*) AS n FROM ${table}`),
    };
    const info: CollectionInfo = { name, table, indexedFields: new Set(), stmts, planCache: new Map() };
    this.collections.set(name, info);
    const specs = this.db.prepare('SELECT spec FROM __indexes WHERE coll = ?').all(name) as { spec: string }[];
    for (const s of specs) for (const f of Object.keys((JSON.parse(s.spec) as IndexSpec).keys)) info.indexedFields.add(f);
  }
}

function mapConstraint(coll: string, e: unknown): unknown {
  const code = (e as { code?: string }).code ?? '';
  if (code.startsWith('SQLITE_CONSTRAINT')) {
    return new CloudError('DATABASE_REQUEST_FAILED', `[FailedOperation] E11000 duplicate key error collection: ${coll} (${(e as Error).message})`);
  }
  return e;
}

/** Keys for an _id condition that pins the documents (equality or $in of ids), else null. */
function idKeys(cond: unknown): string[] | null {
  try {
    if (isPlainCondition(cond)) {
      const c = cond as Record<string, unknown>;
      if ('$eq' in c && Object.keys(c).length === 1) return [idKey(c.$eq)];
      if ('$in' in c && Object.keys(c).length === 1 && Array.isArray(c.$in)) return c.$in.map(idKey);
      return null;
    }
    return [idKey(cond)];
  } catch {
    return null;
  }
}

function isPlainCondition(v: unknown): boolean {
  return v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Date) && !(v instanceof RegExp) && Object.keys(v as object).some((k) => k.startsWith('$'));
}

/** Field conditions that must all hold: top-level fields and those inside a top-level $and. */
function* conditionsOf(query: Record<string, unknown>): Generator<[string, unknown]> {
  for (const [k, v] of Object.entries(query)) {
    if (k === '$and' && Array.isArray(v)) {
      for (const sub of v) if (sub && typeof sub === 'object') yield* conditionsOf(sub as Record<string, unknown>);
    } else if (!k.startsWith('$')) {
      yield [k, v];
    }
  }
}

/** A value SQLite can compare the same way MongoDB orders it within one type. */
function sqlValue(v: unknown): string | number | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (v instanceof Date) return v.getTime();
  return undefined;
}

function sqlConditions(cond: unknown): [string, unknown][] {
  const direct = sqlValue(cond);
  if (direct !== undefined) return [['=', direct]];
  if (!isPlainCondition(cond)) return [];
  const out: [string, unknown][] = [];
  const ops: Record<string, string> = { $eq: '=', $gt: '>', $gte: '>=', $lt: '<', $lte: '<=' };
  for (const [op, value] of Object.entries(cond as Record<string, unknown>)) {
    if (op in ops) {
      const v = sqlValue(value);
      if (v !== undefined) out.push([ops[op], v]);
    } else if (op === '$in' && Array.isArray(value) && value.length > 0 && value.length <= 500) {
      const vs = value.map(sqlValue);
      if (vs.every((v) => v !== undefined)) out.push(['IN', vs]);
    }
  }
  return out;
}
