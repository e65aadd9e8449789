/**
 * mingo, configured to judge queries, updates and aggregations as MongoDB (so CloudBase) does where its defaults
 * differ. mingo's own operators are kept; a context replaces the few that disagree with MongoDB:
 *
 * - Field paths into arrays. mingo resolves `a.b` by collecting values across `a`, and a field of a plain value
 *   resolves to the value itself, so `$elemMatch: {b: 2}` matched the element 2, `$exists`/`$size`/`$elemMatch` on
 *   `a.b` judged the collected list, and `$mod` took null, strings and booleans for numbers. The field operators
 *   below walk a path the way MongoDB's matcher does (src/mongo/db/matcher/path.cpp): through documents; into an
 *   array, each document element continues the path and a numeric component also selects that position; nested
 *   arrays are not entered by name; at the end an array is offered element by element and then whole — only whole
 *   for `$elemMatch` and `$size`. A condition holds when one offered value satisfies it, judged on that value alone;
 *   `$ne`, `$nin` and `$exists: false` are the negations. `$elemMatch` with field conditions tests document (and
 *   array) elements only, with operator conditions each element itself (expression_array.cpp).
 * - `$jsonSchema`: mingo delegates it to a validator; json-schema.ts implements MongoDB's dialect.
 * - Aggregation expressions: `$indexOfCP` (missing in mingo), `$indexOfBytes` (mingo counted UTF-16 units),
 *   `$substr`/`$substrBytes` (a negative length means the rest of the string, a length past the end stops there),
 *   `$week` (mingo counted from ISO weeks; MongoDB's weeks start on Sunday, the days before the year's first Sunday
 *   being week 0, like strftime's %U).
 */
import { Aggregator } from 'mingo/aggregator';
import { Context, evalExpr } from 'mingo/core';
import * as accumulatorOps from 'mingo/operators/accumulator';
import * as expressionOps from 'mingo/operators/expression';
import * as pipelineOps from 'mingo/operators/pipeline';
import * as projectionOps from 'mingo/operators/projection';
import * as queryOps from 'mingo/operators/query';
import * as windowOps from 'mingo/operators/window';
import { Query } from 'mingo/query';
import type { Options } from 'mingo/types';
import { update } from 'mingo/updater';
import { compare, isEqual, isRegExp, typeOf } from 'mingo/util';
import { compileJsonSchema } from './json-schema';
import { isDocument, typeAliasTest } from './value-types';

type Doc = Record<string, unknown>;
type Test = (v: unknown) => boolean;
type Predicate = (doc: unknown) => boolean;
/* eslint-disable @typescript-eslint/no-explicit-any */
type QueryOp = (selector: string, arg: any, options: any) => Predicate;
type ExpressionOp = (obj: any, expr: any, options: any) => unknown;

// ---------------------------------------------------------------- paths

/**
 * Whether `test` holds for one of the values `path` reaches in `root` (undefined stands for "missing").
 * `wholeArrays`: a path ending at an array offers only the array ($elemMatch, $size), not also its elements.
 */
function anyValue(root: unknown, path: string[], wholeArrays: boolean, test: Test): boolean {
  // A condition applied to an array element ($elemMatch, $pull) sees an array as a document keyed "0", "1", …
  const start = Array.isArray(root) ? Object.fromEntries(root.map((v, i) => [String(i), v])) : root;
  return walk(start, path, 0, wholeArrays, test);
}

function walk(node: unknown, path: string[], i: number, wholeArrays: boolean, test: Test): boolean {
  let cur = node;
  while (i < path.length && !Array.isArray(cur)) {
    if (!isDocument(cur)) return test(undefined);
    const key = path[i++];
    cur = Object.prototype.hasOwnProperty.call(cur, key) ? cur[key] : undefined;
  }
  if (!Array.isArray(cur)) return test(cur);
  if (i === path.length) {
    if (!wholeArrays) for (const e of cur) if (test(e)) return true;
    return test(cur);
  }
  return inArray(cur, path, i, wholeArrays, test);
}

