/**
 * Reward forms and triggers through the real SDK and the shop: a coupon reward (held, voided on refund, issued
 * again, activated at maturity), a points reward, the per-order ratio trigger with a minimum and a product list,
 * priority without stacking, and caps per inviter per day and in total. The ledger audits clean after each.
 */
import { startTestCloud, TestCloud } from '../support/cloud';
import { ADDRESS } from './shop-support';
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
  productAt,
  progress,
  receive,
  refund,
  rewardsOf,
  settle,
  wallet,
} from './referral-support';

let t: TestCloud;

beforeAll(async () => {
  t = await startTestCloud();
});
afterAll(() => t.close());
afterEach(async () => {
  await expectAuditClean(t);
});

async function couponsOf(owner: string) {
  const res = await t.db.collection('coupons').where({ ownerId: owner }).limit(100).get();
  return res.data as any[];
}

it('a coupon reward is held while frozen, voided on a refund, issued again, and usable after the window', async () => {
  await onlyRule(t, { name: '邀二得券', reward: { form: 'coupon', amountFen: 1000, minSpendFen: 5000, validDays: 30 }, trigger: { kind: 'everyN', n: 2, minOrderFen: 0 } });
  const A = await inviter(t);
  const [B, C, D] = await invitees(t, A.code, 3);
  const oB = await buy(t, B);
  const oC = await buy(t, C);
  let coupons = await couponsOf(A.id);
  expect(coupons).toHaveLength(1);
  expect(coupons[0]).toMatchObject({ status: 'held', amountFen: 1000, minSpendFen: 5000 });
  expect((await wallet(t, A.id)).coupons).toEqual({ available: 0, held: 1 });
  expect((await wallet(t, A.id)).cash.frozenFen).toBe(0);

  await refund(t, C, oC);
  coupons = await couponsOf(A.id);
  expect(coupons.map((c) => c.status)).toEqual(['void']);
  expect((await progress(t, A.id)).text).toBe('1/2');

  const oD = await buy(t, D);
  coupons = await couponsOf(A.id);
  expect(coupons.map((c) => c.status).sort()).toEqual(['held', 'void']);
  await receive(t, B, oB);
  await receive(t, D, oD);
  await advance(t, 7 * DAY + 60_000);
  await settle(t);
  coupons = await couponsOf(A.id);
  expect(coupons.map((c) => c.status).sort()).toEqual(['available', 'void']);
  const listed = await ok(t, A.id, 'wallet', 'coupons', { status: 'available' });
  expect(listed).toEqual([expect.objectContaining({ amountFen: 1000, minSpendFen: 5000, status: 'available', expiresAt: expect.any(String) })]);
  expect((await rewardsOf(t, A.id)).map((r) => [r.form, r.status])).toEqual([
    ['coupon', 'voided'],
    ['coupon', 'available'],
  ]);
});

