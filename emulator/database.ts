/**
 * The database actions of the `/admin` wire protocol, on the SQLite store, with mingo as the judge of queries,
 * updates and aggregations (configured where its defaults differ from MongoDB: mongo-semantics.ts).
 *
 * Transactions use snapshot isolation with first-writer-wins, as the real service behaves: a transaction reads the
 * database as it was at its snapshot (plus its own writes); writing a document that another open transaction has
 * written, or that changed after the snapshot, fails with DATABASE_TRANSACTION_CONFLICT (the SDK then retries).
 * As in MongoDB, the snapshot is taken by the transaction's first read or write, not by startTransaction: what
 * committed in between is simply part of it (seen, and no conflict).
 * Old versions of documents are kept in memory only while a transaction with a snapshot might still need them.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import { ObjectId } from 'bson';
import { answerText, decodeEjson, decodeStored, Doc, encodeAnswer, encodeStored, findDollarField, idKey } from './codec';
import { CloudError, collectionNotExist, invalidParam, requestFailed, txConflict, txNotExist } from './errors';
import { applyModifier, compileQuery, findAll, runPipeline } from './mongo-semantics';
import type { Row, Store } from './store';

const TX_TTL_MS = 30_000;
const DEFAULT_LIMIT = 100;
const MAX_LIMIT = 1000;

interface PendingWrite {
  coll: string;
  key: string;
  /** The document after this transaction's writes, or null when it removed it. */
  doc: Doc | null;
}

interface Transaction {
  id: string;
  /** The write sequence its snapshot shows; null until its first read or write takes the snapshot. */
  startSeq: number | null;
  startedAt: number;
  writes: Map<string, PendingWrite>;
}

interface HistoryEntry {
  /** The sequence number from which this state held. */
  from: number;
  text: string | null;
}

interface Found {
  key: string;
  doc: Doc;
  /** Stored text when the document is exactly as stored (lets answers skip re-encoding). */
  text: string | null;
}

type Params = Record<string, unknown>;

/**
 * LOCAL_CLOUD_TRACE=<file>: append one line per database request (action, collection, in a transaction or not, the
 * query's first characters) — for finding where a path's round trips go. Off unless set.
 */
const TRACE_FILE = process.env.LOCAL_CLOUD_TRACE;
function traceRequest(action: string, p: Params): void {
  const what = typeof p.query === 'string' ? p.query : typeof p.data === 'string' ? p.data : '';
  const line = `${new Date().toISOString()} ${action.replace('database.', '')} ${String(p.collectionName ?? '')}${p.transactionId ? ' [tx]' : ''} ${what.slice(0, 160)}\n`;
  fs.appendFileSync(TRACE_FILE!, line);
}

export interface DatabaseStats {
  requests: number;
  byAction: Record<string, number>;
}

export class DatabaseEngine {
  private readonly txs = new Map<string, Transaction>();
  /** Open transactions that have taken their snapshot (only they need old versions kept). */
  private snapshots = 0;
  private readonly locks = new Map<string, string>();
  private readonly history = new Map<string, Map<string, HistoryEntry[]>>();
  private readonly sweeper: NodeJS.Timeout;
  readonly stats: DatabaseStats = { requests: 0, byAction: {} };

  constructor(
    private readonly store: Store,
    private readonly now: () => number,
    private readonly wallNow: () => number = Date.now,
  ) {
    this.sweeper = setInterval(() => this.expireTransactions(), 1000);
    this.sweeper.unref();
  }

  close() {
    clearInterval(this.sweeper);
  }

  /** Drop every open transaction (used by a dev reset). */
  resetTransactions() {
    for (const tx of [...this.txs.values()]) this.endTx(tx);
  }

