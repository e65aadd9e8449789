/**
 * The merchant's products: list (on and off sale), create, edit, put on or take off sale, set stock, images.
 * Stock is the shop's hot counter (orders reserve it with guarded `_.inc`), so a new stock is written with a
 * compare-and-set on the value just read, never a blind overwrite that would undo a reservation made meanwhile; a SKU
 * whose stock the merchant did not change is sent without one and keeps the stock read at write time.
 */
import crypto from 'node:crypto';
import type { Page } from '../../../types/api';
import type { ProductDoc, ProductSku } from '../../../types/models';
import type { MerchantProductView, ProductListStatus, SaveProductInput } from '../../../types/modules/merchant.api';
import type { Fen } from '../../../types/money';
import { checkSkuTable, hasSkus } from '../../domain/productSkus';
import { collection } from '../../infra/collections';
import { AppError } from '../../infra/errors';
import type { Ctx } from '../../infra/handler';
import { atRev, checkRev, nextRev, nextRevIfSent, revField, revOf } from '../../infra/revisions';
import { checkCategory } from '../categories/categories';
import { checkUploadedImages } from './productImages';

type SkuTable = Extract<ReturnType<typeof checkSkuTable>, { ok: true }>;

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
    archived: p.archived === true,
    categoryId: p.categoryId ?? null,
    options: hasSkus(p) ? (p.options ?? []) : [],
    skus: hasSkus(p) ? p.skus!.map((k) => ({ skuId: k.skuId, spec: k.spec, priceFen: k.priceFen, stockQty: k.stockQty })) : [],
    updatedAt: p.updatedAt.toISOString(),
    ...revField(p),
  };
}

/** The query of a list filter: `status` (在售 / 已下架 but not archived / 已归档) or, as before, `onSale`. */
function listWhere(ctx: Ctx, input: { onSale?: boolean; status?: ProductListStatus }): Record<string, unknown> {
  const notArchived = ctx.db.command.neq(true);
  if (input.status === 'onSale') return { onSale: true };
  if (input.status === 'offSale') return { onSale: false, archived: notArchived };
  if (input.status === 'archived') return { archived: true };
  return input.onSale === undefined ? {} : { onSale: input.onSale };
}

export async function listMerchantProducts(ctx: Ctx, input: { cursor?: number; pageSize?: number; onSale?: boolean; status?: ProductListStatus }): Promise<Page<MerchantProductView>> {
  const offset = input.cursor ?? 0;
  const size = input.pageSize ?? 20;
  const where = listWhere(ctx, input);
  const res = await collection(ctx.db, PRODUCTS).where(where).orderBy('sort', 'desc').orderBy('updatedAt', 'desc').skip(offset).limit(size + 1).get();
  const docs = res.data;
  return { items: docs.slice(0, size).map(productView), next: docs.length > size ? offset + size : null };
}

async function load(ctx: Ctx, id: string): Promise<ProductDoc | null> {
  return (await collection(ctx.db, PRODUCTS).doc(id).get()).data?.[0] ?? null;
}

/** One product, on sale or not (the shop's getProduct hides off-sale ones). */
export async function getMerchantProduct(ctx: Ctx, input: { id: string }): Promise<MerchantProductView> {
  const p = await load(ctx, input.id);
  if (!p) throw new AppError('PRODUCT_NOT_FOUND');
  return productView(p);
}

/**
 * The guard of a stock write: every SKU's stock (and the SKU list's length) as read, or the product's stock when it
 * has no SKUs. An order reserving units meanwhile makes the write miss, and it reads again.
 */
function stockGuard(ctx: Ctx, current: ProductDoc): Record<string, unknown> {
  const _ = ctx.db.command;
  if (!hasSkus(current)) return { _id: current._id, stock: current.stock, 'skus.0.skuId': _.exists(false) };
  const where: Record<string, unknown> = { _id: current._id, [`skus.${current.skus!.length}.skuId`]: _.exists(false) };
  current.skus!.forEach((k, i) => Object.assign(where, { [`skus.${i}.skuId`]: k.skuId, [`skus.${i}.stockQty`]: k.stockQty }));
  return where;
}

