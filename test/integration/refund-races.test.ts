/**
 * Refunds at the worst moment, through the gateway and the real SDK:
 *   - the merchant rejects while the buyer asks again: a request that is open keeps its hold on the inviter's
 *     rewards, and the order says what the refund says;
 *   - an approved refund the payment provider refused (the timer retries it) is not shipped meanwhile;
 *   - a refund that went through while its referral step is still owed keeps the hold: the settle timer does not
 *     post the reward for the refunded order, and the step, once it runs, takes it back.
 */
import { startTestCloud, TestCloud } from '../support/cloud';
import { heldDuring } from '../support/holds';
import { advance, buy, call, DAY, invitees, inviter, MERCHANT, notificationsOf, ok, onlyRule, orderDoc, receive, rewardsOf, settle, uniq } from './referral-support';

let t: TestCloud;

beforeAll(async () => {
  t = await startTestCloud();
});
afterAll(async () => {
  await t?.close();
});

const walletDoc = async (id: string) => (await t.db.collection('wallets').doc(id).get()).data[0];
/** The refund request's own write of the order's mirror ("requested"), outside any transaction. */
const ORDER_WRITE = (orderId: string) => ({ action: 'database.modifyDocument', collectionName: 'orders', inTransaction: false, queryContains: orderId });
const refundDoc = async (id: string) => (await t.db.collection('refunds').doc(id).get()).data[0];

beforeEach(async () => {
  await onlyRule(t, { name: '邀一返现', reward: { form: 'cash', amountFen: 500 }, trigger: { kind: 'everyN', n: 1, minOrderFen: 0 } });
});

it('a rejection and the buyer asking again at the same moment: an open request keeps its hold, and the order says so', async () => {
  const A = await inviter(t, uniq('rrA'));
  const friends = await invitees(t, A.code, 8, uniq('rrF'));
  const orders: [string, string][] = [];
  for (const f of friends) {
    const o = await buy(t, f);
    await receive(t, f, o);
    await ok(t, f, 'shop', 'requestRefund', { orderId: o, reason: '质量问题' });
    orders.push([f, o]);
  }
  for (let round = 0; round < 2; round++) {
    await Promise.all(
      orders.map(([f, o]) =>
        Promise.all([call(t, MERCHANT, 'merchant', 'reviewRefund', { orderId: o, approve: false }), call(t, f, 'shop', 'requestRefund', { orderId: o, reason: '再次申请' })]),
      ),
    );
  }
  const wallet = await walletDoc(A.id);
  const open: string[] = [];
  for (const [, o] of orders) {
    const refund = await refundDoc(o);
    const order = await orderDoc(t, o);
    if (refund.status === 'requested') {
      open.push(o);
      expect([o, !!wallet.refundHolds?.[o], order.refundStatus]).toEqual([o, true, 'requested']);
    } else {
      expect([o, refund.status, !!wallet.refundHolds?.[o], order.refundStatus]).toEqual([o, 'rejected', false, 'rejected']);
    }
  }
  // Past every deadline: the rewards counting an order with an open request stay frozen; the others post.
  await advance(t, 8 * DAY);
  await settle(t);
  const rewards = await rewardsOf(t, A.id);
  for (const r of rewards) {
    const held = r.members.some((m: { orderId: string }) => open.includes(m.orderId));
    expect([r.members[0].orderId, r.status]).toEqual([r.members[0].orderId, held ? 'frozen' : 'available']);
  }
});

it('an approved refund that the payment provider refused is not shipped while the timer retries it', async () => {
  const A = await inviter(t, uniq('rsA'));
  const [B] = await invitees(t, A.code, 1, uniq('rsF'));
  const o = await buy(t, B);
  await ok(t, B, 'shop', 'requestRefund', { orderId: o, reason: '不想要了' });
  // Part of the trade was refunded elsewhere: the provider refuses the full refund (NOTENOUGH).
  const order = await orderDoc(t, o);
  await fetch(`${t.cloud.url}/__pay/refund`, { method: 'POST', body: JSON.stringify({ outTradeNo: order.payment.outTradeNo, outRefundNo: `X${o}`.slice(0, 60), refundFee: 1 }) });
  expect(await call(t, MERCHANT, 'merchant', 'reviewRefund', { orderId: o, approve: true })).toMatchObject({ ok: false, code: 'REFUND_FAILED' });
  expect(await orderDoc(t, o)).toMatchObject({ status: 'paid', refundStatus: 'approved' });
  expect(await call(t, MERCHANT, 'merchant', 'shipOrder', { orderId: o, carrier: '顺丰', trackingNo: uniq('SF') })).toMatchObject({ ok: false, code: 'ORDER_STATE_INVALID' });
  expect((await orderDoc(t, o)).status).toBe('paid');
});

