/**
 * Conformance: every query operator and read option of the real @cloudbase/node-sdk against the local cloud,
 * asserting the value user code gets back.
 */
import { startTestCloud, TestCloud } from '../support/cloud';
import { freshName, rejectsWithCode } from '../support/sdk-errors';

let t: TestCloud;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
let db: any;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
let _: any;
let coll: string;

const JAN1 = new Date('2024-01-01T00:00:00.000Z');
const FEB1 = new Date('2024-02-01T00:00:00.000Z');
const MAR1 = new Date('2024-03-01T00:00:00.000Z');

const DOCS = [
  { _id: 'a', n: 1, s: 'apple', tags: ['red', 'fruit'], nested: { m: 1, deep: { x: 'p' } }, when: JAN1, price: 1.5, big: 2 ** 40, grp: 'x' },
  { _id: 'b', n: 2, s: 'banana', tags: ['yellow', 'fruit'], nested: { m: 5 }, when: FEB1, price: 2.25, big: Number.MAX_SAFE_INTEGER, grp: 'x' },
  { _id: 'c', n: 3, s: 'Cherry', tags: ['red', 'fruit', 'small'], nested: { m: 7 }, when: MAR1, price: 3, grp: 'y' },
  { _id: 'd', n: 4, s: 'date', tags: [], nested: { m: 9 }, price: -0.5, grp: 'y' },
  { _id: 'e', n: 5, s: 'elder', scores: [3, 8, 12], grp: 'z' },
  { _id: 'f', n: 6, s: 'fig', tags: ['green'], scores: [1, 2], nullable: null, grp: 'z' },
];

const ids = (res: { data: { _id: string }[] }) => res.data.map((d) => d._id).sort();
const where = async (q: unknown) => ids(await db.collection(coll).where(q).get());

beforeAll(async () => {
  t = await startTestCloud();
  db = t.db;
  _ = db.command;
  coll = freshName('q');
  await db.createCollection(coll);
  const res = await db.collection(coll).add(DOCS);
  expect(res.ids).toEqual(DOCS.map((d) => d._id));
});

afterAll(async () => {
  await t.close();
});

describe('comparison operators', () => {
  it('eq (plain value and _.eq)', async () => {
    expect(await where({ n: 2 })).toEqual(['b']);
    expect(await where({ n: _.eq(3) })).toEqual(['c']);
    expect(await where({ s: _.eq('fig') })).toEqual(['f']);
  });

  it('neq', async () => {
    expect(await where({ grp: _.neq('x') })).toEqual(['c', 'd', 'e', 'f']);
  });

  it('gt, gte, lt, lte', async () => {
    expect(await where({ n: _.gt(4) })).toEqual(['e', 'f']);
    expect(await where({ n: _.gte(4) })).toEqual(['d', 'e', 'f']);
    expect(await where({ n: _.lt(2) })).toEqual(['a']);
    expect(await where({ n: _.lte(2) })).toEqual(['a', 'b']);
  });

  it('in and nin', async () => {
    expect(await where({ s: _.in(['apple', 'fig', 'nope']) })).toEqual(['a', 'f']);
    expect(await where({ n: _.nin([1, 2, 3]) })).toEqual(['d', 'e', 'f']);
  });

  it('in matches array elements', async () => {
    expect(await where({ tags: _.in(['green', 'yellow']) })).toEqual(['b', 'f']);
  });
});

