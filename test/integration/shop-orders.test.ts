/**
 * The shop through the real SDK on the local cloud: products with their rules, cart and addresses, the whole order
 * life cycle with the local payment system, expiry and cancel releasing stock and coupon, refunds in and out of the
 * window, and the merchant's side.
 */
import { activateCoupon, issueCoupon, voidCoupon } from '../../cloudfunctions/app/coupons/coupons';
import type { Fen } from '../../types/money';
import { startTestCloud, TestCloud } from '../support/cloud';
import { failNext } from '../support/holds';
import { ADDRESS, addProduct, call, couponDoc, createOrder, DAY, MERCHANT, MINUTE, ok, orderDoc, payOrder, payRoute, snapshot, stockOf, uniq } from './shop-support';

let t: TestCloud;
const clock = () => ({ now: () => new Date(t.cloud.clock.now()) });
const ctx = () => ({ db: t.db as any, clock: clock() });

beforeAll(async () => {
  t = await startTestCloud();
});
afterAll(() => t.close());

async function giveCoupon(owner: string, amountFen: number, minSpendFen: number, validDays = 30, held = false) {
  const sourceKey = uniq('test-coupon');
  const { couponId } = await issueCoupon(ctx(), { sourceKey, ownerId: owner, amountFen: amountFen as Fen, minSpendFen: minSpendFen as Fen, validDays, held });
  return { couponId, sourceKey };
}

describe('products', () => {
  it('lists on-sale products and shows a product with its rules in full', async () => {
    const page = await ok(t, 'buyer-cat', 'listProducts', { pageSize: 3 });
    expect(page.items).toHaveLength(3);
    expect(page.next).toBe(3);
    const tea = await ok(t, 'buyer-cat', 'getProduct', { productId: 'p-tea' });
    expect(tea).toMatchObject({ id: 'p-tea', priceFen: 16800, badges: { rebate: true, assist: true } });
    expect(tea.rules.rebate[0]).toMatchObject({ id: 'rule-tuisanfanyi', summary: '每邀请 3 位好友完成首单，返现 ¥50.00' });
    expect(tea.rules.rebate[0].details.join('')).toContain('退款期结束后');
    expect(tea.rules.assist).toMatchObject({ helpersNeeded: 3, success: { kind: 'price', priceFen: 9900 } });
    expect(tea.rules.assist.summary).toBe('邀请 3 位好友助力，以 ¥99.00 的助力价购买 1 件（助力成功后 48 小时内下单有效）');
    expect(await call(t, 'buyer-cat', 'getProduct', { productId: 'nope' })).toMatchObject({ ok: false, code: 'PRODUCT_NOT_FOUND' });
  });
});

describe('cart and addresses', () => {
  it('keeps a server-side cart: add, change quantity, remove', async () => {
    const u = uniq('cart');
    let cart = await ok(t, u, 'addToCart', { productId: 'p-rice', quantity: 2 });
    cart = await ok(t, u, 'addToCart', { productId: 'p-rice', quantity: 1 });
    cart = await ok(t, u, 'addToCart', { productId: 'p-towel', quantity: 1 });
    expect(cart.items.map((i: any) => [i.productId, i.quantity])).toEqual([['p-rice', 3], ['p-towel', 1]]);
    expect(cart.totalFen).toBe(8990 * 3 + 4990);
    cart = await ok(t, u, 'setCartQuantity', { productId: 'p-rice', quantity: 5 });
    expect(cart.items[0].quantity).toBe(5);
    cart = await ok(t, u, 'setCartQuantity', { productId: 'p-rice', quantity: 0 });
    expect(cart.items.map((i: any) => i.productId)).toEqual(['p-towel']);
    cart = await ok(t, u, 'removeFromCart', { productIds: ['p-towel'] });
    expect(cart.items).toEqual([]);
    expect(await call(t, u, 'addToCart', { productId: 'p-rice', quantity: 0 })).toMatchObject({ code: 'QUANTITY_INVALID' });
    expect(await call(t, u, 'addToCart', { productId: 'p-rice', quantity: 1000 })).toMatchObject({ code: 'QUANTITY_INVALID' });
    expect(await call(t, u, 'addToCart', { productId: 'ghost', quantity: 1 })).toMatchObject({ code: 'PRODUCT_NOT_FOUND' });
  });

  it('validates addresses on the server and keeps one default', async () => {
    const u = uniq('addr');
    const a = await ok(t, u, 'saveAddress', ADDRESS);
    expect(a.isDefault).toBe(true);
    const b = await ok(t, u, 'saveAddress', { ...ADDRESS, detail: '另一个地址 2 号', isDefault: true });
    const list = await ok(t, u, 'listAddresses');
    expect(list.map((x: any) => [x.id, x.isDefault])).toEqual([[b.id, true], [a.id, false]]);
    expect(await call(t, u, 'saveAddress', { ...ADDRESS, phone: '12345' })).toMatchObject({ code: 'ADDRESS_INVALID' });
    expect(await call(t, u, 'saveAddress', { ...ADDRESS, name: '  ' })).toMatchObject({ code: 'ADDRESS_INVALID' });
    expect(await call(t, u, 'saveAddress', { ...ADDRESS, detail: '<script>' })).toMatchObject({ code: 'ADDRESS_INVALID' });
    expect(await call(t, 'someone-else', 'deleteAddress', { id: a.id })).toMatchObject({ code: 'ADDRESS_NOT_FOUND' });
    expect(await ok(t, u, 'deleteAddress', { id: a.id })).toEqual({ deleted: true });
  });
});

