/**
 * 商品分类: the merchant's categories (`settings/categories`, one document, in the order the 首页 shows them as tabs)
 * and the product's `categoryId`. A category is named by the merchant and identified by an id the server assigns, so a
 * rename never touches the products. Removing a category that products still hold is refused, and nothing is written:
 * the merchant moves them first. A product saved with a category removed in the same instant keeps an id no tab
 * names; the shop then lists it under 全部 only (the tabs filter by id), and the merchant's editor shows 未分类.
 */
import crypto from 'node:crypto';
import { z } from 'zod';
import type { ProductCategory, ProductCategoryInput } from '../../../types/modules/store.api';
import { collection, type LooseDoc } from '../../infra/collections';
import { AppError } from '../../infra/errors';
import type { Ctx } from '../../infra/handler';
import { checkRev, revField, writeAtRev } from '../../infra/revisions';
import type { AtRev, SentRev } from '../../../types/revision';

const CATEGORIES = 'categories';
export const MAX_CATEGORIES = 12;
export const MAX_CATEGORY_NAME = 6;

/** `settings/categories` as saveCategories writes it (a settings document is loose: its reader names the fields). */
type CategoriesDoc = LooseDoc & { categories?: ProductCategory[]; rev?: number };

async function readCategories(ctx: Pick<Ctx, 'db'>): Promise<{ doc: CategoriesDoc | undefined; categories: ProductCategory[] }> {
  const doc = (await collection(ctx.db, 'settings').doc(CATEGORIES).get()).data?.[0] as CategoriesDoc | undefined;
  return { doc, categories: (doc?.categories ?? []).map((c) => ({ id: c.id, name: c.name })) };
}

export async function loadCategories(ctx: Pick<Ctx, 'db'>): Promise<ProductCategory[]> {
  return (await readCategories(ctx)).categories;
}

/** Refuses a category id the shop does not have (null: none, always allowed). */
export async function checkCategory(ctx: Pick<Ctx, 'db'>, categoryId: string | null): Promise<void> {
  if (categoryId === null) return;
  if (!(await loadCategories(ctx)).some((c) => c.id === categoryId)) throw new AppError('CATEGORY_NOT_FOUND');
}

/** How many products that are not archived hold this category. */
async function productsIn(ctx: Pick<Ctx, 'db'>, categoryId: string): Promise<number> {
  const res = await collection(ctx.db, 'products').where({ categoryId, archived: ctx.db.command.neq(true) }).count();
  return res.total;
}

export async function merchantCategories(ctx: Ctx): Promise<{ categories: (ProductCategory & { products: number })[] } & AtRev> {
  const { doc, categories } = await readCategories(ctx);
  const counts = await Promise.all(categories.map((c) => productsIn(ctx, c.id)));
  return { categories: categories.map((c, i) => ({ ...c, products: counts[i] })), ...revField(doc) };
}

export async function saveCategories(ctx: Ctx, input: { categories: ProductCategoryInput[] } & SentRev): Promise<{ categories: ProductCategory[] } & AtRev> {
  const { doc, categories: current } = await readCategories(ctx);
  checkRev(input.rev, doc);
  const known = new Map(current.map((c) => [c.id, c]));
  const names = new Set<string>();
  const next: ProductCategory[] = [];
  for (const c of input.categories) {
    const name = c.name.trim();
    if (names.has(name)) throw new AppError('CATEGORY_INVALID', `分类填写不正确：「${name}」重复了`);
    names.add(name);
    if (c.id !== null && !known.has(c.id)) throw new AppError('CATEGORY_NOT_FOUND');
    next.push({ id: c.id ?? `c-${crypto.randomBytes(4).toString('hex')}`, name });
  }
  const kept = new Set(next.map((c) => c.id));
  for (const gone of current.filter((c) => !kept.has(c.id))) {
    const n = await productsIn(ctx, gone.id);
    if (n > 0) throw new AppError('CATEGORY_IN_USE', `分类「${gone.name}」下还有 ${n} 件商品，请先把它们移到其他分类`);
  }
  // Archived products may still hold a removed id; restoring one shows it under 全部 until the merchant picks again.
  // Guarded on the revision read: a category another device added meanwhile is not dropped by this list.
  const rev = await writeAtRev(ctx.db, 'settings', CATEGORIES, doc, { categories: next, updatedAt: ctx.clock.now() }, input.rev);
  return { categories: next, ...rev };
}

export const categoryIdSchema = z.string().min(1).max(64).regex(/^[A-Za-z0-9_-]+$/);

export const categoryInputSchema = z
  .object({
    id: categoryIdSchema.nullable(),
    name: z.string().trim().min(1).max(MAX_CATEGORY_NAME),
  })
  .strict();