describe('logical operators', () => {
  it('top-level _.and and _.or', async () => {
    expect(await where(_.and([{ grp: 'x' }, { n: _.gt(1) }]))).toEqual(['b']);
    expect(await where(_.or([{ n: 1 }, { s: 'fig' }]))).toEqual(['a', 'f']);
    expect(await where(_.or([{ grp: 'y', n: _.gte(4) }, { s: 'apple' }]))).toEqual(['a', 'd']);
  });

  it('field-level _.gt().and() and _.eq().or()', async () => {
    expect(await where({ n: _.gt(1).and(_.lt(6)) })).toEqual(['b', 'c', 'd', 'e']);
    expect(await where({ n: _.eq(2).or(_.eq(3)) })).toEqual(['b', 'c']);
    expect(await where({ n: _.gt(1).and(_.lt(6)), grp: _.eq('x').or(_.eq('z')) })).toEqual(['b', 'e']);
  });

  it('field-level _.and([...]) / _.or([...]) of commands', async () => {
    expect(await where({ n: _.and(_.gt(2), _.lt(5)) })).toEqual(['c', 'd']);
    expect(await where({ n: _.or(_.lt(2), _.gt(5)) })).toEqual(['a', 'f']);
  });

  it('nor (field-level and top-level)', async () => {
    expect(await where({ n: _.nor([_.eq(1), _.eq(2)]) })).toEqual(['c', 'd', 'e', 'f']);
    expect(await where(_.nor([{ grp: 'x' }, { grp: 'y' }]))).toEqual(['e', 'f']);
  });

  it('not', async () => {
    expect(await where({ n: _.not(_.gt(2)) })).toEqual(['a', 'b']);
    expect(await where({ n: _.not(_.eq(1)) })).toEqual(['b', 'c', 'd', 'e', 'f']);
  });
});

describe('element and array operators', () => {
  it('exists', async () => {
    expect(await where({ scores: _.exists(true) })).toEqual(['e', 'f']);
    expect(await where({ tags: _.exists(false) })).toEqual(['e']);
    // null counts as present
    expect(await where({ nullable: _.exists(true) })).toEqual(['f']);
  });

  it('null matches missing and null fields', async () => {
    expect(await where({ nullable: null })).toEqual(['a', 'b', 'c', 'd', 'e', 'f']);
    expect(await where({ nullable: _.eq(null) })).toEqual(['a', 'b', 'c', 'd', 'e', 'f']);
    expect(await where({ nullable: _.neq(null) })).toEqual([]);
  });

  it('plain value matches an array element', async () => {
    expect(await where({ tags: 'red' })).toEqual(['a', 'c']);
  });

  it('elemMatch (on scalars and with several conditions)', async () => {
    expect(await where({ tags: _.elemMatch(_.eq('small')) })).toEqual(['c']);
    expect(await where({ scores: _.elemMatch(_.gt(10)) })).toEqual(['e']);
    expect(await where({ scores: _.elemMatch(_.lt(2)) })).toEqual(['f']);
    // raw operators inside elemMatch: several conditions on the same element
    expect(await where({ scores: _.elemMatch({ $gt: 5, $lt: 10 }) })).toEqual(['e']);
    expect(await where({ scores: _.elemMatch({ $gt: 9, $lt: 11 }) })).toEqual([]);
  });

  it('elemMatch on arrays of objects', async () => {
    const c = freshName('em');
    await db.createCollection(c);
    await db.collection(c).add([
      { _id: 'o1', items: [{ sku: 'A', qty: 1 }, { sku: 'B', qty: 5 }] },
      { _id: 'o2', items: [{ sku: 'A', qty: 5 }] },
    ]);
    const res = await db.collection(c).where({ items: _.elemMatch({ sku: 'A', qty: _.gte(3) }) }).get();
    expect(res.data.map((d: { _id: string }) => d._id)).toEqual(['o2']);
    // 'items.sku' dotted path reaches into arrays of objects
    expect(ids(await db.collection(c).where({ 'items.sku': 'B' }).get())).toEqual(['o1']);
  });

  it('all', async () => {
    expect(await where({ tags: _.all(['red', 'fruit']) })).toEqual(['a', 'c']);
    expect(await where({ tags: _.all(['red', 'green']) })).toEqual([]);
  });

  it('size', async () => {
    expect(await where({ tags: _.size(3) })).toEqual(['c']);
    expect(await where({ tags: _.size(0) })).toEqual(['d']);
  });

  it('mod', async () => {
    expect(await where({ n: _.mod(2, 0) })).toEqual(['b', 'd', 'f']);
    expect(await where({ n: _.mod(3, 1) })).toEqual(['a', 'd']);
  });
});

