/**
 * Conformance: inserts, every update operator, set/upsert, updateAndReturn, removes, server dates, write errors and
 * unique indexes, through the real @cloudbase/node-sdk against the local cloud.
 */
import { startTestCloud, TestCloud } from '../support/cloud';
import { freshName, rejectsWithCode } from '../support/sdk-errors';

let t: TestCloud;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
let db: any;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
let _: any;

beforeAll(async () => {
  t = await startTestCloud();
  db = t.db;
  _ = db.command;
});

afterAll(async () => {
  await t.close();
});

async function newCollection(prefix = 'w'): Promise<string> {
  const name = freshName(prefix);
  await db.createCollection(name);
  return name;
}

async function getDoc(coll: string, id: unknown) {
  const res = await db.collection(coll).doc(id).get();
  return res.data[0];
}

describe('add', () => {
  it('add one returns {id, requestId} with a generated id', async () => {
    const c = await newCollection();
    const res = await db.collection(c).add({ v: 1 });
    expect(Object.keys(res).sort()).toEqual(['id', 'requestId']);
    expect(res.id).toMatch(/^[0-9a-f]{32}$/);
    expect(await getDoc(c, res.id)).toEqual({ _id: res.id, v: 1 });
  });

  it('add many returns ids in order', async () => {
    const c = await newCollection();
    const res = await db.collection(c).add([{ v: 1 }, { _id: 'mine', v: 2 }, { v: 3 }]);
    expect(res.ids).toHaveLength(3);
    expect(res.ids[1]).toBe('mine');
    expect(new Set(res.ids).size).toBe(3);
    expect(typeof res.requestId).toBe('string');
    const all = await db.collection(c).orderBy('v', 'asc').get();
    expect(all.data.map((d: { _id: string }) => d._id)).toEqual(res.ids);
  });

  it('add with own string and number _id', async () => {
    const c = await newCollection();
    expect((await db.collection(c).add({ _id: 'str-id', v: 's' })).id).toBe('str-id');
    expect((await db.collection(c).add({ _id: 42, v: 'n' })).id).toBe(42);
    expect(await getDoc(c, 'str-id')).toEqual({ _id: 'str-id', v: 's' });
    expect(await getDoc(c, 42)).toEqual({ _id: 42, v: 'n' });
  });

  it('doc(id).create inserts with that id', async () => {
    const c = await newCollection();
    const res = await db.collection(c).doc('created').create({ v: 1 });
    expect(res.id).toBe('created');
    expect(await getDoc(c, 'created')).toEqual({ _id: 'created', v: 1 });
  });

  it('duplicate _id fails with DATABASE_REQUEST_FAILED and writes nothing', async () => {
    const c = await newCollection();
    await db.collection(c).add({ _id: 'dup', v: 1 });
    await rejectsWithCode(db.collection(c).add({ _id: 'dup', v: 2 }), 'DATABASE_REQUEST_FAILED');
    await rejectsWithCode(db.collection(c).add([{ _id: 'fresh', v: 3 }, { _id: 'dup', v: 4 }]), 'DATABASE_REQUEST_FAILED');
    await rejectsWithCode(db.collection(c).add([{ _id: 'x', v: 5 }, { _id: 'x', v: 6 }]), 'DATABASE_REQUEST_FAILED');
    expect(await getDoc(c, 'dup')).toEqual({ _id: 'dup', v: 1 });
    expect((await db.collection(c).count()).total).toBe(1);
  });

  it('Dates, nested objects and arrays are stored as given', async () => {
    const c = await newCollection();
    const when = new Date('2024-05-06T07:08:09.010Z');
    const { id } = await db.collection(c).add({ when, o: { a: [1, { b: when }] } });
    const doc = await getDoc(c, id);
    expect(doc.when).toBeInstanceOf(Date);
    expect(doc.when.getTime()).toBe(when.getTime());
    expect(doc.o.a[1].b.getTime()).toBe(when.getTime());
  });

  it('field names starting with $ fail with DATABASE_REQUEST_FAILED', async () => {
    const c = await newCollection();
    await rejectsWithCode(db.collection(c).add({ $bad: 1 }), 'DATABASE_REQUEST_FAILED');
    await rejectsWithCode(db.collection(c).add({ ok: { $bad: 1 } }), 'DATABASE_REQUEST_FAILED');
    await rejectsWithCode(db.collection(c).add({ list: [{ $bad: 1 }] }), 'DATABASE_REQUEST_FAILED');
    expect((await db.collection(c).count()).total).toBe(0);
  });

  it('a missing collection fails with DATABASE_COLLECTION_NOT_EXIST', async () => {
    await rejectsWithCode(db.collection('missing_coll').add({ v: 1 }), 'DATABASE_COLLECTION_NOT_EXIST');
    await rejectsWithCode(db.collection('missing_coll').doc('x').update({ v: 1 }), 'DATABASE_COLLECTION_NOT_EXIST');
    await rejectsWithCode(db.collection('missing_coll').doc('x').set({ v: 1 }), 'DATABASE_COLLECTION_NOT_EXIST');
    await rejectsWithCode(db.collection('missing_coll').where({ v: 1 }).update({ v: 2 }), 'DATABASE_COLLECTION_NOT_EXIST');
    await rejectsWithCode(db.collection('missing_coll').doc('x').remove(), 'DATABASE_COLLECTION_NOT_EXIST');
  });

  it('createCollection twice fails; the second answer carries a code', async () => {
    const c = await newCollection();
    const err = await rejectsWithCode(db.createCollection(c), 'DATABASE_COLLECTION_ALREADY_EXIST');
    expect(err.message).toContain(c);
  });
});

