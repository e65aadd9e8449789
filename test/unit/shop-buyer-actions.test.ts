/** What a buyer may do with an order, on the server's clock (issue 17.10): the buttons follow the server, not the phone. */
import { buyerActions } from '../../cloudfunctions/domain/shopOrders';

const now = new Date('2026-12-05T04:00:00Z');
const later = new Date('2026-12-06T04:00:00Z');
const earlier = new Date('2026-12-04T04:00:00Z');
const order = (over: Partial<Parameters<typeof buyerActions>[0]>) => ({ status: 'paid' as const, expiresAt: earlier, refundDeadline: null, refundStatus: null, ...over });

test.each([
  ['unpaid, in time', order({ status: 'pending_payment', expiresAt: later }), ['pay', 'cancel']],
  ['unpaid, past its expiry (the timer has not run)', order({ status: 'pending_payment', expiresAt: now }), []],
  ['paid', order({ status: 'paid' }), ['refund']],
  ['paid, refund asked', order({ status: 'paid', refundStatus: 'requested' }), []],
  ['paid, refund rejected (may ask again)', order({ status: 'paid', refundStatus: 'rejected' }), ['refund']],
  ['shipped', order({ status: 'shipped' }), ['confirm', 'refund']],
  ['shipped, refund approved', order({ status: 'shipped', refundStatus: 'approved' }), ['confirm']],
  ['received, inside the window', order({ status: 'received', refundDeadline: later }), ['refund']],
  ['received, the window closed on the server clock', order({ status: 'received', refundDeadline: now }), []],
  ['a 拼团 order waiting for its group', order({ status: 'paid', groupId: 'g1', groupState: 'waiting' }), []],
  ['a 拼团 order whose group succeeded', order({ status: 'paid', groupId: 'g1', groupState: 'succeeded' }), ['refund']],
  ['refunded', order({ status: 'refunded' }), []],
  ['cancelled', order({ status: 'cancelled' }), []],
] as const)('%s', (_name, o, expected) => {
  expect(buyerActions(o as Parameters<typeof buyerActions>[0], now)).toEqual(expected);
});