  /** Answers one database action; the result is merged into `{requestId, ...}`. Throws CloudError. */
  handle(action: string, p: Params): Record<string, unknown> {
    this.stats.requests++;
    this.stats.byAction[action] = (this.stats.byAction[action] ?? 0) + 1;
    if (TRACE_FILE) traceRequest(action, p);
    switch (action) {
      case 'database.addCollection':
        return this.addCollection(p);
      case 'database.insertDocument':
        return { data: this.insertDocument(p) };
      case 'database.getDocument':
        return { data: this.getDocument(p) };
      case 'database.calculateDocument':
        return { data: this.calculateDocument(p) };
      case 'database.modifyDocument':
        return { data: this.modifyDocument(p) };
      case 'database.modifyAndReturnDoc':
        return { data: this.modifyAndReturnDoc(p) };
      case 'database.removeDocument':
        return { data: this.removeDocument(p) };
      case 'database.aggregateDocuments':
        return { data: this.aggregateDocuments(p) };
      case 'database.startTransaction':
        return { transactionId: this.startTransaction() };
      case 'database.commitTransaction':
        this.commitTransaction(p);
        return {};
      case 'database.abortTransaction':
        this.abortTransaction(p);
        return {};
      default:
        throw invalidParam(`unknown action: ${action}`);
    }
  }

  // ---------------------------------------------------------------- actions

  private addCollection(p: Params) {
    const name = str(p.collectionName, 'collectionName');
    if (!this.store.createCollection(name)) {
      throw new CloudError('DATABASE_COLLECTION_ALREADY_EXIST', `[ResourceInUse] Table already exists: ${name}`);
    }
    return {};
  }

  private insertDocument(p: Params) {
    const coll = this.collection(p);
    const tx = this.tx(p);
    if (!Array.isArray(p.data) || p.data.length === 0) throw invalidParam('data must be a non-empty array');
    const now = this.now();
    const docs = p.data.map((d, i) => {
      const doc = decodeEjson(d, now, `data[${i}]`);
      if (!isObject(doc)) throw invalidParam(`data[${i}] must be an object`);
      const bad = findDollarField(doc);
      if (bad) throw requestFailed(`[FailedOperation] The dollar ($) prefixed field '${bad}' is not valid for storage.`);
      if (doc._id === undefined) doc._id = newId();
      return doc as Doc;
    });
    const keys = docs.map((d) => idKey(d._id));
    if (new Set(keys).size !== keys.length) throw duplicate(coll, 'duplicate _id in one insert');
    if (tx) {
      docs.forEach((doc, i) => {
        if (this.visible(coll, keys[i], tx)) throw duplicate(coll, String(doc._id));
        this.txWrite(tx, coll, keys[i], doc);
      });
    } else {
      // The sequence moves only once the write commits: a refused insert (duplicate _id) wrote nothing (found by the fuzzer).
      const seq = this.store.seq + 1;
      const texts = docs.map((d) => encodeStored(d));
      this.store.atomic(() => docs.forEach((_, i) => this.store.insert(coll, keys[i], texts[i], seq)));
      this.store.seq = seq;
      keys.forEach((k) => this.recordHistory(coll, k, undefined, seq, false));
    }
    return { insertedIds: docs.map((d) => d._id) };
  }

  private getDocument(p: Params) {
    const coll = this.collection(p);
    const tx = this.tx(p);
    const query = this.query(p);
    const order = p.order === undefined ? undefined : this.decodeObject(p.order, 'order');
    const projection = p.projection === undefined ? undefined : this.decodeObject(p.projection, 'projection');
    const offset = p.offset === undefined ? 0 : nonNegativeInt(p.offset, 'offset');
    let limit = p.limit === undefined || p.limit === 0 ? DEFAULT_LIMIT : nonNegativeInt(p.limit, 'limit');
    if (limit > MAX_LIMIT) limit = MAX_LIMIT;
    if (p.multi === false) limit = 1;
    if (order) for (const v of Object.values(order)) if (v !== 1 && v !== -1) throw invalidParam('order direction must be 1 or -1');
    const stopAt = order ? Infinity : offset + limit;
    const found = this.select(coll, query, tx, stopAt);
    let list: string[];
    if (!order && !projection) {
      list = found.slice(offset, offset + limit).map((f) => (f.text !== null ? answerText(f.text) : encodeAnswer(f.doc)));
    } else {
      try {
        list = findAll(found.map((f) => f.doc), projection, order, offset, limit).map((d) => encodeAnswer(d));
      } catch (e) {
        // a projection mingo cannot apply is the caller's mistake, not a server fault (was SYS_ERR)
        throw invalidParam(`invalid projection or order: ${(e as Error).message}`);
      }
    }
    return { list };
  }