/** The rest of the path (from `i`) applied inside an array. */
function inArray(arr: unknown[], path: string[], i: number, wholeArrays: boolean, test: Test): boolean {
  const next = path[i];
  const position = /^\d+$/.test(next) ? next : null;
  const last = i + 1 === path.length;
  for (let k = 0; k < arr.length; k++) {
    const e = arr[k];
    const atPosition = position !== null && String(k) === position;
    if (isDocument(e)) {
      if (walk(e, path, i, wholeArrays, test)) return true;
      if (atPosition && (last ? test(e) : walk(e, path, i + 1, wholeArrays, test))) return true;
    } else if (atPosition) {
      if (last) {
        if (test(e)) return true;
      } else if (Array.isArray(e) && inArray(e, path, i + 1, wholeArrays, test)) {
        return true;
      }
    }
    // any other plain value has no fields: it offers nothing to the rest of the path
  }
  return false;
}

// ---------------------------------------------------------------- conditions on one value

function eqTest(b: unknown): Test {
  if (b === null || b === undefined) return (v) => v === null || v === undefined; // null matches missing too
  return (v) => isEqual(v, b);
}

function regexTest(re: RegExp): Test {
  return (v) => {
    if (typeof v !== 'string') return false;
    re.lastIndex = 0;
    return re.test(v);
  };
}

function toRegExp(arg: unknown, flags: unknown): RegExp {
  if (isRegExp(arg)) return flags === undefined ? arg : new RegExp(arg.source, String(flags));
  if (typeof arg !== 'string') throw new Error('$regex has to be a string or a regular expression');
  return new RegExp(arg, flags === undefined ? '' : String(flags));
}

function inTest(list: unknown, op: string): Test {
  if (!Array.isArray(list)) throw new Error(`${op} needs an array`);
  if (list.every((x) => typeof x === 'string' || (typeof x === 'number' && !Number.isNaN(x)))) {
    const set = new Set<unknown>(list); // the common case (a list of ids): one lookup
    return (v) => (typeof v === 'string' || typeof v === 'number') && set.has(v);
  }
  const tests = list.map((x) => (isRegExp(x) ? regexTest(x) : eqTest(x)));
  return (v) => tests.some((t) => t(v));
}

function comparison(b: unknown, ok: (c: number) => boolean, orEqualNull: boolean): Test {
  if (b === null) return orEqualNull ? eqTest(null) : () => false;
  const type = typeOf(b);
  return (v) => v !== undefined && typeOf(v) === type && ok(compare(v, b));
}

function modTest(arg: unknown): Test {
  if (!Array.isArray(arg) || arg.length !== 2 || !arg.every((x) => typeof x === 'number' && Number.isFinite(x))) {
    throw new Error('$mod needs an array of two numbers: [divisor, remainder]');
  }
  const divisor = Math.trunc(arg[0]);
  const remainder = Math.trunc(arg[1]);
  if (divisor === 0) throw new Error('$mod: divisor cannot be 0');
  return (v) => typeof v === 'number' && Number.isFinite(v) && Math.trunc(v) % divisor === remainder;
}

function typeTest(arg: unknown): Test {
  const tests = (Array.isArray(arg) ? arg : [arg]).map(typeAliasTest);
  return (v) => v !== undefined && tests.some((t) => t(v));
}

function sizeTest(arg: unknown): Test {
  if (typeof arg !== 'number' || !Number.isInteger(arg)) throw new Error('$size needs an integer');
  return (v) => Array.isArray(v) && v.length === arg;
}

/** $elemMatch on one value: an array one of whose elements matches. */
function elemMatchTest(criteria: unknown, options: unknown): Test {
  if (!isDocument(criteria)) throw new Error('$elemMatch needs an object');
  const keys = Object.keys(criteria);
  const operatorsOnly = keys.length > 0 && keys.every((k) => k.startsWith('$') && k !== '$and' && k !== '$or' && k !== '$nor');
  let element: Test;
  if (operatorsOnly) {
    element = valueTest(criteria, options); // each element itself
  } else {
    // documents only, and arrays (which anyValue() reads as documents keyed "0", "1", …)
    const q = new Query(criteria, options as Partial<Options>);
    element = (e) => (isDocument(e) || Array.isArray(e)) && q.test(e as Doc);
  }
  return (v) => Array.isArray(v) && v.some(element);
}

