/**
 * Pricing rules of the shop, pure: the server prices every order from the product list prices (or a redeemed assist
 * price), applies one coupon and the wallet spend, and the buyer pays the rest — never less than 1 fen.
 */
import type { Fen } from '../../types/money';

export const MAX_QUANTITY_PER_LINE = 99;
export const MAX_LINES_PER_ORDER = 20;
/** WeChat Pay cannot take 0: an order always leaves at least this much to pay. */
export const MIN_PAYABLE_FEN = 1 as Fen;

export interface RequestedLine {
  productId: string;
  quantity: number;
  assistTaskId?: string;
}

export type LinesVerdict = { ok: true; lines: RequestedLine[] } | { ok: false; reason: 'QUANTITY_INVALID' };

/**
 * Quantities are whole numbers 1–99 per product, at most 20 products per order; the same product asked twice is one
 * line. An assisted line buys exactly one unit at the assist price, so it may not be merged or carry more.
 */
export function normalizeLines(lines: RequestedLine[]): LinesVerdict {
  if (lines.length === 0 || lines.length > MAX_LINES_PER_ORDER) return { ok: false, reason: 'QUANTITY_INVALID' };
  const merged = new Map<string, RequestedLine>();
  for (const l of lines) {
    if (!Number.isSafeInteger(l.quantity) || l.quantity < 1 || l.quantity > MAX_QUANTITY_PER_LINE) return { ok: false, reason: 'QUANTITY_INVALID' };
    const prev = merged.get(l.productId);
    if (prev) {
      if (prev.assistTaskId || l.assistTaskId) return { ok: false, reason: 'QUANTITY_INVALID' };
      prev.quantity += l.quantity;
      if (prev.quantity > MAX_QUANTITY_PER_LINE) return { ok: false, reason: 'QUANTITY_INVALID' };
    } else {
      merged.set(l.productId, { ...l });
    }
  }
  const out = [...merged.values()];
  if (out.filter((l) => l.assistTaskId).length > 1) return { ok: false, reason: 'QUANTITY_INVALID' };
  if (out.some((l) => l.assistTaskId && l.quantity !== 1)) return { ok: false, reason: 'QUANTITY_INVALID' };
  return { ok: true, lines: out };
}

export interface PricedLine {
  productId: string;
  quantity: number;
  unitPriceFen: Fen;
  subtotalFen: Fen;
}

export function priceLines(lines: { productId: string; quantity: number; unitPriceFen: Fen }[]): { lines: PricedLine[]; itemsTotalFen: Fen } {
  let total = 0;
  const priced = lines.map((l) => {
    const subtotal = l.unitPriceFen * l.quantity;
    total += subtotal;
    return { ...l, subtotalFen: subtotal as Fen };
  });
  if (!Number.isSafeInteger(total)) throw new RangeError('order total out of range');
  return { lines: priced, itemsTotalFen: total as Fen };
}

export interface CouponTerms {
  amountFen: Fen;
  minSpendFen: Fen;
}

export type CouponVerdict = { ok: true; couponFen: Fen } | { ok: false; reason: 'COUPON_MIN_SPEND' };

/** A coupon applies when the items reach its minimum spend; it takes off its amount, leaving at least 1 fen to pay. */
export function applyCoupon(itemsTotalFen: Fen, coupon: CouponTerms | null): CouponVerdict {
  if (!coupon) return { ok: true, couponFen: 0 as Fen };
  if (itemsTotalFen < coupon.minSpendFen) return { ok: false, reason: 'COUPON_MIN_SPEND' };
  const off = Math.max(0, Math.min(coupon.amountFen, itemsTotalFen - MIN_PAYABLE_FEN));
  return { ok: true, couponFen: off as Fen };
}

/** What is left to pay after coupon and wallet; null when the wallet spend would leave less than 1 fen. */
export function payableAfter(itemsTotalFen: Fen, couponFen: Fen, walletCashFen: Fen, pointsFen: Fen): Fen | null {
  const rest = itemsTotalFen - couponFen - walletCashFen - pointsFen;
  return rest >= MIN_PAYABLE_FEN ? (rest as Fen) : null;
}
