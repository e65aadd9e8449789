/**
 * The wallet as money moves through it, through the real SDK and the shop: spending cash and points at checkout
 * (capped, returned on cancel and refund), a reward clawed back after it was paid out becomes a debt — never a
 * negative balance — that the next reward pays first, points credited once per source key. Audited after each.
 */
import { creditPoints } from '../../cloudfunctions/app/wallet/ledgerApi';
import { settleRefundedOrder } from '../../cloudfunctions/app/referral/settlement';
import { withUserTx } from '../../cloudfunctions/app/wallet/tx';
import { creditAvailable } from '../../cloudfunctions/domain/ledger';
import { startTestCloud, TestCloud } from '../support/cloud';
import {
  advance,
  buy,
  call,
  DAY,
  expectAuditClean,
  invitees,
  inviter,
  MERCHANT,
  ok,
  onlyRule,
  orderDoc,
  productAt,
  receive,
  refund,
  rewardsOf,
  settle,
  uniq,
  wallet,
} from './referral-support';
import { ADDRESS } from './shop-support';

let t: TestCloud;
const ctx = () => ({ db: t.db as any, clock: { now: () => new Date(t.cloud.clock.now()) } });

beforeAll(async () => {
  t = await startTestCloud();
});
afterAll(() => t.close());
afterEach(async () => {
  await expectAuditClean(t);
});

async function funded(cashFen: number, points: number) {
  const A = await inviter(t, 'S');
  await withUserTx(ctx(), A.id, async (u) => {
    if (cashFen) u.post(`test:seed-cash:${A.id}`, creditAvailable(u.balances, 'cash', cashFen, 'reward_posted'));
    if (points) u.post(`test:seed-points:${A.id}`, creditAvailable(u.balances, 'points', points, 'points_credit'));
  });
  return A.id;
}

describe('spending the wallet at checkout', () => {
  it('pays part of an order with cash and points; cancelling gives them back', async () => {
    const A = await funded(2000, 500);
    const p = await productAt(t, 10000);
    const { order } = await ok(t, A, 'shop', 'createOrder', { requestId: uniq('req'), items: [{ productId: p, quantity: 1 }], address: ADDRESS, useCashFen: 1500, usePoints: 300 });
    expect(order).toMatchObject({ discounts: { walletCashFen: 1500, pointsFen: 300, pointsUsed: 300 }, payableFen: 8200 });
    expect((await wallet(t, A)).cash.availableFen).toBe(500);
    expect((await wallet(t, A)).points.available).toBe(200);
    const entries = await ok(t, A, 'wallet', 'entries');
    expect(entries.items.slice(0, 2).map((e: any) => e.title).sort()).toEqual(['下单余额抵扣', '下单积分抵扣']);
    await ok(t, A, 'shop', 'cancelOrder', { orderId: order.id });
    expect((await wallet(t, A)).cash.availableFen).toBe(2000);
    expect((await wallet(t, A)).points.available).toBe(500);
  });

  it('points pay at most the merchant’s share; at least 1 fen is left to pay', async () => {
    const A = await funded(50_000, 100_000);
    const p = await productAt(t, 10000);
    const { order } = await ok(t, A, 'shop', 'createOrder', { requestId: uniq('req'), items: [{ productId: p, quantity: 1 }], address: ADDRESS, usePoints: 9000 });
    expect(order.discounts).toMatchObject({ pointsFen: 5000, pointsUsed: 5000 });
    await ok(t, MERCHANT, 'merchant', 'saveReferralSettings', { pointsPerYuan: 1000, pointsMaxShareBp: 10_000 });
    const { order: o2 } = await ok(t, A, 'shop', 'createOrder', { requestId: uniq('req'), items: [{ productId: p, quantity: 1 }], address: ADDRESS, useCashFen: 50_000, usePoints: 1005 });
    // 1005 points at 1000 per ¥1 buy 100 fen (the odd 5 points buy nothing and are not taken); cash covers the rest but 1 fen.
    expect(o2.discounts).toMatchObject({ pointsFen: 100, pointsUsed: 1000, walletCashFen: 9899 });
    expect(o2.payableFen).toBe(1);
    await ok(t, MERCHANT, 'merchant', 'saveReferralSettings', { pointsPerYuan: 100, pointsMaxShareBp: 5000 });
  });

  it('asking for more than is available is refused and nothing is taken', async () => {
    const A = await funded(300, 10);
    const p = await productAt(t, 10000);
    expect(await call(t, A, 'shop', 'createOrder', { requestId: uniq('req'), items: [{ productId: p, quantity: 1 }], address: ADDRESS, useCashFen: 301 })).toMatchObject({ ok: false, code: 'INSUFFICIENT_BALANCE' });
    expect(await call(t, A, 'shop', 'createOrder', { requestId: uniq('req'), items: [{ productId: p, quantity: 1 }], address: ADDRESS, usePoints: 11 })).toMatchObject({ ok: false, code: 'INSUFFICIENT_POINTS' });
    expect((await wallet(t, A)).cash.availableFen).toBe(300);
    expect((await wallet(t, A)).points.available).toBe(10);
  });

  it('a refunded order gives its wallet spend back', async () => {
    const A = await funded(1000, 0);
    const o = await buy(t, A, 10000, { useCashFen: 1000 });
    expect((await wallet(t, A)).cash.availableFen).toBe(0);
    await refund(t, A, o);
    expect((await wallet(t, A)).cash.availableFen).toBe(1000);
  });
});

