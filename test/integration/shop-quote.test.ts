/**
 * shop.quote through the real SDK on the local cloud: for the same selection it answers what createOrder then charges
 * (items, coupon, assist price, wallet cash, points under the merchant's cap, all together); it writes nothing at all;
 * what createOrder refuses it refuses with the same code (a coupon of the buyer's own that cannot be used is left out
 * and named with that code instead); someone else's coupon or assist task is refused as createOrder refuses it.
 */
import { withUserTx } from '../../cloudfunctions/app/wallet/tx';
import { issueCoupon } from '../../cloudfunctions/app/coupons/coupons';
import { creditAvailable } from '../../cloudfunctions/domain/ledger';
import type { Fen } from '../../types/money';
import { startTestCloud, TestCloud } from '../support/cloud';
import { loginMany, startTask } from './assist-support';
import { ADDRESS, addProduct, call, DAY, MERCHANT, ok, snapshot, uniq } from './shop-support';

/* eslint-disable @typescript-eslint/no-explicit-any */
let t: TestCloud;
const ctx = () => ({ db: t.db as any, clock: { now: () => new Date(t.cloud.clock.now()) } });

const BUYER = 'quote-buyer';
const OTHER = 'quote-other';
const FRIENDS = ['quote-f1', 'quote-f2', 'quote-f3'];
let p100: string; // ¥100.00, plenty of stock
let p29: string; // ¥29.90, 5 in stock
let coupon: string; // ¥10 off from ¥50
let bigCoupon: string; // ¥30 off from ¥300
let taskId: string; // the buyer's succeeded assist task on p-tea (¥99.00 instead of ¥168.00)

async function giveCoupon(owner: string, amountFen: number, minSpendFen: number, validDays = 30) {
  return (await issueCoupon(ctx(), { sourceKey: uniq('quote-coupon'), ownerId: owner, amountFen: amountFen as Fen, minSpendFen: minSpendFen as Fen, validDays, held: false })).couponId;
}

async function fund(openid: string, cashFen: number, points: number) {
  await withUserTx(ctx(), openid, async (u) => {
    if (cashFen) u.post(uniq('test:seed-cash'), creditAvailable(u.balances, 'cash', cashFen, 'reward_posted'));
    if (points) u.post(uniq('test:seed-points'), creditAvailable(u.balances, 'points', points, 'points_credit'));
  });
}

beforeAll(async () => {
  t = await startTestCloud();
  await loginMany(t, [BUYER, OTHER, ...FRIENDS]);
  p100 = await addProduct(t, { stock: 1000, priceFen: 10000, title: '报价测试商品' });
  p29 = await addProduct(t, { stock: 5, priceFen: 2990 });
  coupon = await giveCoupon(BUYER, 1000, 5000);
  bigCoupon = await giveCoupon(BUYER, 3000, 30000);
  await fund(BUYER, 20_000, 20_000);
  taskId = (await startTask(t, BUYER)).taskId;
  for (const f of FRIENDS) await ok(t, f, 'help', { taskId }, 'assist');
}, 60_000);
afterAll(() => t.close());

type Selection = { items: { productId: string; quantity: number; assistTaskId?: string }[]; couponId?: string; useCashFen?: number; usePoints?: number };

/** The quote, then createOrder with the same selection: they must agree to the fen. The order is cancelled after. */
async function quoteThenOrder(sel: Selection, buyer = BUYER) {
  const quote = await ok(t, buyer, 'quote', sel);
  const { order } = await ok(t, buyer, 'createOrder', { ...sel, requestId: uniq('req'), address: ADDRESS });
  await ok(t, buyer, 'cancelOrder', { orderId: order.id });
  expect({
    lines: quote.lines.map((l: any) => ({ productId: l.productId, skuId: l.skuId, spec: l.spec, title: l.title, quantity: l.quantity, unitPriceFen: l.unitPriceFen, subtotalFen: l.subtotalFen })),
    itemsTotalFen: quote.itemsTotalFen,
    discounts: { couponFen: quote.couponFen, walletCashFen: quote.walletCashFen, pointsFen: quote.pointsFen, pointsUsed: quote.pointsUsed },
    payableFen: quote.payableFen,
  }).toEqual({
    lines: order.items.map((l: any) => ({ productId: l.productId, skuId: l.skuId, spec: l.spec, title: l.title, quantity: l.quantity, unitPriceFen: l.unitPriceFen, subtotalFen: l.subtotalFen })),
    itemsTotalFen: order.itemsTotalFen,
    discounts: order.discounts,
    payableFen: order.payableFen,
  });
  return quote;
}