  private calculateDocument(p: Params) {
    const coll = this.collection(p);
    const query = this.query(p);
    if (!query) return { total: this.store.count(coll) };
    return { total: this.select(coll, query, undefined, Infinity).length };
  }

  private modifyDocument(p: Params) {
    const coll = this.collection(p);
    const tx = this.tx(p);
    const query = this.query(p);
    if (!query) throw invalidParam('query is required to update documents');
    const now = this.now();
    const data = decodeEjson(p.data, now, 'data');
    if (!isObject(data)) throw invalidParam('data must be an object');
    const merge = p.merge !== false;
    const upsert = p.upsert === true;
    const multi = p.multi !== false && p.queryType !== 'DOC';
    if (!merge) {
      // set(): replace the whole document (keep _id), insert it when missing.
      if (Object.keys(data).some((k) => k.startsWith('$'))) throw requestFailed('update operator complicit');
      checkNoDollar(data);
      if ('_id' in data) throw invalidParam('_id cannot be set');
      const id = (query as Doc)._id;
      if (id === undefined || isObject(id)) throw invalidParam('set() needs a document id');
      const key = idKey(id);
      const replacement = { _id: id, ...data } as Doc;
      const existing = this.visible(coll, key, tx);
      if (!existing && !upsert) return { updated: 0 };
      this.writeDocs(coll, tx, [[key, existing ? existing.text : null, replacement]]);
      return existing ? { updated: 1 } : { updated: 0, upsert_id: id };
    }
    const modifier = toModifier(data);
    const found = this.select(coll, query, tx, multi ? Infinity : 1);
    const changes: [string, string | null, Doc][] = [];
    for (const f of found) {
      const next = applyUpdate(f.doc, modifier);
      if (next) changes.push([f.key, f.text, next]);
    }
    if (changes.length > 0) this.writeDocs(coll, tx, changes);
    return { updated: changes.length };
  }

  private modifyAndReturnDoc(p: Params) {
    const coll = this.collection(p);
    const tx = this.tx(p);
    const query = this.query(p);
    if (!query) throw invalidParam('query is required');
    const data = decodeEjson(p.data, this.now(), 'data');
    if (!isObject(data)) throw invalidParam('data must be an object');
    const modifier = toModifier(data);
    const [first] = this.select(coll, query, tx, 1);
    if (!first) return { updated: 0, doc: null };
    const next = applyUpdate(first.doc, modifier);
    // findAndModify reports the document it matched (n: 1) even when the update changed nothing; nothing is written then
    if (!next) return { updated: 1, doc: first.text !== null ? answerText(first.text) : encodeAnswer(first.doc) };
    this.writeDocs(coll, tx, [[first.key, first.text, next]]);
    return { updated: 1, doc: encodeAnswer(next) };
  }

  private removeDocument(p: Params) {
    const coll = this.collection(p);
    const tx = this.tx(p);
    const query = this.query(p);
    if (!query) throw invalidParam('query is required to remove documents');
    const multi = p.multi !== false && p.queryType !== 'DOC';
    const found = this.select(coll, query, tx, multi ? Infinity : 1);
    if (found.length > 0) this.writeDocs(coll, tx, found.map((f) => [f.key, f.text, null]));
    return { deleted: found.length };
  }

  private aggregateDocuments(p: Params) {
    const coll = this.collection(p);
    if (!Array.isArray(p.stages)) throw invalidParam('stages must be an array');
    const now = this.now();
    const pipeline = p.stages.map((s, i) => {
      if (!isObject(s) || typeof s.stageKey !== 'string' || !/^\$[a-zA-Z]+$/.test(s.stageKey)) throw invalidParam(`stages[${i}] is malformed`);
      return { [s.stageKey]: decodeEjson(s.stageValue, now, `stages[${i}].stageValue`) };
    });
    checkPipeline(pipeline, 'stages');
    let source: Doc[];
    const first = pipeline[0] as Record<string, unknown> | undefined;
    if (first && '$match' in first && isObject(first.$match)) {
      source = this.select(coll, first.$match as Doc, undefined, Infinity).map((f) => f.doc);
      pipeline.shift();
    } else {
      source = this.scan(coll);
    }
    for (const stage of pipeline as Record<string, { size: number }>[]) if (stage.$sample) stage.$sample.size = Math.min(stage.$sample.size, source.length);
    try {
      const out = runPipeline(source, pipeline as Doc[], (name: string) => {
        if (!this.store.has(name)) throw collectionNotExist(name);
        return this.scan(name);
      });
      return { list: out.map((d) => encodeAnswer(d)) };
    } catch (e) {
      if (e instanceof CloudError) throw e;
      throw invalidParam(`aggregate failed: ${(e as Error).message}`);
    }
  }