describe('regular expressions', () => {
  it('JS RegExp', async () => {
    expect(await where({ s: /^b/ })).toEqual(['b']);
    expect(await where({ s: /^c/i })).toEqual(['c']);
    expect(await where({ s: /^c/ })).toEqual([]);
  });

  it('db.RegExp', async () => {
    expect(await where({ s: db.RegExp({ regexp: 'an+a', options: '' }) })).toEqual(['b']);
    expect(await where({ s: db.RegExp({ regexp: 'CHERRY', options: 'i' }) })).toEqual(['c']);
  });

  it('regex inside or / on array elements', async () => {
    expect(await where(_.or([{ s: /^a/ }, { s: /^f/ }]))).toEqual(['a', 'f']);
    expect(await where({ tags: /^yel/ })).toEqual(['b']);
  });
});

describe('nested paths', () => {
  it('dotted string path', async () => {
    expect(await where({ 'nested.m': _.lt(6) })).toEqual(['a', 'b']);
    expect(await where({ 'nested.deep.x': 'p' })).toEqual(['a']);
  });

  it('object form is flattened to a dotted path', async () => {
    expect(await where({ nested: { m: 7 } })).toEqual(['c']);
    expect(await where({ nested: { m: _.gt(6) } })).toEqual(['c', 'd']);
    expect(await where({ nested: { deep: { x: 'p' } } })).toEqual(['a']);
  });
});

describe('values', () => {
  it('Dates compare and come back as Date', async () => {
    expect(await where({ when: _.gte(FEB1) })).toEqual(['b', 'c']);
    expect(await where({ when: _.lt(FEB1) })).toEqual(['a']);
    expect(await where({ when: FEB1 })).toEqual(['b']);
    expect(await where({ when: _.gt(JAN1).and(_.lt(MAR1)) })).toEqual(['b']);
    const res = await db.collection(coll).doc('c').get();
    expect(res.data[0].when).toBeInstanceOf(Date);
    expect(res.data[0].when.getTime()).toBe(MAR1.getTime());
  });

  it('ints, doubles, negatives and large numbers round-trip and compare', async () => {
    const a = (await db.collection(coll).doc('a').get()).data[0];
    const b = (await db.collection(coll).doc('b').get()).data[0];
    expect(a.n).toBe(1);
    expect(a.price).toBe(1.5);
    expect(a.big).toBe(2 ** 40);
    expect(b.big).toBe(Number.MAX_SAFE_INTEGER);
    expect(await where({ price: _.gt(2) })).toEqual(['b', 'c']);
    expect(await where({ price: 3 })).toEqual(['c']); // 3 stored as int equals 3
    expect(await where({ price: _.lt(0) })).toEqual(['d']);
    expect(await where({ big: 2 ** 40 })).toEqual(['a']);
    expect(await where({ big: _.gt(2 ** 41) })).toEqual(['b']);
    expect(await where({ big: Number.MAX_SAFE_INTEGER })).toEqual(['b']);
  });

  it('int and double compare as numbers', async () => {
    expect(await where({ n: 2.0 })).toEqual(['b']);
    expect(await where({ n: _.gt(2.5).and(_.lt(3.5)) })).toEqual(['c']);
  });

  it('strings, booleans and null round-trip', async () => {
    const c = freshName('vals');
    await db.createCollection(c);
    const doc = { _id: 'v', str: '推三返一 ✓', yes: true, no: false, nil: null, arr: [1, 'two', { three: 3 }], obj: { a: { b: [true] } } };
    await db.collection(c).add(doc);
    const got = (await db.collection(c).doc('v').get()).data[0];
    expect(got).toEqual(doc);
    expect(ids(await db.collection(c).where({ yes: true, no: false }).get())).toEqual(['v']);
  });
});