/** `{$all: [...]}` on one value: every entry holds (an equality, or an {$elemMatch}). */
function allTest(list: unknown, options: unknown): Test {
  if (!Array.isArray(list)) throw new Error('$all needs an array');
  const tests = list.map((x) => (isDocument(x) && '$elemMatch' in x ? elemMatchTest(x.$elemMatch, options) : eqTest(x)));
  return (v) => tests.length > 0 && tests.every((t) => t(v));
}

/** Conditions on one value without traversing it (the elements of an operator-only $elemMatch). */
function valueTest(spec: Doc, options: unknown): Test {
  const tests: Test[] = [];
  for (const [op, arg] of Object.entries(spec)) {
    if (op === '$options') continue;
    if (op === '$regex') {
      tests.push(regexTest(toRegExp(arg, spec.$options)));
    } else if (op === '$not') {
      const inner = valueTest(isRegExp(arg) ? { $regex: arg } : (arg as Doc), options);
      tests.push((v) => !inner(v));
    } else if (op === '$all') {
      tests.push(allTest(arg, options));
    } else if (ONE_VALUE[op]) {
      tests.push(ONE_VALUE[op](arg, options));
    } else {
      // an operator with no special path handling here (the $bits… family): mingo's, on this value alone
      const builtin = (queryOps as unknown as Record<string, QueryOp>)[op];
      if (!builtin) throw new Error(`unknown operator ${op}`);
      const pred = builtin('v', arg, options);
      tests.push((v) => !Array.isArray(v) && pred({ v }));
    }
  }
  return (v) => tests.every((t) => t(v));
}

const ONE_VALUE: Record<string, (arg: unknown, options: unknown) => Test> = {
  $eq: (b) => eqTest(b),
  $ne: (b) => negate(eqTest(b)),
  $gt: (b) => comparison(b, (c) => c > 0, false),
  $gte: (b) => comparison(b, (c) => c >= 0, true),
  $lt: (b) => comparison(b, (c) => c < 0, false),
  $lte: (b) => comparison(b, (c) => c <= 0, true),
  $in: (b) => inTest(b, '$in'),
  $nin: (b) => negate(inTest(b, '$nin')),
  $exists: (b) => (b ? (v) => v !== undefined : (v) => v === undefined),
  $type: (b) => typeTest(b),
  $mod: (b) => modTest(b),
  $size: (b) => sizeTest(b),
  $elemMatch: (b, options) => elemMatchTest(b, options),
};

function negate(t: Test): Test {
  return (v) => !t(v);
}

// ---------------------------------------------------------------- field operators

/** A field operator: holds when `test` holds for one value the path reaches. */
function some(make: (arg: unknown, options: unknown) => Test, wholeArrays = false): QueryOp {
  return (selector, arg, options) => {
    const path = selector.split('.');
    const test = make(arg, options);
    return (doc) => anyValue(doc, path, wholeArrays, test);
  };
}

/** A negated field operator: holds when `test` holds for no value the path reaches. */
function none(make: (arg: unknown) => Test): QueryOp {
  return (selector, arg) => {
    const path = selector.split('.');
    const test = make(arg);
    return (doc) => !anyValue(doc, path, false, test);
  };
}

const exists: QueryOp = (selector, arg) => {
  const path = selector.split('.');
  const found = (doc: unknown) => anyValue(doc, path, false, (v) => v !== undefined);
  return arg ? found : (doc) => !found(doc);
};

const all: QueryOp = (selector, list, options) => {
  if (!Array.isArray(list)) throw new Error('$all needs an array');
  const path = selector.split('.');
  const parts = list.map((x): [Test, boolean] => (isDocument(x) && '$elemMatch' in x ? [elemMatchTest(x.$elemMatch, options), true] : [eqTest(x), false]));
  return (doc) => parts.length > 0 && parts.every(([test, whole]) => anyValue(doc, path, whole, test));
};

const regex: QueryOp = (selector, arg) => {
  const path = selector.split('.');
  const test = regexTest(toRegExp(arg, undefined)); // mingo's normalize() has folded $options in
  return (doc) => anyValue(doc, path, false, test);
};