describe('the order life cycle', () => {
  it('cart → order (server-priced, stock reserved, inviter recorded) → pay → ship → receive', async () => {
    const buyer = uniq('buyer');
    const p1 = await addProduct(t, { stock: 10, priceFen: 1250 });
    const p2 = await addProduct(t, { stock: 3, priceFen: 999 });
    await t.db.collection('users').add({ _id: buyer, inviteCode: uniq('IC'), nickname: 'x', avatarUrl: '', roles: ['shopper'], inviterId: 'the-inviter', createdAt: new Date(), lastLoginAt: new Date() });
    await ok(t, buyer, 'addToCart', { productId: p1, quantity: 2 });
    await ok(t, buyer, 'addToCart', { productId: p2, quantity: 3 });
    const address = await ok(t, buyer, 'saveAddress', ADDRESS);
    const requestId = uniq('req');
    const payload = { requestId, items: [{ productId: p1, quantity: 2 }, { productId: p2, quantity: 3 }], addressId: address.id, fromCart: true };
    const { order, created } = await ok(t, buyer, 'createOrder', payload);
    expect(created).toBe(true);
    expect(order).toMatchObject({ status: 'pending_payment', itemsTotalFen: 2 * 1250 + 3 * 999, payableFen: 2 * 1250 + 3 * 999, address: ADDRESS });
    expect(order.items.map((i: any) => [i.productId, i.quantity, i.unitPriceFen, i.subtotalFen])).toEqual([
      [p1, 2, 1250, 2500],
      [p2, 3, 999, 2997],
    ]);
    expect((await orderDoc(t, order.id)).inviterId).toBe('the-inviter');
    expect([await stockOf(t, p1), await stockOf(t, p2)]).toEqual([8, 0]);
    expect((await ok(t, buyer, 'getCart')).items).toEqual([]);

    // The same request again answers the same order; the same requestId with another payload is refused.
    const again = await ok(t, buyer, 'createOrder', payload);
    expect(again).toMatchObject({ created: false, order: { id: order.id } });
    expect(await call(t, buyer, 'createOrder', { ...payload, items: [{ productId: p1, quantity: 1 }] })).toMatchObject({ ok: false, code: 'REQUEST_ID_REUSED' });
    expect([await stockOf(t, p1), await stockOf(t, p2)]).toEqual([8, 0]);

    // Pay through the local payment system: the sheet confirms, the local cloud notifies the shop.
    const prepared = await ok(t, buyer, 'pay', { orderId: order.id });
    expect(prepared).toMatchObject({ provider: 'local', outTradeNo: order.id, payableFen: order.payableFen, local: { confirmPath: '/__pay/confirm' } });
    const confirmed = await payRoute(t, 'confirm', { outTradeNo: prepared.outTradeNo });
    expect(confirmed.body.deliveries).toEqual([{ ok: true, data: { orderId: order.id, status: 'paid', transitioned: true } }]);
    const paid = await orderDoc(t, order.id);
    expect(paid).toMatchObject({ status: 'paid', pendingSteps: [], stepsLeaseUntil: null, payment: { provider: 'local', transactionId: expect.any(String) } });
    expect(await call(t, buyer, 'pay', { orderId: order.id })).toMatchObject({ code: 'ORDER_ALREADY_PAID' });
    expect(await call(t, buyer, 'cancelOrder', { orderId: order.id })).toMatchObject({ code: 'ORDER_STATE_INVALID' });

    // The merchant ships; the buyer confirms receipt; the refund deadline is the receipt + 7 days.
    expect(await call(t, buyer, 'shipOrder', { orderId: order.id, carrier: '顺丰', trackingNo: 'SF1234567890' }, 'merchant')).toMatchObject({ code: 'FORBIDDEN' });
    const shipped = await ok(t, MERCHANT, 'shipOrder', { orderId: order.id, carrier: '顺丰', trackingNo: 'SF1234567890' }, 'merchant');
    expect(shipped).toMatchObject({ status: 'shipped', shipping: { carrier: '顺丰', trackingNo: 'SF1234567890' } });
    const received = await ok(t, buyer, 'confirmReceipt', { orderId: order.id });
    expect(received.status).toBe('received');
    expect(Date.parse(received.refundDeadline) - Date.parse(received.receivedAt)).toBe(7 * DAY);
    const mine = await ok(t, buyer, 'listOrders', {});
    expect(mine.items.map((o: any) => o.id)).toEqual([order.id]);
    expect(await call(t, 'stranger', 'getOrder', { orderId: order.id })).toMatchObject({ code: 'ORDER_NOT_FOUND' });
  });

  it('a shopper cannot deliver a payment notification', async () => {
    const buyer = uniq('buyer');
    const p = await addProduct(t, { stock: 1, priceFen: 100 });
    const { order } = await createOrder(t, buyer, [{ productId: p, quantity: 1 }]);
    expect(await call(t, buyer, 'paymentNotify', { outTradeNo: order.id })).toMatchObject({ ok: false, code: 'FORBIDDEN' });
    // The platform's call is believed only after the provider confirms: an unpaid trade stays unpaid.
    await ok(t, buyer, 'pay', { orderId: order.id });
    const invoked: any = await t.cloud.host.invoke('shop', { action: 'paymentNotify', outTradeNo: order.id }, { source: 'server' });
    expect(invoked).toMatchObject({ ok: false, code: 'PAYMENT_NOT_CONFIRMED' });
    expect((await orderDoc(t, order.id)).status).toBe('pending_payment');
  });

  it('the shop function also answers a WeChat Pay callback (no action) with {errcode}', async () => {
    const buyer = uniq('buyer');
    const p = await addProduct(t, { stock: 1, priceFen: 100 });
    const { order } = await createOrder(t, buyer, [{ productId: p, quantity: 1 }]);
    await ok(t, buyer, 'pay', { orderId: order.id });
    await payRoute(t, 'confirm', { outTradeNo: order.id, times: 0 }); // paid at the provider, notification lost
    const callback = { returnCode: 'SUCCESS', resultCode: 'SUCCESS', outTradeNo: order.id, transactionId: '4200000000000000', totalFee: 100 };
    expect(await t.cloud.host.invoke('shop', callback, { source: 'server' })).toEqual({ errcode: 0, errmsg: 'OK' });
    expect((await orderDoc(t, order.id)).status).toBe('paid');
    expect(await t.cloud.host.invoke('shop', { ...callback, resultCode: 'FAIL' }, { source: 'server' })).toEqual({ errcode: 0, errmsg: 'OK' });
    expect(await t.cloud.host.invoke('shop', { ...callback, outTradeNo: 'o-unknown' }, { source: 'server' })).toEqual({ errcode: 1, errmsg: 'ORDER_NOT_FOUND' });
  });

  it('ships automatically confirm receipt after 10 days (settle timer)', async () => {
    const buyer = uniq('buyer');
    const p = await addProduct(t, { stock: 5, priceFen: 500 });
    const { order } = await createOrder(t, buyer, [{ productId: p, quantity: 1 }]);
    await payOrder(t, buyer, order.id);
    await ok(t, MERCHANT, 'shipOrder', { orderId: order.id, carrier: '中通', trackingNo: 'ZT00001' }, 'merchant');
    await t.dev('clock', { advanceMs: 9 * DAY });
    await t.dev('timers/fire', { name: 'settleEveryMinute' });
    expect((await orderDoc(t, order.id)).status).toBe('shipped');
    await t.dev('clock', { advanceMs: 1 * DAY + MINUTE });
    await t.dev('timers/fire', { name: 'settleEveryMinute' });
    const after = await orderDoc(t, order.id);
    expect(after.status).toBe('received');
    expect(after.refundDeadline.getTime() - after.receivedAt.getTime()).toBe(7 * DAY);
  });
});

