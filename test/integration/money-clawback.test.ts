/**
 * Money that was taken back can never leave (DESIGN rule 10), tried as an attacker would, through the gateway:
 * - a refund request opened inside the window holds the reward past the window until the merchant decides;
 * - a reward clawed back after it was posted is taken from available first (no "available 5000, debt 5000");
 * - a withdrawal waiting while its reward is clawed back cannot be approved; rejecting it settles the debt;
 * - a void and a withdrawal of the same money at the same moment never let the money out with a debt left;
 * - checkout spending is refused beyond what is spendable.
 * The ledger audit (with its money-out checks) is clean after each.
 */
import { startTestCloud, TestCloud } from '../support/cloud';
import { ADDRESS } from './shop-support';
import { advance, buy, call, DAY, expectAuditClean, invitees, inviter, MERCHANT, ok, onlyRule, productAt, receive, rewardsOf, settle, uniq, wallet } from './referral-support';

let t: TestCloud;

beforeAll(async () => {
  t = await startTestCloud();
  await onlyRule(t, { name: '邀一返五十', reward: { form: 'cash', amountFen: 5000 }, trigger: { kind: 'everyN', n: 1, minOrderFen: 0 } });
});
afterAll(() => t.close());
afterEach(async () => {
  await expectAuditClean(t);
});

/** A inviter whose invitee bought and received: a ¥50 reward frozen until the 7-day refund window passes. */
async function frozenReward() {
  const A = await inviter(t);
  const [B] = await invitees(t, A.code, 1);
  const orderId = await buy(t, B);
  await receive(t, B, orderId);
  const [reward] = await rewardsOf(t, A.id);
  expect(reward).toMatchObject({ status: 'frozen', amount: 5000 });
  return { A, B, orderId, reward };
}

/** The same, with the window passed and the reward posted: ¥50 available. */
async function postedReward() {
  const r = await frozenReward();
  await advance(t, 8 * DAY);
  await settle(t);
  expect((await wallet(t, r.A.id)).cash).toMatchObject({ availableFen: 5000, debtFen: 0 });
  return r;
}

const withdraw = (userId: string, amountFen: number) => call(t, userId, 'wallet', 'withdraw', { amountFen, requestId: uniq('wd') });

describe('a refund request holds the reward until the merchant decides', () => {
  it('asked on day 6, the window closes on day 7: on day 8 the reward is still frozen, and nothing can be withdrawn', async () => {
    const { A, B, orderId, reward } = await frozenReward();
    await advance(t, 6 * DAY);
    await ok(t, B, 'shop', 'requestRefund', { orderId, reason: '质量问题' });
    await advance(t, 2 * DAY);
    await settle(t);
    expect((await rewardsOf(t, A.id)).find((r) => r._id === reward._id).status).toBe('frozen');
    expect((await wallet(t, A.id)).cash).toMatchObject({ availableFen: 0, frozenFen: 5000 });
    expect(await withdraw(A.id, 5000)).toMatchObject({ ok: false, code: 'INSUFFICIENT_BALANCE' });

    // The merchant sees the open refund beside the inviter's wallet … and approves it: the reward is voided.
    await ok(t, MERCHANT, 'merchant', 'reviewRefund', { orderId, approve: true });
    await settle(t);
    expect((await rewardsOf(t, A.id)).find((r) => r._id === reward._id).status).toBe('voided');
    expect((await wallet(t, A.id)).cash).toMatchObject({ availableFen: 0, frozenFen: 0, debtFen: 0 });
    expect(await withdraw(A.id, 5000)).toMatchObject({ ok: false, code: 'INSUFFICIENT_BALANCE' });
  });

  it('a rejected request releases the hold: the next settle run posts the reward', async () => {
    const { A, B, orderId } = await frozenReward();
    await advance(t, 6 * DAY);
    await ok(t, B, 'shop', 'requestRefund', { orderId, reason: '不想要了' });
    await advance(t, 2 * DAY);
    await settle(t);
    expect((await wallet(t, A.id)).cash.availableFen).toBe(0);
    await ok(t, MERCHANT, 'merchant', 'reviewRefund', { orderId, approve: false, note: '已超过售后范围' });
    await settle(t);
    expect((await wallet(t, A.id)).cash).toMatchObject({ availableFen: 5000, frozenFen: 0 });
    const wallets = await t.db.collection('wallets').doc(A.id).get();
    expect(Object.keys(wallets.data[0].refundHolds ?? {})).toEqual([]);
  });

  it('a hold no request stands behind (a crash between the hold and the request) is dropped after the grace time', async () => {
    const { A, orderId } = await frozenReward();
    // As if the refund request had crashed after placing the hold: the hold exists, the request does not.
    await t.db.collection('wallets').doc(A.id).update({ [`refundHolds.${orderId}`]: new Date(t.cloud.clock.now()) });
    await advance(t, 8 * DAY);
    await settle(t);
    expect((await wallet(t, A.id)).cash).toMatchObject({ availableFen: 5000, frozenFen: 0 });
  });
});