describe('a coupon reward voided while the coupon is in an order', () => {
  /** A's posted coupon reward (¥10 off ¥50), available after B's refund window. */
  async function availableCouponReward() {
    await onlyRule(t, { name: '邀一得券', reward: { form: 'coupon', amountFen: 1000, minSpendFen: 5000, validDays: 30 }, trigger: { kind: 'everyN', n: 1, minOrderFen: 0 } });
    const A = await inviter(t);
    const [B] = await invitees(t, A.code, 1);
    const oB = await buy(t, B);
    await receive(t, B, oB);
    await advance(t, 7 * DAY + 60_000);
    await settle(t);
    const [coupon] = await couponsOf(A.id);
    expect(coupon).toMatchObject({ status: 'available' });
    const [reward] = await rewardsOf(t, A.id);
    return { A, coupon, reward };
  }
  const order = (buyer: string, couponId: string) =>
    ok(t, buyer, 'shop', 'createOrder', { requestId: `req-${couponId}-${Math.random().toString(36).slice(2)}`, items: [{ productId: product, quantity: 1 }], address: ADDRESS, couponId });
  let product: string;
  beforeAll(async () => {
    product = await productAt(t, 8000);
  });

  it('locked in an unpaid order: cancelling the order makes it void, not available again', async () => {
    const { A, coupon, reward } = await availableCouponReward();
    const { order: o } = await order(A.id, coupon._id);
    expect((await couponsOf(A.id))[0]).toMatchObject({ status: 'locked', orderId: o.id });
    await ok(t, MERCHANT, 'merchant', 'voidReward', { rewardId: reward._id, reason: '刷单' });
    await ok(t, A.id, 'shop', 'cancelOrder', { orderId: o.id });
    expect((await couponsOf(A.id))[0]).toMatchObject({ status: 'void', orderId: null });
    expect(await call(t, A.id, 'shop', 'createOrder', { requestId: `req-again-${coupon._id}`, items: [{ productId: product, quantity: 1 }], address: ADDRESS, couponId: coupon._id })).toMatchObject({ ok: false, code: 'COUPON_UNAVAILABLE' });
  });

  it('used by a paid order: refunding the order makes it void, not available again', async () => {
    const { A, coupon, reward } = await availableCouponReward();
    const { order: o } = await order(A.id, coupon._id);
    const prepared = await ok(t, A.id, 'shop', 'pay', { orderId: o.id });
    await fetch(`${t.cloud.url}/__pay/confirm`, { method: 'POST', body: JSON.stringify({ outTradeNo: prepared.outTradeNo }) });
    expect((await couponsOf(A.id))[0]).toMatchObject({ status: 'used' });
    await ok(t, MERCHANT, 'merchant', 'voidReward', { rewardId: reward._id, reason: '刷单' });
    await refund(t, A.id, o.id);
    expect((await couponsOf(A.id))[0]).toMatchObject({ status: 'void', orderId: null });
  });

  it('a cancel and the void at the same moment: the coupon ends void either way', async () => {
    const { A, coupon, reward } = await availableCouponReward();
    const { order: o } = await order(A.id, coupon._id);
    await Promise.all([ok(t, MERCHANT, 'merchant', 'voidReward', { rewardId: reward._id, reason: '刷单' }), ok(t, A.id, 'shop', 'cancelOrder', { orderId: o.id })]);
    expect((await couponsOf(A.id))[0]).toMatchObject({ status: 'void', orderId: null });
  });
});

it('a points reward is frozen, voided by a refund in the window, earned again, then posted to available points', async () => {
  await onlyRule(t, { name: '邀一得积分', reward: { form: 'points', points: 200 }, trigger: { kind: 'everyN', n: 1, minOrderFen: 0 } });
  const A = await inviter(t);
  const [B, C] = await invitees(t, A.code, 2);
  const oC = await buy(t, C);
  expect((await wallet(t, A.id)).points).toEqual({ available: 0, frozen: 200, debt: 0 });
  await refund(t, C, oC);
  expect((await wallet(t, A.id)).points).toEqual({ available: 0, frozen: 0, debt: 0 });
  const o = await buy(t, B);
  expect((await wallet(t, A.id)).points).toEqual({ available: 0, frozen: 200, debt: 0 });
  await receive(t, B, o);
  await advance(t, 7 * DAY + 60_000);
  await settle(t);
  expect((await wallet(t, A.id)).points).toEqual({ available: 200, frozen: 0, debt: 0 });
  const entries = await ok(t, A.id, 'wallet', 'entries', { asset: 'points' });
  expect(entries.items.map((e: any) => [e.title, e.amount])).toEqual(
    expect.arrayContaining([
      ['邀请积分到账', 200],
      ['邀请积分解冻', -200],
      ['邀请积分（冻结中，好友退款期结束后可用）', 200],
    ]),
  );
});

