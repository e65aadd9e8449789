/**
 * Withdrawals through the real SDK: limits (minimum, daily count, never more than available), a rejection returns
 * the money, a failed transfer returns it, a transfer not confirmed in 24 hours is cancelled and returns it, a paid
 * one leaves; the merchant lists them. The ledger audits clean after each.
 */
import { startTransfer } from '../../cloudfunctions/app/wallet/withdrawals';
import { withUserTx } from '../../cloudfunctions/app/wallet/tx';
import { PayoutError, type PayoutProvider } from '../../cloudfunctions/infra/payouts';
import { creditAvailable } from '../../cloudfunctions/domain/ledger';
import { startTestCloud, TestCloud } from '../support/cloud';
import { advance, call, DAY, expectAuditClean, inviter, MERCHANT, notificationsOf, ok, settle, uniq, wallet } from './referral-support';

let t: TestCloud;
const ctx = () => ({ db: t.db as any, clock: { now: () => new Date(t.cloud.clock.now()) } });

beforeAll(async () => {
  t = await startTestCloud();
});
afterAll(() => t.close());
afterEach(async () => {
  await expectAuditClean(t);
});

/** A shopper with this much available cash (a posted reward, as the ledger records one). */
async function richUser(fen: number) {
  const A = await inviter(t, 'W');
  await withUserTx(ctx(), A.id, async (u) => u.post(`test:seed:${A.id}`, creditAvailable(u.balances, 'cash', fen, 'reward_posted')));
  return A.id;
}

const withdraw = (who: string, amountFen: number) => call(t, who, 'wallet', 'withdraw', { amountFen, requestId: uniq('wreq') });

it('refuses below the minimum, above available, and past the daily count — writing nothing', async () => {
  const A = await richUser(1000);
  expect(await withdraw(A, 99)).toMatchObject({ ok: false, code: 'WITHDRAW_BELOW_MIN' });
  expect(await withdraw(A, 1001)).toMatchObject({ ok: false, code: 'INSUFFICIENT_BALANCE' });
  for (let i = 0; i < 3; i++) expect(await withdraw(A, 100)).toMatchObject({ ok: true });
  expect(await withdraw(A, 100)).toMatchObject({ ok: false, code: 'WITHDRAW_DAILY_LIMIT' });
  expect((await wallet(t, A)).withdraw).toMatchObject({ usedToday: 3, dailyCount: 3, minFen: 100, transferConfirmHours: 24 });
  expect((await wallet(t, A)).cash).toMatchObject({ availableFen: 700, withdrawingFen: 300 });
  // The next Shanghai day allows again.
  await advance(t, DAY);
  expect(await withdraw(A, 100)).toMatchObject({ ok: true });
  const mine = await ok(t, A, 'wallet', 'withdrawals');
  expect(mine.items).toHaveLength(4);
  expect(mine.items[0]).toMatchObject({ status: 'pending', statusText: '待审核' });
});

it('a user blocked after asking is paid nothing: approval is refused (USER_BLOCKED), rejection returns the money', async () => {
  const A = await richUser(5000);
  const w = (await withdraw(A, 3000)).data;
  await ok(t, MERCHANT, 'merchant', 'blockUser', { openid: A, blocked: true, reason: '刷单' });
  expect(await call(t, MERCHANT, 'merchant', 'reviewWithdrawal', { withdrawalId: w.id, approve: true })).toMatchObject({ ok: false, code: 'USER_BLOCKED' });
  expect((await t.db.collection('withdrawals').doc(w.id).get()).data[0]).toMatchObject({ status: 'pending', provider: null });
  expect(await ok(t, MERCHANT, 'merchant', 'reviewWithdrawal', { withdrawalId: w.id, approve: false, note: '账号受限' })).toMatchObject({ status: 'rejected' });
  expect((await wallet(t, A)).cash).toMatchObject({ availableFen: 5000, withdrawingFen: 0 });
});

