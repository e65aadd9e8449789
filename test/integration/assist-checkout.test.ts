/**
 * Start → share → three friends help → success → buy at the assist price through `shop.createOrder` (the shop
 * claims the voucher through app/assist/redemption.ts), pay; a used voucher is refused; a cancelled order gives it
 * back; nobody else can buy at the owner's price.
 */
import { startTestCloud, TestCloud } from '../support/cloud';
import { call, HOUR, loginMany, ok, startTask, task } from './assist-support';

/* eslint-disable @typescript-eslint/no-explicit-any */
let t: TestCloud;
const OWNER = 'co-owner';
const ADDRESS = { name: '张三', phone: '13800138000', province: '浙江省', city: '杭州市', district: '西湖区', detail: '文三路 100 号' };
let taskId: string;
let seq = 0;
const requestId = () => `assist-checkout-${++seq}-${Date.now().toString(36)}`;

const buy = (openid: string, items: Record<string, unknown>[]) => call(t, openid, 'shop', 'createOrder', { requestId: requestId(), items, address: ADDRESS });

beforeAll(async () => {
  t = await startTestCloud();
  await loginMany(t, [OWNER, 'co-f1', 'co-f2', 'co-f3', 'co-other']);
  // Buying with an address needs the privacy consent, as the app asks for it on first open.
  for (const who of [OWNER, 'co-other']) await ok(t, who, 'user', 'consent', { version: '2026-01' });
  taskId = (await startTask(t, OWNER)).taskId;
});
afterAll(() => t.close());

it('an open task cannot be redeemed yet', async () => {
  const r = await buy(OWNER, [{ productId: 'p-tea', quantity: 1, assistTaskId: taskId }]);
  expect(r).toMatchObject({ ok: false, code: 'ASSIST_VOUCHER_NOT_READY' });
});

it('three friends help, then the owner buys one at ¥99.00 instead of ¥168.00 and pays', async () => {
  for (const f of ['co-f1', 'co-f2', 'co-f3']) await ok(t, f, 'assist', 'help', { taskId });
  expect((await task(t, taskId)).status).toBe('succeeded');

  const stockBefore = (await t.db.collection('products').doc('p-tea').get()).data[0].stock;
  const r = await buy(OWNER, [{ productId: 'p-tea', quantity: 1, assistTaskId: taskId }]);
  expect(r.ok).toBe(true);
  const order = r.data.order;
  expect(order).toMatchObject({ status: 'pending_payment', itemsTotalFen: 9900, payableFen: 9900 });
  expect(order.items[0]).toMatchObject({ productId: 'p-tea', quantity: 1, unitPriceFen: 9900 });
  expect((await task(t, taskId)).voucher.orderId).toBe(order.id);
  expect((await t.db.collection('products').doc('p-tea').get()).data[0].stock).toBe(stockBefore - 1);

  const prepared = await ok(t, OWNER, 'shop', 'pay', { orderId: order.id });
  const res = await fetch(`${t.cloud.url}/__pay/confirm`, { method: 'POST', body: JSON.stringify({ outTradeNo: prepared.outTradeNo }) });
  expect(res.status).toBe(200);
  expect((await t.db.collection('orders').doc(order.id).get()).data[0]).toMatchObject({ status: 'paid', assistTaskId: taskId });

  const view = await ok(t, OWNER, 'assist', 'get', { taskId });
  expect(view.voucher).toMatchObject({ state: 'used' });
});

it('the voucher buys once: a second order is refused and reserves nothing', async () => {
  const stockBefore = (await t.db.collection('products').doc('p-tea').get()).data[0].stock;
  const r = await buy(OWNER, [{ productId: 'p-tea', quantity: 1, assistTaskId: taskId }]);
  expect(r).toMatchObject({ ok: false, code: 'ASSIST_VOUCHER_USED' });
  expect((await t.db.collection('products').doc('p-tea').get()).data[0].stock).toBe(stockBefore);
});

it('only the owner, only that product, only one unit', async () => {
  expect(await buy('co-other', [{ productId: 'p-tea', quantity: 1, assistTaskId: taskId }])).toMatchObject({ ok: false, code: 'ASSIST_VOUCHER_NOT_OWNER' });
  expect(await buy(OWNER, [{ productId: 'p-honey', quantity: 1, assistTaskId: taskId }])).toMatchObject({ ok: false, code: 'ASSIST_VOUCHER_WRONG_PRODUCT' });
  expect((await buy(OWNER, [{ productId: 'p-tea', quantity: 2, assistTaskId: taskId }])).ok).toBe(false);
});

describe('a second task, whose order is cancelled', () => {
  let second: string;
  beforeAll(async () => {
    // The owner's first task is done: a new one can start.
    second = (await startTask(t, OWNER)).taskId;
    expect(second).not.toBe(taskId);
    for (const f of ['co-f1', 'co-f2', 'co-other']) await ok(t, f, 'assist', 'help', { taskId: second });
  });

  it('a cancelled order gives the voucher back, and it can be used again', async () => {
    const first = await buy(OWNER, [{ productId: 'p-tea', quantity: 1, assistTaskId: second }]);
    expect(first.ok).toBe(true);
    await ok(t, OWNER, 'shop', 'cancelOrder', { orderId: first.data.order.id });
    expect((await task(t, second)).voucher.orderId).toBeNull();
    const again = await buy(OWNER, [{ productId: 'p-tea', quantity: 1, assistTaskId: second }]);
    expect(again).toMatchObject({ ok: true, data: { order: { itemsTotalFen: 9900 } } });
    await ok(t, OWNER, 'shop', 'cancelOrder', { orderId: again.data.order.id });
  });

  it('an expired voucher is refused at checkout', async () => {
    await t.dev('clock', { advanceMs: 49 * HOUR });
    expect(await buy(OWNER, [{ productId: 'p-tea', quantity: 1, assistTaskId: second }])).toMatchObject({ ok: false, code: 'ASSIST_VOUCHER_EXPIRED' });
    await t.dev('clock', { reset: true });
  });
});

it('a list price lowered below the assist price after the campaign: the voucher buys at the lower list price', async () => {
  const owner = 'co-cheap';
  await loginMany(t, [owner, 'co-g1', 'co-g2', 'co-g3']);
  await ok(t, owner, 'user', 'consent', { version: '2026-01' });
  const cheap = (await startTask(t, owner)).taskId;
  for (const f of ['co-g1', 'co-g2', 'co-g3']) await ok(t, f, 'assist', 'help', { taskId: cheap });
  const products = t.db.collection('products');
  const listBefore = (await products.doc('p-tea').get()).data[0].priceFen;
  // The merchant marks 茶 down to ¥80.00, under the campaign's ¥99.00 assist price.
  await products.doc('p-tea').update({ priceFen: 8000 });
  try {
    const quote = await ok(t, owner, 'shop', 'quote', { items: [{ productId: 'p-tea', quantity: 1, assistTaskId: cheap }] });
    expect(quote).toMatchObject({ itemsTotalFen: 8000, payableFen: 8000 });
    const r = await buy(owner, [{ productId: 'p-tea', quantity: 1, assistTaskId: cheap }]);
    expect(r).toMatchObject({ ok: true, data: { order: { itemsTotalFen: 8000, payableFen: 8000 } } });
    expect(r.data.order.items[0]).toMatchObject({ unitPriceFen: 8000 });
    await ok(t, owner, 'shop', 'cancelOrder', { orderId: r.data.order.id });
  } finally {
    await products.doc('p-tea').update({ priceFen: listBefore });
  }
});