describe('quote = createOrder', () => {
  it('items only', async () => {
    const q = await quoteThenOrder({ items: [{ productId: p100, quantity: 2 }, { productId: p29, quantity: 1 }] });
    expect(q).toEqual({
      lines: [
        { productId: p100, skuId: 'default', spec: '', title: '报价测试商品', quantity: 2, unitPriceFen: 10000, subtotalFen: 20000, assisted: false },
        { productId: p29, skuId: 'default', spec: '', title: expect.any(String), quantity: 1, unitPriceFen: 2990, subtotalFen: 2990, assisted: false },
      ],
      itemsTotalFen: 22990,
      couponFen: 0,
      walletCashFen: 0,
      pointsFen: 0,
      pointsUsed: 0,
      payableFen: 22990,
      coupon: null,
    });
  });

  it('a coupon', async () => {
    const q = await quoteThenOrder({ items: [{ productId: p100, quantity: 1 }], couponId: coupon });
    expect(q).toMatchObject({ itemsTotalFen: 10000, couponFen: 1000, payableFen: 9000, coupon: { id: coupon, usable: true, reason: null } });
  });

  it('the assist price', async () => {
    const q = await quoteThenOrder({ items: [{ productId: 'p-tea', quantity: 1, assistTaskId: taskId }] });
    expect(q).toMatchObject({ lines: [{ productId: 'p-tea', unitPriceFen: 9900, subtotalFen: 9900, assisted: true }], itemsTotalFen: 9900, payableFen: 9900 });
  });

  it('wallet cash', async () => {
    const q = await quoteThenOrder({ items: [{ productId: p100, quantity: 1 }], useCashFen: 1500 });
    expect(q).toMatchObject({ walletCashFen: 1500, payableFen: 8500 });
    expect(q.notes).toBeUndefined();
  });

  it('points under the merchant’s cap (50% of ¥100 = 5000 points)', async () => {
    const q = await quoteThenOrder({ items: [{ productId: p100, quantity: 1 }], usePoints: 9000 });
    expect(q).toMatchObject({ pointsFen: 5000, pointsUsed: 5000, payableFen: 5000, notes: ['积分最多抵扣订单金额的 50%，本单使用 5000 积分'] });
  });

  it('cash that would pay everything leaves 1 fen', async () => {
    const q = await quoteThenOrder({ items: [{ productId: p29, quantity: 1 }], useCashFen: 20_000 });
    expect(q).toMatchObject({ walletCashFen: 2989, payableFen: 1, notes: ['抵扣后至少需支付 ¥0.01'] });
  });

  it('all together: assist price, another product, coupon, cash and capped points', async () => {
    const q = await quoteThenOrder({
      items: [{ productId: 'p-tea', quantity: 1, assistTaskId: taskId }, { productId: p100, quantity: 2 }],
      couponId: coupon,
      useCashFen: 3000,
      usePoints: 20_000,
    });
    // 9900 + 20000 = 29900; coupon 1000 → 28900; points ≤ 50% = 14450; cash 3000 → 11450.
    expect(q).toMatchObject({ itemsTotalFen: 29900, couponFen: 1000, pointsFen: 14450, pointsUsed: 14450, walletCashFen: 3000, payableFen: 11450 });
  });

  it('the merchant’s own points terms (1000 points = ¥1, up to 100%)', async () => {
    await ok(t, MERCHANT, 'saveReferralSettings', { pointsPerYuan: 1000, pointsMaxShareBp: 10_000 }, 'merchant');
    try {
      const q = await quoteThenOrder({ items: [{ productId: p100, quantity: 1 }], useCashFen: 20_000, usePoints: 1005 });
      expect(q).toMatchObject({ pointsFen: 100, pointsUsed: 1000, walletCashFen: 9899, payableFen: 1 });
    } finally {
      await ok(t, MERCHANT, 'saveReferralSettings', { pointsPerYuan: 100, pointsMaxShareBp: 5000 }, 'merchant');
    }
  });
});

