/**
 * createOrder when something fails part way, through the gateway and the real SDK: what it took is given back only
 * while no order exists, and a retry under the same requestId pays for itself.
 *   - A create that fails after spending wallet cash gives the cash back; its retry (same requestId, so the same
 *     order id) spends it again instead of reading the first attempt's spend as its own and paying nothing.
 *   - Text that merely looks sealed ("enc:v1:…") in a typed address is sealed like any other: the order reads back,
 *     and nothing is given back twice.
 *   - A create killed before its order was written (its coupon locked, its cash spent) and never retried: the timer
 *     gives both back once no create can still be running, and leaves a retry that took the lock over alone.
 */
import { issueCoupon, lockCouponForOrder } from '../../cloudfunctions/app/coupons/coupons';
import { takeCreateLock } from '../../cloudfunctions/app/shop/createLocks';
import { spendWalletAtCheckout } from '../../cloudfunctions/app/wallet/checkoutSpend';
import { withUserTx } from '../../cloudfunctions/app/wallet/tx';
import { orderIdFor, requestFingerprint } from '../../cloudfunctions/domain/shopOrders';
import type { Fen } from '../../types/money';
import { creditAvailable } from '../../cloudfunctions/domain/ledger';
import { shanghaiDay } from '../../cloudfunctions/domain/stats';
import { startTestCloud, TestCloud } from '../support/cloud';
import { failNext } from '../support/holds';
import { addProduct, ADDRESS, call, consentingShopper, MERCHANT, ok, orderDoc, stockOf, uniq } from './shop-support';

let t: TestCloud;

beforeAll(async () => {
  t = await startTestCloud({ seed: false });
});
afterAll(async () => {
  await t?.close();
});

async function giveCash(openid: string, fen: number) {
  const ctx = { db: t.db as never, clock: { now: () => new Date(t.cloud.clock.now()) } };
  await withUserTx(ctx, openid, async (u) => u.post(uniq('test:seed-cash'), creditAvailable(u.balances, 'cash', fen, 'reward_posted')));
}

const cashOf = async (openid: string) => (await ok(t, openid, 'summary', {}, 'wallet')).cash.availableFen as number;