const QUERY_OPERATORS: Record<string, QueryOp> = {
  $eq: some(ONE_VALUE.$eq),
  $gt: some(ONE_VALUE.$gt),
  $gte: some(ONE_VALUE.$gte),
  $lt: some(ONE_VALUE.$lt),
  $lte: some(ONE_VALUE.$lte),
  $in: some(ONE_VALUE.$in),
  $type: some(ONE_VALUE.$type),
  $mod: some(ONE_VALUE.$mod),
  $size: some(ONE_VALUE.$size, true),
  $elemMatch: some(ONE_VALUE.$elemMatch, true),
  $ne: none(eqTest),
  $nin: none((b) => inTest(b, '$nin')),
  $exists: exists,
  $all: all,
  $regex: regex,
};

// ---------------------------------------------------------------- expression operators

const builtinExpressions = expressionOps as unknown as Record<string, ExpressionOp>;

const $indexOfCP: ExpressionOp = (obj, expr, options) => {
  if (!Array.isArray(expr) || expr.length < 2 || expr.length > 4) throw new Error('$indexOfCP needs 2 to 4 arguments');
  const [input, token, start, end] = evalExpr(obj, expr, options) as unknown[];
  if (input === null || input === undefined) return null;
  if (typeof input !== 'string') throw new Error(`$indexOfCP requires a string as the first argument, found: ${typeOf(input)}`);
  if (typeof token !== 'string') throw new Error(`$indexOfCP requires a string as the second argument, found: ${typeOf(token)}`);
  const chars = Array.from(input); // code points
  const wanted = Array.from(token);
  const from = expr.length > 2 ? index(start, '$indexOfCP', 'starting index') : 0;
  const to = expr.length > 3 ? Math.min(chars.length, index(end, '$indexOfCP', 'ending index')) : chars.length;
  if (to < from) return -1;
  if (chars.length === 0 && wanted.length === 0) return 0;
  // the match must start before `to`; it may run past it (as MongoDB's does)
  for (let i = from; i < to; i++) if (wanted.every((c, j) => chars[i + j] === c)) return i;
  return -1;
};

/** The same in UTF-8 bytes (mingo counted UTF-16 units); here the match must end by the ending index. */
const $indexOfBytes: ExpressionOp = (obj, expr, options) => {
  if (!Array.isArray(expr) || expr.length < 2 || expr.length > 4) throw new Error('$indexOfBytes needs 2 to 4 arguments');
  const [input, token, start, end] = evalExpr(obj, expr, options) as unknown[];
  if (input === null || input === undefined) return null;
  if (typeof input !== 'string') throw new Error(`$indexOfBytes requires a string as the first argument, found: ${typeOf(input)}`);
  if (typeof token !== 'string') throw new Error(`$indexOfBytes requires a string as the second argument, found: ${typeOf(token)}`);
  const bytes = Buffer.from(input, 'utf8');
  const from = expr.length > 2 ? index(start, '$indexOfBytes', 'starting index') : 0;
  const to = expr.length > 3 ? Math.min(bytes.length, index(end, '$indexOfBytes', 'ending index')) : bytes.length;
  if (from > bytes.length || to < from) return -1;
  return bytes.subarray(0, to).indexOf(Buffer.from(token, 'utf8'), from);
};

function index(v: unknown, op: string, what: string): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) throw new Error(`${op} requires an integral, non-negative ${what}, found: ${String(v)}`);
  return v;
}

/** $substrBytes, and $substr (its alias): [string, byte start, byte count], a negative count meaning "to the end". */
function substrBytes(op: string): ExpressionOp {
  return (obj, expr, options) => {
    if (!Array.isArray(expr) || expr.length !== 3) throw new Error(`${op} needs 3 arguments`);
    const [value, start, count] = evalExpr(obj, expr, options) as unknown[];
    const bytes = Buffer.from(coerceToString(value, op), 'utf8');
    if (typeof start !== 'number') throw new Error(`${op}: starting index must be a numeric type (is BSON type ${typeOf(start)})`);
    if (typeof count !== 'number') throw new Error(`${op}: length must be a numeric type (is BSON type ${typeOf(count)})`);
    const lower = Math.trunc(start);
    if (lower < 0 || lower >= bytes.length) return ''; // a negative start gives "" (documented for $substr)
    const length = Math.trunc(count) < 0 ? bytes.length - lower : Math.min(Math.trunc(count), bytes.length - lower);
    const continuation = (b: number | undefined) => b !== undefined && (b & 0xc0) === 0x80;
    if (continuation(bytes[lower])) throw new Error(`${op}: Invalid range, starting index is a UTF-8 continuation byte.`);
    if (continuation(bytes[lower + length])) throw new Error(`${op}: Invalid range, ending index is in the middle of a UTF-8 character.`);
    return bytes.subarray(lower, lower + length).toString('utf8');
  };
}