describe('doc.update operators', () => {
  let c: string;
  beforeAll(async () => {
    c = await newCollection('ops');
  });

  async function updateFrom(initial: Record<string, unknown>, update: Record<string, unknown>) {
    const id = freshName('d');
    await db.collection(c).add({ _id: id, ...initial });
    const res = await db.collection(c).doc(id).update(update);
    const doc = await getDoc(c, id);
    delete doc._id;
    return { res, doc };
  }

  it('plain fields are merged (nested objects by path), {updated, requestId} returned', async () => {
    const { res, doc } = await updateFrom({ a: 1, o: { x: 1, y: 2 } }, { b: 2, o: { y: 3, z: 4 } });
    expect(res.updated).toBe(1);
    expect(typeof res.requestId).toBe('string');
    expect(doc).toEqual({ a: 1, b: 2, o: { x: 1, y: 3, z: 4 } });
  });

  it('dotted path in update', async () => {
    const { doc } = await updateFrom({ o: { x: 1 } }, { 'o.y': 2, 'p.q': 3 });
    expect(doc).toEqual({ o: { x: 1, y: 2 }, p: { q: 3 } });
  });

  it('inc (positive, negative, missing field, double)', async () => {
    const { doc } = await updateFrom({ n: 5, m: 1 }, { n: _.inc(3), m: _.inc(-2), fresh: _.inc(7), d: _.inc(0.5) });
    expect(doc).toEqual({ n: 8, m: -1, fresh: 7, d: 0.5 });
  });

  it('mul', async () => {
    const { doc } = await updateFrom({ n: 5, f: 1.5 }, { n: _.mul(3), f: _.mul(2), missing: _.mul(4) });
    expect(doc).toEqual({ n: 15, f: 3, missing: 0 });
  });

  it('min and max', async () => {
    const { doc } = await updateFrom({ lo: 5, hi: 5, keepLo: 1, keepHi: 9 }, { lo: _.min(2), hi: _.max(8), keepLo: _.min(3), keepHi: _.max(3) });
    expect(doc).toEqual({ lo: 2, hi: 8, keepLo: 1, keepHi: 9 });
  });

  it('min/max on Dates', async () => {
    const early = new Date('2024-01-01T00:00:00Z');
    const late = new Date('2024-06-01T00:00:00Z');
    const { doc } = await updateFrom({ first: late, last: early }, { first: _.min(early), last: _.max(late) });
    expect(doc.first.getTime()).toBe(early.getTime());
    expect(doc.last.getTime()).toBe(late.getTime());
  });

  it('set replaces a nested object whole (unlike a plain object, which merges)', async () => {
    const { doc } = await updateFrom({ o: { x: 1, y: 2 } }, { o: _.set({ z: 3 }) });
    expect(doc).toEqual({ o: { z: 3 } });
  });

  it('remove deletes a field (top-level and nested)', async () => {
    const { doc } = await updateFrom({ a: 1, b: 2, o: { x: 1, y: 2 } }, { a: _.remove(), 'o.x': _.remove() });
    expect(doc).toEqual({ b: 2, o: { y: 2 } });
  });

  it('push one, several, and onto a missing field', async () => {
    const { doc } = await updateFrom({ a: [1], b: [1] }, { a: _.push(2), b: _.push([2, 3]), c: _.push('x') });
    expect(doc).toEqual({ a: [1, 2], b: [1, 2, 3], c: ['x'] });
  });

  it('push with each + position', async () => {
    const { doc } = await updateFrom({ a: [1, 4] }, { a: _.push({ each: [2, 3], position: 1 }) });
    expect(doc.a).toEqual([1, 2, 3, 4]);
  });

  it('push with each + sort + slice', async () => {
    const { doc } = await updateFrom({ a: [5, 1, 9] }, { a: _.push({ each: [7, 3], sort: -1, slice: 3 }) });
    expect(doc.a).toEqual([9, 7, 5]);
  });

  it('push with sort on object key and negative slice', async () => {
    const { doc } = await updateFrom({ a: [{ s: 3 }, { s: 1 }] }, { a: _.push({ each: [{ s: 2 }], sort: { s: 1 }, slice: -2 }) });
    expect(doc.a).toEqual([{ s: 2 }, { s: 3 }]);
  });

  it('pop and shift', async () => {
    const { doc } = await updateFrom({ a: [1, 2, 3], b: [1, 2, 3] }, { a: _.pop(), b: _.shift() });
    expect(doc).toEqual({ a: [1, 2], b: [2, 3] });
  });

  it('unshift one and several', async () => {
    const { doc } = await updateFrom({ a: [3], b: [3] }, { a: _.unshift(2), b: _.unshift([1, 2]) });
    expect(doc).toEqual({ a: [2, 3], b: [1, 2, 3] });
  });

  it('pull a value and by condition', async () => {
    const { doc } = await updateFrom({ a: [1, 2, 1, 3], b: [1, 5, 7, 2] }, { a: _.pull(1), b: _.pull(_.gt(4)) });
    expect(doc).toEqual({ a: [2, 3], b: [1, 2] });
  });

  it('pull objects by a field condition', async () => {
    const { doc } = await updateFrom({ a: [{ k: 1 }, { k: 2 }, { k: 3 }] }, { a: _.pull({ k: _.gte(2) }) });
    expect(doc.a).toEqual([{ k: 1 }]);
  });

  it('pullAll', async () => {
    const { doc } = await updateFrom({ a: [1, 2, 3, 2, 4] }, { a: _.pullAll([2, 4]) });
    expect(doc.a).toEqual([1, 3]);
  });

  it('addToSet adds only when absent', async () => {
    const { doc } = await updateFrom({ a: ['x'], b: ['x'] }, { a: _.addToSet('x'), b: _.addToSet('y'), c: _.addToSet('z') });
    expect(doc).toEqual({ a: ['x'], b: ['x', 'y'], c: ['z'] });
  });

  it('rename', async () => {
    const { doc } = await updateFrom({ old: 1, keep: 2 }, { old: _.rename('fresh') });
    expect(doc).toEqual({ fresh: 1, keep: 2 });
  });

  it('several operators in one update', async () => {
    const { res, doc } = await updateFrom(
      { n: 1, arr: ['a'], tags: ['t'], s: { old: true } },
      { n: _.inc(1), arr: _.push('z'), s: _.set({ deep: 1 }), tags: _.remove(), nested: { x: 1 } },
    );
    expect(res.updated).toBe(1);
    expect(doc).toEqual({ n: 2, arr: ['a', 'z'], s: { deep: 1 }, nested: { x: 1 } });
  });

  it('update of a missing doc answers updated: 0', async () => {
    const res = await db.collection(c).doc('no-such-doc').update({ v: 1 });
    expect(res.updated).toBe(0);
    expect(await getDoc(c, 'no-such-doc')).toBeUndefined();
  });

  it('update of a number _id', async () => {
    await db.collection(c).add({ _id: 9001, v: 1 });
    expect((await db.collection(c).doc(9001).update({ v: _.inc(1) })).updated).toBe(1);
    expect(await getDoc(c, 9001)).toEqual({ _id: 9001, v: 2 });
  });

  it('updating _id is refused by the SDK with INVALID_PARAM', async () => {
    await rejectsWithCode(db.collection(c).doc('x').update({ _id: 'y' }), 'INVALID_PARAM');
  });

  it('a $-prefixed field name in an update fails with DATABASE_REQUEST_FAILED', async () => {
    const id = freshName('d');
    await db.collection(c).add({ _id: id, v: 1 });
    await rejectsWithCode(db.collection(c).doc(id).update({ o: { $bad: 1 } }), 'DATABASE_REQUEST_FAILED');
    await rejectsWithCode(db.collection(c).doc(id).update({ o: _.set({ $bad: 1 }) }), 'DATABASE_REQUEST_FAILED');
    expect(await getDoc(c, id)).toEqual({ _id: id, v: 1 });
  });

  it('inc on a non-number fails with DATABASE_REQUEST_FAILED and changes nothing', async () => {
    const id = freshName('d');
    await db.collection(c).add({ _id: id, s: 'text' });
    await rejectsWithCode(db.collection(c).doc(id).update({ s: _.inc(1) }), 'DATABASE_REQUEST_FAILED');
    expect(await getDoc(c, id)).toEqual({ _id: id, s: 'text' });
  });

  it('array and numeric operators on the wrong type fail (MongoDB semantics), nothing written', async () => {
    const id = freshName('d');
    const initial = { s: 'text', n: 1, nil: null, o: { leaf: 1 }, arr: [1, 2] };
    await db.collection(c).add({ _id: id, ...initial });
    const bad = [
      { s: _.mul(2) },
      { nil: _.inc(1) },
      { s: _.push(1) },
      { n: _.addToSet(1) },
      { n: _.pop() },
      { s: _.shift() },
      { n: _.pull(1) },
      { n: _.pullAll([1]) },
      { 'o.leaf.deeper': 1 },
      { 'n.x': _.inc(1) },
      { 'arr.name': 1 },
      { inc: 1, s: _.inc(1) },
    ];
    for (const update of bad) {
      await rejectsWithCode(db.collection(c).doc(id).update(update), 'DATABASE_REQUEST_FAILED');
    }
    expect(await getDoc(c, id)).toEqual({ _id: id, ...initial });
    // by array index is fine
    expect((await db.collection(c).doc(id).update({ 'arr.1': 9, 'o.leaf': _.inc(1) })).updated).toBe(1);
    expect(await getDoc(c, id)).toMatchObject({ arr: [1, 9], o: { leaf: 2 } });
  });
});

