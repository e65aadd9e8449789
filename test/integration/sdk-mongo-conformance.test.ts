/**
 * Conformance: where the local cloud must answer as MongoDB (so CloudBase) does, through the real
 * @cloudbase/node-sdk — field paths into arrays of mixed values, $jsonSchema, string and date aggregation operators,
 * a transaction's snapshot, updateAndReturn's count and ObjectIds outside _id (issue 16, part C).
 * Expected values follow MongoDB's documented behaviour and its server source (src/mongo/db/matcher/path.cpp,
 * expression_array.cpp; exec/expression for $indexOfCP and $substrBytes).
 */
import { startTestCloud, TestCloud } from '../support/cloud';
import { rejectsWithCode } from '../support/sdk-errors';

let t: TestCloud;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
let db: any;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
let _: any;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
let $: any;

const ids = (res: { data: { _id: string }[] }) => res.data.map((d) => d._id).sort();

beforeAll(async () => {
  t = await startTestCloud();
  db = t.db;
  _ = db.command;
  $ = _.aggregate;
});

afterAll(async () => {
  await t.close();
});

async function outside(coll: string, id: string) {
  return (await db.collection(coll).doc(id).get()).data[0];
}

describe('a field path into an array matches through its document elements only', () => {
  let c: string;
  const where = async (q: unknown) => ids(await db.collection(c).where(q).get());

  beforeAll(async () => {
    c = await t.newCollection('paths');
    await db.collection(c).add([
      { _id: 'mixed', a: [1, { b: 2 }] },
      { _id: 'plain', a: [1, 2, 3] },
      { _id: 'docs', a: [{ b: 5 }, { c: 1 }] },
      { _id: 'obj', a: { b: 7 } },
      { _id: 'nested', a: [[{ b: 2 }]] },
      { _id: 'scalars', a: [10, 'x', null] },
      { _id: 'scalar', a: 9 },
    ]);
  });

  it('$exists: a.b exists only where a document element has b (plain elements and nested arrays do not count)', async () => {
    expect(await where({ 'a.b': _.exists(true) })).toEqual(['docs', 'mixed', 'obj']);
    expect(await where({ 'a.b': _.exists(false) })).toEqual(['nested', 'plain', 'scalar', 'scalars']);
  });

  it('$elemMatch with field conditions tests document (and array) elements, never plain values', async () => {
    expect(await where({ a: _.elemMatch({ b: _.exists(true) }) })).toEqual(['docs', 'mixed']);
    expect(await where({ a: _.elemMatch({ b: 2 }) })).toEqual(['mixed']);
    // {c: 1} has no b; the nested array [{b: 2}] is matched as a document with field "0", so it has no b either
    expect(await where({ a: _.elemMatch({ b: _.exists(false) }) })).toEqual(['docs', 'nested']);
  });

  it('$elemMatch with operators tests each element itself', async () => {
    expect(await where({ a: _.elemMatch(_.gt(1)) })).toEqual(['plain', 'scalars']);
  });

  it('$elemMatch and $size on a.b: the values there are not arrays, so nothing matches', async () => {
    expect(await where({ 'a.b': _.elemMatch(_.gt(0)) })).toEqual([]);
    expect(await where({ 'a.b': _.size(1) })).toEqual([]);
  });

  it('equality and $type through the array see the document elements' + "' fields only", async () => {
    expect(await where({ 'a.b': 2 })).toEqual(['mixed']);
    const typed = await db.collection(c).options({ raw: true }).where({ 'a.b': { $type: 'number' } }).get();
    expect(ids(typed)).toEqual(['docs', 'mixed', 'obj']);
  });

  it('a numeric component is a position in the array (and a field name of document elements)', async () => {
    expect(await where({ 'a.0': 1 })).toEqual(['mixed', 'plain']);
    expect(await where({ 'a.1.b': 2 })).toEqual(['mixed']);
    expect(await where({ 'a.0.b': 2 })).toEqual(['nested']);
    expect(await where({ 'a.0': _.exists(true) })).toEqual(['docs', 'mixed', 'nested', 'plain', 'scalars']);
  });

  it('$mod matches numbers only (truncated, as MongoDB does), not null, strings, booleans or arrays', async () => {
    const m = await t.newCollection('mod');
    await db.collection(m).add([
      { _id: 'junk', v: [null, '4', [6], false, {}] },
      { _id: 'nums', v: [3, 8] },
      { _id: 'null', v: null },
      { _id: 'str', v: '4' },
      { _id: 'frac', v: 5.5 },
      { _id: 'deep', v: [1, { n: 4 }] },
    ]);
    const whereM = async (q: unknown) => ids(await db.collection(m).where(q).get());
    expect(await whereM({ v: _.mod(2, 0) })).toEqual(['nums']);
    expect(await whereM({ v: _.mod(2, 1) })).toEqual(['deep', 'frac', 'nums']);
    expect(await whereM({ 'v.n': _.mod(2, 0) })).toEqual(['deep']);
  });

  it('$pull with a document condition removes matching document elements only', async () => {
    const p = await t.newCollection('pull');
    await db.collection(p).add({ _id: 'p', a: [1, { b: 2 }, 2, { b: 2, c: 1 }, { b: 3 }] });
    expect((await db.collection(p).doc('p').update({ a: _.pull({ b: 2 }) })).updated).toBe(1);
    expect(await outside(p, 'p')).toEqual({ _id: 'p', a: [1, 2, { b: 3 }] });
  });
});