describe('a refund while the paid order still owes its coupon step', () => {
  it('the coupon comes back, and the late use step does not take it again', async () => {
    const buyer = uniq('buyer');
    const p = await addProduct(t, { stock: 2, priceFen: 3000 });
    const { couponId } = await giveCoupon(buyer, 500, 2000);
    const { order } = await createOrder(t, buyer, [{ productId: p, quantity: 1 }], { couponId });
    // Marking the coupon used fails twice (the payment's run, then the refund's run): the step stays owed.
    const lost = await failNext(t, { action: 'database.modifyDocument', collectionName: 'coupons', queryContains: couponId }, 2);
    await payOrder(t, buyer, order.id);
    expect((await orderDoc(t, order.id)).pendingSteps).toContain('paid:shop.useCoupon');
    await ok(t, buyer, 'requestRefund', { orderId: order.id, reason: '不想要了' });
    await ok(t, MERCHANT, 'reviewRefund', { orderId: order.id, approve: true }, 'merchant');
    expect(await lost.used()).toBe(true); // both failures were used
    // The timer finishes what is owed, once the steps' lease has passed.
    await t.dev('clock', { advanceMs: 10 * MINUTE });
    await t.dev('timers/fire', { name: 'settleEveryMinute' });
    expect(await orderDoc(t, order.id)).toMatchObject({ status: 'refunded', pendingSteps: [] });
    expect(await couponDoc(t, couponId)).toMatchObject({ status: 'available', orderId: null });
  });
});