it('a refund request whose order write lands after the merchant approved it: the order stays approved, not shippable', async () => {
  const A = await inviter(t, uniq('rlA'));
  const [B] = await invitees(t, A.code, 1, uniq('rlF'));
  const o = await buy(t, B);
  const order = await orderDoc(t, o);
  // The provider refuses the full refund (part of the trade refunded elsewhere): the approval stays for the timer.
  await fetch(`${t.cloud.url}/__pay/refund`, { method: 'POST', body: JSON.stringify({ outTradeNo: order.payment.outTradeNo, outRefundNo: `X${o}`.slice(0, 60), refundFee: 1 }) });
  // The request's own write of the order's mirror ("requested") is held until the merchant has approved.
  const asked = await heldDuring(t, ORDER_WRITE(o), () => call(t, B, 'shop', 'requestRefund', { orderId: o, reason: '不想要了' }), 'the request writing the order');
  expect(await call(t, MERCHANT, 'merchant', 'reviewRefund', { orderId: o, approve: true })).toMatchObject({ ok: false, code: 'REFUND_FAILED' });
  expect(await asked.release()).toMatchObject({ ok: true });
  expect(await orderDoc(t, o)).toMatchObject({ status: 'paid', refundStatus: 'approved' });
  expect(await call(t, MERCHANT, 'merchant', 'shipOrder', { orderId: o, carrier: '顺丰', trackingNo: uniq('SF') })).toMatchObject({ ok: false, code: 'ORDER_STATE_INVALID' });
});

it('a refund request whose order write lands after the merchant rejected it: the order says rejected, as the refund does', async () => {
  const A = await inviter(t, uniq('rjA'));
  const [B] = await invitees(t, A.code, 1, uniq('rjF'));
  const o = await buy(t, B);
  const asked = await heldDuring(t, ORDER_WRITE(o), () => call(t, B, 'shop', 'requestRefund', { orderId: o, reason: '不想要了' }), 'the request writing the order');
  expect(await call(t, MERCHANT, 'merchant', 'reviewRefund', { orderId: o, approve: false, note: '已发货前沟通' })).toMatchObject({ ok: true });
  expect(await asked.release()).toMatchObject({ ok: true, data: { status: 'rejected' } });
  expect(await refundDoc(o)).toMatchObject({ status: 'rejected' });
  expect(await orderDoc(t, o)).toMatchObject({ status: 'paid', refundStatus: 'rejected' });
  // The buyer may ask again, and that request is open on both.
  await ok(t, B, 'shop', 'requestRefund', { orderId: o, reason: '再申请' });
  expect(await orderDoc(t, o)).toMatchObject({ refundStatus: 'requested' });
});

it('a refund that went through while its referral step is still owed: the timer does not post the reward; the step takes it back', async () => {
  const A = await inviter(t, uniq('roA'));
  const [B] = await invitees(t, A.code, 1, uniq('roF'));
  const o = await buy(t, B);
  await receive(t, B, o);
  await ok(t, B, 'shop', 'requestRefund', { orderId: o, reason: '质量问题' });
  await advance(t, 8 * DAY); // past the refund deadline and the hold's grace time
  // As payBack leaves it when the referral step failed: refunded, the step owed, its lease not passed yet.
  const now = new Date(t.cloud.clock.now());
  await t.db.collection('refunds').doc(o).update({ status: 'refunded', refundedAt: now, updatedAt: now });
  await t.db.collection('orders').doc(o).update({ status: 'refunded', refundStatus: 'refunded', refundedAt: now, pendingSteps: ['refunded:referral.refund'], stepsLeaseUntil: new Date(now.getTime() + 30_000) });
  await settle(t);
  expect((await rewardsOf(t, A.id)).map((r) => r.status)).toEqual(['frozen']);
  expect(!!(await walletDoc(A.id)).refundHolds?.[o]).toBe(true);
  // The lease passes: the timer runs the step, which voids the reward and releases the hold.
  await advance(t, 60_000);
  await settle(t);
  expect((await rewardsOf(t, A.id)).map((r) => r.status)).toEqual(['voided']);
  expect(!!(await walletDoc(A.id)).refundHolds?.[o]).toBe(false);
  expect((await walletDoc(A.id)).cash).toMatchObject({ available: 0, frozen: 0 });
});

it('an approval that stopped right after its decision: the timer tells the buyer once and pays back', async () => {
  const A = await inviter(t, uniq('rsA'));
  const [f] = await invitees(t, A.code, 1, uniq('rsF'));
  const o = await buy(t, f);
  await ok(t, f, 'shop', 'requestRefund', { orderId: o, reason: '不想要了' });
  // The approval's one decision, and then the function stopped (nothing after it ran).
  await t.db.collection('refunds').where({ _id: o, status: 'requested' }).update({ status: 'approved', reviewedAt: new Date(t.cloud.clock.now()), reviewedBy: MERCHANT, updatedAt: new Date(t.cloud.clock.now()) });
  await advance(t, 2 * 60_000);
  await Promise.all([settle(t), settle(t)]);
  await settle(t);
  expect(await orderDoc(t, o)).toMatchObject({ status: 'refunded', refundStatus: 'refunded' });
  const decided = (await notificationsOf(t, f)).filter((n) => n.kind === 'refund.decided');
  expect(decided).toHaveLength(1);
  expect(decided[0].title).toBe('退款申请已通过');
});
