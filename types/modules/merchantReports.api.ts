/**
 * The merchant's view of what users bought (用户详情: orders, refunds, saved addresses) and the 报表 (sales per product
 * and top inviters for a range of Asia/Shanghai days). Served by the `merchant` function; every action needs the role.
 */
import type { OrderStatus } from '../models';
import type { Fen } from '../money';
import type { RefundStatus } from './shop.models';

export interface MerchantUserOrderRow {
  id: string;
  /** 订单编号 as people read it ("20261205-000123"); the id's last 8 characters for orders made before it. */
  orderNo: string;
  createdAt: string;
  items: { title: string; /** '红 / M'; '' without options. */ spec: string; quantity: number; subtotalFen: Fen }[];
  payableFen: Fen;
  status: OrderStatus;
  refundStatus: RefundStatus | null;
}

export interface MerchantUserRefundRow {
  orderId: string;
  orderNo: string;
  amountFen: Fen;
  status: RefundStatus;
  reason: string;
  requestedAt: string;
}

/** A saved address; the phone is masked on the server (138****8000): the full number never leaves the function. */
export interface MerchantUserAddressRow {
  id: string;
  name: string;
  phoneMasked: string;
  province: string;
  city: string;
  district: string;
  detail: string;
  isDefault: boolean;
}

/** 购买记录: the latest 20 orders, the latest 20 refunds, the saved addresses (at most 20). */
export interface MerchantUserPurchases {
  orders: MerchantUserOrderRow[];
  refunds: MerchantUserRefundRow[];
  addresses: MerchantUserAddressRow[];
}

/** A range of Asia/Shanghai days, both ends included ("2026-11-06" … "2026-12-05"), at most REPORT_MAX_DAYS long. */
export interface SalesReportInput {
  startDay: string;
  endDay: string;
}

export const REPORT_MAX_DAYS = 366;

/** One product's sales in the range: units and paid amount of orders paid in it, refunds paid back in it. */
export interface ProductSalesRow {
  productId: string;
  title: string;
  units: number;
  /** What buyers paid (the orders' payable amount, split over their lines by subtotal, to the fen). */
  paidFen: Fen;
  /** Refunds paid back in the range, split the same way over the refunded order's lines. */
  refundedFen: Fen;
}

/** An inviter in the range: invitees whose first order (standing, not refunded) was paid in it, and the rebates earned. */
export interface InviterReportRow {
  openid: string;
  nickname: string;
  converted: number;
  /** Rebates earned in the range and not voided: cash and coupons at face value, points at the wallet's rate. */
  rebateCostFen: Fen;
}

export interface SalesReportView {
  startDay: string;
  endDay: string;
  days: number;
  /** By paid amount, largest first. */
  products: ProductSalesRow[];
  totals: { orders: number; units: number; paidFen: Fen; refundedFen: Fen };
  /** The top 20 by converted invitees, then rebate cost. */
  inviters: InviterReportRow[];
  pointsPerYuan: number;
  asOf: string;
}

export interface MerchantReportActions {
  /** One user's orders, refunds and saved addresses (phones masked). */
  userPurchases: [{ openid: string }, MerchantUserPurchases];
  /** 报表 for a range of days; a bad or too long range is REPORT_RANGE_INVALID. */
  salesReport: [SalesReportInput, SalesReportView];
}