it('a block that lands while a withdrawal is being asked for refuses it inside its wallet transaction', async () => {
  const A = await richUser(5000);
  // The moment in between: the request read the user unblocked, then the block wrote the wallet's mirror of the flag
  // (the user's own flag is left unset here, so only the check inside the transaction can refuse).
  await t.db.collection('wallets').doc(A).update({ blocked: true });
  expect(await withdraw(A, 1000)).toMatchObject({ ok: false, code: 'USER_BLOCKED' });
  expect((await t.db.collection('withdrawals').where({ userId: A }).count()).total).toBe(0);
  expect((await wallet(t, A)).cash).toMatchObject({ availableFen: 5000, withdrawingFen: 0 });
});

it('the merchant rejects: the money returns to available, with a notice', async () => {
  const A = await richUser(5000);
  const w = (await withdraw(A, 3000)).data;
  const rejected = await ok(t, MERCHANT, 'merchant', 'reviewWithdrawal', { withdrawalId: w.id, approve: false, note: '信息不符' });
  expect(rejected).toMatchObject({ status: 'rejected', reviewNote: '信息不符', userId: A });
  expect((await wallet(t, A)).cash).toMatchObject({ availableFen: 5000, withdrawingFen: 0 });
  expect((await notificationsOf(t, A)).find((n) => n.kind === 'withdrawal.rejected')?.body).toContain('信息不符');
  // Reviewing again changes nothing.
  expect(await call(t, MERCHANT, 'merchant', 'reviewWithdrawal', { withdrawalId: w.id, approve: true })).toMatchObject({ ok: false, code: 'WITHDRAWAL_STATE_CHANGED' });
  expect(await ok(t, MERCHANT, 'merchant', 'reviewWithdrawal', { withdrawalId: w.id, approve: false })).toMatchObject({ status: 'rejected' });
  expect((await wallet(t, A)).cash).toMatchObject({ availableFen: 5000, withdrawingFen: 0 });
});

it('a failed transfer returns the money', async () => {
  const A = await richUser(5000);
  const w = (await withdraw(A, 2000)).data;
  await ok(t, MERCHANT, 'merchant', 'reviewWithdrawal', { withdrawalId: w.id, approve: true });
  const failed = await fetch(`${t.cloud.url}/__payout/bills/${w.id}/fail`, { method: 'POST', body: JSON.stringify({ reason: 'ACCOUNT_FROZEN' }) });
  expect(failed.status).toBe(200);
  const after = await ok(t, A, 'wallet', 'confirmTransfer', { withdrawalId: w.id });
  expect(after).toMatchObject({ status: 'failed', failReason: 'ACCOUNT_FROZEN' });
  expect((await wallet(t, A)).cash).toMatchObject({ availableFen: 5000, withdrawingFen: 0 });
});

it('withdrawals stay under ¥2,000 (WeChat wants the payee’s real name from there), settings stored before the ceiling too', async () => {
  expect(await call(t, MERCHANT, 'merchant', 'saveReferralSettings', { withdrawMaxFen: 500_000 })).toMatchObject({ ok: false, code: 'INVALID_ARGUMENT' });
  const stored = (await t.db.collection('settings').doc('referral').get()).data[0];
  const { _id: _drop, ...rest } = stored ?? {};
  await t.db.collection('settings').doc('referral').set({ ...(stored ? rest : {}), withdrawMinFen: 100, withdrawMaxFen: 500_000, withdrawDailyCount: 3, updatedAt: new Date() });
  try {
    const A = await richUser(300_000);
    expect(await withdraw(A, 250_000)).toMatchObject({ ok: false, code: 'WITHDRAW_ABOVE_MAX' });
    expect((await wallet(t, A)).cash).toMatchObject({ availableFen: 300_000, withdrawingFen: 0 });
    expect((await wallet(t, A)).withdraw.maxFen).toBe(199_999);
    expect(await withdraw(A, 199_999)).toMatchObject({ ok: true });
  } finally {
    if (stored) await t.db.collection('settings').doc('referral').set(rest);
    else await t.db.collection('settings').doc('referral').remove();
  }
});

