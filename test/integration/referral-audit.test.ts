/**
 * The ledger audit finds what it must: a wallet corrupted on purpose and an entry duplicated on purpose are both
 * reported (and an unbalanced move, a negative bucket, withdrawals out of step); `npm run audit` does the same
 * against a running local cloud through the real SDK, and exits 1.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { auditLedger } from '../../cloudfunctions/app/referral/audit';
import { LOCAL_KEYS } from '../../config/localKeys';
import { optOutOfLedgerAudit } from '../support/audit-after';
import { startTestCloud, TestCloud } from '../support/cloud';
import { sdk } from '../bench/localCloud';
import { spawnCloud } from '../support/spawn-cloud';
import { buy, invitees, inviter, onlyRule, seedMaturedRewards } from './referral-support';

const ROOT = path.resolve(__dirname, '../..');
let t: TestCloud;
optOutOfLedgerAudit('this file corrupts wallets and entries on purpose to see the audit report them');

beforeAll(async () => {
  t = await startTestCloud();
});
afterAll(() => t.close());

it('reports a corrupted wallet and a duplicated entry, each by name', async () => {
  await onlyRule(t, { name: '每单返', reward: { form: 'cash', amountFen: 700 }, trigger: { kind: 'eachOrder', minOrderFen: 0 } });
  const A = await inviter(t);
  const [B] = await invitees(t, A.code, 1);
  await buy(t, B);
  expect((await auditLedger(t.db as any)).ok).toBe(true);

  // Corrupt a wallet: available raised without an entry.
  const C = await inviter(t, 'C');
  const [D] = await invitees(t, C.code, 1);
  await buy(t, D);
  await t.db.collection('wallets').doc(C.id).update({ 'cash.available': 99_999 });
  // Duplicate an entry: the same credit copied under another id.
  const original = (await t.db.collection('ledger').where({ userId: A.id }).get()).data[0];
  const { _id, ...copy } = original;
  await t.db.collection('ledger').add({ ...copy, _id: `${_id}#copy`, sourceKey: `${_id}#copy` });

  const report = await auditLedger(t.db as any);
  expect(report.ok).toBe(false);
  const kinds = report.problems.map((p) => `${p.kind}:${p.userId}`);
  expect(kinds).toEqual(expect.arrayContaining([`wallet_mismatch:${C.id}`, `duplicate_entry:${A.id}`, `bad_key:${A.id}`, `wallet_mismatch:${A.id}`]));
  expect(report.problems.find((p) => p.kind === 'wallet_mismatch' && p.userId === C.id)?.detail).toBe('cash.available: wallet 99999, ledger 0');
  expect(report.problems.find((p) => p.kind === 'duplicate_entry')?.detail).toContain('2 entries for');
  expect(report.problems.find((p) => p.kind === 'wallet_mismatch' && p.userId === A.id)?.detail).toBe('cash.frozen: wallet 700, ledger 1400');

  // Put them right again: clean.
  await t.db.collection('ledger').doc(`${_id}#copy`).remove();
  await t.db.collection('wallets').doc(C.id).update({ 'cash.available': 0 });
  expect((await auditLedger(t.db as any)).ok).toBe(true);
});

it('reports an unbalanced move, a negative bucket and withdrawals out of step', async () => {
  const E = await inviter(t, 'E');
  const now = new Date();
  const leg = (bucket: string, amount: number, op = `reward:fake-${E.id}:post`) => ({ _id: `${op}|cash|${bucket}`, sourceKey: `${op}|cash|${bucket}`, op, userId: E.id, asset: 'cash', bucket, amount, reason: 'reward_posted', rewardId: null, orderId: null, withdrawalId: null, valueFen: null, note: null, createdAt: now });
  await t.db.collection('ledger').add([leg('frozen', -100), leg('available', 300)]);
  await t.db.collection('wallets').doc(E.id).set({ cash: { available: 300, frozen: -100, withdrawing: 0, debt: 0 }, points: { available: 0, frozen: 0, withdrawing: 0, debt: 0 }, progress: {}, caps: {}, withdrawDay: { day: '', count: 0 }, version: 1, createdAt: now, updatedAt: now });
  await t.db.collection('withdrawals').add({ _id: `Wfake${E.id}`.replace(/[^A-Za-z0-9]/g, '').slice(0, 32), userId: E.id, requestId: 'r', amountFen: 50, status: 'pending' });
  const report = await auditLedger(t.db as any);
  const mine = report.problems.filter((p) => p.userId === E.id).map((p) => p.kind);
  expect(mine).toEqual(expect.arrayContaining(['unbalanced_op', 'negative_balance', 'withdrawals_mismatch']));
});

it('`npm run audit` checks a running local cloud through the SDK and exits 1 on a problem', async () => {
  const cloud = await spawnCloud({ keys: LOCAL_KEYS, args: ['--no-seed'] });
  try {
    const db = sdk(cloud.adminUrl).database();
    await seedMaturedRewards(db, { prefix: 'cli', users: 30, perUser: 2, amountFen: 100, maturedAt: new Date() });
    const run = async () =>
      promisify(execFile)(path.join(ROOT, 'node_modules/.bin/tsx'), ['scripts/audit.ts', '--url', cloud.adminUrl], { cwd: ROOT, env: { ...process.env } }).then(
        (r) => ({ code: 0, out: r.stdout }),
        (e: { code: number; stdout: string }) => ({ code: e.code, out: e.stdout }),
      );
    const clean = await run();
    expect(clean.code).toBe(0);
    expect(clean.out).toContain('60 entries, 30 wallets');
    await db.collection('wallets').doc('cli-u7').update({ 'cash.frozen': 1 });
    const dirty = await run();
    expect(dirty.code).toBe(1);
    expect(dirty.out).toContain('wallet_mismatch [cli-u7]: cash.frozen: wallet 1, ledger 200');
  } finally {
    await cloud.kill9();
  }
});