export async function saveProduct(ctx: Ctx, input: SaveProductInput): Promise<MerchantProductView> {
  const now = ctx.clock.now();
  const fields = {
    title: input.title.trim(),
    description: input.description.trim(),
    images: input.images.map((u) => u.trim()).filter(Boolean),
    onSale: input.onSale,
  };
  if (!fields.title) throw new AppError('PRODUCT_INVALID', '商品信息填写不正确：请填写商品名称');
  if (fields.onSale && fields.images.length === 0) throw new AppError('PRODUCT_INVALID', '商品信息填写不正确：上架的商品至少需要一张图片');
  // 规格: a table (options + one SKU per combination), [] for a single-SKU product, or omitted (keep what is there).
  // A SKU sent without stockQty keeps the stock stored now, so the table is resolved against each read of the product.
  const tableOf = (current: readonly ProductSku[]): SkuTable | null => {
    if (!input.options || input.options.length === 0) return null;
    const v = checkSkuTable(input.options, input.skus ?? [], current);
    if (!v.ok) throw new AppError('PRODUCT_INVALID', `商品信息填写不正确：${v.message}`);
    return v;
  };
  if ((!input.options || input.options.length === 0) && input.skus && input.skus.length > 0) {
    throw new AppError('PRODUCT_INVALID', '商品信息填写不正确：规格组合需要先填写规格');
  }
  const products = collection(ctx.db, PRODUCTS);
  const _ = ctx.db.command;
  if (!input.id) {
    // A new product: a form sent with a revision read "none" (0); one that sent one is created at revision 1.
    checkRev(input.rev, null);
    const table = tableOf([]);
    if (!table && input.stock === undefined) throw new AppError('PRODUCT_INVALID', '商品信息填写不正确：请填写库存');
    const sku = table ? { priceFen: table.priceFen, stock: table.stock, options: table.options, skus: table.skus } : { priceFen: input.priceFen as Fen, stock: input.stock! };
    const doc: ProductDoc = { _id: `p-${crypto.randomBytes(6).toString('hex')}`, ...fields, ...sku, sort: input.sort ?? 0, categoryId: input.categoryId ?? null, createdAt: now, updatedAt: now, ...(input.rev === undefined ? {} : { rev: 1 }) };
    await checkCategory(ctx, doc.categoryId ?? null);
    await checkUploadedImages(fields.images);
    await products.add(doc);
    return productView(doc);
  }
  const existing = await load(ctx, input.id);
  if (!existing) throw new AppError('PRODUCT_NOT_FOUND');
  // A form read before another device saved (or switched 上架/下架, or archived) changes nothing: EDIT_STALE.
  checkRev(input.rev, existing);
  const table = tableOf(existing.skus ?? []);
  if (fields.onSale && existing.archived) throw new AppError('PRODUCT_ARCHIVED');
  // Uploaded pictures the product does not hold yet must be files we can serve (exist, an image, ≤ 2 MB).
  await checkUploadedImages(fields.images, existing.images);
  // A category is checked and written only when it changes: a product keeps the one it holds even if that was removed
  // meanwhile, and an unchanged save leaves the field as stored (absent stays absent).
  const categoryChanged = input.categoryId !== undefined && input.categoryId !== (existing.categoryId ?? null);
  if (categoryChanged) await checkCategory(ctx, input.categoryId!);
  const patch = {
    ...fields,
    images: _.set(fields.images),
    ...(input.sort === undefined ? {} : { sort: input.sort }),
    ...(categoryChanged ? { categoryId: input.categoryId } : {}),
    updatedAt: now,
    ...nextRevIfSent(ctx.db, input.rev),
  };
  const toSingle = input.options !== undefined && input.options.length === 0 && hasSkus(existing);
  if (toSingle && input.stock === undefined) throw new AppError('PRODUCT_INVALID', '商品信息填写不正确：请填写库存');
  if (!table && !toSingle && (hasSkus(existing) || input.stock === undefined)) {
    // Stock untouched: orders keep reserving while the merchant edits the rest. With SKUs, price and stock are theirs.
    const res = await products.where({ _id: input.id, rev: atRev(ctx.db, existing) }).updateAndReturn(hasSkus(existing) ? patch : { ...patch, priceFen: input.priceFen });
    if (!res.doc) throw new AppError((await load(ctx, input.id)) ? 'EDIT_STALE' : 'PRODUCT_NOT_FOUND');
    return productView(res.doc);
  }
  for (let attempt = 0; attempt < 5; attempt++) {
    const current = attempt === 0 ? existing : await load(ctx, input.id);
    if (!current) throw new AppError('PRODUCT_NOT_FOUND');
    // Orders reserving units make the write below miss and leave the revision alone; another save moves it: stale.
    checkRev(input.rev ?? revOf(existing), current);
    // The SKUs whose stock the merchant left alone take it from this read, so a reservation made meanwhile stands.
    const t = attempt === 0 ? table : tableOf(current.skus ?? []);
    const stockPatch = t
      ? { priceFen: t.priceFen, stock: t.stock, options: _.set(t.options), skus: _.set(t.skus) }
      : { priceFen: input.priceFen, stock: input.stock, ...(toSingle ? { options: _.remove(), skus: _.remove() } : {}) };
    // Guarded on the stock we read: an order reserving units meanwhile makes this miss, and we read again.
    const res = await products.where({ ...stockGuard(ctx, current), rev: atRev(ctx.db, current) }).updateAndReturn({ ...patch, ...stockPatch });
    if (res.doc) return productView(res.doc);
  }
  throw new AppError('STOCK_CHANGED');
}

