/**
 * Bad input and abuse: each answer carries a catalogued code and the database is exactly as it was before the call.
 */
import { issueCoupon } from '../../cloudfunctions/app/coupons/coupons';
import type { Fen } from '../../types/money';
import { startTestCloud, TestCloud } from '../support/cloud';
import { ADDRESS, addProduct, call, createOrder, DAY, MERCHANT, MINUTE, ok, payOrder, SHOP_COLLECTIONS, snapshot, uniq } from './shop-support';

let t: TestCloud;
let product: string;
let buyer: string;
let otherOrder: string;
let theirCoupon: string;
let expiredCoupon: string;

beforeAll(async () => {
  t = await startTestCloud();
  product = await addProduct(t, { stock: 10, priceFen: 1000 });
  buyer = uniq('buyer');
  const other = uniq('other');
  const ctx = { db: t.db as any, clock: { now: () => new Date(t.cloud.clock.now()) } };
  theirCoupon = (await issueCoupon(ctx, { sourceKey: uniq('k'), ownerId: other, amountFen: 100 as Fen, minSpendFen: 0 as Fen, validDays: 30, held: false })).couponId;
  expiredCoupon = (await issueCoupon({ ...ctx, clock: { now: () => new Date(t.cloud.clock.now() - 40 * DAY) } }, { sourceKey: uniq('k'), ownerId: buyer, amountFen: 100 as Fen, minSpendFen: 0 as Fen, validDays: 30, held: false })).couponId;
  const { order } = await createOrder(t, other, [{ productId: product, quantity: 1 }]);
  await payOrder(t, other, order.id);
  otherOrder = order.id;
});
afterAll(() => t.close());

const order = (extra: Record<string, unknown> = {}, items?: unknown) => ({ requestId: uniq('req'), items: items ?? [{ productId: product, quantity: 1 }], address: ADDRESS, ...extra });

const cases: [string, () => [string, Record<string, unknown>, string?], string][] = [
  ['unknown product', () => ['createOrder', order({}, [{ productId: 'no-such-product', quantity: 1 }])], 'PRODUCT_NOT_FOUND'],
  ['zero quantity', () => ['createOrder', order({}, [{ productId: product, quantity: 0 }])], 'QUANTITY_INVALID'],
  ['negative quantity', () => ['createOrder', order({}, [{ productId: product, quantity: -3 }])], 'QUANTITY_INVALID'],
  ['fractional quantity', () => ['createOrder', order({}, [{ productId: product, quantity: 1.5 }])], 'QUANTITY_INVALID'],
  ['huge quantity', () => ['createOrder', order({}, [{ productId: product, quantity: 1e9 }])], 'QUANTITY_INVALID'],
  ['more than in stock', () => ['createOrder', order({}, [{ productId: product, quantity: 50 }])], 'OUT_OF_STOCK'],
  ['too many lines', () => ['createOrder', order({}, Array.from({ length: 21 }, (_, i) => ({ productId: `p${i}`, quantity: 1 })))], 'QUANTITY_INVALID'],
  ['a price in the request', () => ['createOrder', order({ payableFen: 1 })], 'PRICE_NOT_ACCEPTED'],
  ['a unit price on a line', () => ['createOrder', order({}, [{ productId: product, quantity: 1, unitPriceFen: 1 }])], 'PRICE_NOT_ACCEPTED'],
  ['someone else’s coupon', () => ['createOrder', order({ couponId: theirCoupon })], 'COUPON_NOT_FOUND'],
  ['an expired coupon', () => ['createOrder', order({ couponId: expiredCoupon })], 'COUPON_EXPIRED'],
  ['no address', () => ['createOrder', { requestId: uniq('req'), items: [{ productId: product, quantity: 1 }] }], 'ADDRESS_INVALID'],
  ['a bad address', () => ['createOrder', order({ address: { ...ADDRESS, phone: 'call me' } })], 'ADDRESS_INVALID'],
  ['someone else’s saved address', () => ['createOrder', { requestId: uniq('req'), items: [{ productId: product, quantity: 1 }], addressId: 'a-not-mine' }], 'ADDRESS_NOT_FOUND'],
  ['an unknown field', () => ['createOrder', order({ discount: 50 })], 'INVALID_ARGUMENT'],
  ['paying someone else’s order', () => ['pay', { orderId: otherOrder }], 'ORDER_NOT_FOUND'],
  ['cancelling someone else’s order', () => ['cancelOrder', { orderId: otherOrder }], 'ORDER_NOT_FOUND'],
  ['refunding someone else’s order', () => ['requestRefund', { orderId: otherOrder, reason: '想退' }], 'ORDER_NOT_FOUND'],
  ['confirming someone else’s receipt', () => ['confirmReceipt', { orderId: otherOrder }], 'ORDER_NOT_FOUND'],
  ['a shopper delivering a payment notification', () => ['paymentNotify', { outTradeNo: otherOrder }], 'FORBIDDEN'],
  ['a shopper shipping', () => ['shipOrder', { orderId: otherOrder, carrier: '顺丰', trackingNo: 'SF123456' }, 'merchant'], 'FORBIDDEN'],
  ['a shopper approving a refund', () => ['reviewRefund', { orderId: otherOrder, approve: true }, 'merchant'], 'FORBIDDEN'],
  ['an unknown action', () => ['setPrice', { productId: product, priceFen: 1 }], 'UNKNOWN_ACTION'],
];

