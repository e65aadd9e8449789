/**
 * 用户详情's purchases and the 报表 through the real SDK on the local cloud: orders, refunds and invites made through
 * the functions, then the merchant's actions checked to the fen (sales per product, refunds, top inviters), the phone
 * masked on the server, and bad ranges refused with a catalogued code.
 */
import { shanghaiDay } from '../../cloudfunctions/domain/stats';
import { startTestCloud, TestCloud } from '../support/cloud';
import { failNext } from '../support/holds';
import { addProduct, ADDRESS } from './shop-support';
import { buy, call, DAY, inviter, invitees, MERCHANT, ok, onlyRule, orderDoc, refund, uniq } from './referral-support';

let t: TestCloud;
/** 12:00 in Shanghai on 2027-01-10: far from midnight, so every order of the scenario is paid that day. */
const NOON = Date.UTC(2027, 0, 10, 4);

beforeAll(async () => {
  t = await startTestCloud({ seed: false });
  await t.dev('clock', { setMs: NOON });
});
afterAll(async () => {
  await t?.close();
});

async function buyLines(buyer: string, items: { productId: string; quantity: number }[]): Promise<string> {
  const { order } = await ok(t, buyer, 'shop', 'createOrder', { requestId: uniq('req'), items, address: ADDRESS });
  const prepared = await ok(t, buyer, 'shop', 'pay', { orderId: order.id });
  const res = await fetch(`${t.cloud.url}/__pay/confirm`, { method: 'POST', body: JSON.stringify({ outTradeNo: prepared.outTradeNo }) });
  expect(res.status).toBe(200);
  return order.id;
}

let a: { id: string; code: string };
let b: string;
let c: string;
let cup: string;
let pot: string;
let bOrder: string;
let cOrder: string;

beforeAll(async () => {
  await onlyRule(t, { name: '每单返现', reward: { form: 'cash', amountFen: 500 }, trigger: { kind: 'eachOrder', minOrderFen: 0 } });
  cup = await addProduct(t, { stock: 1000, priceFen: 3000, title: '青瓷茶杯' });
  pot = await addProduct(t, { stock: 1000, priceFen: 2000, title: '紫砂茶壶' });
  a = await inviter(t, 'RA');
  [b, c] = await invitees(t, a.code, 2, 'RF');
  await ok(t, b, 'shop', 'saveAddress', { ...ADDRESS, phone: '13912345678', isDefault: true });
  await ok(t, b, 'shop', 'saveAddress', { ...ADDRESS, name: '李四', phone: '02188886666' });
  bOrder = await buyLines(b, [{ productId: cup, quantity: 1 }, { productId: pot, quantity: 2 }]); // 7000
  cOrder = await buy(t, c, 3000, {}, cup); // 3000, refunded below
  await refund(t, c, cOrder);
  await buy(t, a.id, 2000, {}, pot); // 2000: A has no inviter
  // two days later, outside a one-day report
  await t.dev('clock', { advanceMs: 2 * DAY });
  await buy(t, b, 3000, {}, cup);
});

it('用户详情: the latest orders with items and spec, refunds with reason, addresses with the phone masked on the server', async () => {
  const p = await ok(t, MERCHANT, 'merchant', 'userPurchases', { openid: b });
  expect(p.orders).toHaveLength(2);
  const first = p.orders[1];
  expect(first).toMatchObject({ id: bOrder, payableFen: 7000, status: 'paid', refundStatus: null });
  expect(first.orderNo).toBe((await orderDoc(t, bOrder)).orderNo);
  expect(first.items).toEqual([
    { title: '青瓷茶杯', spec: '', quantity: 1, subtotalFen: 3000 },
    { title: '紫砂茶壶', spec: '', quantity: 2, subtotalFen: 4000 },
  ]);
  expect(p.refunds).toEqual([]);
  expect(p.addresses.map((x: { name: string; phoneMasked: string; isDefault: boolean }) => [x.name, x.phoneMasked, x.isDefault])).toEqual([
    ['张三', '139****5678', true],
    ['李四', '021****6666', false],
  ]);
  // the full number is nowhere in the answer
  const raw = JSON.stringify(await call(t, MERCHANT, 'merchant', 'userPurchases', { openid: b }));
  expect(raw).not.toContain('13912345678');
  expect(raw).not.toContain('02188886666');

  const cp = await ok(t, MERCHANT, 'merchant', 'userPurchases', { openid: c });
  expect(cp.orders.map((o: { status: string; refundStatus: string }) => [o.status, o.refundStatus])).toEqual([['refunded', 'refunded']]);
  expect(cp.refunds).toEqual([{ orderId: cOrder, orderNo: cp.orders[0].orderNo, amountFen: 3000, status: 'refunded', reason: '不想要了', requestedAt: expect.any(String) }]);

  expect(await call(t, MERCHANT, 'merchant', 'userPurchases', { openid: 'nobody-here' })).toMatchObject({ ok: false, code: 'USER_NOT_FOUND' });
  expect(await call(t, b, 'merchant', 'userPurchases', { openid: b })).toMatchObject({ ok: false });
});