/**
 * A switch from the list (上架/下架, 归档): on a product a revision-aware editor saved, the revision is counted up too, so
 * an editor opened before the switch cannot put the old state back; one without a revision stays without.
 */
async function switchProduct(ctx: Ctx, where: Record<string, unknown>, patch: Record<string, unknown>): Promise<ProductDoc | null> {
  const _ = ctx.db.command;
  const products = collection(ctx.db, PRODUCTS);
  for (let attempt = 0; attempt < 5; attempt++) {
    const revised = await products.where({ ...where, rev: _.exists(true) }).updateAndReturn({ ...patch, ...nextRev(ctx.db) });
    if (revised.doc) return revised.doc;
    const plain = await products.where({ ...where, rev: _.exists(false) }).updateAndReturn(patch);
    if (plain.doc) return plain.doc;
    // Both missed: no product the switch applies to — or an editor's first revision landed between the two: again.
    if ((await products.where(where).count()).total === 0) return null;
  }
  throw new AppError('CONFLICT');
}

/**
 * 上架 / 下架 from the list: only `onSale` is written, so a switch pressed on a list loaded before someone else edited
 * the product (price, pictures, description) cannot put back what the list showed. An archived product is never put on
 * sale (guarded in the same write).
 */
export async function setProductOnSale(ctx: Ctx, input: { id: string; onSale: boolean }): Promise<MerchantProductView> {
  const _ = ctx.db.command;
  const where = input.onSale ? { _id: input.id, archived: _.neq(true) } : { _id: input.id };
  const res = await switchProduct(ctx, where, { onSale: input.onSale, updatedAt: ctx.clock.now() });
  if (res) return productView(res);
  if (!(await load(ctx, input.id))) throw new AppError('PRODUCT_NOT_FOUND');
  throw new AppError('PRODUCT_ARCHIVED');
}

/**
 * 归档 / 恢复. Archiving takes the product off sale in the same write, so the shop (which lists and sells only
 * products on sale) drops it at once; orders keep their own snapshot of the item. Restoring leaves it off sale.
 */
export async function archiveProduct(ctx: Ctx, input: { id: string; archived: boolean }): Promise<MerchantProductView> {
  const patch = input.archived ? { archived: true, onSale: false, updatedAt: ctx.clock.now() } : { archived: false, updatedAt: ctx.clock.now() };
  const res = await switchProduct(ctx, { _id: input.id }, patch);
  if (!res) throw new AppError('PRODUCT_NOT_FOUND');
  return productView(res);
}

/**
 * Deletes a product that no order ever held (any status: an unpaid or cancelled order still shows it). One with
 * orders is refused and left as it was. An order placed in the instant between the check and the delete keeps its
 * snapshot (title, image, price) and does not need the product to show.
 */
export async function deleteProduct(ctx: Ctx, input: { id: string }): Promise<{ id: string; deleted: true }> {
  if (!(await load(ctx, input.id))) throw new AppError('PRODUCT_NOT_FOUND');
  const ordered = await collection(ctx.db, 'orders').where({ 'items.productId': input.id }).limit(1).get();
  if (ordered.data.length > 0) throw new AppError('PRODUCT_HAS_ORDERS');
  await collection(ctx.db, PRODUCTS).doc(input.id).remove();
  return { id: input.id, deleted: true };
}