describe('a clawback takes from available first', () => {
  it('the merchant voids a posted reward: available 5000 → 0 with no debt, and the ¥50 cannot be withdrawn', async () => {
    const { A, reward } = await postedReward();
    await ok(t, MERCHANT, 'merchant', 'voidReward', { rewardId: reward._id, reason: '刷单' });
    expect((await wallet(t, A.id)).cash).toMatchObject({ availableFen: 0, debtFen: 0 });
    expect(await withdraw(A.id, 5000)).toMatchObject({ ok: false, code: 'INSUFFICIENT_BALANCE' });
  });

  it('withdrawn first, then voided: the approval is refused while the wallet owes; rejecting it pays the debt', async () => {
    const { A, reward } = await postedReward();
    const w = await withdraw(A.id, 5000);
    expect(w.ok).toBe(true);
    await ok(t, MERCHANT, 'merchant', 'voidReward', { rewardId: reward._id, reason: '刷单' });
    expect((await wallet(t, A.id)).cash).toMatchObject({ availableFen: 0, withdrawingFen: 5000, debtFen: 5000 });

    const listed = await ok(t, MERCHANT, 'merchant', 'listWithdrawals', { status: 'pending' });
    expect(listed.items.find((x: { id: string }) => x.id === w.data.id)).toMatchObject({ debtFen: 5000, openRefunds: 0 });
    expect(await call(t, MERCHANT, 'merchant', 'reviewWithdrawal', { withdrawalId: w.data.id, approve: true })).toMatchObject({ ok: false, code: 'WITHDRAW_DEBT_OUTSTANDING' });
    expect((await t.db.collection('withdrawals').doc(w.data.id).get()).data[0].status).toBe('pending');

    await ok(t, MERCHANT, 'merchant', 'reviewWithdrawal', { withdrawalId: w.data.id, approve: false, note: '奖励已追回' });
    expect((await wallet(t, A.id)).cash).toMatchObject({ availableFen: 0, withdrawingFen: 0, debtFen: 0 });
  });

  it('the merchant sees an open refund of an invitee beside the withdrawal', async () => {
    const { A, reward } = await postedReward();
    // A second invitee buys and asks for a refund: that order holds the inviter's next reward.
    const [C] = await invitees(t, A.code, 1, 'C');
    const orderC = await buy(t, C);
    await ok(t, C, 'shop', 'requestRefund', { orderId: orderC, reason: '拍错了' });
    const w = await withdraw(A.id, 5000);
    const listed = await ok(t, MERCHANT, 'merchant', 'listWithdrawals', { status: 'pending' });
    expect(listed.items.find((x: { id: string }) => x.id === w.data.id)).toMatchObject({ debtFen: 0, openRefunds: 1, userId: A.id });
    expect(reward.status).toBe('frozen');
    await ok(t, MERCHANT, 'merchant', 'reviewRefund', { orderId: orderC, approve: true });
    await ok(t, MERCHANT, 'merchant', 'reviewWithdrawal', { withdrawalId: w.data.id, approve: false });
  });

  it('a void and a withdrawal of the same ¥50 at the same moment, 8 times: the money never leaves with a debt left', async () => {
    for (let round = 0; round < 8; round++) {
      const { A, reward } = await postedReward();
      const [voided, w] = await Promise.all([call(t, MERCHANT, 'merchant', 'voidReward', { rewardId: reward._id, reason: '刷单' }), withdraw(A.id, 5000)]);
      expect(voided.ok).toBe(true);
      const cash = (await wallet(t, A.id)).cash;
      expect(cash.availableFen > 0 && cash.debtFen > 0).toBe(false);
      if (w.ok) {
        // The withdrawal went first: the void booked a debt, so the money may not leave.
        expect(cash).toMatchObject({ withdrawingFen: 5000, debtFen: 5000 });
        expect(await call(t, MERCHANT, 'merchant', 'reviewWithdrawal', { withdrawalId: w.data.id, approve: true })).toMatchObject({ ok: false, code: 'WITHDRAW_DEBT_OUTSTANDING' });
        await ok(t, MERCHANT, 'merchant', 'reviewWithdrawal', { withdrawalId: w.data.id, approve: false });
      } else {
        expect(w.code).toBe('INSUFFICIENT_BALANCE');
        expect(cash).toMatchObject({ availableFen: 0, debtFen: 0, withdrawingFen: 0 });
      }
      expect((await wallet(t, A.id)).cash).toMatchObject({ availableFen: 0, withdrawingFen: 0, debtFen: 0 });
    }
  });

  it('an approval and a void at the same moment: if the money left, it left before the void and the debt waits', async () => {
    for (let round = 0; round < 5; round++) {
      const { A, reward } = await postedReward();
      const w = await withdraw(A.id, 5000);
      const [approved] = await Promise.all([
        call(t, MERCHANT, 'merchant', 'reviewWithdrawal', { withdrawalId: w.data.id, approve: true }),
        call(t, MERCHANT, 'merchant', 'voidReward', { rewardId: reward._id, reason: '刷单' }),
      ]);
      const doc = (await t.db.collection('withdrawals').doc(w.data.id).get()).data[0];
      if (approved.ok) expect(doc.walletAtApproval).toEqual({ availableFen: 0, debtFen: 0 });
      else {
        expect(approved.code).toBe('WITHDRAW_DEBT_OUTSTANDING');
        await ok(t, MERCHANT, 'merchant', 'reviewWithdrawal', { withdrawalId: w.data.id, approve: false });
      }
    }
  });

  it('checkout cannot spend clawed-back cash: the quote and the order refuse the wallet spend, nothing is written', async () => {
    const { A, reward } = await postedReward();
    await ok(t, MERCHANT, 'merchant', 'voidReward', { rewardId: reward._id, reason: '刷单' });
    const productId = await productAt(t, 10000);
    const before = (await t.db.collection('orders').where({ buyerId: A.id }).count()).total;
    const spent = await call(t, A.id, 'shop', 'createOrder', { requestId: uniq('req'), items: [{ productId, quantity: 1 }], address: ADDRESS, useCashFen: 100 });
    expect(spent).toMatchObject({ ok: false, code: 'INSUFFICIENT_BALANCE' });
    expect((await t.db.collection('orders').where({ buyerId: A.id }).count()).total).toBe(before);
  });

  it('a wallet left with debt beside available money (booked before this rule) is settled by the timer', async () => {
    const { A } = await postedReward();
    // The old clawback: a debt leg while the ¥50 stayed available (entries and wallet consistent).
    const now = new Date(t.cloud.clock.now());
    const op = `reward:legacy-${A.id}:clawback`;
    await t.db.collection('ledger').add({ _id: `${op}|cash|debt`, sourceKey: `${op}|cash|debt`, op, userId: A.id, asset: 'cash', bucket: 'debt', amount: 3000, reason: 'reward_clawback', rewardId: null, orderId: null, withdrawalId: null, valueFen: null, note: null, createdAt: now });
    await t.db.collection('wallets').doc(A.id).update({ 'cash.debt': 3000 });
    expect(await withdraw(A.id, 5000)).toMatchObject({ ok: false, code: 'INSUFFICIENT_BALANCE' });
    await settle(t);
    expect((await wallet(t, A.id)).cash).toMatchObject({ availableFen: 2000, debtFen: 0 });
    await settle(t);
    expect((await wallet(t, A.id)).cash).toMatchObject({ availableFen: 2000, debtFen: 0 });
  });
});

it('a reward voided between its posting and the posting run’s status update counts on the dashboard as clawed back, not voided', async () => {
  const { reward } = await postedReward();
  // The posting committed (ledger and counters); its status update, made after the commit, has not landed yet.
  await t.db.collection('rewards').doc(reward._id).update({ status: 'frozen', postedAt: null });
  const balances = async () => (await ok(t, MERCHANT, 'merchant', 'stats', { range: '30d' })).rebateBalances;
  const before = await balances();
  await ok(t, MERCHANT, 'merchant', 'voidReward', { rewardId: reward._id, reason: '刷单' });
  const after = await balances();
  // The ¥50 was posted: taking it back leaves available, and nothing that was frozen changes.
  expect(after.frozen.cashFen - before.frozen.cashFen).toBe(0);
  expect(after.available.cashFen - before.available.cashFen).toBe(-5000);
  expect((await t.db.collection('rewards').doc(reward._id).get()).data[0]).toMatchObject({ status: 'voided', postedAt: expect.any(Date) });
});
