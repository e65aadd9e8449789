/**
 * Pricing rules of the shop, pure: the server prices every order from the product list prices (or a redeemed assist
 * price), applies one coupon and the wallet spend, and the buyer pays the rest — never less than 1 fen.
 */
import type { Fen } from '../../types/money';
import type { CheckoutAmounts } from '../../types/modules/shop.api';
import { applyBp, fenToPoints, pointsToFen } from './money';

export const MAX_QUANTITY_PER_LINE = 99;
export const MAX_LINES_PER_ORDER = 20;
/** WeChat Pay cannot take 0: an order always leaves at least this much to pay. */
export const MIN_PAYABLE_FEN = 1 as Fen;

export interface RequestedLine {
  productId: string;
  /** The SKU (domain/productSkus); absent: the product's only SKU. Set to the resolved id once checked (pricing.ts). */
  skuId?: string;
  quantity: number;
  assistTaskId?: string;
}

export type LinesVerdict = { ok: true; lines: RequestedLine[] } | { ok: false; reason: 'QUANTITY_INVALID' };

/**
 * Quantities are whole numbers 1–99 per product, at most 20 products per order; the same product (and SKU) asked twice
 * is one line. An assisted line buys exactly one unit at the assist price, so it may not be merged or carry more.
 */
export function normalizeLines(lines: RequestedLine[]): LinesVerdict {
  if (lines.length === 0 || lines.length > MAX_LINES_PER_ORDER) return { ok: false, reason: 'QUANTITY_INVALID' };
  const merged = new Map<string, RequestedLine>();
  for (const l of lines) {
    if (!Number.isSafeInteger(l.quantity) || l.quantity < 1 || l.quantity > MAX_QUANTITY_PER_LINE) return { ok: false, reason: 'QUANTITY_INVALID' };
    const key = `${l.productId}\u0001${l.skuId ?? ''}`;
    const prev = merged.get(key);
    if (prev) {
      if (prev.assistTaskId || l.assistTaskId) return { ok: false, reason: 'QUANTITY_INVALID' };
      prev.quantity += l.quantity;
      if (prev.quantity > MAX_QUANTITY_PER_LINE) return { ok: false, reason: 'QUANTITY_INVALID' };
    } else {
      merged.set(key, { ...l });
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

/* ------------------------------------------------------------------------------------------------------------- */
/* Checkout pricing, shared by createOrder (which then writes) and the quote (which writes nothing).              */

/** A coupon's own state at checkout (whose it is is checked before): usable, or why not. */
export type CouponStateRefusal = 'COUPON_EXPIRED' | 'COUPON_UNAVAILABLE';

/** Only an available coupon within its validity can go into an order; one past its time reads as expired. */
export function couponStateRefusal(coupon: { status: string; expiresAt: Date | null }, now: Date): CouponStateRefusal | null {
  const expiresAt = coupon.expiresAt ? new Date(coupon.expiresAt).getTime() : null;
  if (coupon.status === 'available' && expiresAt !== null && expiresAt > now.getTime()) return null;
  if (coupon.status === 'expired' || (coupon.status === 'available' && expiresAt !== null)) return 'COUPON_EXPIRED';
  return 'COUPON_UNAVAILABLE';
}

export interface CheckoutLineTerms {
  productId: string;
  quantity: number;
  listPriceFen: Fen;
  /** The redeemed assist price of this line (one unit), or null: the list price. */
  assistPriceFen: Fen | null;
}

export interface CheckoutLine extends PricedLine {
  assisted: boolean;
}

export type BeforeWallet =
  | { ok: true; lines: CheckoutLine[]; itemsTotalFen: Fen; couponFen: Fen; /** What wallet cash and points may pay. */ dueFen: Fen }
  | { ok: false; reason: 'COUPON_MIN_SPEND' };

/**
 * Items at their list (or assist) prices, then the coupon: what is due before the wallet. A special price never
 * charges more than the list price (the merchant may have lowered the price, or added a cheaper SKU, after setting it).
 */
export function priceBeforeWallet(lines: CheckoutLineTerms[], coupon: CouponTerms | null): BeforeWallet {
  const unitPrice = (l: CheckoutLineTerms) => (l.assistPriceFen === null ? l.listPriceFen : (Math.min(l.assistPriceFen, l.listPriceFen) as Fen));
  const priced = priceLines(lines.map((l) => ({ productId: l.productId, quantity: l.quantity, unitPriceFen: unitPrice(l) })));
  const verdict = applyCoupon(priced.itemsTotalFen, coupon);
  if (!verdict.ok) return verdict;
  return {
    ok: true,
    lines: priced.lines.map((l, i) => ({ ...l, assisted: lines[i].assistPriceFen !== null })),
    itemsTotalFen: priced.itemsTotalFen,
    couponFen: verdict.couponFen,
    dueFen: (priced.itemsTotalFen - verdict.couponFen) as Fen,
  };
}

/** The merchant's points terms (referral settings). */
export interface PointsTerms {
  /** Points worth ¥1. */
  pointsPerYuan: number;
  /** Points pay at most this share of the order (after the coupon), in basis points. */
  pointsMaxShareBp: number;
}

/** What the buyer asks to spend: amounts, not prices. */
export interface WalletSpendAsk {
  cashFen: number;
  points: number;
}

export interface WalletSpend {
  cashFen: Fen;
  points: number;
  pointsFen: Fen;
}

export const NO_WALLET_SPEND: WalletSpend = { cashFen: 0 as Fen, points: 0, pointsFen: 0 as Fen };

/**
 * What wallet cash and points pay of `dueFen` (the total after the coupon): points first, worth at most the merchant's
 * share of it (a fraction of a fen buys nothing and its points are not taken), then cash, together leaving at least
 * 1 fen to pay. The buyer's balances are not looked at here: see walletSpendRefusal.
 */
export function planWalletSpend(ask: WalletSpendAsk, dueFen: Fen, terms: PointsTerms): WalletSpend {
  if (ask.cashFen === 0 && ask.points === 0) return NO_WALLET_SPEND;
  const room = Math.max(0, dueFen - MIN_PAYABLE_FEN);
  const pointsFen = Math.min(pointsToFen(ask.points, terms.pointsPerYuan), applyBp(dueFen, terms.pointsMaxShareBp), room);
  const points = pointsFen > 0 ? fenToPoints(pointsFen, terms.pointsPerYuan) : 0;
  const cashFen = Math.min(ask.cashFen, room - pointsFen);
  return { cashFen: cashFen as Fen, points, pointsFen: pointsFen as Fen };
}

/** A spend needs that much in the available buckets; asking for more than there is is refused, not trimmed. */
export function walletSpendRefusal(spend: WalletSpend, available: { cashFen: number; points: number }): 'INSUFFICIENT_BALANCE' | 'INSUFFICIENT_POINTS' | null {
  if (spend.cashFen > available.cashFen) return 'INSUFFICIENT_BALANCE';
  if (spend.points > available.points) return 'INSUFFICIENT_POINTS';
  return null;
}

/** Why the spend came out smaller than asked, in the buyer's words (empty when it did not). */
export function walletSpendNotes(ask: WalletSpendAsk, dueFen: Fen, terms: PointsTerms, spend: WalletSpend): string[] {
  const notes: string[] = [];
  const room = Math.max(0, dueFen - MIN_PAYABLE_FEN);
  const capFen = applyBp(dueFen, terms.pointsMaxShareBp);
  const pointsWorth = pointsToFen(ask.points, terms.pointsPerYuan);
  if (pointsWorth > spend.pointsFen && capFen < room && spend.pointsFen === capFen) {
    notes.push(`积分最多抵扣订单金额的 ${formatBp(terms.pointsMaxShareBp)}，本单使用 ${spend.points} 积分`);
  }
  const trimmed = ask.cashFen > spend.cashFen || pointsWorth > spend.pointsFen;
  if (trimmed && spend.cashFen + spend.pointsFen === room) notes.push('抵扣后至少需支付 ¥0.01');
  return notes;
}

function formatBp(bp: number): string {
  return `${Number((bp / 100).toFixed(2))}%`;
}

export interface CheckoutTotals extends CheckoutAmounts {
  lines: CheckoutLine[];
}

/** The whole bill once the wallet spend is known; ORDER_AMOUNT_INVALID when less than 1 fen would be left. */
export function checkoutTotals(
  before: Extract<BeforeWallet, { ok: true }>,
  spend: WalletSpend,
): { ok: true; totals: CheckoutTotals } | { ok: false; reason: 'ORDER_AMOUNT_INVALID' } {
  const payable = payableAfter(before.itemsTotalFen, before.couponFen, spend.cashFen, spend.pointsFen);
  if (payable === null) return { ok: false, reason: 'ORDER_AMOUNT_INVALID' };
  return {
    ok: true,
    totals: {
      lines: before.lines,
      itemsTotalFen: before.itemsTotalFen,
      couponFen: before.couponFen,
      walletCashFen: spend.cashFen,
      pointsFen: spend.pointsFen,
      pointsUsed: spend.points,
      payableFen: payable,
    },
  };
}