describe('what WeChat answers when the transfer is started (its answers played by a provider double; the database and the SDK are real)', () => {
  /** An approved withdrawal of 2000 whose transfer has not started (as after an approval whose start was lost). */
  async function approvedWithdrawal() {
    const A = await richUser(5000);
    const w = (await withdraw(A, 2000)).data;
    await t.db.collection('withdrawals').doc(w.id).update({ status: 'approved', reviewedBy: MERCHANT });
    return { A, w: (await t.db.collection('withdrawals').doc(w.id).get()).data[0] };
  }
  const provider = (over: Partial<PayoutProvider>): PayoutProvider => ({
    name: 'wechat',
    mchId: '1900000001',
    appId: 'wx-test',
    query: async () => null,
    create: async () => {
      throw new Error('unexpected create');
    },
    cancel: async () => undefined,
    afterUserConfirm: async () => undefined,
    ...over,
  });

  it('refused as asked (no bill, PARAM_ERROR): failed at once, the money back, a Chinese reason; nothing left to retry', async () => {
    const { A, w } = await approvedWithdrawal();
    const refusing = provider({ create: async () => Promise.reject(new PayoutError(400, 'PARAM_ERROR', '转账金额 >= 2,000元时，收款用户姓名必填')) });
    const after = await startTransfer(ctx() as any, w, refusing);
    expect(after).toMatchObject({ status: 'failed', failReason: '微信未受理本次转账，金额已退回钱包' });
    expect((await wallet(t, A)).cash).toMatchObject({ availableFen: 5000, withdrawingFen: 0 });
  });

  it('WeChat’s own trouble, or the shop’s keys (SYSTEM_ERROR, NO_AUTH): kept approved for the timer, moved to the back of its line', async () => {
    for (const [status, code] of [[500, 'SYSTEM_ERROR'], [403, 'NO_AUTH'], [403, 'NOT_ENOUGH']] as const) {
      const { A, w } = await approvedWithdrawal();
      const failing = provider({ create: async () => Promise.reject(new PayoutError(status, code, '稍后再试')) });
      await t.dev('clock', { advanceMs: 1000 });
      expect(await startTransfer(ctx() as any, w, failing)).toMatchObject({ status: 'approved' });
      const stored = (await t.db.collection('withdrawals').doc(w._id).get()).data[0];
      expect(stored.status).toBe('approved');
      expect(stored.updatedAt.getTime()).toBeGreaterThan(w.updatedAt.getTime());
      expect((await wallet(t, A)).cash).toMatchObject({ availableFen: 3000, withdrawingFen: 2000 });
    }
  });

  it('a bill WeChat already has, then a refusal on the second create: not failed (the bill is live)', async () => {
    const { w } = await approvedWithdrawal();
    const waiting = { outBillNo: w._id, transferBillNo: 'TB1', state: 'WAIT_USER_CONFIRM', packageInfo: null, failReason: null } as never;
    const odd = provider({ query: async () => waiting, create: async () => Promise.reject(new PayoutError(400, 'PARAM_ERROR', '?')) });
    expect(await startTransfer(ctx() as any, w, odd)).toMatchObject({ status: 'approved' });
  });
});

