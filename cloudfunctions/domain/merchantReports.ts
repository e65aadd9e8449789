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

const stands = (r: ReportReward) => r.status !== 'voided' && r.status !== 'capped';

/**
 * What an inviter's rewards cost the shop: cash and coupons at face value, their points summed first and then priced
 * at the wallet's rate once (as the 看板 does: priced one by one, five 5-point rewards at 1,000 points per ¥1 would
 * cost ¥0); voided or capped: nothing.
 */
export function rewardsCostFen(rewards: ReportReward[], pointsPerYuan: number): number {
  const standing = rewards.filter(stands);
  const points = standing.filter((r) => r.form === 'points').reduce((n, r) => n + r.amount, 0);
  return standing.filter((r) => r.form !== 'points').reduce((n, r) => n + r.amount, 0) + pointsToFen(points, pointsPerYuan);
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
  const byInviter = new Map<string, ReportReward[]>();
  for (const rw of rewards) byInviter.set(rw.userId, [...(byInviter.get(rw.userId) ?? []), rw]);
  for (const [userId, theirs] of byInviter) {
    const cost = rewardsCostFen(theirs, pointsPerYuan);
    if (cost > 0) row(userId).rebateCostFen = cost as Fen;
  }
  return [...rows.values()].sort((a, b) => b.converted - a.converted || b.rebateCostFen - a.rebateCostFen || a.openid.localeCompare(b.openid)).slice(0, top);
}