describe('expiry and cancel release stock and coupon', () => {
  it('an unpaid order expires after 15 minutes; stock and coupon come back; the trade can no longer be paid', async () => {
    const buyer = uniq('buyer');
    const p = await addProduct(t, { stock: 2, priceFen: 3000 });
    const { couponId } = await giveCoupon(buyer, 500, 2000);
    const { order } = await createOrder(t, buyer, [{ productId: p, quantity: 2 }], { couponId });
    expect(order).toMatchObject({ itemsTotalFen: 6000, discounts: { couponFen: 500 }, payableFen: 5500, couponId });
    expect(await stockOf(t, p)).toBe(0);
    expect(await couponDoc(t, couponId)).toMatchObject({ status: 'locked', orderId: order.id });
    const prepared = await ok(t, buyer, 'pay', { orderId: order.id });

    await t.dev('clock', { advanceMs: 14 * MINUTE });
    await t.dev('timers/fire', { name: 'settleEveryMinute' });
    expect((await orderDoc(t, order.id)).status).toBe('pending_payment');
    await t.dev('clock', { advanceMs: 2 * MINUTE });
    await t.dev('timers/fire', { name: 'settleEveryMinute' });
    expect(await orderDoc(t, order.id)).toMatchObject({ status: 'expired', pendingSteps: [] });
    expect(await stockOf(t, p)).toBe(2);
    expect(await couponDoc(t, couponId)).toMatchObject({ status: 'available', orderId: null });
    expect((await payRoute(t, 'confirm', { outTradeNo: prepared.outTradeNo })).body).toMatchObject({ code: 'ORDERCLOSED' });
    expect(await call(t, buyer, 'pay', { orderId: order.id })).toMatchObject({ code: 'ORDER_EXPIRED' });

    // The coupon is usable again on a new order.
    const second = await createOrder(t, buyer, [{ productId: p, quantity: 1 }], { couponId: undefined });
    expect(second.order.couponId).toBeNull();
  });

  it('the buyer cancels an unpaid order: stock and coupon come back', async () => {
    const buyer = uniq('buyer');
    const p = await addProduct(t, { stock: 4, priceFen: 1000 });
    const { couponId } = await giveCoupon(buyer, 300, 0);
    const { order } = await createOrder(t, buyer, [{ productId: p, quantity: 3 }], { couponId });
    expect(await stockOf(t, p)).toBe(1);
    expect(await call(t, 'stranger', 'cancelOrder', { orderId: order.id })).toMatchObject({ code: 'ORDER_NOT_FOUND' });
    const cancelled = await ok(t, buyer, 'cancelOrder', { orderId: order.id });
    expect(cancelled.status).toBe('cancelled');
    expect(await stockOf(t, p)).toBe(4);
    expect(await couponDoc(t, couponId)).toMatchObject({ status: 'available', orderId: null });
    expect(await ok(t, buyer, 'cancelOrder', { orderId: order.id })).toMatchObject({ status: 'cancelled' });
    expect(await stockOf(t, p)).toBe(4);
  });
});

