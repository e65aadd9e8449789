/** Order rules of the shop, pure: ids from the client's requestId, request fingerprints, deadlines and refund windows. */
import crypto from 'node:crypto';
import type { OrderStatus } from '../../types/models';

const DAY_MS = 24 * 3600 * 1000;

/** The order's _id (also the payment's out_trade_no: ≤ 32 of [A-Za-z0-9_-]) from the buyer and their requestId. */
export function orderIdFor(buyerId: string, requestId: string): string {
  return `o${crypto.createHash('sha256').update(`${buyerId}\n${requestId}`).digest('hex').slice(0, 26)}`;
}

/** A stable fingerprint of what was asked, so the same requestId with another payload can be told apart. */
export function requestFingerprint(input: {
  items: { productId: string; skuId?: string; quantity: number; assistTaskId?: string }[];
  addressId?: string;
  address?: object;
  couponId?: string;
  useCashFen?: number;
  usePoints?: number;
  openGroup?: boolean;
  groupId?: string;
}): string {
  // A SKU joins the line only when named, so a request made before SKUs keeps its fingerprint.
  const items = [...input.items]
    .map((i) => (i.skuId === undefined ? [i.productId, i.quantity, i.assistTaskId ?? null] : [i.productId, i.quantity, i.assistTaskId ?? null, i.skuId]))
    .sort((a, b) => String(a[0]).localeCompare(String(b[0])) || String(a[3] ?? '').localeCompare(String(b[3] ?? '')));
  // A group order's choice is part of what was asked (appended only when made, so other fingerprints stay as they were).
  const group = input.openGroup || input.groupId ? [input.openGroup ?? false, input.groupId ?? null] : [];
  const canon = JSON.stringify([items, input.addressId ?? null, input.address ? sortKeys(input.address) : null, input.couponId ?? null, input.useCashFen ?? 0, input.usePoints ?? 0, ...group]);
  return crypto.createHash('sha256').update(canon).digest('hex').slice(0, 32);
}

function sortKeys(o: object): [string, unknown][] {
  return Object.entries(o).sort(([a], [b]) => a.localeCompare(b));
}

export function addMinutes(at: Date, minutes: number): Date {
  return new Date(at.getTime() + minutes * 60_000);
}

export function addDays(at: Date, days: number): Date {
  return new Date(at.getTime() + days * DAY_MS);
}

/** Statuses from which a shopper may ask for a refund: paid (not shipped yet), shipped, or received within the window. */
export const REFUNDABLE_STATUSES: OrderStatus[] = ['paid', 'shipped', 'received'];

export type RefundVerdict = { ok: true } | { ok: false; reason: 'REFUND_NOT_ALLOWED' | 'REFUND_WINDOW_CLOSED' };

/** The refund window counts from receipt: before receipt a paid order may be refunded; after, until the deadline. */
export function canRequestRefund(order: { status: OrderStatus; refundDeadline: Date | null }, now: Date): RefundVerdict {
  if (!REFUNDABLE_STATUSES.includes(order.status)) return { ok: false, reason: 'REFUND_NOT_ALLOWED' };
  if (order.status === 'received' && (!order.refundDeadline || now.getTime() >= order.refundDeadline.getTime())) {
    return { ok: false, reason: 'REFUND_WINDOW_CLOSED' };
  }
  return { ok: true };
}

/**
 * What the buyer may do with an order at `now` (the server's clock): the buttons the app shows, with the rules the
 * actions themselves apply (an expired unpaid order cannot be paid or cancelled, a refund needs canRequestRefund, no
 * open or approved request, and a 拼团 order waits for its group).
 */
export function buyerActions(
  order: { status: OrderStatus; expiresAt: Date; refundDeadline: Date | null; refundStatus?: string | null; groupId?: string | null; groupState?: string | null },
  now: Date,
): ('pay' | 'cancel' | 'confirm' | 'refund')[] {
  if (order.status === 'pending_payment') return now.getTime() < order.expiresAt.getTime() ? ['pay', 'cancel'] : [];
  const refundOpen =
    canRequestRefund(order, now).ok &&
    order.refundStatus !== 'requested' &&
    order.refundStatus !== 'approved' &&
    order.refundStatus !== 'refunded' &&
    !(order.groupId && order.groupState !== 'succeeded');
  const actions: ('pay' | 'cancel' | 'confirm' | 'refund')[] = order.status === 'shipped' ? ['confirm'] : [];
  if (refundOpen) actions.push('refund');
  return actions;
}
