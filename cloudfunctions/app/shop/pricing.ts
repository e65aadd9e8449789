/**
 * The one pricing path of a checkout, taken by createOrder (which holds stock, coupon, assist voucher and wallet spend
 * around it) and by the quote (which holds nothing). The arithmetic is domain/shopPricing; this sequences it and turns
 * its verdicts into the catalogued refusals, so the two can only differ in what they write.
 */
import type { ProductDoc } from '../../../types/models';
import type { Fen } from '../../../types/money';
import type { CheckoutTotals, CouponTerms, RequestedLine, WalletSpend, WalletSpendAsk } from '../../domain/shopPricing';
import { checkoutTotals, NO_WALLET_SPEND, priceBeforeWallet } from '../../domain/shopPricing';
import { AppError } from '../../infra/errors';

/** Every line's product exists, is on sale and has the units (createOrder's guarded reservation checks again). */
export function assertSellable(lines: RequestedLine[], products: Map<string, ProductDoc>): void {
  for (const l of lines) {
    const p = products.get(l.productId);
    if (!p) throw new AppError('PRODUCT_NOT_FOUND');
    if (!p.onSale) throw new AppError('PRODUCT_OFF_SALE');
    if (p.stock < l.quantity) throw new AppError('OUT_OF_STOCK', `「${p.title}」库存不足`);
  }
}

export interface PriceOrderInput {
  /** Normalized lines whose products passed assertSellable. */
  lines: RequestedLine[];
  products: Map<string, ProductDoc>;
  /** The assist price of the line carrying an assistTaskId, once its voucher was found good (or claimed). */
  assistPriceFen: Fen | null;
  /** A 拼团 order's unit price (its one line), else null. */
  groupPriceFen?: Fen | null;
  /** The chosen coupon's terms once it was found usable (or locked), else null. */
  coupon: CouponTerms | null;
  ask: WalletSpendAsk;
  /** A coupon under its minimum spend: createOrder refuses the order; a quote prices without it and says why. */
  couponUnderMinSpend: 'refuse' | 'leaveOut';
  /** Spends (createOrder) or only plans (quote) the wallet part of what is due after the coupon; called only when asked. */
  spendWallet: (dueFen: Fen) => Promise<WalletSpend> | WalletSpend;
}

export type PricedOrder = CheckoutTotals & { couponLeftOut: 'COUPON_MIN_SPEND' | null };

export async function priceOrder(input: PriceOrderInput): Promise<PricedOrder> {
  const terms = input.lines.map((l) => ({
    productId: l.productId,
    quantity: l.quantity,
    listPriceFen: input.products.get(l.productId)!.priceFen,
    // A line's special price: a redeemed assist price, or the group price of a group order (one line, one unit).
    assistPriceFen: l.assistTaskId ? input.assistPriceFen : (input.groupPriceFen ?? null),
  }));
  let before = priceBeforeWallet(terms, input.coupon);
  let couponLeftOut: PricedOrder['couponLeftOut'] = null;
  if (!before.ok) {
    if (input.couponUnderMinSpend === 'refuse') throw new AppError(before.reason);
    couponLeftOut = before.reason;
    before = priceBeforeWallet(terms, null);
    if (!before.ok) throw new AppError(before.reason);
  }
  const asked = input.ask.cashFen > 0 || input.ask.points > 0;
  const spend = asked ? await input.spendWallet(before.dueFen) : NO_WALLET_SPEND;
  const result = checkoutTotals(before, spend);
  if (!result.ok) throw new AppError(result.reason);
  return { ...result.totals, couponLeftOut };
}