it.each(cases)('%s → catalogued code, nothing changes', async (_name, make, code) => {
  const [action, payload, fn] = make();
  const before = await snapshot(t, SHOP_COLLECTIONS);
  const res = await call(t, buyer, action, payload, fn ?? 'shop');
  expect(res).toMatchObject({ ok: false, code });
  expect(typeof res.message).toBe('string');
  expect(await snapshot(t, SHOP_COLLECTIONS)).toEqual(before);
});

it('merchant mistakes: shipping an unpaid order, reviewing a refund nobody asked for', async () => {
  const { order: unpaid } = await createOrder(t, uniq('b'), [{ productId: product, quantity: 1 }]);
  const before = await snapshot(t, SHOP_COLLECTIONS);
  expect(await call(t, MERCHANT, 'shipOrder', { orderId: unpaid.id, carrier: '顺丰', trackingNo: 'SF999999' }, 'merchant')).toMatchObject({ code: 'ORDER_STATE_INVALID' });
  expect(await call(t, MERCHANT, 'reviewRefund', { orderId: unpaid.id, approve: true }, 'merchant')).toMatchObject({ code: 'REFUND_NOT_FOUND' });
  expect(await call(t, MERCHANT, 'shipOrder', { orderId: 'o-none', carrier: '顺丰', trackingNo: 'SF999999' }, 'merchant')).toMatchObject({ code: 'ORDER_NOT_FOUND' });
  expect(await snapshot(t, SHOP_COLLECTIONS)).toEqual(before);
});

it('refund requests out of place: unpaid, after the window', async () => {
  const b = uniq('b');
  const { order: unpaid } = await createOrder(t, b, [{ productId: product, quantity: 1 }]);
  let before = await snapshot(t, SHOP_COLLECTIONS);
  expect(await call(t, b, 'requestRefund', { orderId: unpaid.id, reason: '想退' })).toMatchObject({ code: 'REFUND_NOT_ALLOWED' });
  expect(await snapshot(t, SHOP_COLLECTIONS)).toEqual(before);
  const { order: late } = await createOrder(t, b, [{ productId: product, quantity: 1 }]);
  await payOrder(t, b, late.id);
  await ok(t, MERCHANT, 'shipOrder', { orderId: late.id, carrier: '顺丰', trackingNo: 'SF777777' }, 'merchant');
  await ok(t, b, 'confirmReceipt', { orderId: late.id });
  await t.dev('clock', { advanceMs: 8 * DAY });
  before = await snapshot(t, SHOP_COLLECTIONS);
  expect(await call(t, b, 'requestRefund', { orderId: late.id, reason: '想退' })).toMatchObject({ code: 'REFUND_WINDOW_CLOSED' });
  expect(await snapshot(t, SHOP_COLLECTIONS)).toEqual(before);
  await t.dev('clock', { advanceMs: -8 * DAY - MINUTE });
});
