/**
 * 订单编号 (issue 17.7): "YYYYMMDD-NNNNNN", the Asia/Shanghai day and that day's sequence, given by an atomic increment
 * on one counter document per day. 30 buyers at once get 30 distinct consecutive numbers; a repeat of a create keeps
 * its number; the next shop day starts again at 000001; the order's _id is unchanged.
 */
import { startTestCloud, TestCloud } from '../support/cloud';
import { addProduct, createOrder, DAY, ok, orderDoc, uniq } from './shop-support';
import { formatOrderNo } from '../../cloudfunctions/app/shop/orderNumbers';
import { shanghaiDay } from '../../types/time';

let t: TestCloud;

beforeAll(async () => {
  t = await startTestCloud();
});
afterAll(() => t.close());

const seqOf = (no: string) => Number(no.split('-')[1]);

it('formats the day and a six-digit sequence', () => {
  expect(formatOrderNo('2026-12-05', 123)).toBe('20261205-000123');
});

it('30 buyers at once: distinct, consecutive numbers of the shop day; a repeat keeps its number', async () => {
  const productId = await addProduct(t, { stock: 100, priceFen: 500 });
  const day = shanghaiDay(new Date(t.cloud.clock.now())).replace(/-/g, '');
  const buyers = Array.from({ length: 30 }, () => uniq('no'));
  const orders = await Promise.all(buyers.map((b) => createOrder(t, b, [{ productId, quantity: 1 }])));
  const numbers = orders.map((o) => o.order.orderNo as string);
  for (const no of numbers) expect(no).toMatch(new RegExp(`^${day}-\\d{6}$`));
  expect(new Set(numbers).size).toBe(30);
  const seqs = numbers.map(seqOf).sort((a, b) => a - b);
  expect(seqs[29] - seqs[0]).toBe(29);

  // The id stays the payment's out_trade_no; the number is stored on the order and answered by its views.
  const first = orders[0].order;
  expect(first.id).not.toBe(first.orderNo);
  expect((await orderDoc(t, first.id)).orderNo).toBe(first.orderNo);
  expect((await ok(t, buyers[0], 'getOrder', { orderId: first.id })).orderNo).toBe(first.orderNo);
  const listed = await ok(t, buyers[0], 'listOrders', {});
  expect(listed.items[0].orderNo).toBe(first.orderNo);

  // A repeat of the same create answers the same order and number, and takes none.
  const requestId = uniq('req');
  const body = { requestId, items: [{ productId, quantity: 1 }], address: { name: '张三', phone: '13800138000', province: '浙江省', city: '杭州市', district: '西湖区', detail: '文三路 100 号' } };
  const once = await ok(t, buyers[1], 'createOrder', body);
  const again = await ok(t, buyers[1], 'createOrder', body);
  expect(again.order.orderNo).toBe(once.order.orderNo);
  expect(seqOf(once.order.orderNo)).toBe(seqs[29] + 1);
  const counter = (await t.db.collection('order_numbers').doc(shanghaiDay(new Date(t.cloud.clock.now()))).get()).data[0];
  expect(counter.seq).toBe(seqs[29] + 1);
});

it('the next shop day starts again at 000001', async () => {
  const productId = await addProduct(t, { stock: 10, priceFen: 500 });
  await t.dev('clock', { advanceMs: DAY });
  const next = await createOrder(t, uniq('no'), [{ productId, quantity: 1 }]);
  const day = shanghaiDay(new Date(t.cloud.clock.now())).replace(/-/g, '');
  expect(next.order.orderNo).toBe(`${day}-000001`);
});
