/**
 * The order says what the buyer may do, on the cloud's clock (issue 17.10): a phone whose clock is behind is never
 * offered a refund past the deadline or a payment past the expiry. The merchant's list carries no buyer buttons.
 */
import { startTestCloud, TestCloud } from '../support/cloud';
import { addProduct, createOrder, DAY, MERCHANT, MINUTE, ok, payOrder, uniq } from './shop-support';

let t: TestCloud;

beforeAll(async () => {
  t = await startTestCloud();
});
afterAll(() => t.close());

const actionsOf = async (buyer: string, orderId: string) => (await ok(t, buyer, 'getOrder', { orderId })).actions;

it('unpaid → pay/cancel until its expiry on the cloud clock (before any timer), then nothing', async () => {
  const buyer = uniq('act');
  const productId = await addProduct(t, { stock: 10, priceFen: 500 });
  const { order } = await createOrder(t, buyer, [{ productId, quantity: 1 }]);
  expect(order.actions).toEqual(['pay', 'cancel']);
  await t.dev('clock', { advanceMs: 16 * MINUTE });
  expect(await actionsOf(buyer, order.id)).toEqual([]);
});

it('paid → shipped → received: refund until the deadline on the cloud clock; the merchant sees no buyer buttons', async () => {
  const buyer = uniq('act');
  const productId = await addProduct(t, { stock: 10, priceFen: 500 });
  const { order } = await createOrder(t, buyer, [{ productId, quantity: 1 }]);
  await payOrder(t, buyer, order.id);
  expect(await actionsOf(buyer, order.id)).toEqual(['refund']);
  await ok(t, MERCHANT, 'shipOrder', { orderId: order.id, carrier: '顺丰', trackingNo: uniq('SF') }, 'merchant');
  expect(await actionsOf(buyer, order.id)).toEqual(['confirm', 'refund']);
  const merchantList = await ok(t, MERCHANT, 'listOrders', { status: 'shipped', pageSize: 50 }, 'merchant');
  expect(merchantList.items.find((o: { id: string }) => o.id === order.id).actions).toBeUndefined();
  await ok(t, buyer, 'confirmReceipt', { orderId: order.id });
  const mine = await ok(t, buyer, 'listOrders', {});
  expect(mine.items[0]).toMatchObject({ id: order.id, actions: ['refund'] });

  await t.dev('clock', { advanceMs: 8 * DAY });
  expect(await actionsOf(buyer, order.id)).toEqual([]);
});
