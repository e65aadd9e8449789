/**
 * Durability: the local cloud as its own process on a data directory; writes acknowledged through the real SDK
 * survive `kill -9` and a restart, twice; writes in flight at the kill need not survive but the database opens
 * cleanly and stays consistent.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import tcb from '@cloudbase/node-sdk';
import { SpawnedCloud, spawnCloud } from '../support/spawn-cloud';

/* eslint-disable @typescript-eslint/no-explicit-any */
const KEYS = { secretId: 'AKIDdurabilitytest000000000000000', secretKey: 'durabilitytestsecretkey0000000000' };
process.env.SILENCE = 'true'; // no "slower than 3 s" warnings from the SDK for requests cut off by the kill
const FIXED = new Date('2025-03-04T05:06:07.890Z');

interface Running {
  cloud: SpawnedCloud;
  db: any;
  _: any;
  output: () => string;
}

let dataDir: string;
let current: Running | null = null;

async function start(): Promise<Running> {
  const cloud = await spawnCloud({ dataDir, keys: KEYS });
  const app = tcb.init({ env: 'local', serviceUrl: cloud.adminUrl, ...KEYS, timeout: 10_000 });
  const db = app.database();
  current = { cloud, db, _: db.command, output: cloud.output };
  return current;
}

/** kill -9 the whole process group (tsx and the server it runs), and wait until it is gone. */
async function kill9(r: Running) {
  await r.cloud.kill9();
  if (current === r) current = null;
}

beforeAll(() => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'local-cloud-durability-'));
});
afterAll(async () => {
  if (current) await kill9(current);
  fs.rmSync(dataDir, { recursive: true, force: true });
});

/** What the acknowledged writes must have left, per collection and id. */
const expected = { events: new Map<string, any>(), wallets: new Map<string, any>(), products: new Map<string, any>() };
const removed: string[] = [];
let inFlightAcked: string[] = [];
let inFlightSent: string[] = [];

async function writeRound(r: Running, round: number) {
  const { db, _ } = r;
  const events = db.collection('events');
  // 1. add: with given ids, with generated ids, and a batch.
  for (let i = 0; i < 30; i++) {
    const doc = { _id: `r${round}-e${i}`, type: 'dur', round, n: i, day: `2025-03-${String((i % 28) + 1).padStart(2, '0')}`, at: FIXED, nested: { arr: [i, `s${i}`], deep: { ok: true } }, price: i + 0.25 };
    const res = await events.add(doc);
    expect(res.id).toBe(doc._id);
    expected.events.set(doc._id, doc);
  }
  for (let i = 0; i < 10; i++) {
    const doc = { type: 'dur-auto', round, n: i, text: `自动 ${i} ✓` };
    const { id } = await events.add(doc);
    expect(id).toMatch(/^[0-9a-f]{32}$/);
    expected.events.set(id, { _id: id, ...doc });
  }
  const batch = Array.from({ length: 5 }, (_x, i) => ({ _id: `r${round}-b${i}`, type: 'dur-batch', round, n: i }));
  const { ids } = await events.add(batch);
  expect(ids).toEqual(batch.map((d) => d._id));
  batch.forEach((d) => expected.events.set(d._id, d));

  // 2. update with _.inc, one acknowledgement at a time, on a counter that lives across rounds.
  const wallets = db.collection('wallets');
  if (round === 1) {
    await wallets.add({ _id: 'counter', balance: 0, history: [] });
    expected.wallets.set('counter', { _id: 'counter', balance: 0, history: [] });
  }
  for (let i = 0; i < 25; i++) {
    const res = await wallets.doc('counter').update({ balance: _.inc(3), history: _.push(`${round}.${i}`) });
    expect(res.updated).toBe(1);
    const w = expected.wallets.get('counter');
    w.balance += 3;
    w.history.push(`${round}.${i}`);
  }

  // 3. a transaction commit: read, update, insert, set.
  await db.runTransaction(async (tx: any) => {
    const got = await tx.collection('wallets').doc('counter').get();
    expect(got.data.balance).toBe(expected.wallets.get('counter').balance);
    await tx.collection('wallets').doc('counter').update({ balance: _.inc(100), lastTx: `tx-${round}` });
    await tx.collection('events').add({ _id: `r${round}-tx`, type: 'dur-tx', round, fromTx: true });
    await tx.collection('wallets').doc(`tx-wallet-${round}`).set({ owner: `r${round}`, balance: 7 });
  });
  const w = expected.wallets.get('counter');
  w.balance += 100;
  w.lastTx = `tx-${round}`;
  expected.events.set(`r${round}-tx`, { _id: `r${round}-tx`, type: 'dur-tx', round, fromTx: true });
  expected.wallets.set(`tx-wallet-${round}`, { _id: `tx-wallet-${round}`, owner: `r${round}`, balance: 7 });

  // 4. where().update over many documents.
  const upd = await events.where({ type: 'dur', round, n: _.lt(12) }).update({ flagged: true, score: _.inc(0.5) });
  expect(upd.updated).toBe(12);
  for (const [id, doc] of expected.events) {
    if (doc.type === 'dur' && doc.round === round && doc.n < 12) {
      doc.flagged = true;
      doc.score = (doc.score ?? 0) + 0.5;
      expected.events.set(id, doc);
    }
  }

  // 5. set() replacing a document, a removal, and a change to demo data (must not be re-seeded over).
  await events.doc(`r${round}-e29`).set({ type: 'dur', round, replaced: true });
  expected.events.set(`r${round}-e29`, { _id: `r${round}-e29`, type: 'dur', round, replaced: true });
  const del = await events.doc(`r${round}-e28`).remove();
  expect(del.deleted).toBe(1);
  expected.events.delete(`r${round}-e28`);
  removed.push(`r${round}-e28`);
  await db.collection('products').doc('p-tea').update({ stock: _.inc(-round) });
  const tea = (await db.collection('products').doc('p-tea').get()).data[0];
  expected.products.set('p-tea', tea);
}

