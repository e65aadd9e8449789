/**
 * 报表 as CSV text for Excel: UTF-8 with a BOM (without it Excel reads Chinese as GBK and shows mojibake), CRLF line
 * ends, Chinese headers, amounts in yuan with 2 decimals. A cell with a comma, a quote or a line break is quoted
 * (RFC 4180), and a text cell that starts like a formula (= + - @) gets a leading apostrophe so Excel shows it as text.
 */
import type { SalesReportView } from '../../../types/api';

export const CSV_BOM = '\uFEFF';

/** "12.50", "-0.05": yuan with exactly 2 decimals, from integer fen (no floating point). */
export function yuanCsv(fen: number): string {
  const abs = Math.abs(fen);
  return `${fen < 0 ? '-' : ''}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

/** One cell: numbers as they are; text guarded against formulas and quoted when it holds , " or a line break. */
export function csvCell(value: string | number): string {
  if (typeof value === 'number') return String(value);
  const text = /^[=+\-@]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvText(rows: (string | number)[][]): string {
  return CSV_BOM + rows.map((r) => r.map(csvCell).join(',')).join('\r\n') + '\r\n';
}

/** The file: sales per product with a total, then the top inviters (the range is in the file name). */
export function reportCsv(r: SalesReportView): string {
  return csvText([
    ['商品', '销量（件）', '实付金额（元）', '退款金额（元）'],
    ...r.products.map((p) => [p.title, p.units, yuanCsv(p.paidFen), yuanCsv(p.refundedFen)]),
    ['合计', r.totals.units, yuanCsv(r.totals.paidFen), yuanCsv(r.totals.refundedFen)],
    [],
    ['邀请人', '用户编号', '成交好友（人）', '返利成本（元）'],
    ...r.inviters.map((i) => [i.nickname || '微信用户', i.openid, i.converted, yuanCsv(i.rebateCostFen)]),
  ]);
}

/** 报表-2026-11-06至2026-12-05.csv */
export const reportFileName = (r: Pick<SalesReportView, 'startDay' | 'endDay'>) => `报表-${r.startDay}至${r.endDay}.csv`;