describe('where().update and options', () => {
  it('updates every match and answers {updated, upsertId, requestId}', async () => {
    const c = await newCollection();
    await db.collection(c).add([{ g: 1, v: 0 }, { g: 1, v: 0 }, { g: 2, v: 0 }]);
    const res = await db.collection(c).where({ g: 1 }).update({ v: _.inc(5) });
    expect(res.updated).toBe(2);
    expect(res.upsertId).toBeUndefined();
    expect(typeof res.requestId).toBe('string');
    const vs = (await db.collection(c).orderBy('g', 'asc').get()).data.map((d: { v: number }) => d.v);
    expect(vs).toEqual([5, 5, 0]);
    expect((await db.collection(c).where({ g: 3 }).update({ v: 1 })).updated).toBe(0);
  });

  it('options({multiple:false}) updates only one', async () => {
    const c = await newCollection();
    await db.collection(c).add([{ g: 1, v: 0 }, { g: 1, v: 0 }]);
    const res = await db.collection(c).where({ g: 1 }).options({ multiple: false }).update({ v: 1 });
    expect(res.updated).toBe(1);
    expect((await db.collection(c).where({ v: 1 }).count()).total).toBe(1);
  });

  it('where with operators selects what it updates', async () => {
    const c = await newCollection();
    await db.collection(c).add([{ n: 1 }, { n: 5 }, { n: 9 }]);
    const res = await db.collection(c).where({ n: _.gt(2) }).update({ big: true });
    expect(res.updated).toBe(2);
    expect((await db.collection(c).where({ big: true }).count()).total).toBe(2);
  });
});