describe('a create that fails after spending wallet cash, then is retried with the same requestId', () => {
  it('the retry spends the cash again: the order is discounted once and the wallet paid for it once', async () => {
    const buyer = uniq('retry-buyer');
    await ok(t, buyer, 'listAddresses'); // any call: the buyer exists
    await giveCash(buyer, 5000);
    const product = await addProduct(t, { stock: 3, priceFen: 10000 });
    // Today's order numbers cannot be taken (a counter another writer broke): the create fails after the spend.
    const day = shanghaiDay(new Date(t.cloud.clock.now()));
    await t.db.collection('order_numbers').doc(day).remove().catch(() => undefined);
    await t.db.collection('order_numbers').add({ _id: day, seq: 'broken', createdAt: new Date(), updatedAt: new Date() });
    const requestId = uniq('req');
    const input = { requestId, items: [{ productId: product, quantity: 1 }], address: ADDRESS, useCashFen: 2000 };
    const failed = await call(t, buyer, 'createOrder', input);
    expect(failed.ok).toBe(false);
    // All given back: the cash, the stock, and no order.
    expect(await cashOf(buyer)).toBe(5000);
    expect(await stockOf(t, product)).toBe(3);
    expect((await t.db.collection('orders').where({ buyerId: buyer }).count()).total).toBe(0);

    await t.db.collection('order_numbers').doc(day).update({ seq: 900 });
    const created = await ok(t, buyer, 'createOrder', input);
    expect(created.order.payableFen).toBe(8000);
    expect(await cashOf(buyer)).toBe(3000); // paid for by the wallet, once
    const stored = await orderDoc(t, created.order.id);
    expect(stored.discounts.walletCashFen).toBe(2000);
    // The same request once more: the same order, nothing spent again.
    const again = await ok(t, buyer, 'createOrder', input);
    expect(again.order.id).toBe(created.order.id);
    expect(await cashOf(buyer)).toBe(3000);
    // The wallet's activity shows the two attempts apart: the failed one's spend given back, the order's standing.
    const activity = await ok(t, buyer, 'activity', { asset: 'cash' }, 'wallet');
    const spends = activity.items.filter((e: { kind: string }) => e.kind === 'spend').map((e: { amount: number; statusText: string }) => [e.amount, e.statusText]);
    expect(spends).toEqual([
      [-2000, '已抵扣'],
      [-2000, '已退回'],
    ]);

    // Cancelled: exactly what this order spent comes back, once.
    await ok(t, buyer, 'cancelOrder', { orderId: created.order.id });
    await ok(t, buyer, 'cancelOrder', { orderId: created.order.id }).catch(() => undefined);
    expect(await cashOf(buyer)).toBe(5000);
    expect(await stockOf(t, product)).toBe(3);
    const legs = (await t.db.collection('ledger').where({ userId: buyer, orderId: created.order.id }).get()).data as { amount: number }[];
    expect(legs.reduce((s, l) => s + l.amount, 0)).toBe(0);
    expect(legs).toHaveLength(4); // spend, give-back, spend again, give-back
  });

  it('two retries at once after the failure: one order, the cash spent once', async () => {
    const buyer = uniq('retry-twice');
    await ok(t, buyer, 'listAddresses');
    await giveCash(buyer, 5000);
    const product = await addProduct(t, { stock: 3, priceFen: 10000 });
    const day = shanghaiDay(new Date(t.cloud.clock.now()));
    await t.db.collection('order_numbers').doc(day).update({ seq: 'broken' });
    const input = { requestId: uniq('req'), items: [{ productId: product, quantity: 1 }], address: ADDRESS, useCashFen: 1500 };
    expect((await call(t, buyer, 'createOrder', input)).ok).toBe(false);
    await t.db.collection('order_numbers').doc(day).update({ seq: 1900 });
    const both = await Promise.all([call(t, buyer, 'createOrder', input), call(t, buyer, 'createOrder', input)]);
    const made = both.filter((r) => r.ok);
    expect(made.length).toBeGreaterThanOrEqual(1);
    expect(new Set(made.map((r) => r.data.order.id)).size).toBe(1);
    for (const r of both.filter((x) => !x.ok)) expect(r.code).toBe('CONFLICT');
    expect((await t.db.collection('orders').where({ buyerId: buyer }).count()).total).toBe(1);
    expect(await cashOf(buyer)).toBe(3500);
    expect(await stockOf(t, product)).toBe(2);
  });
});

describe('a typed address whose text looks sealed', () => {
  it('is sealed like any other: the order reads back, lists, and cancelling gives the stock back once', async () => {
    const buyer = uniq('sealed-look');
    const product = await addProduct(t, { stock: 5, priceFen: 3000 });
    const address = { ...ADDRESS, name: 'enc:v1:a.b.c', detail: 'enc:v1:x.y.z 1 号' };
    const created = await ok(t, buyer, 'createOrder', { requestId: uniq('req'), items: [{ productId: product, quantity: 2 }], address });
    expect(await stockOf(t, product)).toBe(3);
    const stored = await orderDoc(t, created.order.id);
    expect(stored.address.name).not.toBe('enc:v1:a.b.c'); // sealed, not stored as typed
    expect(stored.address.name).toMatch(/^enc:v1:/);
    const view = await ok(t, buyer, 'getOrder', { orderId: created.order.id });
    expect(view.address.name).toBe('enc:v1:a.b.c');
    expect(view.address.detail).toBe('enc:v1:x.y.z 1 号');
    const list = await ok(t, buyer, 'listOrders', {});
    expect(list.items.map((o: { id: string }) => o.id)).toContain(created.order.id);
    await ok(t, buyer, 'cancelOrder', { orderId: created.order.id });
    expect(await stockOf(t, product)).toBe(5);

    const saved = await ok(t, buyer, 'saveAddress', { ...address, isDefault: true });
    expect(saved.name).toBe('enc:v1:a.b.c');
    const viaBook = await ok(t, buyer, 'createOrder', { requestId: uniq('req'), items: [{ productId: product, quantity: 1 }], addressId: saved.id });
    expect((await ok(t, buyer, 'getOrder', { orderId: viaBook.order.id })).address.name).toBe('enc:v1:a.b.c');
  });
});

