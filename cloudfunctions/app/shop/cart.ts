/**
 * The shopper's server-side cart (`carts/<openid>`): product ids and quantities only; prices are looked up when shown
 * and priced again at checkout. A per-user document, changed in a transaction so two taps never lose a line.
 */
import type { CartView } from '../../../types/api';
import type { ProductDoc } from '../../../types/models';
import type { Fen } from '../../../types/money';
import type { CartDoc } from '../../../types/modules/shop.models';
import { MAX_QUANTITY_PER_LINE } from '../../domain/shopPricing';
import { AppError } from '../../infra/errors';
import type { Ctx } from '../../infra/handler';

const MAX_CART_LINES = 50;
type Lines = CartDoc['items'];
/** The part of an SDK transaction the cart uses (inside one, `doc().get()` answers the document itself or null). */
type Tx = { collection(name: string): { doc(id: string): { get(): Promise<{ data: unknown }>; set(d: object): Promise<unknown> } } };

function checkQuantity(q: number, allowZero: boolean) {
  if (!Number.isSafeInteger(q) || q < (allowZero ? 0 : 1) || q > MAX_QUANTITY_PER_LINE) throw new AppError('QUANTITY_INVALID');
}

async function changeCart(ctx: Ctx, change: (items: Lines) => Lines): Promise<void> {
  const now = ctx.clock.now();
  await ctx.db.runTransaction(async (tx: Tx) => {
    const found = (await tx.collection('carts').doc(ctx.openid).get()).data as CartDoc | null;
    const items = change(found?.items ? [...found.items.map((i) => ({ ...i }))] : []);
    await tx.collection('carts').doc(ctx.openid).set({ items, updatedAt: now });
  });
}

async function onSaleProduct(ctx: Ctx, productId: string): Promise<ProductDoc> {
  const p = (await ctx.db.collection('products').doc(productId).get()).data?.[0] as ProductDoc | undefined;
  if (!p) throw new AppError('PRODUCT_NOT_FOUND');
  if (!p.onSale) throw new AppError('PRODUCT_OFF_SALE');
  return p;
}

export async function getCart(ctx: Ctx): Promise<CartView> {
  const _ = ctx.db.command;
  const cart = (await ctx.db.collection('carts').doc(ctx.openid).get()).data?.[0] as CartDoc | undefined;
  const items = cart?.items ?? [];
  if (!items.length) return { items: [], totalFen: 0 as Fen };
  const res = await ctx.db.collection('products').where({ _id: _.in(items.map((i) => i.productId)) }).limit(MAX_CART_LINES).get();
  const products = new Map((res.data as ProductDoc[]).map((p) => [p._id, p]));
  let total = 0;
  const lines = items.map((i) => {
    const p = products.get(i.productId);
    const available = !!p && p.onSale && p.stock >= i.quantity;
    if (available) total += p.priceFen * i.quantity;
    return { productId: i.productId, title: p?.title ?? '商品已删除', image: p?.images[0] ?? '', priceFen: (p?.priceFen ?? 0) as Fen, stock: p?.stock ?? 0, quantity: i.quantity, available };
  });
  return { items: lines, totalFen: total as Fen };
}

export async function addToCart(ctx: Ctx, input: { productId: string; quantity: number }): Promise<CartView> {
  checkQuantity(input.quantity, false);
  const product = await onSaleProduct(ctx, input.productId);
  const now = ctx.clock.now();
  await changeCart(ctx, (items) => {
    const line = items.find((i) => i.productId === input.productId);
    if (line) {
      // Past the line's limit the shopper is told, not silently given fewer than they asked for.
      if (line.quantity + input.quantity > MAX_QUANTITY_PER_LINE) {
        const room = MAX_QUANTITY_PER_LINE - line.quantity;
        const more = room > 0 ? `，最多还能加 ${room} 件` : '';
        throw new AppError('CART_LINE_LIMIT', `「${product.title}」在购物车中最多 ${MAX_QUANTITY_PER_LINE} 件，已有 ${line.quantity} 件${more}`);
      }
      line.quantity += input.quantity;
      return items;
    }
    if (items.length >= MAX_CART_LINES) throw new AppError('CART_FULL');
    return [...items, { productId: input.productId, quantity: input.quantity, addedAt: now }];
  });
  return getCart(ctx);
}

/** Set a line's quantity; 0 removes it. */
export async function setCartQuantity(ctx: Ctx, input: { productId: string; quantity: number }): Promise<CartView> {
  checkQuantity(input.quantity, true);
  await changeCart(ctx, (items) => {
    if (input.quantity === 0) return items.filter((i) => i.productId !== input.productId);
    const line = items.find((i) => i.productId === input.productId);
    if (!line) throw new AppError('PRODUCT_NOT_FOUND', '购物车中没有该商品');
    line.quantity = input.quantity;
    return items;
  });
  return getCart(ctx);
}

export async function removeFromCart(ctx: Ctx, input: { productIds: string[] }): Promise<CartView> {
  const drop = new Set(input.productIds);
  await changeCart(ctx, (items) => items.filter((i) => !drop.has(i.productId)));
  return getCart(ctx);
}
