/**
 * Conformance: transactions through the real @cloudbase/node-sdk against the local cloud — commit, rollback,
 * isolation from outside readers, snapshot reads, first-writer-wins conflicts between real interleaved
 * transactions, the SDK's retry on conflict, dead transaction ids and the 30 s lifetime.
 */
import { DatabaseEngine } from '../../emulator/database';
import { CloudError } from '../../emulator/errors';
import { Store } from '../../emulator/store';
import { startTestCloud, TestCloud } from '../support/cloud';
import { rejectsWithCode } from '../support/sdk-errors';

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

const newCollection = () => t.newCollection('tx');

async function outside(coll: string, id: string) {
  return (await db.collection(coll).doc(id).get()).data[0];
}

describe('runTransaction', () => {
  it('commits; inside sees its own writes, outside sees nothing until commit', async () => {
    const c = await newCollection();
    await db.collection(c).add({ _id: 'acct', balance: 100 });
    const seenOutside: unknown[] = [];
    const result = await db.runTransaction(async (tx: any) => {
      const got = await tx.collection(c).doc('acct').get();
      expect(got.data).toEqual({ _id: 'acct', balance: 100 });
      const upd = await tx.collection(c).doc('acct').update({ balance: _.inc(-30) });
      expect(upd.updated).toBe(1);
      const added = await tx.collection(c).add({ _id: 'log1', amount: -30 });
      expect(added).toMatchObject({ id: 'log1', inserted: 1, ok: 1 });
      const set = await tx.collection(c).doc('log2').set({ amount: 0 });
      expect(set.updated).toBe(0);
      expect(set.upserted).toEqual([{ _id: 'log2' }]);
      // reads inside see own writes
      expect((await tx.collection(c).doc('acct').get()).data.balance).toBe(70);
      expect((await tx.collection(c).doc('log1').get()).data).toEqual({ _id: 'log1', amount: -30 });
      const listed = await tx.collection(c).where({ amount: _.exists(true) }).get();
      expect(listed.data.map((d: { _id: string }) => d._id).sort()).toEqual(['log1', 'log2']);
      // outside, during the transaction: nothing yet
      seenOutside.push(await outside(c, 'acct'), await outside(c, 'log1'), (await db.collection(c).count()).total);
      return { done: true };
    });
    expect(result).toEqual({ done: true });
    expect(seenOutside).toEqual([{ _id: 'acct', balance: 100 }, undefined, 1]);
    expect(await outside(c, 'acct')).toEqual({ _id: 'acct', balance: 70 });
    expect(await outside(c, 'log1')).toEqual({ _id: 'log1', amount: -30 });
    expect(await outside(c, 'log2')).toEqual({ _id: 'log2', amount: 0 });
  });

  it('doc().get of a missing doc inside a transaction gives data: null', async () => {
    const c = await newCollection();
    await db.runTransaction(async (tx: any) => {
      expect((await tx.collection(c).doc('none').get()).data).toBeNull();
    });
  });

  it('remove and updateAndReturn inside a transaction', async () => {
    const c = await newCollection();
    await db.collection(c).add([{ _id: 'a', v: 1 }, { _id: 'b', v: 2 }]);
    await db.runTransaction(async (tx: any) => {
      expect((await tx.collection(c).doc('a').remove()).deleted).toBe(1);
      expect((await tx.collection(c).doc('a').get()).data).toBeNull();
      const r = await tx.collection(c).where({ _id: 'b' }).updateAndReturn({ v: _.inc(10) });
      expect(r).toMatchObject({ updated: 1, doc: { _id: 'b', v: 12 } });
      expect(await outside(c, 'a')).toEqual({ _id: 'a', v: 1 });
      expect(await outside(c, 'b')).toEqual({ _id: 'b', v: 2 });
    });
    expect(await outside(c, 'a')).toBeUndefined();
    expect(await outside(c, 'b')).toEqual({ _id: 'b', v: 12 });
  });

  it('t.rollback(reason): runTransaction rejects with the reason itself, nothing written', async () => {
    const c = await newCollection();
    await db.collection(c).add({ _id: 'x', v: 1 });
    let error: unknown;
    try {
      await db.runTransaction(async (tx: any) => {
        await tx.collection(c).doc('x').update({ v: 2 });
        await tx.collection(c).add({ _id: 'y' });
        await tx.rollback('not enough stock');
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBe('not enough stock');
    expect(await outside(c, 'x')).toEqual({ _id: 'x', v: 1 });
    expect(await outside(c, 'y')).toBeUndefined();
  });

  it('an error thrown in the callback rolls back and is rethrown', async () => {
    const c = await newCollection();
    await db.collection(c).add({ _id: 'x', v: 1 });
    const boom = new Error('boom');
    await expect(
      db.runTransaction(async (tx: any) => {
        await tx.collection(c).doc('x').update({ v: 2 });
        throw boom;
      }),
    ).rejects.toBe(boom);
    expect(await outside(c, 'x')).toEqual({ _id: 'x', v: 1 });
    // the document is not left locked: a new transaction can write it
    await db.runTransaction(async (tx: any) => {
      await tx.collection(c).doc('x').update({ v: 3 });
    });
    expect(await outside(c, 'x')).toEqual({ _id: 'x', v: 3 });
  });

  it('a duplicate _id inside a transaction fails DATABASE_REQUEST_FAILED and rolls back', async () => {
    const c = await newCollection();
    await db.collection(c).add({ _id: 'taken' });
    await rejectsWithCode(
      db.runTransaction(async (tx: any) => {
        await tx.collection(c).add({ _id: 'fresh' });
        await tx.collection(c).add({ _id: 'taken' });
      }),
      'DATABASE_REQUEST_FAILED',
    );
    expect(await outside(c, 'fresh')).toBeUndefined();
  });

  it('a unique index violation at commit fails DATABASE_REQUEST_FAILED, nothing written', async () => {
    await db.collection('users').add({ _id: 'txu-1', inviteCode: 'TXUNIQ1' });
    await rejectsWithCode(
      db.runTransaction(async (tx: any) => {
        await tx.collection('users').add({ _id: 'txu-2', inviteCode: 'TXUNIQ2' });
        await tx.collection('users').add({ _id: 'txu-3', inviteCode: 'TXUNIQ1' });
      }),
      'DATABASE_REQUEST_FAILED',
    );
    expect(await outside('users', 'txu-2')).toBeUndefined();
    expect(await outside('users', 'txu-3')).toBeUndefined();
  });

  it('where().update() inside a transaction runs outside it (no transactionId is sent)', async () => {
    const c = await newCollection();
    await db.collection(c).add({ _id: 'w', v: 1 });
    await db
      .runTransaction(async (tx: any) => {
        expect((await tx.collection(c).where({ _id: 'w' }).update({ v: 5 })).updated).toBe(1);
        expect(await outside(c, 'w')).toEqual({ _id: 'w', v: 5 });
        await tx.rollback('undo');
      })
      .catch((e: unknown) => expect(e).toBe('undo'));
    expect(await outside(c, 'w')).toEqual({ _id: 'w', v: 5 });
  });

  it('retries when the first attempt conflicts and then succeeds', async () => {
    const c = await newCollection();
    await db.collection(c).add({ _id: 'ctr', n: 0 });
    let attempts = 0;
    const result = await db.runTransaction(async (tx: any) => {
      attempts++;
      const { data } = await tx.collection(c).doc('ctr').get();
      if (attempts === 1) await db.collection(c).doc('ctr').update({ n: _.inc(100) }); // a write from outside
      await tx.collection(c).doc('ctr').update({ n: data.n + 1 });
      return data.n;
    });
    expect(attempts).toBe(2);
    expect(result).toBe(100);
    expect(await outside(c, 'ctr')).toEqual({ _id: 'ctr', n: 101 });
  });

  it('gives up after 4 attempts with DATABASE_TRANSACTION_CONFLICT', async () => {
    const c = await newCollection();
    await db.collection(c).add({ _id: 'ctr', n: 0 });
    let attempts = 0;
    await rejectsWithCode(
      db.runTransaction(async (tx: any) => {
        attempts++;
        await tx.collection(c).doc('ctr').get();
        await db.collection(c).doc('ctr').update({ n: _.inc(1) });
        await tx.collection(c).doc('ctr').update({ n: -1 });
      }),
      'DATABASE_TRANSACTION_CONFLICT',
    );
    expect(attempts).toBe(4);
    expect(await outside(c, 'ctr')).toEqual({ _id: 'ctr', n: 4 });
  });

  it('two concurrent read-modify-write transactions both land (one retries)', async () => {
    const c = await newCollection();
    await db.collection(c).add({ _id: 'ctr', n: 0 });
    let attempts = 0;
    const bump = () =>
      db.runTransaction(async (tx: any) => {
        attempts++;
        const { data } = await tx.collection(c).doc('ctr').get();
        await tx.collection(c).doc('ctr').update({ n: data.n + 1 });
      });
    await Promise.all([bump(), bump()]);
    expect(await outside(c, 'ctr')).toEqual({ _id: 'ctr', n: 2 });
    expect(attempts).toBeGreaterThanOrEqual(2);
  });
});

describe('startTransaction (manual)', () => {
  it('commit makes writes visible; the handle answers in the tx shapes', async () => {
    const c = await newCollection();
    await db.collection(c).add({ _id: 'm', v: 1 });
    const tx = await db.startTransaction();
    expect(typeof tx.getTransactionId()).toBe('string');
    await tx.collection(c).doc('m').update({ v: 2 });
    expect((await tx.collection(c).doc('m').get()).data).toEqual({ _id: 'm', v: 2 });
    expect(await outside(c, 'm')).toEqual({ _id: 'm', v: 1 });
    const res = await tx.commit();
    expect(typeof res.requestId).toBe('string');
    expect(await outside(c, 'm')).toEqual({ _id: 'm', v: 2 });
  });

  it('rollback discards writes', async () => {
    const c = await newCollection();
    await db.collection(c).add({ _id: 'm', v: 1 });
    const tx = await db.startTransaction();
    await tx.collection(c).doc('m').update({ v: 2 });
    await tx.collection(c).add({ _id: 'n' });
    await tx.rollback();
    expect(await outside(c, 'm')).toEqual({ _id: 'm', v: 1 });
    expect(await outside(c, 'n')).toBeUndefined();
  });

  it('a committed or rolled-back transaction id fails with DATABASE_TRANSACTION_FAIL', async () => {
    const c = await newCollection();
    await db.collection(c).add({ _id: 'm', v: 1 });
    const tx = await db.startTransaction();
    await tx.collection(c).doc('m').update({ v: 2 });
    await tx.commit();
    await rejectsWithCode(tx.collection(c).doc('m').get(), 'DATABASE_TRANSACTION_FAIL');
    await rejectsWithCode(tx.collection(c).doc('m').update({ v: 3 }), 'DATABASE_TRANSACTION_FAIL');
    await rejectsWithCode(tx.collection(c).add({ v: 3 }), 'DATABASE_TRANSACTION_FAIL');
    const err = await rejectsWithCode(tx.commit(), 'DATABASE_TRANSACTION_FAIL');
    expect(err.message).toContain('TransactionNotExist');
    const rolled = await db.startTransaction();
    await rolled.rollback();
    await rejectsWithCode(rolled.collection(c).doc('m').get(), 'DATABASE_TRANSACTION_FAIL');
    await rejectsWithCode(rolled.rollback(), 'DATABASE_TRANSACTION_FAIL');
    expect(await outside(c, 'm')).toEqual({ _id: 'm', v: 2 });
  });

  it('two interleaved transactions writing one document: the second writer conflicts, the first wins', async () => {
    const c = await newCollection();
    await db.collection(c).add({ _id: 'X', v: 0 });
    const t1 = await db.startTransaction();
    const t2 = await db.startTransaction();
    expect((await t1.collection(c).doc('X').get()).data.v).toBe(0);
    expect((await t2.collection(c).doc('X').get()).data.v).toBe(0);
    await t1.collection(c).doc('X').update({ v: _.inc(1), by: 't1' });
    const err = await rejectsWithCode(t2.collection(c).doc('X').update({ v: _.inc(10), by: 't2' }), 'DATABASE_TRANSACTION_CONFLICT');
    expect(err.message).toContain('TransactionConflict');
    await t1.commit();
    expect(await outside(c, 'X')).toEqual({ _id: 'X', v: 1, by: 't1' });
    // the conflicted transaction is over
    await rejectsWithCode(t2.commit(), 'DATABASE_TRANSACTION_FAIL');
    expect(await outside(c, 'X')).toEqual({ _id: 'X', v: 1, by: 't1' });
  });

  it('an uncommitted write by another transaction blocks removes and sets too', async () => {
    const c = await newCollection();
    await db.collection(c).add({ _id: 'X', v: 0 });
    const t1 = await db.startTransaction();
    const t2 = await db.startTransaction();
    await t1.collection(c).doc('X').remove();
    await rejectsWithCode(t2.collection(c).doc('X').set({ v: 5 }), 'DATABASE_TRANSACTION_CONFLICT');
    await t1.rollback();
    expect(await outside(c, 'X')).toEqual({ _id: 'X', v: 0 });
  });

  it('transactions writing different documents do not conflict', async () => {
    const c = await newCollection();
    await db.collection(c).add([{ _id: 'A', v: 0 }, { _id: 'B', v: 0 }]);
    const t1 = await db.startTransaction();
    const t2 = await db.startTransaction();
    await t1.collection(c).doc('A').update({ v: 1 });
    await t2.collection(c).doc('B').update({ v: 2 });
    await t2.commit();
    await t1.commit();
    expect((await db.collection(c).orderBy('_id', 'asc').get()).data).toEqual([
      { _id: 'A', v: 1 },
      { _id: 'B', v: 2 },
    ]);
  });

  it('snapshot: an outside write after the tx started is invisible to it, and writing that doc conflicts', async () => {
    const c = await newCollection();
    await db.collection(c).add({ _id: 'X', v: 'old' });
    const t1 = await db.startTransaction();
    expect((await t1.collection(c).doc('X').get()).data.v).toBe('old');
    await db.collection(c).doc('X').update({ v: 'new' });
    await db.collection(c).add({ _id: 'Y', v: 'born later' });
    expect((await t1.collection(c).doc('X').get()).data.v).toBe('old');
    expect((await t1.collection(c).doc('Y').get()).data).toBeNull();
    const listed = await t1.collection(c).where({}).get();
    expect(listed.data).toEqual([{ _id: 'X', v: 'old' }]);
    await rejectsWithCode(t1.collection(c).doc('X').update({ v: 'tx' }), 'DATABASE_TRANSACTION_CONFLICT');
    expect(await outside(c, 'X')).toEqual({ _id: 'X', v: 'new' });
  });

  it('snapshot: a doc removed outside is still visible inside', async () => {
    const c = await newCollection();
    await db.collection(c).add([{ _id: 'X', v: 1 }, { _id: 'W', v: 0 }]);
    const t1 = await db.startTransaction();
    await t1.collection(c).doc('W').get(); // the first read takes the snapshot (MongoDB semantics)
    await db.collection(c).doc('X').remove();
    expect((await t1.collection(c).doc('X').get()).data).toEqual({ _id: 'X', v: 1 });
    await rejectsWithCode(t1.collection(c).doc('X').update({ v: 2 }), 'DATABASE_TRANSACTION_CONFLICT');
    expect(await outside(c, 'X')).toBeUndefined();
  });
});

describe('transaction lifetime (engine with an injected wall clock)', () => {
  it('a transaction older than 30 s is gone: DATABASE_TRANSACTION_FAIL, nothing written, locks released', () => {
    const store = new Store(null);
    store.createCollection('c');
    let wall = 1_700_000_000_000;
    const engine = new DatabaseEngine(store, () => wall, () => wall);
    try {
      const code = (fn: () => unknown) => {
        try {
          fn();
        } catch (e) {
          return (e as CloudError).code;
        }
        return 'ok';
      };
      const { transactionId } = engine.handle('database.startTransaction', {}) as { transactionId: string };
      engine.handle('database.insertDocument', { collectionName: 'c', data: ['{"_id":"x","v":{"$numberInt":"1"}}'], transactionId });
      wall += 29_000;
      expect(code(() => engine.handle('database.getDocument', { collectionName: 'c', queryType: 'DOC', query: '{"_id":"x"}', multi: false, transactionId }))).toBe('ok');
      wall += 2_000; // 31 s after start
      expect(code(() => engine.handle('database.getDocument', { collectionName: 'c', queryType: 'DOC', query: '{"_id":"x"}', multi: false, transactionId }))).toBe('DATABASE_TRANSACTION_FAIL');
      expect(code(() => engine.handle('database.commitTransaction', { transactionId }))).toBe('DATABASE_TRANSACTION_FAIL');
      const read = engine.handle('database.getDocument', { collectionName: 'c', queryType: 'DOC', query: '{"_id":"x"}', multi: false }) as { data: { list: string[] } };
      expect(read.data.list).toEqual([]);
      // the expired transaction's write lock is gone: another transaction may write the same _id
      const { transactionId: t2 } = engine.handle('database.startTransaction', {}) as { transactionId: string };
      engine.handle('database.insertDocument', { collectionName: 'c', data: ['{"_id":"x","v":{"$numberInt":"2"}}'], transactionId: t2 });
      engine.handle('database.commitTransaction', { transactionId: t2 });
      const after = engine.handle('database.getDocument', { collectionName: 'c', queryType: 'DOC', query: '{"_id":"x"}', multi: false }) as { data: { list: string[] } };
      expect(JSON.parse(after.data.list[0])).toEqual({ _id: 'x', v: 2 });
    } finally {
      engine.close();
      store.close();
    }
  });
});