function coerceToString(v: unknown, op: string): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return String(v);
  if (v instanceof Date) return v.toISOString();
  throw new Error(`${op}: can't convert from BSON type ${typeOf(v)} to String`);
}

/** Week of the year, weeks starting on Sunday (0–53), in the date's timezone if one is given; null for no date. */
const $week: ExpressionOp = (obj, expr, options) => {
  const date = evalExpr(obj, isDocument(expr) && 'date' in expr ? expr.date : expr, options);
  if (date === null || date === undefined) return null;
  // mingo's own day-of-year (1–366) and day-of-week (1 = Sunday) handle the timezone argument
  const dayOfYear = builtinExpressions.$dayOfYear(obj, expr, options) as number;
  const dayOfWeek = builtinExpressions.$dayOfWeek(obj, expr, options) as number;
  return Math.floor((dayOfYear - dayOfWeek + 7) / 7);
};

const EXPRESSION_OPERATORS: Record<string, ExpressionOp> = {
  $indexOfCP,
  $indexOfBytes,
  $substr: substrBytes('$substr'),
  $substrBytes: substrBytes('$substrBytes'),
  $week,
};

// ---------------------------------------------------------------- the configured mingo

const context = Context.init({
  accumulator: accumulatorOps as never,
  expression: { ...builtinExpressions, ...EXPRESSION_OPERATORS } as never,
  pipeline: pipelineOps as never,
  projection: projectionOps as never,
  query: { ...(queryOps as unknown as Record<string, QueryOp>), ...QUERY_OPERATORS } as never,
  window: windowOps as never,
});

/** Options for every mingo call: the context above and MongoDB's $jsonSchema. */
export const MINGO_OPTIONS: Partial<Options> = { context, jsonSchemaValidator: compileJsonSchema as never };

/** A compiled query (throws on a malformed one). */
export function compileQuery(criteria: Doc): Query {
  return new Query(criteria, MINGO_OPTIONS);
}

/** Documents in order and shape: projection, then sort, skip and limit. */
export function findAll(docs: Doc[], projection: Doc | undefined, order: Doc | undefined, skip: number, limit: number): Doc[] {
  let cursor = new Query({}, MINGO_OPTIONS).find(docs, projection as never);
  if (order) cursor = cursor.sort(order as never);
  return cursor.skip(skip).limit(limit).all() as Doc[];
}

/** Run a pipeline over `docs`; `$lookup` reads other collections through `collectionResolver`. */
export function runPipeline(docs: Doc[], pipeline: Doc[], collectionResolver: (name: string) => Doc[]): Doc[] {
  return new Aggregator(pipeline, { ...MINGO_OPTIONS, collectionResolver: collectionResolver as never }).run(docs) as Doc[];
}

/**
 * For updates that evaluate no condition: mingo's updater copies its context's operator tables on every call, and
 * this one holds only the query operators (no expression, pipeline or accumulator tables to copy). `$pull` takes a
 * condition (which may hold `$expr`), so it gets the full context.
 */
const LEAN_UPDATE_OPTIONS: Partial<Options> = {
  context: Context.init({ query: { ...(queryOps as unknown as Record<string, QueryOp>), ...QUERY_OPERATORS } as never }),
};

/** Apply update operators to `doc` in place; the paths that changed (none: nothing changed). */
export function applyModifier(doc: Doc, modifier: Doc): string[] {
  const queryOptions = '$pull' in modifier ? MINGO_OPTIONS : LEAN_UPDATE_OPTIONS;
  return update(doc, modifier as never, undefined, undefined, { cloneMode: 'deep', queryOptions });
}
