/** 报表 and 用户详情, pure parts: the phone mask, sales per product split to the fen, top inviters, the day range, the CSV. */
import { maskPhone, productSales, topInviters } from '../../cloudfunctions/domain/merchantReports';
import { csvCell, reportCsv, reportFileName, yuanCsv } from '../../src/packages/merchant/reportCsv';
import { fen } from '../../types/money';
import { lastDays, reportRange } from '../../types/reportRange';

it.each([
  ['13800138000', '138****8000'],
  ['+8613800138000', '+86****8000'],
  ['02188886666', '021****6666'],
  ['8888666', '888**66'],
  ['12345', '***45'],
  ['12', '**'],
  ['', ''],
])('maskPhone(%s) = %s', (phone, masked) => {
  expect(maskPhone(phone)).toBe(masked);
});

it('splits each order over its lines by subtotal, never losing a fen, and adds refunds the same way', () => {
  const tea = { productId: 'tea', title: '茶', quantity: 1, subtotalFen: 1000 };
  const cup = { productId: 'cup', title: '杯', quantity: 2, subtotalFen: 2000 };
  // 2999 paid after a discount: 999.67 / 1999.33 → 1000 / 1999 (largest remainder gets the leftover fen)
  const rows = productSales([{ payableFen: 2999, items: [tea, cup] }, { payableFen: 1000, items: [tea] }], [{ amountFen: 2999, items: [tea, cup] }]);
  expect(rows).toEqual([
    { productId: 'tea', title: '茶', units: 2, paidFen: 2000, refundedFen: 1000 },
    { productId: 'cup', title: '杯', units: 2, paidFen: 1999, refundedFen: 1999 },
  ]);
  expect(rows.reduce((a, r) => a + r.paidFen, 0)).toBe(3999);
  // a refund of a product not sold in the range still shows, with no units
  expect(productSales([], [{ amountFen: 500, items: [tea] }])).toEqual([{ productId: 'tea', title: '茶', units: 0, paidFen: 0, refundedFen: 500 }]);
});

it('ranks inviters by conversions then rebate cost; voided and capped rewards cost nothing, points at the rate', () => {
  const rows = topInviters(
    [{ inviterId: 'b' }, { inviterId: 'a' }, { inviterId: 'b' }],
    [
      { userId: 'a', form: 'cash', amount: 500, status: 'frozen' },
      { userId: 'a', form: 'points', amount: 250, status: 'available' },
      { userId: 'a', form: 'cash', amount: 9999, status: 'voided' },
      { userId: 'c', form: 'coupon', amount: 300, status: 'available' },
      { userId: 'c', form: 'cash', amount: 300, status: 'capped' },
    ],
    100,
  );
  expect(rows.map((r) => [r.openid, r.converted, r.rebateCostFen])).toEqual([
    ['b', 2, 0],
    ['a', 1, 750],
    ['c', 0, 300],
  ]);
  expect(topInviters([{ inviterId: 'x' }, { inviterId: 'y' }], [], 100, 1)).toHaveLength(1);
});

it('prices an inviter’s points once, summed (as the 看板 does), not reward by reward', () => {
  // Four 5-point rewards at 1,000 points per ¥1: 20 points = 2 fen; priced one by one each would floor to 0.
  const points = Array.from({ length: 4 }, () => ({ userId: 'p', form: 'points' as const, amount: 5, status: 'frozen' }));
  expect(topInviters([{ inviterId: 'p' }], points, 1000)[0].rebateCostFen).toBe(2);
  expect(topInviters([{ inviterId: 'p' }], [...points, { userId: 'p', form: 'cash', amount: 100, status: 'available' }], 1000)[0].rebateCostFen).toBe(102);
});

it('takes whole Shanghai days, both ends included, at most 366', () => {
  expect(reportRange('2026-11-01', '2026-11-01')).toEqual({ start: new Date('2026-10-31T16:00:00Z'), end: new Date('2026-11-01T16:00:00Z'), days: 1 });
  expect(reportRange('2024-01-01', '2024-12-31')?.days).toBe(366);
  expect(reportRange('2025-01-01', '2026-01-01')?.days).toBe(366);
  expect(reportRange('2025-01-01', '2026-01-02')).toBeNull();
  expect(reportRange('2026-11-02', '2026-11-01')).toBeNull();
  expect(reportRange('2026-02-29', '2026-03-01')).toBeNull();
  expect(reportRange('2026-1-1', '2026-03-01')).toBeNull();
  // 00:30 in Shanghai on Dec 5 is still Dec 4 in UTC: the default is the Shanghai days
  expect(lastDays(new Date('2026-12-04T16:30:00Z'))).toEqual({ startDay: '2026-11-06', endDay: '2026-12-05' });
});

describe('the 报表 CSV', () => {
  it.each([
    [0, '0.00'],
    [5, '0.05'],
    [1234, '12.34'],
    [100000000, '1000000.00'],
    [-5, '-0.05'],
  ])('fen %d → %s yuan', (f, text) => {
    expect(yuanCsv(f)).toBe(text);
  });

  it.each<[string | number, string]>([
    ['青瓷茶杯', '青瓷茶杯'],
    ['龙井, 特级', '"龙井, 特级"'],
    ['"礼盒"', '"""礼盒"""'],
    ['第一行\n第二行', '"第一行\n第二行"'],
    ['回车\r', '"回车\r"'],
    ['=1+2', "'=1+2"],
    ['-3, 负', `"'-3, 负"`],
    [42, '42'],
    ['', ''],
  ])('cell %j → %j', (value, cell) => {
    expect(csvCell(value)).toBe(cell);
  });

  it('starts with the BOM, has Chinese headers, CRLF lines, totals and inviters, the range in the file name', () => {
    const text = reportCsv({
      startDay: '2026-11-06',
      endDay: '2026-12-05',
      days: 30,
      products: [{ productId: 'p1', title: '茶, "新"\n款', units: 2, paidFen: fen(1999), refundedFen: fen(1) }],
      totals: { orders: 1, units: 2, paidFen: fen(1999), refundedFen: fen(1) },
      inviters: [{ openid: 'u-a', nickname: '', converted: 3, rebateCostFen: fen(5000) }],
      pointsPerYuan: 100,
      asOf: '2026-12-05T00:00:00.000Z',
    });
    expect(text.charCodeAt(0)).toBe(0xfeff);
    expect(Buffer.from(text, 'utf8').subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    expect(text.slice(1)).toBe(
      ['商品,销量（件）,实付金额（元）,退款金额（元）', '"茶, ""新""\n款",2,19.99,0.01', '合计,2,19.99,0.01', '', '邀请人,用户编号,成交好友（人）,返利成本（元）', '微信用户,u-a,3,50.00', ''].join('\r\n'),
    );
    expect(reportFileName({ startDay: '2026-11-06', endDay: '2026-12-05' })).toBe('报表-2026-11-06至2026-12-05.csv');
  });
});