describe('doc.set', () => {
  it('replaces the whole document, keeping _id', async () => {
    const c = await newCollection();
    await db.collection(c).add({ _id: 'r', a: 1, b: { c: 2 } });
    const res = await db.collection(c).doc('r').set({ z: 9 });
    expect(res.updated).toBe(1);
    expect(res.upsertedId).toBeUndefined();
    expect(await getDoc(c, 'r')).toEqual({ _id: 'r', z: 9 });
  });

  it('on a missing doc inserts it (upsert): updated 0 + upsertedId', async () => {
    const c = await newCollection();
    const res = await db.collection(c).doc('new-one').set({ v: 1 });
    expect(res.updated).toBe(0);
    expect(res.upsertedId).toBe('new-one');
    expect(await getDoc(c, 'new-one')).toEqual({ _id: 'new-one', v: 1 });
  });

  it('with an update operator is refused by the SDK', async () => {
    const c = await newCollection();
    await rejectsWithCode(db.collection(c).doc('x').set({ v: _.inc(1) }), 'DATABASE_REQUEST_FAILED');
    expect((await db.collection(c).count()).total).toBe(0);
  });

  it('with a $ field fails with DATABASE_REQUEST_FAILED', async () => {
    const c = await newCollection();
    await rejectsWithCode(db.collection(c).doc('x').set({ o: { $bad: 1 } }), 'DATABASE_REQUEST_FAILED');
    expect((await db.collection(c).count()).total).toBe(0);
  });
});

