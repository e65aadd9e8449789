/**
 * 报表 and 用户详情, pure: masking a phone for the merchant's eyes, and the sales per product and the top inviters
 * computed from the orders, refunds, conversions and rewards of a range. Amounts split over lines to the fen.
 */
import type { InviterReportRow, ProductSalesRow } from '../../types/modules/merchantReports.api';
import type { Fen } from '../../types/money';
import { pointsToFen } from '../../types/money';
import { splitByWeights } from './money';

/** 13800138000 → 138****8000; 7–10 characters keep the first 3 and the last 2; shorter ones only the last 2 (of more than 2). */
export function maskPhone(phone: string): string {
  const p = phone.trim();
  if (p.length >= 11) return `${p.slice(0, 3)}****${p.slice(-4)}`;
  if (p.length >= 7) return `${p.slice(0, 3)}${'*'.repeat(p.length - 5)}${p.slice(-2)}`;
  return p.length > 2 ? `${'*'.repeat(p.length - 2)}${p.slice(-2)}` : '*'.repeat(p.length);
}

export interface ReportOrderLine {
  productId: string;
  title: string;
  quantity: number;
  subtotalFen: number;
}

/** An order's amount split over its lines by subtotal (shares sum to the amount exactly). */
export function splitOverLines(amountFen: number, lines: ReportOrderLine[]): number[] {
  return lines.length ? splitByWeights(amountFen, lines.map((l) => l.subtotalFen)) : [];
}

/**
 * Sales per product: units and paid amount of the orders paid in the range, refunded amount of the refunds paid
 * back in it (their orders may have been paid earlier). Largest paid amount first, then title.
 */
export function productSales(paid: { payableFen: number; items: ReportOrderLine[] }[], refunded: { amountFen: number; items: ReportOrderLine[] }[]): ProductSalesRow[] {
  const rows = new Map<string, ProductSalesRow>();
  const row = (l: ReportOrderLine) => {
    let r = rows.get(l.productId);
    if (!r) rows.set(l.productId, (r = { productId: l.productId, title: l.title, units: 0, paidFen: 0 as Fen, refundedFen: 0 as Fen }));
    return r;
  };
  for (const o of paid) {
    const shares = splitOverLines(o.payableFen, o.items);
    o.items.forEach((l, i) => {
      const r = row(l);
      r.title = l.title;
      r.units += l.quantity;
      r.paidFen = (r.paidFen + shares[i]) as Fen;
    });
  }
  for (const o of refunded) {
    const shares = splitOverLines(o.amountFen, o.items);
    o.items.forEach((l, i) => {
      const r = row(l);
      r.refundedFen = (r.refundedFen + shares[i]) as Fen;
    });
  }
  return [...rows.values()].sort((a, b) => b.paidFen - a.paidFen || b.units - a.units || a.title.localeCompare(b.title) || a.productId.localeCompare(b.productId));
}

export interface ReportReward {
  userId: string;
  form: 'cash' | 'coupon' | 'points';
  amount: number;
  status: string;
}

/** What a reward costs the shop: cash and coupons at face value, points at the wallet's rate; voided or capped: nothing. */
export function rewardCostFen(r: ReportReward, pointsPerYuan: number): number {
  if (r.status === 'voided' || r.status === 'capped') return 0;
  return r.form === 'points' ? pointsToFen(r.amount, pointsPerYuan) : r.amount;
}

/** Inviters by converted invitees, then rebate cost, then openid; the first `top`. Nicknames filled in later. */
export function topInviters(conversions: { inviterId: string }[], rewards: ReportReward[], pointsPerYuan: number, top = 20): InviterReportRow[] {
  const rows = new Map<string, InviterReportRow>();
  const row = (openid: string) => {
    let r = rows.get(openid);
    if (!r) rows.set(openid, (r = { openid, nickname: '', converted: 0, rebateCostFen: 0 as Fen }));
    return r;
  };
  for (const c of conversions) row(c.inviterId).converted++;
  for (const rw of rewards) {
    const cost = rewardCostFen(rw, pointsPerYuan);
    if (cost > 0) row(rw.userId).rebateCostFen = (row(rw.userId).rebateCostFen + cost) as Fen;
  }
  return [...rows.values()].sort((a, b) => b.converted - a.converted || b.rebateCostFen - a.rebateCostFen || a.openid.localeCompare(b.openid)).slice(0, top);
}