it('the per-order ratio trigger pays a share of each invitee order over its minimum, for its products only', async () => {
  const tea = await productAt(t, 20000);
  await onlyRule(t, { name: '每单返 5%', reward: { form: 'cash', amountFen: 0 }, trigger: { kind: 'eachOrder', minOrderFen: 10000, ratioBp: 500 }, productIds: [tea] });
  const A = await inviter(t);
  const [B] = await invitees(t, A.code, 1);
  await buy(t, B, 20000, {}, tea);
  await buy(t, B, 20000, {}, tea);
  await buy(t, B, 30000); // not the rule's product
  const cheap = await productAt(t, 9999);
  await buy(t, B, 9999, {}, cheap);
  const rewards = await rewardsOf(t, A.id);
  expect(rewards.map((r) => [r.trigger, r.amount, r.status])).toEqual([
    ['eachOrder', 1000, 'frozen'],
    ['eachOrder', 1000, 'frozen'],
  ]);
  expect((await wallet(t, A.id)).cash.frozenFen).toBe(2000);
});

it('rules do not stack: the higher priority wins each trigger; the two triggers each pay', async () => {
  await onlyRule(t, { name: '低优先级', priority: 1, reward: { form: 'cash', amountFen: 300 }, trigger: { kind: 'eachOrder', minOrderFen: 0 } });
  await ok(t, MERCHANT, 'merchant', 'saveRebateRule', {
    name: '高优先级',
    active: true,
    priority: 5,
    reward: { form: 'cash', amountFen: 0 },
    trigger: { kind: 'eachOrder', minOrderFen: 0, fixedFen: 800 },
    caps: { perInviterPerDay: null, perInviterTotal: null },
    productIds: null,
    startsAt: null,
    endsAt: null,
  });
  await ok(t, MERCHANT, 'merchant', 'saveRebateRule', {
    name: '邀一返五',
    active: true,
    priority: 0,
    reward: { form: 'cash', amountFen: 500 },
    trigger: { kind: 'everyN', n: 1, minOrderFen: 0 },
    caps: { perInviterPerDay: null, perInviterTotal: null },
    productIds: null,
    startsAt: null,
    endsAt: null,
  });
  const A = await inviter(t);
  const [B] = await invitees(t, A.code, 1);
  await buy(t, B);
  const rewards = await rewardsOf(t, A.id);
  expect(rewards.map((r) => [r.ruleName, r.amount]).sort()).toEqual([
    ['邀一返五', 500],
    ['高优先级', 800],
  ]);
  await buy(t, B);
  expect((await rewardsOf(t, A.id)).map((r) => r.ruleName).sort()).toEqual(['邀一返五', '高优先级', '高优先级']);
});

it('caps per inviter per Asia/Shanghai day and in total; a capped reward pays nothing', async () => {
  await onlyRule(t, { name: '限额', reward: { form: 'cash', amountFen: 100 }, trigger: { kind: 'eachOrder', minOrderFen: 0 }, caps: { perInviterPerDay: 2, perInviterTotal: 3 } });
  const A = await inviter(t);
  const [B] = await invitees(t, A.code, 1);
  for (let i = 0; i < 3; i++) await buy(t, B);
  expect((await rewardsOf(t, A.id)).map((r) => r.status)).toEqual(['frozen', 'frozen', 'capped']);
  expect((await wallet(t, A.id)).cash.frozenFen).toBe(200);
  await advance(t, DAY);
  await buy(t, B);
  await buy(t, B);
  expect((await rewardsOf(t, A.id)).map((r) => r.status)).toEqual(['frozen', 'frozen', 'capped', 'frozen', 'capped']);
  expect((await wallet(t, A.id)).cash.frozenFen).toBe(300);
});

it('one level only: the inviter’s inviter earns nothing from a second-level purchase', async () => {
  await onlyRule(t, { name: '每单返', reward: { form: 'cash', amountFen: 100 }, trigger: { kind: 'eachOrder', minOrderFen: 0 } });
  const A = await inviter(t);
  const [B] = await invitees(t, A.code, 1);
  const codeB = (await ok(t, B, 'user', 'login')).inviteCode;
  const [C] = await invitees(t, codeB, 1);
  await buy(t, C);
  expect(await rewardsOf(t, B)).toHaveLength(1);
  expect(await rewardsOf(t, A.id)).toHaveLength(0);
  const referral = (await t.db.collection('referrals').doc(C).get()).data[0];
  expect(referral).toMatchObject({ inviterId: B, upline: A.id });
});
