/**
 * The shop under concurrency, through the real SDK: the last units sold once, a payment notification delivered fifty
 * times marks the order paid once and emits one event, twenty approvals refund once, a repeated create makes one
 * order, and a crash between the paid write and its steps still runs each step exactly once.
 *
 * The shop and settle bundles here carry a probe step on "order paid" and "order refunded" that records each run
 * (and, for buyers named crash-*, throws the first time, as a crash between the paid write and the steps would).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { build } from 'esbuild';
import { startTestCloud, TestCloud } from '../support/cloud';
import { addProduct, ADDRESS, call, consentingShopper, createOrder, MERCHANT, MINUTE, ok, orderDoc, payOrder, payRoute, stockOf, uniq } from './shop-support';

const ROOT = path.resolve(__dirname, '../..');
const PROBE = `
import { ORDER_STEPS } from './cloudfunctions/app/orderSteps';
import { isDuplicateKey } from './cloudfunctions/infra/db';
async function record(ctx, order, event) {
  if (order.buyerId.startsWith('crash-')) {
    let first = false;
    try { await ctx.db.collection('probe_runs').add({ _id: 'crash:' + event + ':' + order._id }); first = true; }
    catch (e) { if (!isDuplicateKey(e)) throw e; }
    if (first) throw new Error('probe: simulated crash after the ' + event + ' write');
  }
  await ctx.db.collection('probe_runs').add({ orderId: order._id, event });
}
ORDER_STEPS.push({ name: 'probe.paid', on: 'paid', run: (ctx, order) => record(ctx, order, 'paid') });
ORDER_STEPS.push({ name: 'probe.refunded', on: 'refunded', run: (ctx, order) => record(ctx, order, 'refunded') });
`;

let t: TestCloud;
let fnDir: string;

beforeAll(async () => {
  fnDir = fs.mkdtempSync(path.join(os.tmpdir(), 'shop-fns-'));
  fs.cpSync(path.join(ROOT, 'dist/cloudfunctions/user'), path.join(fnDir, 'user'), { recursive: true });
  // Every function that moves orders carries the same steps, as every deployed bundle does.
  for (const name of ['shop', 'settle', 'merchant']) {
    await build({
      stdin: { contents: `${PROBE}\nexport { main } from './cloudfunctions/functions/${name}/index';`, resolveDir: ROOT, loader: 'ts' },
      outfile: path.join(fnDir, name, 'index.js'),
      bundle: true,
      platform: 'node',
      target: 'node18',
      format: 'cjs',
      logLevel: 'error',
    });
  }
  t = await startTestCloud({ functionsDir: fnDir });
  await t.db.createCollection('probe_runs');
});

afterAll(async () => {
  await t.close();
  fs.rmSync(fnDir, { recursive: true, force: true });
});

async function soldOf(productId: string): Promise<number> {
  return (await t.db.collection('products').doc(productId).get()).data[0].soldQty ?? 0;
}

async function probeRuns(orderId: string, event: string) {
  return (await t.db.collection('probe_runs').where({ orderId, event }).count()).total;
}

it('200 buyers press for the last 5 units: exactly 5 orders, 5 paid, stock 0, never negative', async () => {
  const p = await addProduct(t, { stock: 5, priceFen: 12900 });
  const buyers = Array.from({ length: 200 }, (_, i) => uniq(`crowd${i}`));
  // Each opens the app and agrees to the privacy notice first, so the 200 creates below still land together.
  await Promise.all(buyers.map((b) => consentingShopper(t, b)));
  const results = await Promise.all(buyers.map((b) => call(t, b, 'createOrder', { requestId: uniq('req'), items: [{ productId: p, quantity: 1 }], address: ADDRESS })));
  const won = results.map((r, i) => ({ r, buyer: buyers[i] })).filter(({ r }) => r.ok);
  expect(won).toHaveLength(5);
  expect(new Set(results.filter((r) => !r.ok).map((r) => r.code))).toEqual(new Set(['OUT_OF_STOCK']));
  expect(await stockOf(t, p)).toBe(0);
  await Promise.all(won.map(({ r, buyer }) => payOrder(t, buyer, r.data.order.id)));
  const { total } = await t.db.collection('orders').where({ 'items.productId': p, status: 'paid' }).count();
  expect(total).toBe(5);
  expect(await stockOf(t, p)).toBe(0);
  expect(await soldOf(p)).toBe(5); // 已售 moved with the stock: the 195 refused took nothing
  expect((await call(t, buyers[0], 'listProducts', {})).data.items.find((i: { id: string }) => i.id === p)?.soldQty).toBe(5);
});

it('a multi-product order that cannot get every line gives back what it reserved', async () => {
  const plenty = await addProduct(t, { stock: 10, priceFen: 100 });
  const scarce = await addProduct(t, { stock: 1, priceFen: 100 });
  const res = await call(t, uniq('buyer'), 'createOrder', { requestId: uniq('req'), items: [{ productId: plenty, quantity: 3 }, { productId: scarce, quantity: 2 }], address: ADDRESS });
  expect(res).toMatchObject({ ok: false, code: 'OUT_OF_STOCK' });
  // Stock may pass the pre-check and lose the race: two buyers for the one scarce unit, each with the plentiful one too.
  const pair = [uniq('b'), uniq('b')];
  await Promise.all(pair.map((b) => consentingShopper(t, b)));
  const both = await Promise.all(
    pair.map((b) => call(t, b, 'createOrder', { requestId: uniq('req'), items: [{ productId: plenty, quantity: 3 }, { productId: scarce, quantity: 1 }], address: ADDRESS })),
  );
  expect(both.filter((r) => r.ok)).toHaveLength(1);
  expect(await stockOf(t, plenty)).toBe(7);
  expect(await stockOf(t, scarce)).toBe(0);
  // What the refused orders reserved and gave back is not counted as sold.
  expect([await soldOf(plenty), await soldOf(scarce)]).toEqual([3, 1]);
});

it('已售 follows the units orders hold: a cancel and a refund before shipping take them back, each once', async () => {
  const p = await addProduct(t, { stock: 10, priceFen: 100 });
  const [a, b] = [uniq('sold'), uniq('sold')];
  await Promise.all([a, b].map((x) => consentingShopper(t, x)));
  const oa = (await createOrder(t, a, [{ productId: p, quantity: 3 }])).order.id;
  const ob = (await createOrder(t, b, [{ productId: p, quantity: 2 }])).order.id;
  expect(await soldOf(p)).toBe(5);
  // The cancel sent five times at once gives the three units back once.
  await Promise.all(Array.from({ length: 5 }, () => call(t, a, 'cancelOrder', { orderId: oa })));
  expect([await soldOf(p), await stockOf(t, p)]).toEqual([2, 8]);
  await payOrder(t, b, ob);
  await ok(t, b, 'requestRefund', { orderId: ob, reason: '不想要了' });
  await Promise.all(Array.from({ length: 5 }, () => call(t, MERCHANT, 'reviewRefund', { orderId: ob, approve: true }, 'merchant')));
  expect([await soldOf(p), await stockOf(t, p)]).toEqual([0, 10]);
});

it('the same create sent 10 times at once makes one order and reserves once', async () => {
  const p = await addProduct(t, { stock: 50, priceFen: 100 });
  const buyer = uniq('buyer');
  await consentingShopper(t, buyer);
  const payload = { requestId: uniq('req'), items: [{ productId: p, quantity: 2 }], address: ADDRESS };
  const results = await Promise.all(Array.from({ length: 10 }, () => call(t, buyer, 'createOrder', payload)));
  const oks = results.filter((r) => r.ok);
  expect(oks.filter((r) => r.data.created)).toHaveLength(1);
  expect(new Set(oks.map((r) => r.data.order.id)).size).toBe(1);
  // A create still in flight answers CONFLICT (try again); it never makes a second order.
  expect(results.filter((r) => !r.ok).every((r) => r.code === 'CONFLICT')).toBe(true);
  expect(await stockOf(t, p)).toBe(48);
  const again = await ok(t, buyer, 'createOrder', payload);
  expect(again).toMatchObject({ created: false, order: { id: oks[0].data.order.id } });
  expect((await t.db.collection('orders').where({ buyerId: buyer }).count()).total).toBe(1);
});

it('50 copies of the same payment notification: one paid transition, one event', async () => {
  const p = await addProduct(t, { stock: 5, priceFen: 6800 });
  const buyer = uniq('buyer');
  const { order } = await createOrder(t, buyer, [{ productId: p, quantity: 1 }]);
  const confirmed = await payOrder(t, buyer, order.id, 50);
  expect(confirmed.deliveries).toHaveLength(50);
  expect(confirmed.deliveries.every((d: any) => d.ok && d.data.status === 'paid')).toBe(true);
  expect(confirmed.deliveries.filter((d: any) => d.data.transitioned)).toHaveLength(1);
  expect(await probeRuns(order.id, 'paid')).toBe(1);
  expect(await orderDoc(t, order.id)).toMatchObject({ status: 'paid', pendingSteps: [], stepsLeaseUntil: null });
  // And again later: still one.
  await payRoute(t, 'confirm', { outTradeNo: order.id, times: 5 });
  expect(await probeRuns(order.id, 'paid')).toBe(1);
});

it('a crash between the paid write and its steps: a repeated notification finishes them, exactly once', async () => {
  const p = await addProduct(t, { stock: 5, priceFen: 500 });
  const buyer = uniq('crash-a');
  const { order } = await createOrder(t, buyer, [{ productId: p, quantity: 1 }]);
  await payOrder(t, buyer, order.id);
  const crashed = await orderDoc(t, order.id);
  expect(crashed.status).toBe('paid');
  expect(crashed.pendingSteps).toEqual(['paid:probe.paid']);
  expect(await probeRuns(order.id, 'paid')).toBe(0);
  // WeChat Pay repeats a notification until it is acknowledged; here the local cloud sends it again, 10 at once.
  await payRoute(t, 'confirm', { outTradeNo: order.id, times: 10 });
  expect(await probeRuns(order.id, 'paid')).toBe(1);
  expect(await orderDoc(t, order.id)).toMatchObject({ pendingSteps: [], stepsLeaseUntil: null });
});

it('a crash between the paid write and its steps: the settle timer finishes them, exactly once', async () => {
  const p = await addProduct(t, { stock: 5, priceFen: 500 });
  const buyer = uniq('crash-b');
  const { order } = await createOrder(t, buyer, [{ productId: p, quantity: 1 }]);
  await payOrder(t, buyer, order.id);
  expect((await orderDoc(t, order.id)).pendingSteps).toEqual(['paid:probe.paid']);
  await Promise.all([t.dev('timers/fire', { name: 'settleEveryMinute' }), t.dev('timers/fire', { name: 'settleEveryMinute' })]);
  expect(await probeRuns(order.id, 'paid')).toBe(1);
  expect(await orderDoc(t, order.id)).toMatchObject({ status: 'paid', pendingSteps: [] });
  await t.dev('timers/fire', { name: 'settleEveryMinute' });
  await payRoute(t, 'confirm', { outTradeNo: order.id, times: 3 });
  expect(await probeRuns(order.id, 'paid')).toBe(1);
});

it('a runner that died holding the lease: after the lease passes, the timer takes over', async () => {
  const p = await addProduct(t, { stock: 5, priceFen: 500 });
  const buyer = uniq('buyer');
  const { order } = await createOrder(t, buyer, [{ productId: p, quantity: 1 }]);
  await payOrder(t, buyer, order.id);
  // Put the order back as a killed runner leaves it: a step owed, the lease held.
  const lease = new Date(t.cloud.clock.now() + MINUTE);
  await t.db.collection('orders').doc(order.id).update({ pendingSteps: ['paid:probe.paid'], stepsLeaseUntil: lease });
  await t.dev('timers/fire', { name: 'settleEveryMinute' });
  expect((await orderDoc(t, order.id)).pendingSteps).toEqual(['paid:probe.paid']);
  await t.dev('clock', { advanceMs: 2 * MINUTE });
  await t.dev('timers/fire', { name: 'settleEveryMinute' });
  expect(await orderDoc(t, order.id)).toMatchObject({ pendingSteps: [], stepsLeaseUntil: null });
  expect(await probeRuns(order.id, 'paid')).toBe(2); // once when paid, once for the owed step put back by hand
});

it('20 concurrent refund approvals: one refund, one "order refunded" event', async () => {
  const p = await addProduct(t, { stock: 5, priceFen: 9900 });
  const buyer = uniq('buyer');
  const { order } = await createOrder(t, buyer, [{ productId: p, quantity: 1 }]);
  await payOrder(t, buyer, order.id);
  await ok(t, buyer, 'requestRefund', { orderId: order.id, reason: '质量问题' });
  const reviews = await Promise.all(Array.from({ length: 20 }, () => call(t, MERCHANT, 'reviewRefund', { orderId: order.id, approve: true }, 'merchant')));
  expect(reviews.every((r) => r.ok)).toBe(true);
  expect(reviews.filter((r) => r.data.status === 'refunded').length).toBeGreaterThanOrEqual(1);
  const trade = (await payRoute(t, 'query', { outTradeNo: order.id })).body;
  expect(trade.refunds).toHaveLength(1);
  expect(trade.refundedFee).toBe(9900);
  expect(await orderDoc(t, order.id)).toMatchObject({ status: 'refunded', pendingSteps: [] });
  expect(await probeRuns(order.id, 'refunded')).toBe(1);
  expect(await stockOf(t, p)).toBe(5);
});

it('a trade that paid another amount than the order charges is not its payment: refused, nothing changes', async () => {
  const p = await addProduct(t, { stock: 5, priceFen: 1200 });
  const buyer = uniq('amount');
  const { order } = await createOrder(t, buyer, [{ productId: p, quantity: 1 }]);
  await ok(t, buyer, 'pay', { orderId: order.id });
  // The order now charges one fen more than the trade the provider holds (the trade was made for 1200).
  await t.db.collection('orders').doc(order.id).update({ payableFen: order.payableFen + 1 });
  const confirmed = await payRoute(t, 'confirm', { outTradeNo: order.id, times: 3 });
  expect(confirmed.body.deliveries).toHaveLength(3);
  expect(confirmed.body.deliveries.every((d: any) => !d.ok && d.code === 'PAYMENT_NOT_CONFIRMED')).toBe(true);
  expect(await orderDoc(t, order.id)).toMatchObject({ status: 'pending_payment', pendingSteps: [], paidAt: null });
  expect(await probeRuns(order.id, 'paid')).toBe(0);
});

it('the notification and the expiry timer at the same moment: paid once with its steps once, or closed with the money back', async () => {
  const p = await addProduct(t, { stock: 5, priceFen: 800 });
  const buyers = [uniq('race-a'), uniq('race-b'), uniq('race-c')];
  const orders = [];
  for (const b of buyers) {
    const { order } = await createOrder(t, b, [{ productId: p, quantity: 1 }]);
    await ok(t, b, 'pay', { orderId: order.id });
    orders.push(order);
  }
  await t.dev('clock', { advanceMs: 15 * MINUTE + 1000 }); // every order is past its payment window
  await Promise.all([
    ...orders.map((o) => payRoute(t, 'confirm', { outTradeNo: o.id, times: 3 })),
    t.dev('timers/fire', { name: 'settleEveryMinute' }),
  ]);
  await t.dev('timers/fire', { name: 'settleEveryMinute' });
  for (const o of orders) {
    const doc = await orderDoc(t, o.id);
    const trade = (await payRoute(t, 'query', { outTradeNo: o.id })).body;
    if (doc.status === 'paid') {
      expect(await probeRuns(o.id, 'paid')).toBe(1);
      expect(trade.state).toBe('SUCCESS');
    } else {
      expect(['expired', 'cancelled']).toContain(doc.status);
      expect(await probeRuns(o.id, 'paid')).toBe(0);
      // closed before the payment went through (the trade was closed with it), or paid after: back in full
      expect(['CLOSED', 'REFUND']).toContain(trade.state);
    }
    expect(doc.pendingSteps).toEqual([]);
  }
  expect(await stockOf(t, p)).toBe(5 - (await Promise.all(orders.map((o) => orderDoc(t, o.id)))).filter((d) => d.status === 'paid').length);
});