describe('refusals that say what happened', () => {
  it('adding past the per-line limit (99) is refused with CART_LINE_LIMIT and says how many are in the cart; nothing changes', async () => {
    const u = uniq('cart-limit');
    await ok(t, u, 'addToCart', { productId: 'p-rice', quantity: 60 });
    const before = await snapshot(t, ['carts']);
    const r = await call(t, u, 'addToCart', { productId: 'p-rice', quantity: 50 });
    expect(r).toMatchObject({ ok: false, code: 'CART_LINE_LIMIT' });
    expect(r.message).toContain('99');
    expect(r.message).toContain('60');
    expect(await snapshot(t, ['carts'])).toEqual(before);
    expect((await ok(t, u, 'getCart')).items.map((i: any) => [i.productId, i.quantity])).toEqual([['p-rice', 60]]);
    // Up to the limit is fine.
    const cart = await ok(t, u, 'addToCart', { productId: 'p-rice', quantity: 39 });
    expect(cart.items.map((i: any) => i.quantity)).toEqual([99]);
    expect(await call(t, u, 'addToCart', { productId: 'p-rice', quantity: 1 })).toMatchObject({ ok: false, code: 'CART_LINE_LIMIT' });
  });

  it('cancelling an order that expired says it expired (ORDER_EXPIRED), before and after the timer closed it; nothing changes', async () => {
    const buyer = uniq('buyer');
    const p = await addProduct(t, { stock: 5, priceFen: 1000 });
    const { order } = await createOrder(t, buyer, [{ productId: p, quantity: 1 }]);
    await t.dev('clock', { advanceMs: 16 * MINUTE });
    // Past its time, the timer not run yet.
    let before = await snapshot(t, ['orders', 'products']);
    expect(await call(t, buyer, 'cancelOrder', { orderId: order.id })).toEqual({ ok: false, code: 'ORDER_EXPIRED', message: '订单已超时关闭，请重新下单' });
    expect(await snapshot(t, ['orders', 'products'])).toEqual(before);
    // Closed by the timer.
    await t.dev('timers/fire', { name: 'settleEveryMinute' });
    expect((await orderDoc(t, order.id)).status).toBe('expired');
    before = await snapshot(t, ['orders', 'products']);
    expect(await call(t, buyer, 'cancelOrder', { orderId: order.id })).toEqual({ ok: false, code: 'ORDER_EXPIRED', message: '订单已超时关闭，请重新下单' });
    expect(await snapshot(t, ['orders', 'products'])).toEqual(before);
    await t.dev('clock', { reset: true });
  });

  it('REQUEST_ID_REUSED has one meaning and one message: the same requestId with another payload', async () => {
    const buyer = uniq('buyer');
    const p = await addProduct(t, { stock: 5, priceFen: 1000 });
    const requestId = uniq('req');
    await ok(t, buyer, 'createOrder', { requestId, items: [{ productId: p, quantity: 1 }], address: ADDRESS });
    const r = await call(t, buyer, 'createOrder', { requestId, items: [{ productId: p, quantity: 2 }], address: ADDRESS });
    expect(r).toEqual({ ok: false, code: 'REQUEST_ID_REUSED', message: '这个请求编号已用于另一次内容不同的提交，请刷新后重新提交' });
  });
});

