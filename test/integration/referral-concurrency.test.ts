/**
 * Money under concurrency, through the real SDK: the same paid order settled 50 times at once credits once; 20
 * simultaneous withdrawals of the whole balance withdraw once; the settle job killed half way and run again posts
 * every matured reward exactly once. The ledger audits clean after each.
 */
import { settlePaidOrder, settleRefundedOrder } from '../../cloudfunctions/app/referral/settlement';
import { creditAvailable } from '../../cloudfunctions/domain/ledger';
import { withUserTx } from '../../cloudfunctions/app/wallet/tx';
import type { OrderDoc } from '../../types/models';
import { startTestCloud, TestCloud } from '../support/cloud';
import { call, DAY, expectAuditClean, invitees, inviter, notificationsOf, onlyRule, rewardsOf, seedMaturedRewards, settle, uniq, wallet } from './referral-support';

let t: TestCloud;
const ctx = () => ({ db: t.db as any, clock: { now: () => new Date(t.cloud.clock.now()) } });

beforeAll(async () => {
  t = await startTestCloud();
});
afterAll(() => t.close());
afterEach(async () => {
  await expectAuditClean(t);
});

function paidOrder(buyerId: string, inviterId: string, totalFen: number): OrderDoc {
  const now = new Date(t.cloud.clock.now());
  const id = uniq('order');
  return {
    _id: id,
    buyerId,
    requestId: id,
    items: [{ productId: 'p-tea', title: '明前龙井', image: '', quantity: 1, unitPriceFen: totalFen, subtotalFen: totalFen }],
    itemsTotalFen: totalFen,
    discounts: { couponFen: 0, walletCashFen: 0, pointsFen: 0, pointsUsed: 0 },
    payableFen: totalFen,
    couponId: null,
    assistTaskId: null,
    inviterId,
    address: { name: '张三', phone: '13800138000', province: '浙江省', city: '杭州市', district: '西湖区', detail: '文三路 1 号' },
    status: 'paid',
    createdAt: now,
    expiresAt: now,
    paidAt: now,
    shippedAt: null,
    shipping: null,
    receivedAt: null,
    refundDeadline: null,
    refundedAt: null,
    payment: { provider: 'local', outTradeNo: id, transactionId: 'tx' },
    pendingSteps: [],
    updatedAt: now,
  } as unknown as OrderDoc;
}

it('the same order settled 50 times at once credits once', async () => {
  await onlyRule(t, { name: '邀一返', reward: { form: 'cash', amountFen: 500 }, trigger: { kind: 'everyN', n: 1, minOrderFen: 0 } });
  await t.db.collection('rebate_rules').add({ _id: uniq('rule-each'), name: '每单', active: true, priority: 0, reward: { form: 'cash', amountFen: 0 }, trigger: { kind: 'eachOrder', minOrderFen: 0, fixedFen: 100 }, caps: { perInviterPerDay: null, perInviterTotal: null }, productIds: null, startsAt: null, endsAt: null, createdAt: new Date(), updatedAt: new Date() });
  const A = await inviter(t);
  const [B] = await invitees(t, A.code, 1);
  const order = paidOrder(B, A.id, 10000);
  await t.db.collection('orders').add(order);
  const results = await Promise.allSettled(Array.from({ length: 50 }, () => settlePaidOrder(ctx(), order)));
  const failures = results.filter((r) => r.status === 'rejected') as PromiseRejectedResult[];
  expect(failures.map((f) => String(f.reason))).toEqual([]);
  expect((await rewardsOf(t, A.id)).map((r) => [r.trigger, r.amount])).toEqual(
    expect.arrayContaining([
      ['everyN', 500],
      ['eachOrder', 100],
    ]),
  );
  expect(await rewardsOf(t, A.id)).toHaveLength(2);
  expect((await wallet(t, A.id)).cash.frozenFen).toBe(600);
  expect((await t.db.collection('referrals').doc(B).get()).data[0]).toMatchObject({ status: 'converted', conversions: 1 });
  expect((await notificationsOf(t, A.id)).filter((n) => n.kind === 'referral.invitee_bought')).toHaveLength(1);
  const entries = await t.db.collection('ledger').where({ userId: A.id }).get();
  expect(entries.data).toHaveLength(2);
});