describe('$jsonSchema queries (draft 4 with bsonType, as MongoDB)', () => {
  let c: string;
  const where = async (q: unknown) => ids(await db.collection(c).where(q).get());

  beforeAll(async () => {
    c = await t.newCollection('schema');
    await db.collection(c).add([
      { _id: 'ok', name: 'Ann', age: 30, tags: ['a'], address: { zip: '510000' } },
      { _id: 'noage', name: 'Bo', tags: [] },
      { _id: 'strage', name: 'Cy', age: '30' },
      { _id: 'young', name: 'Di', age: 12, address: { zip: 510000 } },
      { _id: 'extra', name: 'Ed', age: 40.5, secret: true },
    ]);
  });

  it('required, bsonType and minimum', async () => {
    expect(await where(_.jsonSchema({ required: ['name', 'age'], properties: { age: { bsonType: 'number', minimum: 18 } } }))).toEqual(['extra', 'ok']);
    expect(await where(_.jsonSchema({ required: ['age'], properties: { age: { bsonType: 'int' } } }))).toEqual(['ok', 'young']);
    expect(await where(_.jsonSchema({ properties: { age: { bsonType: ['string', 'null'] } }, required: ['age'] }))).toEqual(['strage']);
  });

  it('keywords apply to their own type only: a missing or other-typed property passes', async () => {
    const address = { bsonType: 'object', required: ['zip'], properties: { zip: { bsonType: 'string', pattern: '^[0-9]{6}$' } } };
    expect(await where(_.jsonSchema({ properties: { address } }))).toEqual(['extra', 'noage', 'ok', 'strage']);
    expect(await where(_.jsonSchema({ properties: { age: { minimum: 18 } } }))).toEqual(['extra', 'noage', 'ok', 'strage']);
  });

  it('additionalProperties, arrays, enum, not and anyOf', async () => {
    const known = { _id: {}, name: {}, age: {}, tags: {}, address: {} };
    expect(await where(_.jsonSchema({ properties: known, additionalProperties: false }))).toEqual(['noage', 'ok', 'strage', 'young']);
    expect(await where(_.jsonSchema({ properties: { tags: { bsonType: 'array', minItems: 1, items: { bsonType: 'string' } } } }))).toEqual(['extra', 'ok', 'strage', 'young']);
    expect(await where(_.jsonSchema({ properties: { name: { enum: ['Ann', 'Bo'] } } }))).toEqual(['noage', 'ok']);
    expect(await where(_.jsonSchema({ not: { required: ['address'] } }))).toEqual(['extra', 'noage', 'strage']);
    expect(await where(_.jsonSchema({ anyOf: [{ required: ['secret'] }, { required: ['tags'] }] }))).toEqual(['extra', 'noage', 'ok']);
    expect(await where(_.jsonSchema({ properties: { age: { type: 'number', maximum: 30, exclusiveMaximum: true } }, required: ['age'] }))).toEqual(['young']);
  });

  it('combines with other conditions', async () => {
    expect(await where(_.and([_.jsonSchema({ required: ['address'] }), { name: 'Ann' }]))).toEqual(['ok']);
  });

  it('an unsupported keyword or type is refused (INVALID_PARAM)', async () => {
    await rejectsWithCode(db.collection(c).where(_.jsonSchema({ $ref: '#/definitions/x' })).get(), 'INVALID_PARAM');
    await rejectsWithCode(db.collection(c).where(_.jsonSchema({ properties: { age: { type: 'integer' } } })).get(), 'INVALID_PARAM');
    await rejectsWithCode(db.collection(c).where(_.jsonSchema({ properties: { age: { bsonType: 'nope' } } })).get(), 'INVALID_PARAM');
  });
});

