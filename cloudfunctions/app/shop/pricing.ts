/**
 * The one pricing path of a checkout, taken by createOrder (which holds stock, coupon, assist voucher and wallet spend
 * around it) and by the quote (which holds nothing). The arithmetic is domain/shopPricing; this sequences it and turns
 * its verdicts into the catalogued refusals, so the two can only differ in what they write.
 */
import type { ProductDoc, ProductSku } from '../../../types/models';
import type { Fen } from '../../../types/money';
import type { CheckoutTotals, CouponTerms, RequestedLine, WalletSpend, WalletSpendAsk } from '../../domain/shopPricing';
import { checkoutTotals, NO_WALLET_SPEND, normalizeLines, priceBeforeWallet } from '../../domain/shopPricing';
import { resolveSku, specText } from '../../domain/productSkus';
import { AppError } from '../../infra/errors';

/**
 * Every line's product exists, is on sale, the line names one of its SKUs (none needed for a one-SKU product), and the
 * SKU has the units (createOrder's guarded reservation checks again). Each line's `skuId` is set to the resolved SKU.
 */
export function assertSellable(lines: RequestedLine[], products: Map<string, ProductDoc>): void {
  for (const l of lines) {
    const p = products.get(l.productId);
    if (!p) throw new AppError('PRODUCT_NOT_FOUND');
    if (!p.onSale) throw new AppError('PRODUCT_OFF_SALE');
    const v = resolveSku(p, l.skuId);
    if (!v.ok) throw new AppError(v.reason);
    l.skuId = v.sku.skuId;
    if (v.sku.stockQty < l.quantity) throw new AppError('OUT_OF_STOCK', `「${lineTitle(p, l)}」库存不足`);
  }
}

/**
 * assertSellable, then the lines merged again by their resolved SKU: a line without a skuId and one naming the same
 * SKU (`default`, or a one-SKU product's own id) are one line, held to the 1–99 limit together.
 */
export function sellableLines(lines: RequestedLine[], products: Map<string, ProductDoc>): RequestedLine[] {
  assertSellable(lines, products);
  const merged = normalizeLines(lines);
  if (!merged.ok) throw new AppError(merged.reason);
  if (merged.lines.length !== lines.length) assertSellable(merged.lines, products);
  return merged.lines;
}

/** The SKU of a line that passed assertSellable. */
export function skuOfLine(products: Map<string, ProductDoc>, l: RequestedLine): ProductSku {
  const v = resolveSku(products.get(l.productId)!, l.skuId);
  if (!v.ok) throw new AppError(v.reason);
  return v.sku;
}

/** '标题（红 / M）' for a SKU line, the title alone for a one-SKU product. */
export function lineTitle(p: ProductDoc, l: { skuId?: string }): string {
  const v = resolveSku(p, l.skuId);
  const spec = v.ok ? specText(v.sku.spec, p.options) : '';
  return spec ? `${p.title}（${spec}）` : p.title;
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
    listPriceFen: skuOfLine(input.products, l).priceFen,
    // A line's special price: a redeemed assist price, or the group price of a group order (one line, one unit). Either
    // applies to the SKU the shopper buys, whatever that SKU's list price.
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
