/**
 * `$jsonSchema` as MongoDB implements it, for mingo's `jsonSchemaValidator` option (mingo delegates the operator).
 *
 * MongoDB's dialect: JSON Schema draft 4 (exclusiveMinimum/Maximum are booleans beside minimum/maximum) plus
 * `bsonType` (the `$type` aliases), without `$ref`, `$schema`, `default`, `definitions`, `format` and `id`, and with
 * `type` limited to the JSON types other than "integer". Every keyword applies to values of its own kind only
 * (`minimum` to numbers, `required` to documents…), so a property of another type or a missing one passes unless
 * `required`/`type` say otherwise. A schema MongoDB would refuse is refused here (the query answers INVALID_PARAM).
 * A general-purpose validator (ajv) was not used: it knows neither `bsonType` nor BSON values (a Date or an ObjectId
 * would count as a JSON object), and speaks draft 4 only with a plugin.
 */
import { isEqual } from 'mingo/util';
import { isDocument, typeAliasTest } from './value-types';

type Test = (v: unknown) => boolean;
type Schema = Record<string, unknown>;

const UNSUPPORTED = new Set(['$ref', '$schema', 'default', 'definitions', 'format', 'id']);
const JSON_TYPES: Record<string, Test> = {
  object: isDocument,
  array: Array.isArray,
  number: (v) => typeof v === 'number',
  boolean: (v) => typeof v === 'boolean',
  string: (v) => typeof v === 'string',
  null: (v) => v === null,
};

/** Compile a schema into a test of one document; throws on a schema MongoDB refuses. */
export function compileJsonSchema(schema: unknown): (doc: unknown) => boolean {
  return compile(schema, '$jsonSchema');
}

function compile(schema: unknown, where: string): Test {
  if (!isDocument(schema)) throw new Error(`${where} must be an object`);
  if ('type' in schema && 'bsonType' in schema) throw new Error(`${where}: cannot specify both 'type' and 'bsonType'`);
  const tests: Test[] = [];
  for (const [key, arg] of Object.entries(schema)) {
    if (UNSUPPORTED.has(key)) throw new Error(`$jsonSchema keyword '${key}' is not currently supported`);
    const make = KEYWORDS[key];
    if (!make) throw new Error(`Unknown $jsonSchema keyword: ${key}`);
    const test = make(arg, schema, `${where}.${key}`);
    if (test) tests.push(test);
  }
  return (v) => tests.every((t) => t(v));
}