async function verifyAll(r: Running) {
  const { db } = r;
  for (const [coll, docs] of Object.entries(expected)) {
    for (const [id, want] of docs) {
      const got = (await db.collection(coll).doc(id).get()).data[0];
      expect({ coll, id, doc: got }).toEqual({ coll, id, doc: want });
    }
  }
  for (const id of removed) expect((await db.collection('events').doc(id).get()).data).toEqual([]);
  // Nothing extra in the collections written only by acknowledged writes.
  const total = (await db.collection('events').where({ type: db.command.in(['dur', 'dur-auto', 'dur-batch', 'dur-tx']) }).count()).total;
  expect(total).toBe(expected.events.size);
  expect((await db.collection('wallets').count()).total).toBe(expected.wallets.size);
  expect((await db.collection('products').count()).total).toBe(6); // the demo data was not written twice
}

/** Fire writes without waiting, kill -9 while they are in flight; remember which were acknowledged before the kill. */
async function burstAndKill(r: Running, round: number) {
  const coll = r.db.collection('stats_daily');
  const acked: string[] = [];
  const sent: string[] = [];
  const pending: Promise<unknown>[] = [];
  for (let i = 0; i < 200; i++) {
    const id = `burst-${round}-${i}`;
    sent.push(id);
    pending.push(
      coll.add({ _id: id, round, i, pad: 'x'.repeat(2000) }).then(
        () => acked.push(id),
        () => undefined,
      ),
    );
  }
  // Kill as soon as some are acknowledged, while the rest are still in flight.
  for (let waited = 0; acked.length < 20 && waited < 10_000; waited += 2) await new Promise((res) => setTimeout(res, 2));
  const ackedAtKill = [...acked];
  await kill9(r);
  await Promise.all(pending);
  inFlightAcked = inFlightAcked.concat(ackedAtKill);
  inFlightSent = inFlightSent.concat(sent);
}

async function verifyBurst(r: Running) {
  const coll = r.db.collection('stats_daily');
  const all: any[] = [];
  for (let skip = 0; ; skip += 1000) {
    const page = (await coll.skip(skip).limit(1000).get()).data;
    all.push(...page);
    if (page.length < 1000) break;
  }
  const present = new Set(all.map((d) => d._id));
  if (process.env.DURABILITY_VERBOSE) console.log({ sent: inFlightSent.length, acked: inFlightAcked.length, present: present.size });
  for (const id of inFlightAcked) expect({ id, present: present.has(id) }).toEqual({ id, present: true });
  for (const d of all) {
    expect(inFlightSent).toContain(d._id); // nothing that was never sent
    expect(d.pad).toHaveLength(2000); // no torn document
  }
}

describe('kill -9 and restart', () => {
  it('round 1: acknowledged writes survive kill -9', async () => {
    const r = await start();
    await writeRound(r, 1);
    await verifyAll(r);
    await kill9(r);
    const r2 = await start();
    await verifyAll(r2);
  }, 90_000);

  it('round 2: write more on the restarted cloud, kill -9 again, everything from both rounds is there', async () => {
    const r = current ?? (await start());
    await writeRound(r, 2);
    await kill9(r);
    const r2 = await start();
    await verifyAll(r2);
  }, 90_000);

  it('writes in flight at kill -9: acknowledged ones survive, the database opens cleanly, twice', async () => {
    for (const round of [1, 2]) {
      const r = current ?? (await start());
      await burstAndKill(r, round);
      const r2 = await start();
      expect(r2.output()).not.toMatch(/SQLITE_CORRUPT|malformed|Error/);
      await verifyBurst(r2);
      await verifyAll(r2);
      // And it takes new writes after recovery.
      const after = await r2.db.collection('events').add({ _id: `after-burst-${round}`, type: 'dur', round: 100 + round, n: -1 });
      expect(after.id).toBe(`after-burst-${round}`);
      expected.events.set(`after-burst-${round}`, { _id: `after-burst-${round}`, type: 'dur', round: 100 + round, n: -1 });
    }
    expect(inFlightAcked.length).toBeGreaterThan(0);
    expect(inFlightAcked.length).toBeLessThan(inFlightSent.length); // the kill did cut writes off
    await kill9(current!);
    const final = await start();
    await verifyBurst(final);
    await verifyAll(final);
  }, 120_000);
});