describe('orderBy, skip, limit, field', () => {
  it('orderBy single key asc/desc', async () => {
    const asc = await db.collection(coll).orderBy('n', 'asc').get();
    expect(asc.data.map((d: { n: number }) => d.n)).toEqual([1, 2, 3, 4, 5, 6]);
    const desc = await db.collection(coll).orderBy('n', 'desc').get();
    expect(desc.data.map((d: { n: number }) => d.n)).toEqual([6, 5, 4, 3, 2, 1]);
  });

  it('orderBy multiple keys (first key has priority)', async () => {
    const res = await db.collection(coll).orderBy('grp', 'desc').orderBy('n', 'asc').get();
    expect(res.data.map((d: { _id: string }) => d._id)).toEqual(['e', 'f', 'c', 'd', 'a', 'b']);
    const res2 = await db.collection(coll).orderBy('grp', 'asc').orderBy('n', 'desc').get();
    expect(res2.data.map((d: { _id: string }) => d._id)).toEqual(['b', 'a', 'd', 'c', 'f', 'e']);
  });

  it('orderBy a nested path and a date', async () => {
    const res = await db.collection(coll).where({ 'nested.m': _.exists(true) }).orderBy('nested.m', 'desc').get();
    expect(res.data.map((d: { _id: string }) => d._id)).toEqual(['d', 'c', 'b', 'a']);
    const byDate = await db.collection(coll).where({ when: _.exists(true) }).orderBy('when', 'desc').get();
    expect(byDate.data.map((d: { _id: string }) => d._id)).toEqual(['c', 'b', 'a']);
  });

  it('skip and limit with orderBy', async () => {
    const res = await db.collection(coll).orderBy('n', 'asc').skip(2).limit(3).get();
    expect(res.data.map((d: { n: number }) => d.n)).toEqual([3, 4, 5]);
    const past = await db.collection(coll).orderBy('n', 'asc').skip(10).get();
    expect(past.data).toEqual([]);
  });

  it('skip and limit with where', async () => {
    const res = await db.collection(coll).where({ n: _.gt(1) }).orderBy('n', 'desc').skip(1).limit(2).get();
    expect(res.data.map((d: { n: number }) => d.n)).toEqual([5, 4]);
  });

  it('field() includes, excludes and drops _id', async () => {
    const inc = await db.collection(coll).doc('a').field({ s: true, n: 1 }).get();
    expect(inc.data).toEqual([{ _id: 'a', s: 'apple', n: 1 }]);
    const noId = await db.collection(coll).where({ _id: 'b' }).field({ s: true, _id: false }).get();
    expect(noId.data).toEqual([{ s: 'banana' }]);
    const exc = await db.collection(coll).where({ _id: 'e' }).field({ scores: false, s: false }).get();
    expect(exc.data).toEqual([{ _id: 'e', n: 5, grp: 'z' }]);
    const nested = await db.collection(coll).where({ _id: 'a' }).field({ 'nested.m': true }).get();
    expect(nested.data).toEqual([{ _id: 'a', nested: { m: 1 } }]);
  });

  it('field() with _.project.slice', async () => {
    const first = await db.collection(coll).where({ _id: 'e' }).field({ scores: _.project.slice(1) }).get();
    expect(first.data[0].scores).toEqual([3]);
    const last = await db.collection(coll).where({ _id: 'e' }).field({ scores: _.project.slice(-2) }).get();
    expect(last.data[0].scores).toEqual([8, 12]);
    const mid = await db.collection(coll).where({ _id: 'e' }).field({ scores: _.project.slice([1, 1]) }).get();
    expect(mid.data[0].scores).toEqual([8]);
  });

  it('field() with _.project.elemMatch (first matching element of an array of objects)', async () => {
    const c = freshName('pem');
    await db.createCollection(c);
    await db.collection(c).add({ _id: 'o', items: [{ sku: 'A', q: 1 }, { sku: 'B', q: 5 }, { sku: 'B', q: 6 }] });
    const res = await db.collection(c).doc('o').field({ items: _.project.elemMatch({ sku: 'B' }) }).get();
    expect(res.data).toEqual([{ _id: 'o', items: [{ sku: 'B', q: 5 }] }]);
    const none = await db.collection(c).doc('o').field({ items: _.project.elemMatch({ sku: 'Z' }) }).get();
    expect(none.data).toEqual([{ _id: 'o' }]);
  });

  it('default limit is 100; limit above 1000 is capped at 1000 by the SDK', async () => {
    const c = freshName('many');
    await db.createCollection(c);
    const docs = Array.from({ length: 1100 }, (_v, i) => ({ _id: `m${String(i).padStart(4, '0')}`, i }));
    const added = await db.collection(c).add(docs);
    expect(added.ids).toHaveLength(1100);
    expect((await db.collection(c).get()).data).toHaveLength(100);
    expect((await db.collection(c).where({ i: _.lt(150) }).get()).data).toHaveLength(100);
    expect((await db.collection(c).limit(150).get()).data).toHaveLength(150);
    // the SDK clamps limit(2000) to 1000 before sending (query.js: `limit < 1000 ? limit : 1000`)
    expect((await db.collection(c).limit(2000).get()).data).toHaveLength(1000);
    expect((await db.collection(c).limit(1000).get()).data).toHaveLength(1000);
    const page = await db.collection(c).orderBy('i', 'asc').skip(1050).limit(2000).get();
    expect(page.data.map((d: { i: number }) => d.i)).toEqual(Array.from({ length: 50 }, (_v, k) => 1050 + k));
    expect((await db.collection(c).count()).total).toBe(1100);
  });

  it('limit must be an integer (SDK rejects client-side)', () => {
    expect(() => db.collection(coll).limit(1.5)).toThrow();
  });
});