  // ---------------------------------------------------------------- transactions

  private startTransaction(): string {
    const tx: Transaction = { id: `tx_${newId()}`, startSeq: null, startedAt: this.wallNow(), writes: new Map() };
    this.txs.set(tx.id, tx);
    return tx.id;
  }

  private commitTransaction(p: Params) {
    const tx = this.requireTx(p);
    try {
      if (tx.writes.size === 0) return; // a read-only transaction commits nothing, so the write sequence stays
      for (const w of tx.writes.values()) if (this.changedSince(w.coll, w.key, snapshotOf(tx))) throw txConflict();
      const seq = this.store.seq + 1;
      const olds = [...tx.writes.values()].map((w) => this.store.get(w.coll, w.key));
      this.store.atomic(() => {
        let i = 0;
        for (const w of tx.writes.values()) this.applyRow(w.coll, w.key, olds[i++], w.doc, seq);
      });
      this.store.seq = seq;
      let i = 0;
      for (const w of tx.writes.values()) this.recordHistory(w.coll, w.key, olds[i++], seq, w.doc === null);
    } finally {
      this.endTx(tx);
    }
  }

  private abortTransaction(p: Params) {
    this.endTx(this.requireTx(p));
  }

  private requireTx(p: Params): Transaction {
    const tx = this.txs.get(str(p.transactionId, 'transactionId'));
    if (!tx) throw txNotExist();
    // expire on use as well: the 1 s sweeper alone let a transaction outlive its 30 s by up to a second
    if (tx.startedAt < this.wallNow() - TX_TTL_MS) {
      this.endTx(tx);
      throw txNotExist();
    }
    return tx;
  }

  /** The transaction a read or write runs in; the first one takes its snapshot. */
  private tx(p: Params): Transaction | undefined {
    if (p.transactionId === undefined) return undefined;
    const tx = this.requireTx(p);
    if (tx.startSeq === null) {
      tx.startSeq = this.store.seq;
      this.snapshots++;
    }
    return tx;
  }

  private endTx(tx: Transaction) {
    if (!this.txs.delete(tx.id)) return;
    if (tx.startSeq !== null) this.snapshots--;
    for (const ck of tx.writes.keys()) if (this.locks.get(ck) === tx.id) this.locks.delete(ck);
    this.pruneHistory();
  }

  private expireTransactions() {
    const cutoff = this.wallNow() - TX_TTL_MS;
    for (const tx of [...this.txs.values()]) if (tx.startedAt < cutoff) this.endTx(tx);
  }

  /** Buffer a write inside a transaction, refusing it when another writer got there first. */
  private txWrite(tx: Transaction, coll: string, key: string, doc: Doc | null) {
    const ck = `${coll}\u0000${key}`;
    const holder = this.locks.get(ck);
    if ((holder && holder !== tx.id) || this.changedSince(coll, key, snapshotOf(tx))) {
      this.endTx(tx);
      throw txConflict();
    }
    this.locks.set(ck, tx.id);
    tx.writes.set(ck, { coll, key, doc });
  }

  private changedSince(coll: string, key: string, seq: number): boolean {
    const row = this.store.get(coll, key);
    if (row) return row.ver > seq;
    const entries = this.history.get(coll)?.get(key);
    return !!entries && entries.some((e) => e.from > seq);
  }

  // ---------------------------------------------------------------- reads and writes