describe('updateAndReturn', () => {
  it('returns the updated document', async () => {
    const c = await newCollection();
    await db.collection(c).add([{ _id: 'u1', n: 1, tag: 'a' }]);
    const res = await db.collection(c).where({ _id: 'u1' }).updateAndReturn({ n: _.inc(10), extra: 'x' });
    expect(res.updated).toBe(1);
    expect(res.doc).toEqual({ _id: 'u1', n: 11, tag: 'a', extra: 'x' });
    expect(typeof res.requestId).toBe('string');
    expect(await getDoc(c, 'u1')).toEqual({ _id: 'u1', n: 11, tag: 'a', extra: 'x' });
  });

  it('updates only one of several matches', async () => {
    const c = await newCollection();
    await db.collection(c).add([{ g: 1, n: 0 }, { g: 1, n: 0 }]);
    const res = await db.collection(c).where({ g: 1 }).updateAndReturn({ n: 1 });
    expect(res.updated).toBe(1);
    expect(res.doc.n).toBe(1);
    expect((await db.collection(c).where({ n: 1 }).count()).total).toBe(1);
  });

  it('nothing matched: updated 0 and doc null', async () => {
    const c = await newCollection();
    const res = await db.collection(c).where({ _id: 'none' }).updateAndReturn({ n: 1 });
    expect(res.updated).toBe(0);
    expect(res.doc).toBeNull();
  });

  it('returns Dates as Date', async () => {
    const c = await newCollection();
    await db.collection(c).add({ _id: 'd', n: 0 });
    const when = new Date('2024-02-03T04:05:06Z');
    const res = await db.collection(c).where({ _id: 'd' }).updateAndReturn({ when });
    expect(res.doc.when).toBeInstanceOf(Date);
    expect(res.doc.when.getTime()).toBe(when.getTime());
  });
});

describe('remove', () => {
  it('doc.remove answers {deleted}', async () => {
    const c = await newCollection();
    await db.collection(c).add([{ _id: 'r1' }, { _id: 'r2' }]);
    const res = await db.collection(c).doc('r1').remove();
    expect(res.deleted).toBe(1);
    expect(typeof res.requestId).toBe('string');
    expect((await db.collection(c).doc('r1').get()).data).toEqual([]);
    expect((await db.collection(c).doc('r1').remove()).deleted).toBe(0);
    expect((await db.collection(c).doc('r2').delete()).deleted).toBe(1);
  });

  it('where().remove removes every match', async () => {
    const c = await newCollection();
    await db.collection(c).add([{ g: 1 }, { g: 1 }, { g: 2 }]);
    expect((await db.collection(c).where({ g: 1 }).remove()).deleted).toBe(2);
    expect((await db.collection(c).count()).total).toBe(1);
    expect((await db.collection(c).where({ g: 9 }).remove()).deleted).toBe(0);
    expect((await db.collection(c).where({ g: _.gte(0) }).remove()).deleted).toBe(1);
    expect((await db.collection(c).count()).total).toBe(0);
  });

  it('a removed _id can be inserted again', async () => {
    const c = await newCollection();
    await db.collection(c).add({ _id: 'again', v: 1 });
    await db.collection(c).doc('again').remove();
    await db.collection(c).add({ _id: 'again', v: 2 });
    expect(await getDoc(c, 'again')).toEqual({ _id: 'again', v: 2 });
  });
});

