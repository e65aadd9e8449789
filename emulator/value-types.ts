/**
 * BSON types of the values the local cloud holds, for `$type` and `$jsonSchema`'s `bsonType`.
 * Documents are decoded with every numeric BSON type as a JS number (codec.ts), so "int" means an integer in the
 * 32-bit range, "long" any integer and "double"/"decimal"/"number" any number; the types the local cloud never
 * stores (binData, timestamp, minKey…) are known names that match nothing.
 */
import { ObjectId } from 'bson';

type Test = (v: unknown) => boolean;

/**
 * A document (embedded object): a plain object, not an array, Date, RegExp or ObjectId. Checked by the shape of its
 * prototype chain, not by identity with this realm's Object.prototype: under jest the local cloud runs in a vm
 * context, and objects built by Node's own globals there (structuredClone, for one) belong to the outer realm.
 */
export function isDocument(v: unknown): v is Record<string, unknown> {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === null || Object.getPrototypeOf(proto) === null;
}

const isNumber: Test = (v) => typeof v === 'number';
const never: Test = () => false;

const BY_NAME: Record<string, Test> = {
  double: isNumber,
  string: (v) => typeof v === 'string',
  object: isDocument,
  array: Array.isArray,
  binData: never,
  undefined: never,
  objectId: (v) => v instanceof ObjectId,
  bool: (v) => typeof v === 'boolean',
  date: (v) => v instanceof Date,
  null: (v) => v === null,
  regex: (v) => v instanceof RegExp,
  dbPointer: never,
  javascript: never,
  symbol: never,
  javascriptWithScope: never,
  int: (v) => Number.isInteger(v) && (v as number) >= -(2 ** 31) && (v as number) < 2 ** 31,
  timestamp: never,
  long: Number.isInteger,
  decimal: isNumber,
  minKey: never,
  maxKey: never,
  number: isNumber,
};

const BY_NUMBER: Record<number, string> = {
  1: 'double', 2: 'string', 3: 'object', 4: 'array', 5: 'binData', 6: 'undefined', 7: 'objectId', 8: 'bool', 9: 'date', 10: 'null',
  11: 'regex', 12: 'dbPointer', 13: 'javascript', 14: 'symbol', 15: 'javascriptWithScope', 16: 'int', 17: 'timestamp', 18: 'long',
  19: 'decimal', [-1]: 'minKey', 127: 'maxKey',
};

/** The test for one `$type` alias (a name or its number); throws on an unknown one, as MongoDB does. */
export function typeAliasTest(alias: unknown): Test {
  const name = typeof alias === 'number' ? BY_NUMBER[alias] : alias;
  const test = typeof name === 'string' && Object.prototype.hasOwnProperty.call(BY_NAME, name) ? BY_NAME[name] : undefined;
  if (!test) throw new Error(`unknown type name alias: ${String(alias)}`);
  return test;
}