it('a transfer not confirmed within 24 hours is cancelled by the timer and the money returns', async () => {
  const A = await richUser(5000);
  const w = (await withdraw(A, 2500)).data;
  const approved = await ok(t, MERCHANT, 'merchant', 'reviewWithdrawal', { withdrawalId: w.id, approve: true });
  expect(approved.transfer.expiresAt).toBeDefined();
  // The shopper's app gets what wx.requestMerchantTransfer needs: the merchant id and appid the bill was made with.
  const waiting = (await ok(t, A, 'wallet', 'withdrawals')).items.find((x: any) => x.id === w.id);
  expect(waiting.transfer).toMatchObject({ provider: 'local', mchId: 'local-mch', appId: 'wx-local-app', packageInfo: expect.any(String) });
  await settle(t);
  expect((await wallet(t, A)).cash).toMatchObject({ withdrawingFen: 2500 });
  await advance(t, DAY + 60_000);
  await settle(t);
  const mine = await ok(t, A, 'wallet', 'withdrawals');
  expect(mine.items.find((x: any) => x.id === w.id)).toMatchObject({ status: 'expired', statusText: '超时未确认，已退回' });
  expect((await wallet(t, A)).cash).toMatchObject({ availableFen: 5000, withdrawingFen: 0 });
  const bill = await fetch(`${t.cloud.url}/__payout/v3/fund-app/mch-transfer/transfer-bills/out-bill-no/${w.id}`).then((r) => r.json());
  expect(bill.state).toBe('CANCELLED');
  // Confirming afterwards changes nothing.
  expect(await ok(t, A, 'wallet', 'confirmTransfer', { withdrawalId: w.id })).toMatchObject({ status: 'expired' });
});

it('a merchant who gives 2 hours to 确认收款: the transfer expires after 2 hours, and the notice names that deadline', async () => {
  await ok(t, MERCHANT, 'merchant', 'saveReferralSettings', { transferConfirmHours: 2 });
  try {
    const A = await richUser(5000);
    expect((await wallet(t, A)).withdraw.transferConfirmHours).toBe(2); // what the 提现 page tells the shopper
    const w = (await withdraw(A, 1200)).data;
    const approved = await ok(t, MERCHANT, 'merchant', 'reviewWithdrawal', { withdrawalId: w.id, approve: true });
    const deadline = new Date(approved.transfer.expiresAt);
    await advance(t, 2 * 3600_000 + 60_000);
    await settle(t);
    expect((await ok(t, A, 'wallet', 'withdrawals')).items.find((x: any) => x.id === w.id)).toMatchObject({ status: 'expired' });
    const notice = (await notificationsOf(t, A)).find((n) => n.kind === 'withdrawal.returned');
    const shanghai = new Date(deadline.getTime() + 8 * 3600_000).toISOString().slice(0, 16).replace('T', ' ');
    expect(notice?.body).toContain(`未在 ${shanghai} 前确认收款`);
    expect(notice?.body).not.toContain('24 小时');
  } finally {
    await ok(t, MERCHANT, 'merchant', 'saveReferralSettings', { transferConfirmHours: 24 });
  }
});

it('a user who confirmed in WeChat but never came back is paid when the timer checks', async () => {
  const A = await richUser(5000);
  const w = (await withdraw(A, 1200)).data;
  await ok(t, MERCHANT, 'merchant', 'reviewWithdrawal', { withdrawalId: w.id, approve: true });
  await fetch(`${t.cloud.url}/__payout/bills/${w.id}/confirm`, { method: 'POST', body: '{}' });
  await advance(t, DAY + 60_000);
  await settle(t);
  expect((await ok(t, A, 'wallet', 'withdrawals')).items.find((x: any) => x.id === w.id)).toMatchObject({ status: 'paid' });
  expect((await wallet(t, A)).cash).toMatchObject({ availableFen: 3800, withdrawingFen: 0 });
});

it('the merchant sees who asks for what', async () => {
  const A = await richUser(800);
  await ok(t, A, 'user', 'profile', { nickname: '小钱' });
  const w = (await withdraw(A, 800)).data;
  const list = await ok(t, MERCHANT, 'merchant', 'listWithdrawals', { status: 'pending', pageSize: 100 });
  expect(list.items.find((x: any) => x.id === w.id)).toMatchObject({ userId: A, nickname: '小钱', amountFen: 800, status: 'pending' });
});