describe('checkout seams', () => {
  it('a succeeded assist task prices one unit at the assist price; cancel gives the voucher back', async () => {
    const buyer = uniq('buyer');
    const p = await addProduct(t, { stock: 3, priceFen: 16800 });
    const taskId = uniq('task');
    const voucher = { productId: p, priceFen: 9900, validUntil: new Date(t.cloud.clock.now() + DAY), orderId: null, claimedAt: null };
    await t.db.collection('assist_tasks').add({ _id: taskId, ownerId: buyer, productId: p, status: 'succeeded', voucher, updatedAt: new Date() });
    const { order } = await createOrder(t, buyer, [{ productId: p, quantity: 1, assistTaskId: taskId } as never]);
    expect(order).toMatchObject({ assistTaskId: taskId, itemsTotalFen: 9900, payableFen: 9900, items: [{ unitPriceFen: 9900, quantity: 1 }] });
    expect((await t.db.collection('assist_tasks').doc(taskId).get()).data[0].voucher.orderId).toBe(order.id);
    // The voucher is held by that order: another order cannot use it, and nothing is reserved for the attempt.
    const other = await call(t, buyer, 'createOrder', { requestId: uniq('r'), items: [{ productId: p, quantity: 1, assistTaskId: taskId }], address: ADDRESS });
    expect(other.ok).toBe(false);
    expect(await stockOf(t, p)).toBe(2);
    await ok(t, buyer, 'cancelOrder', { orderId: order.id });
    expect((await t.db.collection('assist_tasks').doc(taskId).get()).data[0].voucher.orderId).toBeNull();
    expect(await stockOf(t, p)).toBe(3);
    // Someone else cannot redeem the owner's task.
    expect((await call(t, uniq('thief'), 'createOrder', { requestId: uniq('r'), items: [{ productId: p, quantity: 1, assistTaskId: taskId }], address: ADDRESS })).ok).toBe(false);
    expect(await stockOf(t, p)).toBe(3);
  });
});

