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

export function decodeStored(text: string): Doc {
  return JSON.parse(text, (_k, v) => {
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
      if (typeof v.$date === 'number' && Object.keys(v).length === 1) return new Date(v.$date);
      if (typeof v.$oid === 'string' && Object.keys(v).length === 1) return new ObjectId(v.$oid);
      if (v.$regularExpression && Object.keys(v).length === 1) return new RegExp(v.$regularExpression.pattern, v.$regularExpression.options);
      if (typeof v.$numberDouble === 'string' && Object.keys(v).length === 1) return Number(v.$numberDouble);
    }
    return v;
  }) as Doc;
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
