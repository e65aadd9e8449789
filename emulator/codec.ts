/**
 * Values on the wire and on disk.
 * - In: the SDK sends canonical EJSON strings; decoded with bson's EJSON (relaxed), then RegExp and server dates fixed up.
 * - On disk and out: plain JSON where a Date is {"$date": <ms>}, an ObjectId {"$oid": hex} and a RegExp
 *   {"$regularExpression": {...}}. The SDK's EJSON.parse reads that form back into the same values, so a stored
 *   document can be answered without re-encoding, and SQLite can index a date as a number. Answers give ObjectIds
 *   as hex strings (see encodeAnswer).
 */
import { BSONRegExp, EJSON, ObjectId } from 'bson';
import { invalidParam } from './errors';

export type Doc = Record<string, unknown>;

/** Decode an EJSON string the SDK sent. `now` replaces db.serverDate(). */
export function decodeEjson(text: unknown, now: number, what: string): unknown {
  if (typeof text !== 'string') throw invalidParam(`${what} must be an EJSON string`);
  let value: unknown;
  try {
    value = EJSON.parse(text, { relaxed: true });
  } catch (e) {
    throw invalidParam(`${what} is not valid EJSON: ${(e as Error).message}`);
  }
  return fixUp(value, now);
}

function fixUp(value: unknown, now: number): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (value instanceof Date || value instanceof ObjectId) return value;
  if (value instanceof BSONRegExp) {
    try {
      return new RegExp(value.pattern, value.options.replace(/[^gimsuy]/g, ''));
    } catch (e) {
      throw invalidParam(`invalid regular expression: ${(e as Error).message}`);
    }
  }
  if (Array.isArray(value)) return value.map((v) => fixUp(v, now));
  const bsonType = (value as { _bsontype?: string })._bsontype;
  if (bsonType === 'Long' || bsonType === 'Int32' || bsonType === 'Double' || bsonType === 'Decimal128') {
    return Number(String(value));
  }
  if (bsonType) throw invalidParam(`unsupported BSON type ${bsonType}`);
  const obj = value as Doc;
  const keys = Object.keys(obj);
  if (keys.length === 1 && keys[0] === '$tcb_server_date') {
    const offset = Number((obj.$tcb_server_date as { offset?: unknown })?.offset ?? 0);
    return new Date(now + (Number.isFinite(offset) ? offset : 0));
  }
  const out: Doc = {};
  for (const k of keys) out[k] = fixUp(obj[k], now);
  return out;
}

/** Serialize a document for disk and for answers. */
export function encodeStored(doc: unknown): string {
  return JSON.stringify(doc, function replacer(this: Doc, key: string, v: unknown) {
    const raw = this[key];
    if (raw instanceof Date) return { $date: raw.getTime() };
    if (raw instanceof RegExp) return { $regularExpression: { pattern: raw.source, options: raw.flags } };
    if (raw instanceof ObjectId) return { $oid: raw.toHexString() };
    if (typeof raw === 'number' && !Number.isFinite(raw)) return { $numberDouble: String(raw) };
    return v;
  });
}

/**
 * Serialize a document for an answer. Like encodeStored, except that an ObjectId (in any field, _id included) goes out
 * as its hex string: the SDK parses {"$oid"} into a bson ObjectId, which its get() post-processing (formatField) then
 * empties to {}; its own test against the real cloud expects the hex string back (TencentCloudBase/node-sdk,
 * test/database/unit/oid.test.ts: `getRes.data[0].a === objId`, `addRes.id === objId`). On disk ObjectIds stay
 * ObjectIds, so queries and lookups by db.ObjectId keep matching them (and a plain string does not).
 */
export function encodeAnswer(doc: unknown): string {
  return JSON.stringify(doc, function replacer(this: Doc, key: string, v: unknown) {
    const raw = this[key];
    if (raw instanceof ObjectId) return raw.toHexString();
    if (raw instanceof Date) return { $date: raw.getTime() };
    if (raw instanceof RegExp) return { $regularExpression: { pattern: raw.source, options: raw.flags } };
    if (typeof raw === 'number' && !Number.isFinite(raw)) return { $numberDouble: String(raw) };
    return v;
  });
}

/** A stored document's text as an answer: as stored unless it holds an ObjectId. */
export function answerText(stored: string): string {
  return stored.includes('"$oid"') ? encodeAnswer(decodeStored(stored)) : stored;
}

/**
 * A stored document's text back into values. Plain JSON.parse and one walk over the result: a reviver (called for
 * every value of every document read) took twice as long (docs/local-cloud.md, where the CPU goes).
 */
export function decodeStored(text: string): Doc {
  const value = JSON.parse(text) as unknown;
  // No "$" key anywhere (a tagged value always has one): nothing to revive.
  return (text.includes('"$') ? revive(value) : value) as Doc;
}

/** The tagged form of a Date, ObjectId, RegExp or non-finite number, as encodeStored wrote it, back into the value. */
function revive(v: unknown): unknown {
  if (v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) {
      const x = v[i];
      if (x !== null && typeof x === 'object') v[i] = revive(x);
    }
    return v;
  }
  const obj = v as Record<string, any>;
  let count = 0;
  let only = '';
  for (const k in obj) {
    count++;
    only = k;
    const x = obj[k];
    if (x !== null && typeof x === 'object') {
      const r = revive(x);
      // A "__proto__" key is an own property of parsed JSON: assigning it would set the prototype instead.
      if (r !== x) Object.defineProperty(obj, k, { value: r, writable: true, enumerable: true, configurable: true });
    }
  }
  if (count === 1 && only.charCodeAt(0) === 36 /* $ */) {
    const t = obj[only];
    if (only === '$date' && typeof t === 'number') return new Date(t);
    if (only === '$oid' && typeof t === 'string') return new ObjectId(t);
    if (only === '$regularExpression' && t) return new RegExp(t.pattern, t.options);
    if (only === '$numberDouble' && typeof t === 'string') return Number(t);
  }
  return obj;
}

/** Documents may not carry field names starting with "$" (MongoDB rejects them too). */
export function findDollarField(value: unknown, path = ''): string | null {
  if (value === null || typeof value !== 'object' || value instanceof Date || value instanceof RegExp || value instanceof ObjectId) return null;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const hit = findDollarField(value[i], `${path}.${i}`);
      if (hit) return hit;
    }
    return null;
  }
  for (const [k, v] of Object.entries(value)) {
    if (k.startsWith('$')) return path ? `${path}.${k}` : k;
    const hit = findDollarField(v, path ? `${path}.${k}` : k);
    if (hit) return hit;
  }
  return null;
}

/** The primary key of a document in SQLite: strings as they are, other id types tagged. */
export function idKey(id: unknown): string {
  if (typeof id === 'string') {
    if (id.length === 0 || id.length > 256) throw invalidParam('_id must be a non-empty string of at most 256 characters');
    return id;
  }
  if (typeof id === 'number' && Number.isFinite(id)) return `\u0001n:${id}`;
  if (id instanceof ObjectId) return `\u0001o:${id.toHexString()}`;
  throw invalidParam('_id must be a string, a number or an ObjectId');
}