/** Each keyword: check its argument, return the test it adds (null when it adds none by itself). */
const KEYWORDS: Record<string, (arg: unknown, schema: Schema, where: string) => Test | null> = {
  title: (arg, _s, where) => (expect(typeof arg === 'string', where, 'a string'), null),
  description: (arg, _s, where) => (expect(typeof arg === 'string', where, 'a string'), null),

  type: (arg, _s, where) => {
    const names = typeNames(arg, where);
    const tests = names.map((n) => {
      if (n === 'integer') throw new Error(`${where}: the type 'integer' is not currently supported`);
      const t = JSON_TYPES[n];
      if (!t) throw new Error(`${where}: unknown type name '${n}'`);
      return t;
    });
    return (v) => tests.some((t) => t(v));
  },
  bsonType: (arg, _s, where) => {
    const tests = typeNames(arg, where).map((n) => typeAliasTest(n));
    return (v) => tests.some((t) => t(v));
  },
  enum: (arg, _s, where) => {
    expect(Array.isArray(arg) && arg.length > 0, where, 'a non-empty array');
    const values = arg as unknown[];
    return (v) => values.some((x) => isEqual(x, v));
  },
  allOf: (arg, _s, where) => {
    const subs = schemas(arg, where);
    return (v) => subs.every((t) => t(v));
  },
  anyOf: (arg, _s, where) => {
    const subs = schemas(arg, where);
    return (v) => subs.some((t) => t(v));
  },
  oneOf: (arg, _s, where) => {
    const subs = schemas(arg, where);
    return (v) => subs.filter((t) => t(v)).length === 1;
  },
  not: (arg, _s, where) => {
    const sub = compile(arg, where);
    return (v) => !sub(v);
  },

  // numbers
  minimum: (arg, s, where) => {
    const min = num(arg, where);
    const exclusive = s.exclusiveMinimum === true;
    return onNumbers((v) => (exclusive ? v > min : v >= min));
  },
  maximum: (arg, s, where) => {
    const max = num(arg, where);
    const exclusive = s.exclusiveMaximum === true;
    return onNumbers((v) => (exclusive ? v < max : v <= max));
  },
  exclusiveMinimum: (arg, s, where) => {
    expect(typeof arg === 'boolean', where, 'a boolean (draft 4)');
    if (!('minimum' in s)) throw new Error(`${where} needs 'minimum'`);
    return null;
  },
  exclusiveMaximum: (arg, s, where) => {
    expect(typeof arg === 'boolean', where, 'a boolean (draft 4)');
    if (!('maximum' in s)) throw new Error(`${where} needs 'maximum'`);
    return null;
  },
  multipleOf: (arg, _s, where) => {
    const m = num(arg, where);
    if (m <= 0) throw new Error(`${where} must be a positive number`);
    return onNumbers((v) => Number.isInteger(v / m));
  },

  // strings (lengths in code points)
  minLength: (arg, _s, where) => {
    const n = count(arg, where);
    return onStrings((v) => [...v].length >= n);
  },
  maxLength: (arg, _s, where) => {
    const n = count(arg, where);
    return onStrings((v) => [...v].length <= n);
  },
  pattern: (arg, _s, where) => {
    expect(typeof arg === 'string', where, 'a string');
    const re = regex(arg as string, where);
    return onStrings((v) => re.test(v));
  },

  // documents
  required: (arg, _s, where) => {
    expect(Array.isArray(arg) && arg.length > 0 && arg.every((k) => typeof k === 'string'), where, 'a non-empty array of strings');
    const keys = arg as string[];
    return onDocuments((d) => keys.every((k) => has(d, k)));
  },
  minProperties: (arg, _s, where) => {
    const n = count(arg, where);
    return onDocuments((d) => Object.keys(d).length >= n);
  },
  maxProperties: (arg, _s, where) => {
    const n = count(arg, where);
    return onDocuments((d) => Object.keys(d).length <= n);
  },
  properties: (arg, _s, where) => {
    const subs = schemaMap(arg, where);
    return onDocuments((d) => Object.entries(subs).every(([k, t]) => !has(d, k) || t(d[k])));
  },
  patternProperties: (arg, _s, where) => {
    const subs = Object.entries(schemaMap(arg, where)).map(([p, t]) => [regex(p, where), t] as const);
    return onDocuments((d) => Object.keys(d).every((k) => subs.every(([re, t]) => !re.test(k) || t(d[k]))));
  },
  additionalProperties: (arg, s, where) => {
    const extra: Test = typeof arg === 'boolean' ? () => arg : compile(arg, where);
    const named = isDocument(s.properties) ? new Set(Object.keys(s.properties)) : new Set<string>();
    const patterns = isDocument(s.patternProperties) ? Object.keys(s.patternProperties).map((p) => regex(p, where)) : [];
    return onDocuments((d) => Object.keys(d).every((k) => named.has(k) || patterns.some((re) => re.test(k)) || extra(d[k])));
  },
  dependencies: (arg, _s, where) => {
    expect(isDocument(arg), where, 'an object');
    const deps = Object.entries(arg as Schema).map(([k, dep]): [string, Test] => {
      if (Array.isArray(dep)) {
        expect(dep.every((x) => typeof x === 'string'), `${where}.${k}`, 'an array of strings or a schema');
        return [k, (v) => dep.every((x) => has(v as Schema, x as string))];
      }
      return [k, compile(dep, `${where}.${k}`)];
    });
    return onDocuments((d) => deps.every(([k, t]) => !has(d, k) || t(d)));
  },

  // arrays
  items: (arg, s, where) => {
    if (Array.isArray(arg)) {
      const subs = arg.map((x, i) => compile(x, `${where}.${i}`));
      const extra: Test | null = s.additionalItems === undefined || s.additionalItems === true ? null : s.additionalItems === false ? () => false : compile(s.additionalItems, `${where}.additionalItems`);
      return onArrays((a) => a.every((x, i) => (i < subs.length ? subs[i](x) : !extra || extra(x))));
    }
    const sub = compile(arg, where);
    return onArrays((a) => a.every((x) => sub(x)));
  },
  additionalItems: (arg, _s, where) => {
    if (typeof arg !== 'boolean') compile(arg, where);
    return null; // applied by `items` when it is an array of schemas; meaningless otherwise
  },
  minItems: (arg, _s, where) => {
    const n = count(arg, where);
    return onArrays((a) => a.length >= n);
  },
  maxItems: (arg, _s, where) => {
    const n = count(arg, where);
    return onArrays((a) => a.length <= n);
  },
  uniqueItems: (arg, _s, where) => {
    expect(typeof arg === 'boolean', where, 'a boolean');
    if (!arg) return null;
    return onArrays((a) => a.every((x, i) => a.findIndex((y) => isEqual(x, y)) === i));
  },
};

function onNumbers(t: (v: number) => boolean): Test {
  return (v) => typeof v !== 'number' || t(v);
}

function onStrings(t: (v: string) => boolean): Test {
  return (v) => typeof v !== 'string' || t(v);
}

function onDocuments(t: (v: Schema) => boolean): Test {
  return (v) => !isDocument(v) || t(v);
}

function onArrays(t: (v: unknown[]) => boolean): Test {
  return (v) => !Array.isArray(v) || t(v);
}

function has(d: Schema, k: string): boolean {
  return Object.prototype.hasOwnProperty.call(d, k) && d[k] !== undefined;
}

function expect(ok: boolean, where: string, what: string) {
  if (!ok) throw new Error(`${where} must be ${what}`);
}

function num(arg: unknown, where: string): number {
  expect(typeof arg === 'number' && Number.isFinite(arg), where, 'a number');
  return arg as number;
}

function count(arg: unknown, where: string): number {
  expect(typeof arg === 'number' && Number.isInteger(arg) && arg >= 0, where, 'a non-negative integer');
  return arg as number;
}

function typeNames(arg: unknown, where: string): string[] {
  const names = Array.isArray(arg) ? arg : [arg];
  expect(names.length > 0 && names.every((n) => typeof n === 'string'), where, 'a type name or an array of them');
  return names as string[];
}

function schemas(arg: unknown, where: string): Test[] {
  expect(Array.isArray(arg) && arg.length > 0, where, 'a non-empty array of schemas');
  return (arg as unknown[]).map((x, i) => compile(x, `${where}.${i}`));
}

function schemaMap(arg: unknown, where: string): Record<string, Test> {
  expect(isDocument(arg), where, 'an object');
  return Object.fromEntries(Object.entries(arg as Schema).map(([k, x]) => [k, compile(x, `${where}.${k}`)]));
}

function regex(pattern: string, where: string): RegExp {
  try {
    return new RegExp(pattern, 'u');
  } catch (e) {
    throw new Error(`${where}: invalid regular expression: ${(e as Error).message}`);
  }
}