  /** Matching documents as the caller sees them (a transaction sees its snapshot and its own writes). */
  private select(coll: string, query: Doc | undefined, tx: Transaction | undefined, stopAt: number): Found[] {
    const test = query && Object.keys(query).length > 0 ? compile(query) : null;
    const out: Found[] = [];
    if (!tx) {
      for (const row of this.store.candidates(coll, query)) {
        const doc = decodeStored(row.doc);
        if (!test || test(doc)) {
          out.push({ key: row.k, doc, text: row.doc });
          if (out.length >= stopAt) break;
        }
      }
      return out;
    }
    const keys = new Set<string>();
    for (const row of this.store.candidates(coll, query)) keys.add(row.k);
    for (const key of this.history.get(coll)?.keys() ?? []) keys.add(key);
    for (const w of tx.writes.values()) if (w.coll === coll) keys.add(w.key);
    for (const key of keys) {
      const v = this.visible(coll, key, tx);
      if (v && (!test || test(v.doc))) {
        out.push({ key, doc: v.doc, text: v.text });
        if (out.length >= stopAt) break;
      }
    }
    return out;
  }

  private visible(coll: string, key: string, tx: Transaction | undefined): { doc: Doc; text: string | null } | null {
    if (tx) {
      const w = tx.writes.get(`${coll}\u0000${key}`);
      // a copy through the codec (structuredClone turns an ObjectId into a plain object)
      if (w) return w.doc ? { doc: decodeStored(encodeStored(w.doc)), text: null } : null;
    }
    const row = this.store.get(coll, key);
    const seq = tx ? snapshotOf(tx) : Infinity;
    if (!tx || (row && row.ver <= seq)) return row ? { doc: decodeStored(row.doc), text: row.doc } : null;
    const entries = this.history.get(coll)?.get(key);
    let state: HistoryEntry | undefined;
    for (const e of entries ?? []) if (e.from <= seq && (!state || e.from >= state.from)) state = e;
    return state?.text ? { doc: decodeStored(state.text), text: state.text } : null;
  }

  /** Write documents (null = remove) now, or buffer them in the transaction. */
  private writeDocs(coll: string, tx: Transaction | undefined, changes: [string, string | null, Doc | null][]) {
    if (tx) {
      for (const [key, , doc] of changes) this.txWrite(tx, coll, key, doc);
      return;
    }
    const seq = this.store.seq + 1; // taken once the write commits (a unique index may refuse it)
    const olds = changes.map(([key]) => this.store.get(coll, key));
    this.store.atomic(() => changes.forEach(([key, , doc], i) => this.applyRow(coll, key, olds[i], doc, seq)));
    this.store.seq = seq;
    changes.forEach(([key, , doc], i) => this.recordHistory(coll, key, olds[i], seq, doc === null));
  }

  private applyRow(coll: string, key: string, old: Row | undefined, doc: Doc | null, seq: number) {
    if (doc === null) {
      if (old) this.store.remove(coll, key);
    } else if (old) {
      this.store.replace(coll, key, encodeStored(doc), seq);
    } else {
      this.store.insert(coll, key, encodeStored(doc), seq);
    }
  }

  /** Keep the state a write replaced, while an open transaction may still read it. */
  private recordHistory(coll: string, key: string, old: Row | undefined, seq: number, removed: boolean) {
    if (this.snapshots === 0) return; // a snapshot taken later starts after this write
    let byKey = this.history.get(coll);
    if (!byKey) this.history.set(coll, (byKey = new Map()));
    let entries = byKey.get(key);
    if (!entries) byKey.set(key, (entries = []));
    if (old) entries.push({ from: old.ver, text: old.doc });
    if (removed) entries.push({ from: seq, text: null });
  }

  private pruneHistory() {
    if (this.snapshots === 0) {
      this.history.clear();
      return;
    }
    let oldest = Infinity;
    for (const tx of this.txs.values()) if (tx.startSeq !== null) oldest = Math.min(oldest, tx.startSeq);
    for (const [coll, byKey] of this.history) {
      for (const [key, entries] of byKey) {
        const row = this.store.get(coll, key);
        if (row && row.ver <= oldest) byKey.delete(key);
        else if (entries.length > 1) {
          // Drop states that no open transaction can see: all but the newest one starting at or before `oldest`.
          const keepFrom = Math.max(...entries.filter((e) => e.from <= oldest).map((e) => e.from), -1);
          byKey.set(key, entries.filter((e) => e.from >= keepFrom));
        }
      }
      if (byKey.size === 0) this.history.delete(coll);
    }
  }

