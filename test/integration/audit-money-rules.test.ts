/**
 * The audit checks the money rules, not only the sums (DESIGN rules 4, 10, 11): each invariant corrupted on purpose
 * — debt beside available money, a withdrawal requested beyond what was spendable, one approved while the wallet
 * owed, a refunded order whose reward was never taken back, a cycle of inviters, a chain too long — is reported by
 * name, and `npm run audit` exits 1 on it; put right, the audit is clean again.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { auditLedger, bindingProblems } from '../../cloudfunctions/app/referral/audit';
import { MAX_CHAIN_DEPTH } from '../../cloudfunctions/domain/referralBinding';
import { optOutOfLedgerAudit } from '../support/audit-after';
import { startTestCloud, TestCloud } from '../support/cloud';
import { advance, buy, DAY, invitees, inviter, MERCHANT, ok, onlyRule, receive, rewardsOf, settle, uniq } from './referral-support';

const ROOT = path.resolve(__dirname, '../..');
let t: TestCloud;
optOutOfLedgerAudit('this file corrupts the money rules on purpose to see the audit report them');

beforeAll(async () => {
  t = await startTestCloud();
  await onlyRule(t, { name: '邀一返五十', reward: { form: 'cash', amountFen: 5000 }, trigger: { kind: 'everyN', n: 1, minOrderFen: 0 } });
});
afterAll(() => t.close());

const kindsFor = async (userId: string) => (await auditLedger(t.db as any)).problems.filter((p) => p.userId === userId).map((p) => p.kind);

/** `npm run audit` against this test cloud: its exit code and output. */
async function runAuditCli(): Promise<{ code: number; out: string }> {
  const url = t.cloud.adminUrl;
  return promisify(execFile)('npm', ['run', '--silent', 'audit', '--', '--url', url], { cwd: ROOT, env: { ...process.env } }).then(
    (r) => ({ code: 0, out: r.stdout }),
    (e: { code: number; stdout: string }) => ({ code: e.code, out: e.stdout }),
  );
}

async function postedReward() {
  const A = await inviter(t);
  const [B] = await invitees(t, A.code, 1);
  const orderId = await buy(t, B);
  await receive(t, B, orderId);
  await advance(t, 8 * DAY);
  await settle(t);
  return { A, B, orderId };
}

it('starts clean', async () => {
  await postedReward();
  expect((await auditLedger(t.db as any)).ok).toBe(true);
  expect((await runAuditCli()).code).toBe(0);
});

it('debt beside available money', async () => {
  const { A } = await postedReward();
  // As the old clawback did: debt booked while the money sat in available (entries and wallet kept consistent).
  const now = new Date(t.cloud.clock.now());
  const key = `reward:fake-${A.id}:clawback|cash|debt`;
  await t.db.collection('ledger').add({ _id: key, sourceKey: key, op: `reward:fake-${A.id}:clawback`, userId: A.id, asset: 'cash', bucket: 'debt', amount: 5000, reason: 'reward_clawback', rewardId: null, orderId: null, withdrawalId: null, valueFen: null, note: null, createdAt: now });
  await t.db.collection('wallets').doc(A.id).update({ 'cash.debt': 5000 });
  expect(await kindsFor(A.id)).toEqual(['debt_beside_available']);
  const cli = await runAuditCli();
  expect(cli.code).toBe(1);
  expect(cli.out).toContain('debt_beside_available');
  await t.db.collection('ledger').doc(key).remove();
  await t.db.collection('wallets').doc(A.id).update({ 'cash.debt': 0 });
  expect(await kindsFor(A.id)).toEqual([]);
});

it('a withdrawal requested beyond what was spendable, and one approved while the wallet owed', async () => {
  const { A } = await postedReward();
  const w = await ok(t, A.id, 'wallet', 'withdraw', { amountFen: 5000, requestId: uniq('wd') });
  await t.db.collection('withdrawals').doc(w.id).update({ walletAtRequest: t.db.command.set({ availableFen: 5000, debtFen: 3000 }) });
  expect(await kindsFor(A.id)).toEqual(['withdrawal_beyond_spendable']);
  await t.db.collection('withdrawals').doc(w.id).update({ walletAtRequest: t.db.command.set({ availableFen: 5000, debtFen: 0 }) });
  await ok(t, MERCHANT, 'merchant', 'reviewWithdrawal', { withdrawalId: w.id, approve: true });
  expect(await kindsFor(A.id)).toEqual([]);
  await t.db.collection('withdrawals').doc(w.id).update({ walletAtApproval: t.db.command.set({ availableFen: 0, debtFen: 5000 }) });
  expect(await kindsFor(A.id)).toEqual(['withdrawal_approved_in_debt']);
  expect((await runAuditCli()).code).toBe(1);
  await t.db.collection('withdrawals').doc(w.id).update({ walletAtApproval: t.db.command.set({ availableFen: 0, debtFen: 0 }) });
  expect(await kindsFor(A.id)).toEqual([]);
});

it('a refunded order whose reward was never taken back', async () => {
  const A = await inviter(t);
  const [B] = await invitees(t, A.code, 1);
  const orderId = await buy(t, B);
  const [reward] = await rewardsOf(t, A.id);
  // The order marked refunded behind the rebate engine's back: the reward still counts it.
  await t.db.collection('orders').doc(orderId).update({ status: 'refunded', refundedAt: new Date(t.cloud.clock.now()) });
  const report = await auditLedger(t.db as any);
  expect(report.problems.find((p) => p.kind === 'refund_not_reversed')?.detail).toContain(reward._id);
  expect((await runAuditCli()).code).toBe(1);
  await t.db.collection('orders').doc(orderId).update({ status: 'paid', refundedAt: null });
  expect(await kindsFor(A.id)).toEqual([]);
});

it('a cycle of inviters and a chain too long', async () => {
  const a = uniq('CY');
  const b = uniq('CY');
  await t.db.collection('users').add([
    { _id: a, inviterId: b, nickname: 'a', roles: ['shopper'] },
    { _id: b, inviterId: a, nickname: 'b', roles: ['shopper'] },
  ]);
  const report = await auditLedger(t.db as any);
  expect(report.problems.filter((p) => p.kind === 'binding_cycle')).toHaveLength(1);
  expect((await runAuditCli()).code).toBe(1);
  await t.db.collection('users').doc(a).update({ inviterId: null });
  expect((await auditLedger(t.db as any)).ok).toBe(true);

  // The pure check: a chain one longer than allowed is named, one at the limit is not.
  const chain = (n: number) => new Map(Array.from({ length: n }, (_, i) => [`u${i}`, `u${i + 1}`]));
  expect(bindingProblems(chain(MAX_CHAIN_DEPTH))).toEqual([]);
  expect(bindingProblems(chain(MAX_CHAIN_DEPTH + 1)).map((p) => `${p.kind}:${p.userId}`)).toEqual(['binding_chain_too_long:u0']);
  expect(bindingProblems(new Map([['x', 'y'], ['y', 'z'], ['z', 'x'], ['w', 'x']])).map((p) => p.kind)).toEqual(['binding_cycle']);
});