describe('count and doc()', () => {
  it('count with and without where', async () => {
    expect((await db.collection(coll).count()).total).toBe(6);
    expect((await db.collection(coll).where({ grp: 'x' }).count()).total).toBe(2);
    expect((await db.collection(coll).where({ grp: 'none' }).count()).total).toBe(0);
    const res = await db.collection(coll).count();
    expect(typeof res.requestId).toBe('string');
  });

  it('doc(id).get returns [doc]; a missing doc returns data: []', async () => {
    const res = await db.collection(coll).doc('a').get();
    expect(res.data).toHaveLength(1);
    expect(res.data[0]).toMatchObject({ _id: 'a', s: 'apple' });
    expect(typeof res.requestId).toBe('string');
    const missing = await db.collection(coll).doc('nope').get();
    expect(missing.data).toEqual([]);
  });

  it('where({}) and get() without where return all documents', async () => {
    expect(await where({})).toEqual(['a', 'b', 'c', 'd', 'e', 'f']);
    expect(ids(await db.collection(coll).get())).toEqual(['a', 'b', 'c', 'd', 'e', 'f']);
  });

  it('numeric _id: doc(number).get', async () => {
    const c = freshName('numid');
    await db.createCollection(c);
    await db.collection(c).add([{ _id: 7, v: 'seven' }, { _id: '7', v: 'string seven' }]);
    expect((await db.collection(c).doc(7).get()).data).toEqual([{ _id: 7, v: 'seven' }]);
    expect((await db.collection(c).doc('7').get()).data).toEqual([{ _id: '7', v: 'string seven' }]);
    expect((await db.collection(c).where({ _id: _.in([7]) }).get()).data).toEqual([{ _id: 7, v: 'seven' }]);
  });

  it('queries on _id with operators', async () => {
    expect(await where({ _id: _.in(['a', 'c', 'zz']) })).toEqual(['a', 'c']);
    expect(await where({ _id: _.gt('d') })).toEqual(['e', 'f']);
    expect(await where({ _id: _.neq('a'), grp: 'x' })).toEqual(['b']);
  });
});

describe('errors', () => {
  it('a query on a missing collection fails with DATABASE_COLLECTION_NOT_EXIST', async () => {
    await rejectsWithCode(db.collection('no_such_collection').get(), 'DATABASE_COLLECTION_NOT_EXIST');
    await rejectsWithCode(db.collection('no_such_collection').count(), 'DATABASE_COLLECTION_NOT_EXIST');
    await rejectsWithCode(db.collection('no_such_collection').doc('x').get(), 'DATABASE_COLLECTION_NOT_EXIST');
  });

  it('geo queries are not supported: an error answer, not a crash', async () => {
    const c = freshName('geo');
    await db.createCollection(c);
    await db.collection(c).add({ _id: 'g', loc: new db.Geo.Point(113.3, 23.1) });
    const got = (await db.collection(c).doc('g').get()).data[0];
    expect(got.loc).toBeInstanceOf(db.Geo.Point);
    expect(got.loc.longitude).toBe(113.3);
    await rejectsWithCode(
      db.collection(c).where({ loc: _.geoNear({ geometry: new db.Geo.Point(113.3, 23.1), maxDistance: 1000 }) }).get(),
      'INVALID_PARAM',
    );
    await rejectsWithCode(
      db.collection(c).where({ loc: _.geoWithin({ centerSphere: [[113.3, 23.1], 0.01] }) }).get(),
      'INVALID_PARAM',
    );
    // the cloud still answers
    expect((await db.collection(c).count()).total).toBe(1);
  });
});