  private scan(coll: string): Doc[] {
    const out: Doc[] = [];
    for (const row of this.store.all(coll)) out.push(decodeStored(row.doc));
    return out;
  }

  private collection(p: Params): string {
    const name = str(p.collectionName, 'collectionName');
    if (!this.store.has(name)) throw collectionNotExist(name);
    return name;
  }

  private query(p: Params): Doc | undefined {
    if (p.query === undefined || p.query === null) return undefined;
    // DOC queries arrive as an object {"_id": id}; WHERE queries as an EJSON string.
    if (isObject(p.query)) {
      if (!('_id' in p.query) || Object.keys(p.query).length !== 1) throw invalidParam('a DOC query must be {_id}');
      return { _id: p.query._id };
    }
    return this.decodeObject(p.query, 'query');
  }

  private decodeObject(value: unknown, what: string): Doc {
    const v = decodeEjson(value, this.now(), what);
    if (!isObject(v)) throw invalidParam(`${what} must be an object`);
    return v as Doc;
  }
}

/** The snapshot of a transaction that has read or written (every caller runs after `tx()` took it). */
function snapshotOf(tx: Transaction): number {
  if (tx.startSeq === null) throw new Error('transaction without a snapshot');
  return tx.startSeq;
}

function compile(query: Doc): (doc: Doc) => boolean {
  let q: ReturnType<typeof compileQuery>;
  try {
    q = compileQuery(query);
  } catch (e) {
    throw invalidParam(`invalid query: ${(e as Error).message}`);
  }
  // Some malformed operators ($in with a non-array, a bad $regex) only fail when a document is tested.
  return (doc) => {
    try {
      return q.test(doc);
    } catch (e) {
      throw invalidParam(`invalid query: ${(e as Error).message}`);
    }
  };
}

const AGGREGATE_STAGES = new Set(['$match', '$group', '$sort', '$limit', '$skip', '$project', '$unwind', '$lookup', '$count', '$addFields', '$replaceRoot', '$sample', '$sortByCount']);

/** Refuse stages the local cloud does not serve, and $sample sizes that would make mingo loop without end. */
function checkPipeline(stages: unknown[], where: string) {
  stages.forEach((stage, i) => {
    if (!isObject(stage)) throw invalidParam(`${where}[${i}] must be an object`);
    for (const [key, value] of Object.entries(stage)) {
      if (!AGGREGATE_STAGES.has(key)) throw invalidParam(`${where}[${i}]: stage ${key} is not supported`);
      if (key === '$sample') {
        const size = isObject(value) ? value.size : undefined;
        if (typeof size !== 'number' || !Number.isSafeInteger(size) || size < 0) throw invalidParam(`${where}[${i}]: $sample.size must be a non-negative integer`);
      }
      if (key === '$lookup' && isObject(value) && value.pipeline !== undefined) {
        if (!Array.isArray(value.pipeline)) throw invalidParam(`${where}[${i}]: $lookup.pipeline must be an array`);
        checkPipeline(value.pipeline, `${where}[${i}].$lookup.pipeline`);
      }
    }
  });
}

const UPDATE_OPERATORS = new Set(['$set', '$unset', '$inc', '$mul', '$min', '$max', '$rename', '$push', '$pull', '$pullAll', '$addToSet', '$pop', '$bit', '$currentDate']);

/** The SDK sends operator form; plain fields (raw mode) mean $set. */
function toModifier(data: Doc): Doc {
  const modifier: Doc = {};
  const plain: Doc = {};
  for (const [k, v] of Object.entries(data)) {
    if (k.startsWith('$')) {
      if (!UPDATE_OPERATORS.has(k)) throw invalidParam(`unknown update operator ${k}`);
      if (!isObject(v)) throw invalidParam(`${k} needs an object`);
      for (const [path, value] of Object.entries(v)) {
        if (path === '_id' || path.startsWith('_id.')) throw invalidParam('_id cannot be updated');
        if (path.split('.').some((s) => s.startsWith('$') || s === '')) {
          throw requestFailed(`[FailedOperation] The dollar ($) prefixed field '${path}' is not valid for storage.`);
        }
        if (k !== '$pull' && k !== '$push' && k !== '$addToSet') checkNoDollar(value);
      }
      modifier[k] = v;
    } else {
      if (k === '_id') throw invalidParam('_id cannot be updated');
      plain[k] = v;
    }
  }
  if (Object.keys(plain).length > 0) {
    checkNoDollar(plain);
    modifier.$set = { ...(modifier.$set as Doc | undefined), ...plain };
  }
  if (Object.keys(modifier).length === 0) throw invalidParam('empty update');
  return modifier;
}