describe('$indexOfCP (and $indexOfBytes) in aggregation', () => {
  it('code point positions, with start and end, null for a missing string; $indexOfBytes counts UTF-8 bytes', async () => {
    const c = await t.newCollection('indexcp');
    await db.collection(c).add({ _id: 'x', s: 'héllo wörld', e: '😀a😀b' });
    const res = await db
      .collection(c)
      .aggregate()
      .project({
        _id: 0,
        o: $.indexOfCP(['$s', 'o']),
        umlaut: $.indexOfCP(['$s', 'ö']),
        fromFive: $.indexOfCP(['$s', 'o', 5]),
        lAfter4: $.indexOfCP(['$s', 'l', 4]),
        lBefore9: $.indexOfCP(['$s', 'l', 4, 9]),
        lBefore10: $.indexOfCP(['$s', 'l', 4, 10]),
        emoji: $.indexOfCP(['$e', 'b']),
        bytes: $.indexOfBytes(['$e', 'b']),
        bytesW: $.indexOfBytes(['$s', 'w']),
        empty: $.indexOfCP(['$s', '']),
        missing: $.indexOfCP(['$nope', 'a']),
      })
      .end();
    expect(res.data).toEqual([{ o: 4, umlaut: 7, fromFive: -1, lAfter4: 9, lBefore9: -1, lBefore10: 9, emoji: 3, bytes: 9, bytesW: 7, empty: 0, missing: null }]);
  });

  it('a substring that is not a string is refused (INVALID_PARAM)', async () => {
    const c = await t.newCollection('indexcp');
    await db.collection(c).add({ _id: 'x', s: 'abc' });
    await rejectsWithCode(db.collection(c).aggregate().project({ i: $.indexOfCP(['$s', 5]) }).end(), 'INVALID_PARAM');
  });
});

describe('$substr / $substrBytes with a negative length: the rest of the string', () => {
  it('length -1 takes the rest; a length past the end stops at the end; a missing string is ""', async () => {
    const c = await t.newCollection('substr');
    await db.collection(c).add({ _id: 'x', q: '13Q4', s: 'héllo' });
    const res = await db
      .collection(c)
      .aggregate()
      .project({
        _id: 0,
        quarter: $.substr(['$q', 2, -1]),
        rest: $.substrBytes(['$q', 1, -1]),
        afterAccent: $.substrBytes(['$s', 3, -1]),
        whole: $.substrBytes(['$s', 0, -1]),
        long: $.substrBytes(['$q', 2, 100]),
        year: $.substr(['$q', 0, 2]),
        missing: $.substr(['$nope', 0, -1]),
      })
      .end();
    expect(res.data).toEqual([{ quarter: 'Q4', rest: '3Q4', afterAccent: 'llo', whole: 'héllo', long: 'Q4', year: '13', missing: '' }]);
  });

  it('a start inside a multi-byte character is refused (INVALID_PARAM)', async () => {
    const c = await t.newCollection('substr');
    await db.collection(c).add({ _id: 'x', s: 'héllo' });
    await rejectsWithCode(db.collection(c).aggregate().project({ r: $.substrBytes(['$s', 2, -1]) }).end(), 'INVALID_PARAM');
  });
});

describe('$week: weeks start on Sunday, days before the first Sunday are week 0', () => {
  it('around the turn of several years, and with a timezone', async () => {
    const c = await t.newCollection('week');
    const days: [string, string, number][] = [
      ['mon-2024-01-01', '2024-01-01T00:00:00Z', 0],
      ['sat-2024-01-06', '2024-01-06T23:00:00Z', 0],
      ['sun-2024-01-07', '2024-01-07T00:00:00Z', 1],
      ['sun-2023-01-01', '2023-01-01T12:00:00Z', 1],
      ['sun-2023-12-31', '2023-12-31T00:00:00Z', 53],
      ['sat-2022-01-01', '2022-01-01T00:00:00Z', 0],
      ['sun-2022-01-02', '2022-01-02T00:00:00Z', 1],
      ['fri-2021-12-31', '2021-12-31T00:00:00Z', 52],
      ['tue-2024-12-31', '2024-12-31T00:00:00Z', 52],
    ];
    await db.collection(c).add(days.map(([id, iso]) => ({ _id: id, d: new Date(iso) })));
    await db.collection(c).add({ _id: 'no-date' });
    const res = await db.collection(c).aggregate().project({ w: $.week('$d') }).sort({ _id: 1 }).end();
    const expected = [...days.map(([id, , w]) => ({ _id: id, w })), { _id: 'no-date', w: null }].sort((a, b) => (a._id < b._id ? -1 : 1));
    expect(res.data).toEqual(expected);
    // Saturday 20:00 UTC is Sunday 04:00 in +08:00
    const tz = await db
      .collection(c)
      .aggregate()
      .match({ _id: 'sat-2024-01-06' })
      .project({ _id: 0, utc: $.week('$d'), shanghai: $.week({ date: '$d', timezone: '+08:00' }) })
      .end();
    expect(tz.data).toEqual([{ utc: 0, shanghai: 1 }]);
  });
});