describe('debt: a reward taken back after it was paid out', () => {
  it('the merchant voids a posted reward (fraud): a debt, never a negative balance; the next reward pays it first', async () => {
    await onlyRule(t, { name: '每单返 10 元', reward: { form: 'cash', amountFen: 1000 }, trigger: { kind: 'eachOrder', minOrderFen: 0 } });
    const A = await inviter(t);
    const [B] = await invitees(t, A.code, 1);
    const o1 = await buy(t, B);
    await receive(t, B, o1);
    await advance(t, 7 * DAY + 60_000);
    await settle(t);
    expect((await wallet(t, A.id)).cash.availableFen).toBe(1000);
    // A spends it: withdrawn and paid.
    const w = await ok(t, A.id, 'wallet', 'withdraw', { amountFen: 1000, requestId: uniq('wreq') });
    await ok(t, MERCHANT, 'merchant', 'reviewWithdrawal', { withdrawalId: w.id, approve: true });
    await ok(t, A.id, 'wallet', 'confirmTransfer', { withdrawalId: w.id });
    const [r1] = await rewardsOf(t, A.id);
    const voided = await ok(t, MERCHANT, 'merchant', 'voidReward', { rewardId: r1._id, reason: '刷单' });
    expect(voided).toMatchObject({ status: 'voided', reason: '商家作废：刷单' });
    expect((await wallet(t, A.id)).cash).toEqual({ availableFen: 0, frozenFen: 0, withdrawingFen: 0, debtFen: 1000 });
    // Voiding again changes nothing.
    await ok(t, MERCHANT, 'merchant', 'voidReward', { rewardId: r1._id, reason: '刷单' });
    expect((await wallet(t, A.id)).cash.debtFen).toBe(1000);
    // The next rewards pay the debt first.
    const o2 = await buy(t, B);
    const o3 = await buy(t, B);
    expect((await wallet(t, A.id)).cash).toEqual({ availableFen: 0, frozenFen: 2000, withdrawingFen: 0, debtFen: 1000 });
    await receive(t, B, o2);
    await receive(t, B, o3);
    await advance(t, 7 * DAY + 60_000);
    await settle(t);
    expect((await wallet(t, A.id)).cash).toEqual({ availableFen: 1000, frozenFen: 0, withdrawingFen: 0, debtFen: 0 });
    const titles = (await ok(t, A.id, 'wallet', 'entries', { pageSize: 50 })).items.map((e: any) => e.title);
    expect(titles).toEqual(expect.arrayContaining(['抵扣待追回奖励', '已到账奖励被追回，待后续奖励抵扣（商家作废：刷单）']));
  });

  it('a refund after the window (the reward already posted) takes it back from available: no debt beside spendable money', async () => {
    await onlyRule(t, { name: '每单返 5 元', reward: { form: 'cash', amountFen: 500 }, trigger: { kind: 'eachOrder', minOrderFen: 0 } });
    const A = await inviter(t);
    const [B] = await invitees(t, A.code, 1);
    const o = await buy(t, B);
    await receive(t, B, o);
    await advance(t, 7 * DAY + 60_000);
    await settle(t);
    expect((await wallet(t, A.id)).cash.availableFen).toBe(500);
    // The shop refuses refunds after the window; an after-sales refund still reaches the step: run it as the outbox would.
    const refunded = { ...(await orderDoc(t, o)), status: 'refunded', refundedAt: new Date(t.cloud.clock.now()) };
    await settleRefundedOrder(ctx(), refunded);
    await settleRefundedOrder(ctx(), refunded);
    expect((await wallet(t, A.id)).cash).toEqual({ availableFen: 0, frozenFen: 0, withdrawingFen: 0, debtFen: 0 });
    expect((await rewardsOf(t, A.id))[0]).toMatchObject({ status: 'voided' });
    const titles = (await ok(t, A.id, 'wallet', 'entries', { pageSize: 50 })).items.map((e: any) => e.title);
    expect(titles).toContain('已到账奖励被追回（好友订单已退款）');
    expect((await t.db.collection('referrals').doc(B).get()).data[0]).toMatchObject({ status: 'reversed' });
  });
});

describe('points credited by other modules', () => {
  it('creditPoints credits once per source key', async () => {
    const A = await inviter(t);
    await creditPoints(ctx(), { userId: A.id, points: 120, sourceKey: 'assist:fallback:task-1', reason: '助力未成功补偿' });
    await Promise.all([1, 2, 3].map(() => creditPoints(ctx(), { userId: A.id, points: 120, sourceKey: 'assist:fallback:task-1', reason: '助力未成功补偿' })));
    expect((await wallet(t, A.id)).points).toEqual({ available: 120, frozen: 0, debt: 0 });
    const entries = await ok(t, A.id, 'wallet', 'entries', { asset: 'points' });
    expect(entries.items.map((e: any) => [e.title, e.amount])).toEqual([['助力未成功补偿', 120]]);
  });
});