describe('serverDate', () => {
  it('db.serverDate() is stored as a Date from the local cloud clock, with offset, and follows the clock', async () => {
    const c = await newCollection();
    const before = t.cloud.clock.now();
    const { id } = await db.collection(c).add({ at: db.serverDate(), later: db.serverDate({ offset: 60_000 }) });
    const after = t.cloud.clock.now();
    const doc = await getDoc(c, id);
    expect(doc.at).toBeInstanceOf(Date);
    expect(doc.at.getTime()).toBeGreaterThanOrEqual(before);
    expect(doc.at.getTime()).toBeLessThanOrEqual(after);
    expect(doc.later.getTime() - doc.at.getTime()).toBe(60_000);

    const day = 24 * 3600_000;
    t.cloud.clock.advance(day);
    try {
      await db.collection(c).doc(id).update({ moved: db.serverDate(), earlier: db.serverDate({ offset: -1000 }) });
      const moved = await getDoc(c, id);
      expect(moved.moved.getTime()).toBeGreaterThanOrEqual(before + day);
      expect(moved.moved.getTime()).toBeLessThanOrEqual(t.cloud.clock.now());
      expect(moved.moved.getTime() - moved.earlier.getTime()).toBe(1000);
      // a query with serverDate compares against the cloud clock too
      const past = await db.collection(c).where({ at: _.lt(db.serverDate()) }).count();
      expect(past.total).toBe(1);
    } finally {
      t.cloud.clock.advance(-day);
    }
  });

  it('serverDate in set() and nested values', async () => {
    const c = await newCollection();
    const now = t.cloud.clock.now();
    await db.collection(c).doc('s').set({ meta: { at: db.serverDate() } });
    const doc = await getDoc(c, 's');
    expect(doc.meta.at).toBeInstanceOf(Date);
    expect(Math.abs(doc.meta.at.getTime() - now)).toBeLessThan(5000);
  });
});

describe('unique indexes (users.inviteCode)', () => {
  it('a second user with the same inviteCode fails; updating to a taken code fails', async () => {
    await db.collection('users').add({ _id: 'uniq-u1', inviteCode: 'UQTEST1' });
    await rejectsWithCode(db.collection('users').add({ _id: 'uniq-u2', inviteCode: 'UQTEST1' }), 'DATABASE_REQUEST_FAILED');
    expect((await db.collection('users').doc('uniq-u2').get()).data).toEqual([]);

    await db.collection('users').add({ _id: 'uniq-u3', inviteCode: 'UQTEST3' });
    await rejectsWithCode(db.collection('users').doc('uniq-u3').update({ inviteCode: 'UQTEST1' }), 'DATABASE_REQUEST_FAILED');
    await rejectsWithCode(db.collection('users').doc('uniq-u3').set({ inviteCode: 'UQTEST1' }), 'DATABASE_REQUEST_FAILED');
    await rejectsWithCode(db.collection('users').where({ _id: 'uniq-u3' }).update({ inviteCode: 'UQTEST1' }), 'DATABASE_REQUEST_FAILED');
    await rejectsWithCode(db.collection('users').where({ _id: 'uniq-u3' }).updateAndReturn({ inviteCode: 'UQTEST1' }), 'DATABASE_REQUEST_FAILED');
    expect((await db.collection('users').doc('uniq-u3').get()).data[0].inviteCode).toBe('UQTEST3');

    // once the code is free again it can be taken
    await db.collection('users').doc('uniq-u1').remove();
    expect((await db.collection('users').doc('uniq-u3').update({ inviteCode: 'UQTEST1' })).updated).toBe(1);
    expect((await db.collection('users').where({ inviteCode: 'UQTEST1' }).get()).data.map((u: { _id: string }) => u._id)).toEqual(['uniq-u3']);
  });

  it('a multi update that would make two codes equal fails and changes none', async () => {
    await db.collection('users').add([
      { _id: 'uniq-m1', inviteCode: 'UQM1', batch: 'm' },
      { _id: 'uniq-m2', inviteCode: 'UQM2', batch: 'm' },
    ]);
    await rejectsWithCode(db.collection('users').where({ batch: 'm' }).update({ inviteCode: 'UQSAME' }), 'DATABASE_REQUEST_FAILED');
    const codes = (await db.collection('users').where({ batch: 'm' }).orderBy('inviteCode', 'asc').get()).data.map((u: { inviteCode: string }) => u.inviteCode);
    expect(codes).toEqual(['UQM1', 'UQM2']);
  });
});