/** Apply an update; null when nothing changed (MongoDB counts only modified documents). */
function applyUpdate(doc: Doc, modifier: Doc): Doc | null {
  checkUpdateTypes(doc, modifier);
  try {
    const changed = applyModifier(doc, modifier);
    if (changed.length === 0) return null;
  } catch (e) {
    throw requestFailed(`[FailedOperation] ${(e as Error).message}`);
  }
  const bad = findDollarField(doc);
  if (bad) throw requestFailed(`[FailedOperation] The dollar ($) prefixed field '${bad}' is not valid for storage.`);
  return doc;
}

const NUMERIC_OPERATORS = new Set(['$inc', '$mul', '$bit']);
const ARRAY_OPERATORS = new Set(['$push', '$addToSet', '$pop', '$pull', '$pullAll']);

/** mingo silently skips an operator applied to the wrong type; MongoDB (so CloudBase) fails the write instead. */
function checkUpdateTypes(doc: Doc, modifier: Doc) {
  for (const [op, spec] of Object.entries(modifier)) {
    if (op === '$unset' || op === '$rename' || op === '$currentDate') continue;
    for (const [path, arg] of Object.entries(spec as Doc)) {
      const { value, blocked } = resolvePath(doc, path);
      if (blocked) throw requestFailed(`[FailedOperation] Cannot create field '${path}': a parent is not an object`);
      if (NUMERIC_OPERATORS.has(op)) {
        if (op !== '$bit' && typeof arg !== 'number') throw requestFailed(`[FailedOperation] Cannot ${op.slice(1)} with non-numeric argument: {${path}: ${JSON.stringify(arg)}}`);
        if (value !== undefined && typeof value !== 'number') throw requestFailed(`[FailedOperation] Cannot apply ${op} to a value of non-numeric type (field '${path}')`);
      }
      if (ARRAY_OPERATORS.has(op) && value !== undefined && !Array.isArray(value)) {
        throw requestFailed(`[FailedOperation] Cannot apply ${op} to a non-array value (field '${path}')`);
      }
    }
  }
}

/** The value at a dotted update path; `blocked` when the path runs through a scalar, null or an array by name. */
function resolvePath(doc: Doc, path: string): { value: unknown; blocked: boolean } {
  let cur: unknown = doc;
  for (const seg of path.split('.')) {
    if (cur === undefined) return { value: undefined, blocked: false };
    if (Array.isArray(cur)) {
      if (!/^\d+$/.test(seg)) return { value: undefined, blocked: true };
      cur = cur[Number(seg)];
    } else if (isObject(cur) && !(cur instanceof ObjectId)) {
      cur = cur[seg];
    } else {
      return { value: undefined, blocked: true };
    }
  }
  return { value: cur, blocked: false };
}

function checkNoDollar(value: unknown) {
  const bad = findDollarField(value);
  if (bad) throw requestFailed(`[FailedOperation] The dollar ($) prefixed field '${bad}' is not valid for storage.`);
}

function duplicate(coll: string, id: string) {
  return new CloudError('DATABASE_REQUEST_FAILED', `[FailedOperation] E11000 duplicate key error collection: ${coll} dup key: { _id: "${id}" }`);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Date) && !(v instanceof RegExp);
}

function str(v: unknown, name: string): string {
  if (typeof v !== 'string' || v.length === 0) throw invalidParam(`${name} must be a non-empty string`);
  return v;
}

function nonNegativeInt(v: unknown, name: string): number {
  const n = typeof v === 'string' ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 0) throw invalidParam(`${name} must be a non-negative integer`);
  return n;
}

/** 32 hex characters, like the ids CloudBase generates. */
export function newId(): string {
  return crypto.randomBytes(16).toString('hex');
}