describe('a transaction takes its snapshot at its first read or write, not at startTransaction', () => {
  it('a write committed between startTransaction and the first read is seen by that read and does not conflict', async () => {
    const c = await t.newCollection('snap');
    await db.collection(c).add({ _id: 'X', v: 0 });
    const tx = await db.startTransaction();
    await db.collection(c).doc('X').update({ v: 1 });
    await db.collection(c).add({ _id: 'Y', v: 'born before the first read' });
    expect((await tx.collection(c).doc('X').get()).data).toEqual({ _id: 'X', v: 1 });
    expect((await tx.collection(c).doc('Y').get()).data).toEqual({ _id: 'Y', v: 'born before the first read' });
    await tx.collection(c).doc('X').update({ v: _.inc(10) });
    await tx.commit();
    expect(await outside(c, 'X')).toEqual({ _id: 'X', v: 11 });
  });

  it('the same when the first operation is a write', async () => {
    const c = await t.newCollection('snap');
    await db.collection(c).add({ _id: 'X', v: 0 });
    const tx = await db.startTransaction();
    await db.collection(c).doc('X').update({ v: 1 });
    await tx.collection(c).doc('X').update({ w: 'tx' });
    await tx.commit();
    expect(await outside(c, 'X')).toEqual({ _id: 'X', v: 1, w: 'tx' });
  });

  it('a transaction committed before another one first touched the document does not make it conflict', async () => {
    const c = await t.newCollection('snap');
    await db.collection(c).add({ _id: 'X', v: 0 });
    const t1 = await db.startTransaction();
    const t2 = await db.startTransaction();
    await t2.collection(c).doc('X').update({ v: _.inc(1) });
    await t2.commit();
    expect((await t1.collection(c).doc('X').get()).data.v).toBe(1);
    await t1.collection(c).doc('X').update({ v: _.inc(1) });
    await t1.commit();
    expect(await outside(c, 'X')).toEqual({ _id: 'X', v: 2 });
  });

  it('runTransaction: an outside write before the callback' + "'s first read costs no retry", async () => {
    const c = await t.newCollection('snap');
    await db.collection(c).add({ _id: 'X', v: 0 });
    let attempts = 0;
    await db.runTransaction(async (tx: any) => {
      attempts++;
      if (attempts === 1) await db.collection(c).doc('X').update({ v: _.inc(1) });
      const { data } = await tx.collection(c).doc('X').get();
      await tx.collection(c).doc('X').update({ v: data.v + 100 });
    });
    expect(attempts).toBe(1);
    expect(await outside(c, 'X')).toEqual({ _id: 'X', v: 101 });
  });

  it('once taken, the snapshot holds and writes stay first-writer-wins (unchanged)', async () => {
    const c = await t.newCollection('snap');
    await db.collection(c).add([{ _id: 'X', v: 0 }, { _id: 'Z', v: 0 }]);
    const tx = await db.startTransaction();
    expect((await tx.collection(c).doc('Z').get()).data.v).toBe(0);
    await db.collection(c).doc('X').update({ v: 1 });
    expect((await tx.collection(c).doc('X').get()).data.v).toBe(0);
    await rejectsWithCode(tx.collection(c).doc('X').update({ v: 2 }), 'DATABASE_TRANSACTION_CONFLICT');
    // an uncommitted write of another transaction blocks, whichever started first
    const t1 = await db.startTransaction();
    const t2 = await db.startTransaction();
    await t2.collection(c).doc('Z').update({ v: 2 });
    await rejectsWithCode(t1.collection(c).doc('Z').update({ v: 1 }), 'DATABASE_TRANSACTION_CONFLICT');
    await t2.commit();
    expect(await outside(c, 'Z')).toEqual({ _id: 'Z', v: 2 });
  });
});

