/**
 * The merchant's products: list (on and off sale), create, edit, put on or take off sale, set stock, images.
 * Stock is the shop's hot counter (orders reserve it with guarded `_.inc`), so a new stock is written with a
 * compare-and-set on the value just read, never a blind overwrite that would undo a reservation made meanwhile.
 */
import crypto from 'node:crypto';
import type { Page } from '../../../types/api';
import type { ProductDoc } from '../../../types/models';
import type { MerchantProductView, SaveProductInput } from '../../../types/modules/merchant.api';
import type { Fen } from '../../../types/money';
import { AppError } from '../../infra/errors';
import type { Ctx } from '../../infra/handler';

const PRODUCTS = 'products';

export function productView(p: ProductDoc): MerchantProductView {
  return {
    id: p._id,
    title: p.title,
    description: p.description,
    images: p.images,
    priceFen: p.priceFen,
    stock: p.stock,
    onSale: p.onSale,
    sort: p.sort,
    updatedAt: p.updatedAt.toISOString(),
  };
}

export async function listMerchantProducts(ctx: Ctx, input: { cursor?: number; pageSize?: number; onSale?: boolean }): Promise<Page<MerchantProductView>> {
  const offset = input.cursor ?? 0;
  const size = input.pageSize ?? 20;
  const where = input.onSale === undefined ? {} : { onSale: input.onSale };
  const res = await ctx.db.collection(PRODUCTS).where(where).orderBy('sort', 'desc').orderBy('updatedAt', 'desc').skip(offset).limit(size + 1).get();
  const docs = res.data as ProductDoc[];
  return { items: docs.slice(0, size).map(productView), next: docs.length > size ? offset + size : null };
}

async function load(ctx: Ctx, id: string): Promise<ProductDoc | null> {
  return ((await ctx.db.collection(PRODUCTS).doc(id).get()).data?.[0] as ProductDoc | undefined) ?? null;
}

/** One product, on sale or not (the shop's getProduct hides off-sale ones). */
export async function getMerchantProduct(ctx: Ctx, input: { id: string }): Promise<MerchantProductView> {
  const p = await load(ctx, input.id);
  if (!p) throw new AppError('PRODUCT_NOT_FOUND');
  return productView(p);
}

export async function saveProduct(ctx: Ctx, input: SaveProductInput): Promise<MerchantProductView> {
  const now = ctx.clock.now();
  const fields = {
    title: input.title.trim(),
    description: input.description.trim(),
    images: input.images.map((u) => u.trim()).filter(Boolean),
    priceFen: input.priceFen as Fen,
    onSale: input.onSale,
  };
  if (!fields.title) throw new AppError('PRODUCT_INVALID', '商品信息填写不正确：请填写商品名称');
  if (fields.onSale && fields.images.length === 0) throw new AppError('PRODUCT_INVALID', '商品信息填写不正确：上架的商品至少需要一张图片');
  const products = ctx.db.collection(PRODUCTS);
  if (!input.id) {
    if (input.stock === undefined) throw new AppError('PRODUCT_INVALID', '商品信息填写不正确：请填写库存');
    const doc: ProductDoc = { _id: `p-${crypto.randomBytes(6).toString('hex')}`, ...fields, stock: input.stock, sort: input.sort ?? 0, createdAt: now, updatedAt: now };
    await products.add(doc);
    return productView(doc);
  }
  const _ = ctx.db.command;
  const patch = { ...fields, images: _.set(fields.images), ...(input.sort === undefined ? {} : { sort: input.sort }), updatedAt: now };
  if (input.stock === undefined) {
    // Stock untouched: orders keep reserving while the merchant edits the rest.
    const res = await products.where({ _id: input.id }).updateAndReturn(patch);
    if (!res.doc) throw new AppError('PRODUCT_NOT_FOUND');
    return productView(res.doc as ProductDoc);
  }
  for (let attempt = 0; attempt < 5; attempt++) {
    const current = await load(ctx, input.id);
    if (!current) throw new AppError('PRODUCT_NOT_FOUND');
    // Guarded on the stock we read: an order reserving units meanwhile makes this miss, and we read again.
    const res = await products.where({ _id: input.id, stock: current.stock }).updateAndReturn({ ...patch, stock: input.stock });
    if (res.doc) return productView(res.doc as ProductDoc);
  }
  throw new AppError('STOCK_CHANGED');
}