describe('a quote writes nothing', () => {
  const COLLECTIONS = ['products', 'coupons', 'assist_tasks', 'orders', 'idempotency', 'ledger', 'wallets', 'carts', 'events'];

  it('no stock, coupon, voucher, wallet or ledger change — not one write to the store — answered or refused', async () => {
    await ok(t, BUYER, 'quote', { items: [{ productId: p100, quantity: 1 }] });
    const before = await snapshot(t, COLLECTIONS);
    const seq = t.cloud.store.seq;
    const everything = { items: [{ productId: 'p-tea', quantity: 1, assistTaskId: taskId }, { productId: p29, quantity: 5 }], couponId: coupon, useCashFen: 20_000, usePoints: 20_000 };
    expect((await call(t, BUYER, 'quote', everything)).ok).toBe(true);
    expect((await call(t, BUYER, 'quote', { ...everything, couponId: bigCoupon })).ok).toBe(true);
    expect(await call(t, BUYER, 'quote', { ...everything, items: [{ productId: p29, quantity: 6 }] })).toMatchObject({ code: 'OUT_OF_STOCK' });
    expect(await call(t, BUYER, 'quote', { items: [{ productId: p100, quantity: 3 }], useCashFen: 20_001 })).toMatchObject({ code: 'INSUFFICIENT_BALANCE' });
    expect(await call(t, OTHER, 'quote', everything)).toMatchObject({ code: 'COUPON_NOT_FOUND' });
    expect(t.cloud.store.seq).toBe(seq);
    expect(await snapshot(t, COLLECTIONS)).toEqual(before);
    // And the quote held nothing: the whole stock, the coupon and the voucher are still there to order.
    const { order } = await ok(t, BUYER, 'createOrder', { ...everything, requestId: uniq('req'), address: ADDRESS });
    expect(order.items.map((i: any) => i.quantity)).toEqual([1, 5]);
    await ok(t, BUYER, 'cancelOrder', { orderId: order.id });
  });

  it('reads everything in one round: 1 database request for items, 5 with coupon, assist task and wallet', async () => {
    const trips = async (sel: Selection) => {
      const before = t.cloud.engine.stats.requests;
      await ok(t, BUYER, 'quote', sel);
      return t.cloud.engine.stats.requests - before;
    };
    expect(await trips({ items: [{ productId: p100, quantity: 1 }] })).toBe(1);
    expect(await trips({ items: [{ productId: p100, quantity: 1 }], couponId: coupon })).toBe(2);
    expect(await trips({ items: [{ productId: 'p-tea', quantity: 1, assistTaskId: taskId }, { productId: p100, quantity: 1 }], couponId: coupon, useCashFen: 100, usePoints: 100 })).toBe(5);
  });
});