describe('a create killed before its order was written (the function timed out), never retried', () => {
  const ctx = () => ({ db: t.db as never, clock: { now: () => new Date(t.cloud.clock.now()) } });
  const settle = () => ok(t, MERCHANT, 'run', {}, 'settle');

  /**
   * A shopper with ¥50.00 of wallet cash, a ¥100.00 product, and what such a create of theirs leaves: its lock, the
   * coupon locked to its order id and ¥20.00 of the cash spent for it.
   */
  async function killedCreate(name: string, minSpendFen = 0) {
    const buyer = uniq(name);
    await consentingShopper(t, buyer);
    await giveCash(buyer, 5000);
    const product = await addProduct(t, { stock: 5, priceFen: 10000 });
    const couponId = (await issueCoupon(ctx(), { sourceKey: uniq('killed-coupon'), ownerId: buyer, amountFen: 1000 as Fen, minSpendFen: minSpendFen as Fen, validDays: 30, held: false })).couponId;
    const input = { requestId: uniq('req'), items: [{ productId: product, quantity: 1 }], address: ADDRESS, couponId, useCashFen: 2000 };
    const orderId = orderIdFor(buyer, input.requestId);
    const holds = { buyerId: buyer, couponId, assistTaskId: null, walletSpend: true };
    expect(await takeCreateLock(ctx(), orderId, requestFingerprint(input), holds)).toBe('taken');
    await lockCouponForOrder(ctx(), { couponId, ownerId: buyer, orderId });
    await spendWalletAtCheckout(ctx(), { buyerId: buyer, orderId, cashFen: 2000 as Fen, points: 0, orderTotalFen: 9000 as Fen });
    return { buyer, product, input, couponId, orderId };
  }
  const couponOf = async (id: string) => (await t.db.collection('coupons').doc(id).get()).data[0];

  it('the timer gives the coupon and the cash back once no create can still be running; the requestId then works', async () => {
    const { buyer, input, couponId } = await killedCreate('killed-buyer');
    expect(await cashOf(buyer)).toBe(3000);
    expect(await couponOf(couponId)).toMatchObject({ status: 'locked' });

    // Within the create's time the timer leaves it alone (it may still be running).
    await settle();
    expect(await cashOf(buyer)).toBe(3000);
    await t.dev('clock', { advanceMs: 3 * 60_000 });
    // Twice at once: given back once.
    await Promise.all([settle(), settle()]);
    expect(await cashOf(buyer)).toBe(5000);
    expect(await couponOf(couponId)).toMatchObject({ status: 'available', orderId: null });
    await settle();
    expect(await cashOf(buyer)).toBe(5000);
    const legs = (await t.db.collection('ledger').where({ userId: buyer, reason: t.db.command.neq('reward_posted') }).get()).data as { amount: number }[];
    expect(legs.map((l) => l.amount).sort((a, b) => a - b)).toEqual([-2000, 2000]);

    // The shopper comes back to the same checkout: the order takes the coupon and the cash, once.
    const created = await ok(t, buyer, 'createOrder', input);
    expect(created.order).toMatchObject({ payableFen: 10000 - 1000 - 2000 });
    expect(await cashOf(buyer)).toBe(3000);
    expect(await couponOf(couponId)).toMatchObject({ status: 'locked', orderId: created.order.id });
    await t.dev('clock', { advanceMs: 3 * 60_000 });
    await settle();
    // A written order keeps what it holds (until it is cancelled or expires).
    expect(await couponOf(couponId)).toMatchObject({ status: 'locked', orderId: created.order.id });
    await ok(t, buyer, 'cancelOrder', { orderId: created.order.id });
    expect(await cashOf(buyer)).toBe(5000);
    await t.dev('clock', { reset: true });
  });

  it('a retry that takes the stale lock over and then fails before the wallet gives back what the first attempt took', async () => {
    const { buyer, product, input, couponId } = await killedCreate('killed-marked-down', 9000);
    // Marked down meanwhile: the retry's order is under the coupon's minimum, refused after the coupon and before the
    // wallet — the cash was spent by the first attempt, not this one.
    await t.db.collection('products').doc(product).update({ priceFen: 5000 });
    await t.dev('clock', { advanceMs: 40_000 });
    expect(await call(t, buyer, 'createOrder', input)).toMatchObject({ ok: false, code: 'COUPON_MIN_SPEND' });
    expect(await cashOf(buyer)).toBe(5000);
    expect(await couponOf(couponId)).toMatchObject({ status: 'available', orderId: null });
    await t.dev('clock', { advanceMs: 3 * 60_000 });
    await settle();
    expect(await cashOf(buyer)).toBe(5000);
    await t.dev('clock', { reset: true });
  });

  it('a retry that takes the stale lock over before the timer keeps what the first attempt took, and the timer leaves it', async () => {
    const { buyer, input, couponId } = await killedCreate('killed-retry');
    expect(await call(t, buyer, 'createOrder', input)).toMatchObject({ ok: false, code: 'CONFLICT' });
    await t.dev('clock', { advanceMs: 40_000 });
    const created = await ok(t, buyer, 'createOrder', input);
    expect(created.order).toMatchObject({ payableFen: 7000 });
    await t.dev('clock', { advanceMs: 3 * 60_000 });
    await settle();
    expect(await couponOf(couponId)).toMatchObject({ status: 'locked', orderId: created.order.id });
    expect(await cashOf(buyer)).toBe(3000);
    expect(await orderDoc(t, created.order.id)).toMatchObject({ status: 'pending_payment', discounts: { walletCashFen: 2000, couponFen: 1000 } });
    await t.dev('clock', { reset: true });
  });
});

