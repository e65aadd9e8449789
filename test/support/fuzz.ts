/**
 * Payload fuzzing for function actions. Most payloads mutate ONE field of a valid example (so they get past the
 * first check and reach the use case); the rest drop or add fields. A seeded PRNG makes every run repeatable.
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

export interface Mutation {
  payload: Record<string, Json>;
  kind: 'field' | 'drop' | 'extra' | 'nested';
  field: string | null;
}

/** One mutated payload. Three in four change a single existing field's value. */
export function mutate(valid: Record<string, Json>, rnd: () => number, otherIds: string[]): Mutation {
  const fields = Object.keys(valid);
  const roll = rnd();
  const values = hostileValues(otherIds);
  const copy: Record<string, Json> = JSON.parse(JSON.stringify(valid));
  if (fields.length > 0 && roll < 0.75) {
    const field = pick(rnd, fields);
    const original = copy[field];
    if (original && typeof original === 'object' && !Array.isArray(original) && rnd() < 0.5) {
      const inner = Object.keys(original);
      if (inner.length) {
        const key = pick(rnd, inner);
        (original as Record<string, Json>)[key] = pick(rnd, values);
        return { payload: copy, kind: 'nested', field: `${field}.${key}` };
      }
    }
    copy[field] = pick(rnd, values);
    return { payload: copy, kind: 'field', field };
  }
  if (fields.length > 0 && roll < 0.88) {
    const field = pick(rnd, fields);
    delete copy[field];
    return { payload: copy, kind: 'drop', field };
  }
  const extra = pick(rnd, ['openid', '_openid', 'userId', 'priceFen', 'role', 'roles', '$where', '__proto__', 'amountFen', `f${Math.floor(rnd() * 1000)}`]);
  copy[extra] = pick(rnd, values);
  return { payload: copy, kind: 'extra', field: extra };
}