describe('coupons', () => {
  it('a coupon is used once by a paid order and listed in the wallet', async () => {
    const buyer = uniq('buyer');
    const p = await addProduct(t, { stock: 5, priceFen: 2000 });
    const { couponId } = await giveCoupon(buyer, 800, 1500);
    expect((await ok(t, buyer, 'listCoupons', { status: 'available' })).map((c: any) => c.id)).toEqual([couponId]);
    const { order } = await createOrder(t, buyer, [{ productId: p, quantity: 1 }], { couponId });
    expect(order.payableFen).toBe(1200);
    expect(await call(t, buyer, 'createOrder', { requestId: uniq('r'), items: [{ productId: p, quantity: 1 }], address: ADDRESS, couponId })).toMatchObject({ code: 'COUPON_UNAVAILABLE' });
    await payOrder(t, buyer, order.id);
    expect(await couponDoc(t, couponId)).toMatchObject({ status: 'used', orderId: order.id });
  });

  it('a coupon past its time is listed under 已过期, not 可使用, even before the timer marks it', async () => {
    const buyer = uniq('buyer');
    const { couponId } = await giveCoupon(buyer, 800, 0);
    expect((await ok(t, buyer, 'listCoupons', { status: 'available' })).map((c: any) => c.id)).toEqual([couponId]);
    await t.db.collection('coupons').doc(couponId).update({ expiresAt: new Date(t.cloud.clock.now() - 1000) });
    expect(await couponDoc(t, couponId)).toMatchObject({ status: 'available' }); // the timer has not run
    expect(await ok(t, buyer, 'listCoupons', { status: 'available' })).toEqual([]);
    expect((await ok(t, buyer, 'listCoupons', { status: 'expired' })).map((c: any) => [c.id, c.status])).toEqual([[couponId, 'expired']]);
    expect((await ok(t, buyer, 'listCoupons', {})).map((c: any) => [c.id, c.status])).toEqual([[couponId, 'expired']]);
  });

  it('held coupons wait for activation; issue is idempotent; void takes back', async () => {
    const owner = uniq('owner');
    const sourceKey = uniq('reward');
    const first = await issueCoupon(ctx(), { sourceKey, ownerId: owner, amountFen: 500 as Fen, minSpendFen: 0 as Fen, validDays: 7, held: true });
    const second = await issueCoupon(ctx(), { sourceKey, ownerId: owner, amountFen: 500 as Fen, minSpendFen: 0 as Fen, validDays: 7, held: true });
    expect(first).toEqual({ couponId: second.couponId, created: true });
    expect(second.created).toBe(false);
    expect(await couponDoc(t, first.couponId)).toMatchObject({ status: 'held', expiresAt: null });
    const p = await addProduct(t, { stock: 5, priceFen: 2000 });
    expect(await call(t, owner, 'createOrder', { requestId: uniq('r'), items: [{ productId: p, quantity: 1 }], address: ADDRESS, couponId: first.couponId })).toMatchObject({ code: 'COUPON_UNAVAILABLE' });
    expect(await activateCoupon(ctx(), sourceKey)).toBe(true);
    expect(await activateCoupon(ctx(), sourceKey)).toBe(false);
    const active = await couponDoc(t, first.couponId);
    expect(active.status).toBe('available');
    expect(active.expiresAt.getTime() - t.cloud.clock.now()).toBeGreaterThan(7 * DAY - MINUTE);
    expect(await voidCoupon(ctx(), sourceKey)).toBe(true);
    expect(await couponDoc(t, first.couponId)).toMatchObject({ status: 'void' });
  });

  it('refuses someone else’s coupon, an expired one, and one under its minimum spend', async () => {
    const buyer = uniq('buyer');
    const p = await addProduct(t, { stock: 5, priceFen: 1000 });
    const theirs = await giveCoupon('someone-else', 100, 0);
    const expiring = await giveCoupon(buyer, 100, 0, 1);
    const big = await giveCoupon(buyer, 100, 5000);
    const attempt = (couponId: string) => call(t, buyer, 'createOrder', { requestId: uniq('r'), items: [{ productId: p, quantity: 1 }], address: ADDRESS, couponId });
    expect(await attempt(theirs.couponId)).toMatchObject({ code: 'COUPON_NOT_FOUND' });
    expect(await attempt(big.couponId)).toMatchObject({ code: 'COUPON_MIN_SPEND' });
    expect(await couponDoc(t, big.couponId)).toMatchObject({ status: 'available', orderId: null });
    await t.dev('clock', { advanceMs: DAY + MINUTE });
    expect(await attempt(expiring.couponId)).toMatchObject({ code: 'COUPON_EXPIRED' });
    expect(await stockOf(t, p)).toBe(5);
    await t.dev('timers/fire', { name: 'settleEveryMinute' });
    expect(await couponDoc(t, expiring.couponId)).toMatchObject({ status: 'expired' });
  });
});