it('20 simultaneous withdrawals of the whole balance: one succeeds', async () => {
  const A = await inviter(t);
  await withUserTx(ctx(), A.id, async (u) => u.post(`test:seed:${A.id}`, creditAvailable(u.balances, 'cash', 8800, 'reward_posted')));
  const results = await Promise.all(Array.from({ length: 20 }, (_, i) => call(t, A.id, 'wallet', 'withdraw', { amountFen: 8800, requestId: `burst-${i}-${A.id}`.slice(0, 64) })));
  const oks = results.filter((r) => r.ok);
  expect(oks).toHaveLength(1);
  for (const r of results.filter((x) => !x.ok)) expect(['INSUFFICIENT_BALANCE', 'CONFLICT']).toContain(r.code);
  expect(results.filter((r) => r.code === 'INSUFFICIENT_BALANCE').length).toBeGreaterThan(0);
  expect((await wallet(t, A.id)).cash).toMatchObject({ availableFen: 0, withdrawingFen: 8800 });
  expect((await t.db.collection('withdrawals').where({ userId: A.id }).get()).data).toHaveLength(1);
});

it('two taps with one requestId withdraw once, even at the same moment', async () => {
  const A = await inviter(t);
  await withUserTx(ctx(), A.id, async (u) => u.post(`test:seed:${A.id}`, creditAvailable(u.balances, 'cash', 3000, 'reward_posted')));
  const requestId = uniq('tap');
  const results = await Promise.all(Array.from({ length: 10 }, () => call(t, A.id, 'wallet', 'withdraw', { amountFen: 1000, requestId })));
  expect(results.every((r) => r.ok)).toBe(true);
  expect(new Set(results.map((r) => r.data.id)).size).toBe(1);
  expect((await wallet(t, A.id)).cash).toMatchObject({ availableFen: 2000, withdrawingFen: 1000 });
  expect(await call(t, A.id, 'wallet', 'withdraw', { amountFen: 999, requestId })).toMatchObject({ ok: false, code: 'REQUEST_ID_REUSED' });
});

describe('a settlement that runs late, from a copy of the order read before its refund', () => {
  const setup = async () => {
    await onlyRule(t, { name: '邀一返', reward: { form: 'cash', amountFen: 500 }, trigger: { kind: 'everyN', n: 1, minOrderFen: 0 } });
    const A = await inviter(t);
    const [B] = await invitees(t, A.code, 1);
    const order = paidOrder(B, A.id, 10000);
    await t.db.collection('orders').add(order);
    const refunded = { ...order, status: 'refunded', refundedAt: new Date(t.cloud.clock.now()) } as OrderDoc;
    await t.db.collection('orders').doc(order._id).update({ status: 'refunded', refundedAt: refunded.refundedAt });
    return { A, B, order, refunded };
  };
  const liveRewards = async (userId: string) => (await rewardsOf(t, userId)).filter((r) => r.status !== 'voided');

  it('after the refund step: earns nothing, the invitee stays unconverted', async () => {
    const { A, B, order, refunded } = await setup();
    await settleRefundedOrder(ctx(), refunded);
    await settlePaidOrder(ctx(), order); // the stale copy still reads paid
    expect(await rewardsOf(t, A.id)).toEqual([]);
    expect((await wallet(t, A.id)).cash).toMatchObject({ frozenFen: 0, availableFen: 0 });
    expect((await t.db.collection('referrals').doc(B).get()).data[0]).toMatchObject({ status: 'bound', conversion: null, conversions: 0 });
  });

  it('at the same moment as the refund step, 10 times over: nothing stays earned', async () => {
    const { A, order, refunded } = await setup();
    const runs = await Promise.allSettled(Array.from({ length: 10 }, (_x, i) => (i % 2 ? settlePaidOrder(ctx(), order) : settleRefundedOrder(ctx(), refunded))));
    expect(runs.filter((r) => r.status === 'rejected').map((r) => String((r as PromiseRejectedResult).reason))).toEqual([]);
    // Whichever ran first, the refund's step ran after or marked the order: no reward stands and nothing is frozen.
    await settleRefundedOrder(ctx(), refunded);
    expect(await liveRewards(A.id)).toEqual([]);
    expect((await wallet(t, A.id)).cash).toMatchObject({ frozenFen: 0, availableFen: 0 });
  });
});

