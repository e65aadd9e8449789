/**
 * 报表 (compiled weapp page): the last 30 Beijing days by default, a custom range from the date pickers, a bad range
 * refused before anything is sent, sales per product and top inviters, and 导出表格 writing the CSV to the user data
 * folder and handing it to 发送给朋友 (wx.shareFileMessage).
 */
import { callsTo, cloudRoutes, ok, renderPage, ui, waitFor, wxCallsTo, type RenderedPage } from './harness';
import { merchantMe } from './merchant-fixtures';
import type { SalesReportInput, SalesReportView } from '../../types/api';
import { fen } from '../../types/money';
import { lastDays } from '../../types/reportRange';

const reportFor = (range: SalesReportInput): SalesReportView => ({
  ...range,
  days: 30,
  products: [
    { productId: 'p-tea', title: '明前龙井, 特级 "礼盒"', units: 12, paidFen: fen(358800), refundedFen: fen(29900) },
    { productId: 'p-cup', title: '青瓷茶杯', units: 3, paidFen: fen(8970), refundedFen: fen(0) },
  ],
  totals: { orders: 11, units: 15, paidFen: fen(367770), refundedFen: fen(29900) },
  inviters: [
    { openid: 'u-a', nickname: '小安', converted: 3, rebateCostFen: fen(5000) },
    { openid: 'u-b', nickname: '', converted: 1, rebateCostFen: fen(1005) },
  ],
  pointsPerYuan: 100,
  asOf: '2026-12-05T10:00:00.000Z',
});

let page: RenderedPage;
/** The range the page opened on (read when it asked, so a run across Beijing midnight agrees with the page). */
let opened: ReturnType<typeof lastDays>;
/** A Beijing day `n` days after `day` (YYYY-MM-DD). */
const plusDays = (day: string, n: number) => new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

beforeAll(async () => {
  page = await renderPage('packages/merchant/reports/index', {
    cloud: cloudRoutes({
      'user.login': () => ok(merchantMe()),
      'merchant.salesReport': (payload) => ok(reportFor(payload as unknown as SalesReportInput)),
    }),
  });
  await page.waitForClass('report-product-row');
  opened = callsTo('merchant.salesReport')[0].payload as unknown as ReturnType<typeof lastDays>;
});

test('opens on the last 30 days (Beijing) with sales per product, the totals and the top inviters', () => {
  // The last 30 Beijing days, as the page's clock (within a minute of the test's) has them.
  expect([lastDays(new Date()), lastDays(new Date(Date.now() - 60_000))]).toContainEqual(opened);
  expect(page.one('report-start__text')?.textContent).toBe(opened.startDay);
  expect(page.one('report-end__text')?.textContent).toBe(opened.endDay);
  // The shortcut the range is stays lit: 近 30 天.
  expect(page.all('m-chip--on').map((el) => el.className.match(/report-last-\d+/)?.[0])).toEqual(['report-last-30']);
  expect(page.one('report-totals__line')?.textContent).toBe('支付订单 11 · 销量 15 件 · 实付 ¥3677.70 · 退款 ¥299.00');
  const products = page.all('report-product-row');
  expect(products[0].textContent).toContain('销量 12 件 · 退款 ¥299.00');
  expect(page.all('report-product-row__paid').map((el) => el.textContent)).toEqual(['¥3588.00', '¥89.70']);
  expect(page.all('report-inviter-row').map((el) => el.textContent)).toEqual([
    expect.stringContaining('1. 小安成交好友 3 人'),
    expect.stringContaining('2. u-b成交好友 1 人'),
  ]);
  expect(page.all('report-inviter-row__cost').map((el) => el.textContent)).toEqual(['返利 ¥50.00', '返利 ¥10.05']);
});

test('the date pickers choose the range; an end before the start is refused on the page, nothing sent', async () => {
  // Days relative to today, so the range stays within the 366 days a report may span whenever this runs.
  const start = plusDays(opened.endDay, -60);
  const end = plusDays(start, 29);
  await page.fire('report-start', 'change', { value: start });
  await waitFor(() => callsTo('merchant.salesReport').length === 2, { what: 'the report for the new start' });
  expect(callsTo('merchant.salesReport')[1].payload).toEqual({ startDay: start, endDay: opened.endDay });
  await page.fire('report-end', 'change', { value: end });
  await waitFor(() => callsTo('merchant.salesReport').length === 3, { what: 'the report for the new end' });
  expect(callsTo('merchant.salesReport')[2].payload).toEqual({ startDay: start, endDay: end });
  await page.waitForClass('report-product-row');

  await page.fire('report-end', 'change', { value: plusDays(start, -1) });
  await page.waitForText('结束日期不能早于开始日期，最长 366 天');
  expect(page.all('report-product-row')).toHaveLength(0);
  expect(callsTo('merchant.salesReport')).toHaveLength(3);

  await page.fire('report-end', 'change', { value: end });
  await page.waitForClass('report-product-row');
});

test('导出表格 writes the CSV (BOM, Chinese headers, yuan, quoted cells) to the user data folder and shares it', async () => {
  ui.wxCalls.length = 0;
  await page.tap('report-export');
  await waitFor(() => wxCallsTo('shareFileMessage').length === 1, { what: 'the share' });
  const [write] = wxCallsTo('fs.writeFileSync');
  const last = callsTo('merchant.salesReport').at(-1)!.payload as { startDay: string; endDay: string };
  const name = `报表-${last.startDay}至${last.endDay}.csv`;
  expect(last.startDay).toBe(plusDays(opened.endDay, -60));
  expect(write.filePath).toBe(`wxfile://usr/${name}`);
  expect(write.encoding).toBe('utf8');
  expect(write.data.split('\r\n')).toEqual([
    '\uFEFF商品,销量（件）,实付金额（元）,退款金额（元）',
    '"明前龙井, 特级 ""礼盒""",12,3588.00,299.00',
    '青瓷茶杯,3,89.70,0.00',
    '合计,15,3677.70,299.00',
    '',
    '邀请人,用户编号,成交好友（人）,返利成本（元）',
    '小安,u-a,3,50.00',
    '微信用户,u-b,1,10.05',
    '',
  ]);
  expect(wxCallsTo('shareFileMessage')[0]).toMatchObject({ filePath: `wxfile://usr/${name}`, fileName: name });
  await waitFor(() => wxCallsTo('showToast').some((t) => t.title === '表格已导出'), { what: 'the toast' });
});