describe('refunds', () => {
  async function receivedOrder(buyer: string, couponId?: string) {
    const p = await addProduct(t, { stock: 5, priceFen: 4000 });
    const { order } = await createOrder(t, buyer, [{ productId: p, quantity: 1 }], couponId ? { couponId } : {});
    await payOrder(t, buyer, order.id);
    await ok(t, MERCHANT, 'shipOrder', { orderId: order.id, carrier: '顺丰', trackingNo: 'SF0001' }, 'merchant');
    await ok(t, buyer, 'confirmReceipt', { orderId: order.id });
    return { order, productId: p };
  }

  it('inside the window: requested, approved once, paid back, coupon returned', async () => {
    const buyer = uniq('buyer');
    const { couponId } = await giveCoupon(buyer, 1000, 0);
    const { order } = await receivedOrder(buyer, couponId);
    expect(await couponDoc(t, couponId)).toMatchObject({ status: 'used' });
    await t.dev('clock', { advanceMs: 6 * DAY });
    expect(await call(t, 'stranger', 'requestRefund', { orderId: order.id, reason: '不想要了' })).toMatchObject({ code: 'ORDER_NOT_FOUND' });
    const requested = await ok(t, buyer, 'requestRefund', { orderId: order.id, reason: '不想要了' });
    expect(requested).toMatchObject({ status: 'requested', amountFen: 3000 });
    expect(await ok(t, buyer, 'requestRefund', { orderId: order.id, reason: '不想要了' })).toMatchObject({ status: 'requested' });
    const listed = await ok(t, MERCHANT, 'listRefunds', { status: 'requested' }, 'merchant');
    expect(listed.items.map((r: any) => r.orderId)).toContain(order.id);
    const approved = await ok(t, MERCHANT, 'reviewRefund', { orderId: order.id, approve: true }, 'merchant');
    expect(approved).toMatchObject({ status: 'refunded' });
    expect(await orderDoc(t, order.id)).toMatchObject({ status: 'refunded', refundStatus: 'refunded', pendingSteps: [] });
    const trade = (await payRoute(t, 'query', { outTradeNo: order.id })).body;
    expect(trade).toMatchObject({ state: 'REFUND', refundedFee: 3000 });
    expect(trade.refunds).toHaveLength(1);
    expect(await couponDoc(t, couponId)).toMatchObject({ status: 'available', orderId: null });
    // Approving again refunds nothing more.
    expect(await ok(t, MERCHANT, 'reviewRefund', { orderId: order.id, approve: true }, 'merchant')).toMatchObject({ status: 'refunded' });
    expect((await payRoute(t, 'query', { outTradeNo: order.id })).body.refunds).toHaveLength(1);
  });

  it('after the window: refused, nothing changes', async () => {
    const buyer = uniq('buyer');
    const { order } = await receivedOrder(buyer);
    await t.dev('clock', { advanceMs: 7 * DAY + MINUTE });
    expect(await call(t, buyer, 'requestRefund', { orderId: order.id, reason: '太晚了' })).toMatchObject({ ok: false, code: 'REFUND_WINDOW_CLOSED' });
    expect((await t.db.collection('refunds').doc(order.id).get()).data).toEqual([]);
    expect(await orderDoc(t, order.id)).toMatchObject({ status: 'received', refundStatus: null });
  });

  it('a rejected refund stays paid; a refund before shipping puts the units back', async () => {
    const buyer = uniq('buyer');
    const p = await addProduct(t, { stock: 3, priceFen: 700 });
    const { order } = await createOrder(t, buyer, [{ productId: p, quantity: 2 }]);
    await payOrder(t, buyer, order.id);
    expect(await stockOf(t, p)).toBe(1);
    await ok(t, buyer, 'requestRefund', { orderId: order.id, reason: '拍错了' });
    expect(await ok(t, MERCHANT, 'reviewRefund', { orderId: order.id, approve: false, note: '已发货' }, 'merchant')).toMatchObject({ status: 'rejected' });
    expect((await orderDoc(t, order.id)).status).toBe('paid');
    await ok(t, buyer, 'requestRefund', { orderId: order.id, reason: '还是要退' });
    await ok(t, MERCHANT, 'reviewRefund', { orderId: order.id, approve: true }, 'merchant');
    expect(await orderDoc(t, order.id)).toMatchObject({ status: 'refunded' });
    expect(await stockOf(t, p)).toBe(3);
  });
});

describe('merchant settings', () => {
  it('the merchant sets the refund window; receipt uses it', async () => {
    expect(await ok(t, MERCHANT, 'getShopSettings', {}, 'merchant')).toEqual({ refundWindowDays: 7, autoConfirmDays: 10, payTimeoutMinutes: 15 });
    await ok(t, MERCHANT, 'saveShopSettings', { refundWindowDays: 3, autoConfirmDays: 5 }, 'merchant');
    const buyer = uniq('buyer');
    const p = await addProduct(t, { stock: 1, priceFen: 100 });
    const { order } = await createOrder(t, buyer, [{ productId: p, quantity: 1 }]);
    await payOrder(t, buyer, order.id);
    await ok(t, MERCHANT, 'shipOrder', { orderId: order.id, carrier: '顺丰', trackingNo: 'SF0002' }, 'merchant');
    const r = await ok(t, buyer, 'confirmReceipt', { orderId: order.id });
    expect(Date.parse(r.refundDeadline) - Date.parse(r.receivedAt)).toBe(3 * DAY);
    await ok(t, MERCHANT, 'saveShopSettings', { refundWindowDays: 7, autoConfirmDays: 10 }, 'merchant');
    expect(await call(t, 'buyer-x', 'saveShopSettings', { refundWindowDays: 1, autoConfirmDays: 1 }, 'merchant')).toMatchObject({ code: 'FORBIDDEN' });
  });
});