describe('updateAndReturn counts the matched document as updated', () => {
  it('updated: 1 even when the value does not change (outside and inside a transaction); 0 and null without a match', async () => {
    const c = await t.newCollection('uar');
    await db.collection(c).add({ _id: 'u', v: 5 });
    expect(await db.collection(c).where({ _id: 'u' }).updateAndReturn({ v: 5 })).toMatchObject({ updated: 1, doc: { _id: 'u', v: 5 } });
    expect(await db.collection(c).where({ _id: 'u' }).updateAndReturn({ v: _.max(3) })).toMatchObject({ updated: 1, doc: { _id: 'u', v: 5 } });
    await db.runTransaction(async (tx: any) => {
      expect(await tx.collection(c).where({ _id: 'u' }).updateAndReturn({ v: 5 })).toMatchObject({ updated: 1, doc: { _id: 'u', v: 5 } });
    });
    expect(await db.collection(c).where({ _id: 'none' }).updateAndReturn({ v: 5 })).toMatchObject({ updated: 0, doc: null });
    expect(await outside(c, 'u')).toEqual({ _id: 'u', v: 5 });
  });
});

describe('ObjectIds outside _id', () => {
  const HEX = '64b7f0a1c2d3e4f5a6b7c8d9';
  const HEX2 = '64b7f0a1c2d3e4f5a6b7c8da';
  const HEX3 = '64b7f0a1c2d3e4f5a6b7c8db';
  const oid = (id: string) => db.ObjectId({ id });

  it('stay ObjectIds in the database (queries by db.ObjectId match, the hex string does not) and reach user code as the hex string', async () => {
    const c = await t.newCollection('oid');
    await db.collection(c).add({ _id: 'o1', ref: oid(HEX), refs: [oid(HEX), oid(HEX2)], nested: { ref: oid(HEX2) } });
    // as the SDK's own (real-cloud) test expects: getRes.data[0].a === objId
    expect((await db.collection(c).doc('o1').get()).data).toEqual([{ _id: 'o1', ref: HEX, refs: [HEX, HEX2], nested: { ref: HEX2 } }]);
    expect(ids(await db.collection(c).where({ ref: oid(HEX) }).get())).toEqual(['o1']);
    expect(ids(await db.collection(c).where({ 'nested.ref': oid(HEX2) }).get())).toEqual(['o1']);
    expect(ids(await db.collection(c).where({ refs: _.in([oid(HEX2)]) }).get())).toEqual(['o1']);
    expect(ids(await db.collection(c).where({ ref: HEX }).get())).toEqual([]);
    // an update keeps the type too
    await db.collection(c).doc('o1').update({ other: oid(HEX3) });
    expect(ids(await db.collection(c).where({ other: oid(HEX3) }).get())).toEqual(['o1']);
    const returned = await db.collection(c).where({ _id: 'o1' }).updateAndReturn({ n: 1 });
    expect(returned.doc).toMatchObject({ ref: HEX, other: HEX3, n: 1 });
    await db.runTransaction(async (tx: any) => {
      expect((await tx.collection(c).doc('o1').get()).data).toMatchObject({ ref: HEX, refs: [HEX, HEX2] });
      // the transaction's own pending write reads back with its ObjectIds too
      await tx.collection(c).doc('o1').update({ inTx: oid(HEX2) });
      expect((await tx.collection(c).doc('o1').get()).data).toMatchObject({ ref: HEX, inTx: HEX2 });
      expect((await tx.collection(c).where({ inTx: oid(HEX2) }).get()).data.map((d: { _id: string }) => d._id)).toEqual(['o1']);
    });
    expect(ids(await db.collection(c).where({ inTx: oid(HEX2) }).get())).toEqual(['o1']);
    const agg = await db.collection(c).aggregate().match({ ref: oid(HEX) }).project({ _id: 0, ref: 1 }).end();
    expect(agg.data).toEqual([{ ref: HEX }]);
  });

  it('an ObjectId _id comes back as the hex string too, and joins with ObjectId fields in lookup', async () => {
    const users = await t.newCollection('oid');
    const posts = await t.newCollection('oid');
    const added = await db.collection(users).add({ _id: oid(HEX), name: 'Ann' });
    expect(added.id).toBe(HEX);
    await db.collection(posts).add({ _id: 'p1', author: oid(HEX) });
    expect((await db.collection(users).where({ _id: oid(HEX) }).get()).data).toEqual([{ _id: HEX, name: 'Ann' }]);
    const joined = await db.collection(posts).aggregate().lookup({ from: users, localField: 'author', foreignField: '_id', as: 'who' }).end();
    expect(joined.data).toEqual([{ _id: 'p1', author: HEX, who: [{ _id: HEX, name: 'Ann' }] }]);
  });
});
