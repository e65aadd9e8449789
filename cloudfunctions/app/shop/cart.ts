/**
 * The shopper's server-side cart (`carts/<openid>`): product and SKU ids and quantities only, one line per SKU; prices are looked up when shown
 * and priced again at checkout. A per-user document, changed in a transaction so two taps never lose a line.
 */
import type { CartView } from '../../../types/api';
import type { ProductDoc } from '../../../types/models';
import type { Fen } from '../../../types/money';
import type { CartDoc } from '../../../types/modules/shop.models';
import { DEFAULT_SKU_ID, resolveSku, specText } from '../../domain/productSkus';
import { MAX_QUANTITY_PER_LINE } from '../../domain/shopPricing';
import { collection, txCollection, type TxHandle } from '../../infra/collections';
import { AppError } from '../../infra/errors';
import type { Ctx } from '../../infra/handler';

const MAX_CART_LINES = 50;
type Lines = CartDoc['items'];

function checkQuantity(q: number, allowZero: boolean) {
  if (!Number.isSafeInteger(q) || q < (allowZero ? 0 : 1) || q > MAX_QUANTITY_PER_LINE) throw new AppError('QUANTITY_INVALID');
}

async function changeCart(ctx: Ctx, change: (items: Lines) => Lines): Promise<void> {
  const now = ctx.clock.now();
  await ctx.db.runTransaction(async (tx: TxHandle) => {
    const found = (await txCollection(tx, 'carts').doc(ctx.openid).get()).data;
    const items = change(found?.items ? [...found.items.map((i) => ({ ...i }))] : []);
    await txCollection(tx, 'carts').doc(ctx.openid).set({ items, updatedAt: now });
  });
}

async function onSaleProduct(ctx: Ctx, productId: string): Promise<ProductDoc> {
  const p = (await collection(ctx.db, 'products').doc(productId).get()).data?.[0];
  if (!p) throw new AppError('PRODUCT_NOT_FOUND');
  if (!p.onSale) throw new AppError('PRODUCT_OFF_SALE');
  return p;
}

/** A line's key: the product and its SKU (a line added before SKUs names none: the product's single SKU). */
function sameLine(i: { productId: string; skuId?: string }, productId: string, skuId: string): boolean {
  return i.productId === productId && (i.skuId ?? DEFAULT_SKU_ID) === skuId;
}

export async function getCart(ctx: Ctx): Promise<CartView> {
  const _ = ctx.db.command;
  const cart = (await collection(ctx.db, 'carts').doc(ctx.openid).get()).data?.[0];
  const items = cart?.items ?? [];
  if (!items.length) return { items: [], totalFen: 0 as Fen };
  const ids = [...new Set(items.map((i) => i.productId))];
  const res = await collection(ctx.db, 'products').where({ _id: _.in(ids) }).limit(MAX_CART_LINES).get();
  const products = new Map(res.data.map((p) => [p._id, p]));
  let total = 0;
  const lines = items.map((i) => {
    const p = products.get(i.productId);
    const v = p ? resolveSku(p, i.skuId) : null;
    const sku = v?.ok ? v.sku : null;
    const available = !!p && !!sku && p.onSale && sku.stockQty >= i.quantity;
    if (available) total += sku!.priceFen * i.quantity;
    return {
      productId: i.productId,
      skuId: sku?.skuId ?? i.skuId ?? DEFAULT_SKU_ID,
      spec: sku && p ? specText(sku.spec, p.options) : '规格已失效',
      title: p?.title ?? '商品已删除',
      image: p?.images[0] ?? '',
      priceFen: (sku?.priceFen ?? 0) as Fen,
      stock: sku?.stockQty ?? 0,
      quantity: i.quantity,
      available,
    };
  });
  return { items: lines, totalFen: total as Fen };
}

export async function addToCart(ctx: Ctx, input: { productId: string; skuId?: string; quantity: number }): Promise<CartView> {
  checkQuantity(input.quantity, false);
  const product = await onSaleProduct(ctx, input.productId);
  const v = resolveSku(product, input.skuId);
  if (!v.ok) throw new AppError(v.reason);
  const skuId = v.sku.skuId;
  const spec = specText(v.sku.spec, product.options);
  const name = spec ? `${product.title}（${spec}）` : product.title;
  const now = ctx.clock.now();
  await changeCart(ctx, (items) => {
    const line = items.find((i) => sameLine(i, input.productId, skuId));
    if (line) {
      // Past the line's limit the shopper is told, not silently given fewer than they asked for.
      if (line.quantity + input.quantity > MAX_QUANTITY_PER_LINE) {
        const room = MAX_QUANTITY_PER_LINE - line.quantity;
        const more = room > 0 ? `，最多还能加 ${room} 件` : '';
        throw new AppError('CART_LINE_LIMIT', `「${name}」在购物车中最多 ${MAX_QUANTITY_PER_LINE} 件，已有 ${line.quantity} 件${more}`);
      }
      line.quantity += input.quantity;
      return items;
    }
    if (items.length >= MAX_CART_LINES) throw new AppError('CART_FULL');
    return [...items, { productId: input.productId, skuId, quantity: input.quantity, addedAt: now }];
  });
  return getCart(ctx);
}

/** Set a line's quantity; 0 removes it. No skuId: the product's only line (as old clients send it). */
export async function setCartQuantity(ctx: Ctx, input: { productId: string; skuId?: string; quantity: number }): Promise<CartView> {
  checkQuantity(input.quantity, true);
  await changeCart(ctx, (items) => {
    const matches = (i: Lines[number]) => (input.skuId === undefined ? i.productId === input.productId : sameLine(i, input.productId, input.skuId));
    if (input.quantity === 0) return items.filter((i) => !matches(i));
    const found = items.filter(matches);
    if (found.length === 0) throw new AppError('PRODUCT_NOT_FOUND', '购物车中没有该商品');
    if (found.length > 1) throw new AppError('SKU_REQUIRED');
    found[0].quantity = input.quantity;
    return items;
  });
  return getCart(ctx);
}

/** Removes every line of `productIds` and the named SKU `lines`. */
export async function removeFromCart(ctx: Ctx, input: { productIds?: string[]; lines?: { productId: string; skuId: string }[] }): Promise<CartView> {
  const drop = new Set(input.productIds ?? []);
  const dropLines = input.lines ?? [];
  await changeCart(ctx, (items) => items.filter((i) => !drop.has(i.productId) && !dropLines.some((l) => sameLine(i, l.productId, l.skuId))));
  return getCart(ctx);
}

/** After an order from the cart: drop exactly the ordered (product, SKU) lines; the product's other SKUs stay. */
export async function dropOrderedLines(ctx: Ctx, lines: { productId: string; skuId?: string }[]): Promise<void> {
  await changeCart(ctx, (items) => items.filter((i) => !lines.some((l) => sameLine(i, l.productId, l.skuId ?? DEFAULT_SKU_ID))));
}