it('报表: units, paid and refunded per product, the totals and the top inviters, exact to the fen', async () => {
  const r = await ok(t, MERCHANT, 'merchant', 'salesReport', { startDay: '2027-01-10', endDay: '2027-01-10' });
  expect(r.days).toBe(1);
  // cup: B 1 (its share of 7000 is 3000) + C 1 (3000, refunded); pot: B 2 (4000) + A 1 (2000)
  expect(r.products.map((p: { title: string; units: number; paidFen: number; refundedFen: number }) => [p.title, p.units, p.paidFen, p.refundedFen])).toEqual([
    ['紫砂茶壶', 3, 6000, 0],
    ['青瓷茶杯', 2, 6000, 3000],
  ]);
  expect(r.totals).toEqual({ orders: 3, units: 5, paidFen: 12000, refundedFen: 3000 });
  // B converted and stands; C's conversion was reversed by the refund, and its 500 voided
  expect(r.inviters).toEqual([{ openid: a.id, nickname: expect.any(String), converted: 1, rebateCostFen: 500 }]);

  const wide = await ok(t, MERCHANT, 'merchant', 'salesReport', { startDay: '2026-12-13', endDay: '2027-01-12' });
  expect(wide.days).toBe(31);
  expect(wide.totals).toEqual({ orders: 4, units: 6, paidFen: 15000, refundedFen: 3000 });
  expect(wide.products[0]).toMatchObject({ title: '青瓷茶杯', units: 3, paidFen: 9000, refundedFen: 3000 });
  // B's second order is not a new conversion, but it earns A another 500
  expect(wide.inviters).toEqual([{ openid: a.id, nickname: expect.any(String), converted: 1, rebateCostFen: 1000 }]);

  const empty = await ok(t, MERCHANT, 'merchant', 'salesReport', { startDay: '2027-01-11', endDay: '2027-01-11' });
  expect(empty).toMatchObject({ products: [], inviters: [], totals: { orders: 0, units: 0, paidFen: 0, refundedFen: 0 } });
});

it('报表: a range that ends before it starts, is longer than 366 days or is not a day is refused', async () => {
  for (const range of [
    { startDay: '2027-01-10', endDay: '2027-01-09' },
    { startDay: '2026-01-01', endDay: '2027-01-02' },
    { startDay: '2027-02-30', endDay: '2027-03-01' },
  ]) {
    expect(await call(t, MERCHANT, 'merchant', 'salesReport', range)).toMatchObject({ ok: false, code: 'REPORT_RANGE_INVALID' });
  }
  expect(await call(t, MERCHANT, 'merchant', 'salesReport', { startDay: '2027/01/01', endDay: '2027-01-02' })).toMatchObject({ ok: false, code: 'INVALID_ARGUMENT' });
  expect(await call(t, MERCHANT, 'merchant', 'salesReport', { startDay: '2026-01-10', endDay: '2027-01-10' })).toMatchObject({ ok: true });
});

it('报表 and 看板 date a refund the same day when the timer finishes it after midnight', async () => {
  // 23:50 in Shanghai: the approval's last write (the refund document) fails; the order is refunded already.
  await t.dev('clock', { setMs: Date.UTC(2027, 0, 20, 15, 50) });
  const a = await inviter(t, 'RM');
  const [b] = await invitees(t, a.code, 1, 'RMF');
  const orderId = await buy(t, b, 4100);
  await ok(t, b, 'shop', 'requestRefund', { orderId, reason: '不想要了' });
  const f = await failNext(t, { action: 'database.modifyAndReturnDoc', collectionName: 'refunds', queryContains: '"approved"' }, 1);
  await call(t, MERCHANT, 'merchant', 'reviewRefund', { orderId, approve: true });
  expect(await f.used()).toBe(true);
  const order = await orderDoc(t, orderId);
  expect(order.status).toBe('refunded');
  // 20 minutes later, the next Shanghai day, the settle timer finishes the refund.
  await t.dev('clock', { advanceMs: 20 * 60_000 });
  await ok(t, MERCHANT, 'settle', 'run');
  const doc = (await t.db.collection('refunds').doc(orderId).get()).data[0];
  expect(doc.status).toBe('refunded');
  expect(doc.refundedAt).toEqual(order.refundedAt);
  const day = shanghaiDay(order.refundedAt);
  expect(day).toBe('2027-01-20');
  expect((await ok(t, MERCHANT, 'merchant', 'salesReport', { startDay: '2027-01-20', endDay: '2027-01-20' })).totals.refundedFen).toBe(4100);
  expect((await ok(t, MERCHANT, 'merchant', 'salesReport', { startDay: '2027-01-21', endDay: '2027-01-21' })).totals.refundedFen).toBe(0);
});
