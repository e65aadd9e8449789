import type { Page, ProductDetail, ProductSummary } from '../../../types/api';
import type { AssistCampaignDoc, ProductDoc, RebateRuleDoc } from '../../../types/models';
import { AppError } from '../../infra/errors';
import type { Ctx } from '../../infra/handler';

function isActive(doc: { active: boolean; startsAt: Date | null; endsAt: Date | null }, now: Date): boolean {
  return doc.active && (!doc.startsAt || doc.startsAt <= now) && (!doc.endsAt || now < doc.endsAt);
}

async function badgesFor(ctx: Ctx, productIds: string[]) {
  const _ = ctx.db.command;
  const now = ctx.clock.now();
  const [rules, campaigns] = await Promise.all([
    ctx.db.collection('rebate_rules').where({ active: true }).limit(100).get(),
    productIds.length
      ? ctx.db.collection('assist_campaigns').where({ productId: _.in(productIds), active: true }).limit(1000).get()
      : Promise.resolve({ data: [] }),
  ]);
  const activeRules = (rules.data as RebateRuleDoc[]).filter((r) => isActive(r, now));
  const withCampaign = new Set((campaigns.data as AssistCampaignDoc[]).filter((c) => isActive(c, now)).map((c) => c.productId));
  return (id: string) => ({
    rebate: activeRules.some((r) => !r.productIds || r.productIds.includes(id)),
    assist: withCampaign.has(id),
  });
}

function summary(p: ProductDoc, badges: ProductSummary['badges']): ProductSummary {
  return { id: p._id, title: p.title, image: p.images[0] ?? '', priceFen: p.priceFen, stock: p.stock, badges };
}

export async function listProducts(ctx: Ctx, input: { cursor?: number; pageSize?: number }): Promise<Page<ProductSummary>> {
  const offset = input.cursor ?? 0;
  const pageSize = input.pageSize ?? 10;
  const res = await ctx.db.collection('products').where({ onSale: true }).orderBy('sort', 'desc').skip(offset).limit(pageSize + 1).get();
  const docs = res.data as ProductDoc[];
  const page = docs.slice(0, pageSize);
  const badge = await badgesFor(ctx, page.map((p) => p._id));
  return { items: page.map((p) => summary(p, badge(p._id))), next: docs.length > pageSize ? offset + pageSize : null };
}

export async function getProduct(ctx: Ctx, input: { productId: string }): Promise<ProductDetail> {
  const res = await ctx.db.collection('products').doc(input.productId).get();
  const p = res.data?.[0] as ProductDoc | undefined;
  if (!p || !p.onSale) throw new AppError('PRODUCT_NOT_FOUND');
  const badge = await badgesFor(ctx, [p._id]);
  return { ...summary(p, badge(p._id)), images: p.images, description: p.description, onSale: p.onSale };
}