describe('a create whose stock taking fails on one line with an error (not a refusal)', () => {
  it('the lines already taken go back: stock and 已售 as before, no order, and the same requestId then works', async () => {
    const buyer = uniq('stock-err');
    await consentingShopper(t, buyer);
    const first = await addProduct(t, { stock: 5, priceFen: 1000 });
    const second = await addProduct(t, { stock: 5, priceFen: 2000 });
    const soldOf = async (id: string) => (await t.db.collection('products').doc(id).get()).data[0].soldQty ?? 0;
    // The second line's guarded update is lost to the database (the request fails) while the first one's lands.
    const lost = await failNext(t, { action: 'database.modifyDocument', collectionName: 'products', queryContains: second }, 1);
    const input = { requestId: uniq('req'), items: [{ productId: first, quantity: 2 }, { productId: second, quantity: 1 }], address: ADDRESS };
    const failed = await call(t, buyer, 'createOrder', input);
    expect(failed.ok).toBe(false);
    expect(await lost.used()).toBe(true);
    expect([await stockOf(t, first), await soldOf(first)]).toEqual([5, 0]);
    expect([await stockOf(t, second), await soldOf(second)]).toEqual([5, 0]);
    expect((await t.db.collection('orders').where({ buyerId: buyer }).count()).total).toBe(0);
    const created = await ok(t, buyer, 'createOrder', input);
    expect(created.created).toBe(true);
    expect([await stockOf(t, first), await stockOf(t, second)]).toEqual([3, 4]);
  });
});