describe('refusals are createOrder’s', () => {
  /** The same selection refused by both with the same code; createOrder gets an address so only the selection is wrong. */
  async function refusedAlike(sel: Record<string, unknown>, code: string, buyer = BUYER) {
    const quote = await call(t, buyer, 'quote', sel);
    const order = await call(t, buyer, 'createOrder', { ...sel, requestId: uniq('req'), address: ADDRESS });
    expect({ quote: quote.code, order: order.code }).toEqual({ quote: code, order: code });
    expect(quote.message).toBe(order.message);
  }

  it.each([
    ['no items', 'INVALID_ARGUMENT', { items: [] }],
    ['quantity 0', 'QUANTITY_INVALID', { items: [{ productId: 'P100', quantity: 0 }] }],
    ['quantity 100', 'QUANTITY_INVALID', { items: [{ productId: 'P100', quantity: 100 }] }],
    ['a fraction', 'QUANTITY_INVALID', { items: [{ productId: 'P100', quantity: 1.5 }] }],
    ['an unknown product', 'PRODUCT_NOT_FOUND', { items: [{ productId: 'no-such-product', quantity: 1 }] }],
    ['more than in stock', 'OUT_OF_STOCK', { items: [{ productId: 'P29', quantity: 6 }] }],
    ['a price in the request', 'PRICE_NOT_ACCEPTED', { items: [{ productId: 'P100', quantity: 1, priceFen: 1 }] }],
    ['a total in the request', 'PRICE_NOT_ACCEPTED', { items: [{ productId: 'P100', quantity: 1 }], payableFen: 1 }],
    ['negative cash', 'INVALID_ARGUMENT', { items: [{ productId: 'P100', quantity: 1 }], useCashFen: -1 }],
    // The wallet holds ¥200.00 and 20,000 points; the orders are big enough for the asks to count in full.
    ['more cash than the wallet holds', 'INSUFFICIENT_BALANCE', { items: [{ productId: 'P100', quantity: 3 }], useCashFen: 20_001 }],
    ['more points than the wallet holds', 'INSUFFICIENT_POINTS', { items: [{ productId: 'P100', quantity: 9 }], usePoints: 20_002 }],
    ['an unknown coupon', 'COUPON_NOT_FOUND', { items: [{ productId: 'P100', quantity: 1 }], couponId: 'no-such-coupon' }],
    ['an assist task that does not exist', 'ASSIST_TASK_NOT_FOUND', { items: [{ productId: 'p-tea', quantity: 1, assistTaskId: 'no-such-task' }] }],
    ['the assist price for another product', 'ASSIST_VOUCHER_WRONG_PRODUCT', { items: [{ productId: 'p-honey', quantity: 1, assistTaskId: 'TASK' }] }],
    ['two units at the assist price', 'QUANTITY_INVALID', { items: [{ productId: 'p-tea', quantity: 2, assistTaskId: 'TASK' }] }],
  ])('%s → %s', async (_n, code, sel) => {
    const json = JSON.stringify(sel).replace(/"P100"/g, JSON.stringify(p100)).replace(/"P29"/g, JSON.stringify(p29)).replace(/"TASK"/g, JSON.stringify(taskId));
    await refusedAlike(JSON.parse(json), code);
  });

  it('an off-sale product', async () => {
    const off = await addProduct(t, { stock: 5, priceFen: 100, onSale: false });
    await refusedAlike({ items: [{ productId: off, quantity: 1 }] }, 'PRODUCT_OFF_SALE');
  });

  it('an address or a requestId is not part of a quote', async () => {
    expect(await call(t, BUYER, 'quote', { items: [{ productId: p100, quantity: 1 }], address: ADDRESS })).toMatchObject({ ok: false, code: 'INVALID_ARGUMENT' });
    expect(await call(t, BUYER, 'quote', { items: [{ productId: p100, quantity: 1 }], requestId: uniq('req') })).toMatchObject({ ok: false, code: 'INVALID_ARGUMENT' });
  });

  it('someone else’s coupon is not found, someone else’s assist task is not theirs', async () => {
    await refusedAlike({ items: [{ productId: p100, quantity: 1 }], couponId: coupon }, 'COUPON_NOT_FOUND', OTHER);
    await refusedAlike({ items: [{ productId: 'p-tea', quantity: 1, assistTaskId: taskId }] }, 'ASSIST_VOUCHER_NOT_OWNER', OTHER);
  });

  it('an assist task that has not succeeded', async () => {
    const open = (await startTask(t, OTHER)).taskId;
    await refusedAlike({ items: [{ productId: 'p-tea', quantity: 1, assistTaskId: open }] }, 'ASSIST_VOUCHER_NOT_READY', OTHER);
  });
});

describe('a coupon of the buyer’s own that cannot be used', () => {
  /** The quote prices without it and names the code createOrder then refuses the same selection with. */
  async function leftOut(sel: Selection, reason: string) {
    const withIt = await ok(t, BUYER, 'quote', sel);
    const { couponId, ...without } = sel;
    const plain = await ok(t, BUYER, 'quote', without);
    expect(withIt.coupon).toEqual({ id: couponId, usable: false, reason });
    expect({ ...withIt, coupon: null }).toEqual(plain);
    expect(await call(t, BUYER, 'createOrder', { ...sel, requestId: uniq('req'), address: ADDRESS })).toMatchObject({ ok: false, code: reason });
  }

  it('under its minimum spend (judged on the assist price, not the list price)', async () => {
    await leftOut({ items: [{ productId: p100, quantity: 1 }], couponId: bigCoupon, useCashFen: 500 }, 'COUPON_MIN_SPEND');
    // ¥5 off from ¥100: the tea lists at ¥168.00 but is bought at ¥99.00.
    const fromHundred = await giveCoupon(BUYER, 500, 10000);
    await leftOut({ items: [{ productId: 'p-tea', quantity: 1, assistTaskId: taskId }], couponId: fromHundred }, 'COUPON_MIN_SPEND');
  });

  it('locked in an unpaid order', async () => {
    const { order } = await ok(t, BUYER, 'createOrder', { items: [{ productId: p100, quantity: 1 }], couponId: coupon, requestId: uniq('req'), address: ADDRESS });
    try {
      await leftOut({ items: [{ productId: p100, quantity: 1 }], couponId: coupon }, 'COUPON_UNAVAILABLE');
    } finally {
      await ok(t, BUYER, 'cancelOrder', { orderId: order.id });
    }
  });

  it('past its time', async () => {
    const short = await giveCoupon(BUYER, 500, 0, 1);
    await t.dev('clock', { advanceMs: 2 * DAY });
    try {
      await leftOut({ items: [{ productId: p100, quantity: 1 }], couponId: short }, 'COUPON_EXPIRED');
    } finally {
      await t.dev('clock', { reset: true });
    }
  });
});
