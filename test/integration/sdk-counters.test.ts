/**
 * Conformance under concurrency: atomic counters and guarded decrements through the real @cloudbase/node-sdk,
 * many requests in flight at once against the local cloud.
 */
import { startTestCloud, TestCloud } from '../support/cloud';

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

const newCollection = () => t.newCollection('ctr');

it('500 concurrent _.inc(1) on one document end exact', async () => {
  const c = await newCollection();
  await db.collection(c).add({ _id: 'hits', n: 0 });
  const results = await Promise.all(Array.from({ length: 500 }, () => db.collection(c).doc('hits').update({ n: _.inc(1) })));
  expect(results.every((r: { updated: number }) => r.updated === 1)).toBe(true);
  expect((await db.collection(c).doc('hits').get()).data[0]).toEqual({ _id: 'hits', n: 500 });
});

it('a guarded decrement raced 200 times on stock 5: exactly 5 succeed, stock ends 0', async () => {
  const c = await newCollection();
  await db.collection(c).add({ _id: 'sku', stock: 5 });
  const results = await Promise.all(
    Array.from({ length: 200 }, () => db.collection(c).where({ _id: 'sku', stock: _.gte(1) }).update({ stock: _.inc(-1) })),
  );
  const updated = results.map((r: { updated: number }) => r.updated);
  expect(updated.filter((u: number) => u === 1)).toHaveLength(5);
  expect(updated.filter((u: number) => u === 0)).toHaveLength(195);
  expect((await db.collection(c).doc('sku').get()).data[0].stock).toBe(0);
  expect((await db.collection(c).where({ stock: _.lt(0) }).count()).total).toBe(0);
});

it('a guarded updateAndReturn raced 100 times on stock 3 hands out 3 distinct remaining values', async () => {
  const c = await newCollection();
  await db.collection(c).add({ _id: 'sku', stock: 3 });
  const results = await Promise.all(
    Array.from({ length: 100 }, () => db.collection(c).where({ _id: 'sku', stock: _.gt(0) }).updateAndReturn({ stock: _.inc(-1) })),
  );
  const won = results.filter((r: { updated: number }) => r.updated === 1);
  expect(won.map((r: { doc: { stock: number } }) => r.doc.stock).sort()).toEqual([0, 1, 2]);
  expect(results.filter((r: { updated: number; doc: unknown }) => r.updated === 0 && r.doc === null)).toHaveLength(97);
  expect((await db.collection(c).doc('sku').get()).data[0].stock).toBe(0);
});

it('concurrent increments across many documents and fields stay exact', async () => {
  const c = await newCollection();
  await db.collection(c).add(Array.from({ length: 10 }, (_v, i) => ({ _id: `d${i}`, a: 0, b: 0 })));
  await Promise.all(
    Array.from({ length: 300 }, (_v, k) => db.collection(c).doc(`d${k % 10}`).update({ a: _.inc(1), b: _.inc(k % 2 === 0 ? 2 : -1) })),
  );
  const docs = (await db.collection(c).orderBy('_id', 'asc').get()).data;
  expect(docs.map((d: { a: number }) => d.a)).toEqual(Array(10).fill(30));
  // doc i receives k = i, i+10, … (30 values); even i → all even k → +2 each, odd i → −1 each
  expect(docs.map((d: { b: number }) => d.b)).toEqual(Array.from({ length: 10 }, (_v, i) => (i % 2 === 0 ? 60 : -30)));
});

it('50 concurrent inserts of one unique inviteCode: exactly one lands', async () => {
  const results = await Promise.allSettled(
    Array.from({ length: 50 }, (_v, i) => db.collection('users').add({ _id: `race-user-${i}`, inviteCode: 'RACE01' })),
  );
  const ok = results.filter((r) => r.status === 'fulfilled');
  const failed = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
  expect(ok).toHaveLength(1);
  expect(failed.every((r) => (r.reason as { code?: string }).code === 'DATABASE_REQUEST_FAILED')).toBe(true);
  expect((await db.collection('users').where({ inviteCode: 'RACE01' }).count()).total).toBe(1);
});