it('settle killed half way and run again posts every matured reward exactly once', async () => {
  const maturedAt = new Date(t.cloud.clock.now() - DAY);
  const prefix = uniq('kill');
  const users = await seedMaturedRewards(t.db, { prefix, users: 1000, perUser: 4, amountFen: 125, maturedAt });
  const _ = t.db.command;
  const posted = async (bucket: string) => (await t.db.collection('ledger').where({ reason: 'reward_posted', bucket, rewardId: _.neq(null) }).count()).total;
  const run = settle(t).catch((e) => e);
  // Kill every function instance (the settle run among them) once it has posted some, not all.
  while ((await posted('available')) === 0) await new Promise((r) => setTimeout(r, 10));
  await t.cloud.host.stop();
  await run;
  const atKill = await posted('available');
  expect(atKill).toBeGreaterThan(0);
  expect(atKill).toBeLessThan(4000);
  // Run again until nothing is left (a transaction the killed run left open holds its wallet until it expires, 30 s).
  const deadline = Date.now() + 60_000;
  const frozenLeft = async () => (await t.db.collection('rewards').where({ status: 'frozen', maturesAt: _.lte(new Date(t.cloud.clock.now())) }).count()).total;
  while ((await frozenLeft()) > 0 && Date.now() < deadline) {
    await settle(t);
    await new Promise((r) => setTimeout(r, 250));
  }
  expect(await frozenLeft()).toBe(0);
  for (const u of [users[0], users[500], users[999]]) expect((await wallet(t, u)).cash).toEqual({ availableFen: 500, frozenFen: 0, withdrawingFen: 0, debtFen: 0 });
  expect(await posted('available')).toBe(4000);
  expect(await posted('frozen')).toBe(4000);
  // One message per user for what a run unfroze (each user's four rewards posted together).
  expect((await t.db.collection('notifications').where({ kind: 'reward.available' }).count()).total).toBe(1000);
}, 120_000);

it('a thousand matured rewards held by open refund requests do not stop the rewards after them from posting', async () => {
  const maturedAt = new Date(t.cloud.clock.now() - DAY);
  // One inviter with 1,000 matured rewards, each counting an order whose refund request is open (held), first in line;
  // then another inviter with one matured reward.
  const [held] = await seedMaturedRewards(t.db, { prefix: uniq('held'), users: 1, perUser: 1000, amountFen: 10, maturedAt });
  const holds = Object.fromEntries(Array.from({ length: 1000 }, (_x, k) => [`${held}-o${k}`, new Date(t.cloud.clock.now())]));
  await t.db.collection('wallets').doc(held).update({ refundHolds: t.db.command.set(holds) });
  const [free] = await seedMaturedRewards(t.db, { prefix: uniq('free'), users: 1, perUser: 1, amountFen: 300, maturedAt });
  await settle(t);
  expect((await wallet(t, free)).cash).toMatchObject({ availableFen: 300, frozenFen: 0 });
  expect((await wallet(t, held)).cash).toMatchObject({ availableFen: 0, frozenFen: 10_000 });
  // The requests are decided (rejected): the holds go, and the next run posts them.
  await t.db.collection('wallets').doc(held).update({ refundHolds: t.db.command.set({}) });
  await settle(t);
  expect((await wallet(t, held)).cash).toMatchObject({ availableFen: 10_000, frozenFen: 0 });
});
