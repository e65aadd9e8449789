/** The merchant's shipping text: the full address to copy and the packing list (装箱单) of one order. */
import type { OrderView } from '../../types/api';
import { fen } from '../../types/money';
import { fullAddressText, packingList, packingListText } from '../../src/packages/merchant/packing';

const order = (over: Partial<OrderView> = {}): OrderView =>
  ({
    id: 'o1',
    orderNo: '20261205-0007',
    buyerId: 'u1',
    status: 'paid',
    items: [
      { productId: 'p1', title: '手工皂', image: '', quantity: 2, unitPriceFen: fen(1200), subtotalFen: fen(2400), spec: '玫瑰 / 大' },
      { productId: 'p2', title: '毛巾', image: '', quantity: 1, unitPriceFen: fen(900), subtotalFen: fen(900) },
    ],
    itemsTotalFen: fen(3300),
    discounts: { couponFen: fen(0), walletCashFen: fen(0), pointsFen: fen(0), pointsUsed: 0 },
    payableFen: fen(3300),
    couponId: null,
    assistTaskId: null,
    address: { name: '张三', phone: '13812345678', province: '广东省', city: '深圳市', district: '南山区', detail: ' 科技园路1号 ' },
    // 16:00 UTC is Beijing midnight: the list says the Beijing date, not the UTC one.
    createdAt: '2026-12-04T15:59:00.000Z',
    expiresAt: '2026-12-04T16:29:00.000Z',
    paidAt: '2026-12-04T16:00:00.000Z',
    shippedAt: null,
    shipping: null,
    receivedAt: null,
    refundDeadline: null,
    refundedAt: null,
    refundStatus: null,
    ...over,
  }) as OrderView;

test('the full address carries the whole phone and every part, trimmed, for a courier form', () => {
  expect(fullAddressText(order().address)).toBe('张三 13812345678 广东省 深圳市 南山区 科技园路1号');
});

test('the packing list: order number, Beijing time of payment, recipient, address, lines with spec and quantity', () => {
  const p = packingList(order());
  expect(p).toEqual({
    orderNo: '20261205-0007',
    date: '2026-12-05 00:00',
    recipient: '张三',
    phone: '13812345678',
    address: '广东省 深圳市 南山区 科技园路1号',
    lines: [
      { title: '手工皂', spec: '玫瑰 / 大', quantity: 2 },
      { title: '毛巾', spec: '', quantity: 1 },
    ],
    totalQuantity: 3,
  });
  expect(packingListText(p).split('\n')).toEqual([
    '装箱单',
    '订单号：20261205-0007',
    '下单时间：2026-12-05 00:00',
    '收件人：张三 13812345678',
    '地址：广东省 深圳市 南山区 科技园路1号',
    '商品：',
    '  手工皂（玫瑰 / 大） ×2',
    '  毛巾 ×1',
    '合计件数：3',
  ]);
});

test('an unpaid order is dated by its creation; an order without a short number uses its id', () => {
  const p = packingList(order({ paidAt: null, orderNo: null }));
  expect(p.date).toBe('2026-12-04 23:59');
  expect(p.orderNo).toBe('o1');
});
