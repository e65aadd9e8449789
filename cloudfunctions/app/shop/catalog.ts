import type { AssistCampaignView, Page, ProductDetail, ProductSummary, RebateRuleView, SkuView } from '../../../types/api';
import { hasSkus, pricesVary, skusOf, specText } from '../../domain/productSkus';
import type { AssistCampaignDoc, ProductDoc, RebateRuleDoc } from '../../../types/models';
import { describeAssistCampaign, describeRebateRule, isActiveAt, ruleAppliesTo } from '../../domain/shopRules';
import { collection } from '../../infra/collections';
import { AppError } from '../../infra/errors';
import type { Ctx } from '../../infra/handler';
import { iso } from '../../../types/time';
import type { Fen } from '../../../types/money';

/** The active rebate rules and assist campaigns for these products (two reads for a whole page). */
async function rulesFor(ctx: Ctx, productIds: string[]) {
  const _ = ctx.db.command;
  const now = ctx.clock.now();
  const [rules, campaigns] = await Promise.all([
    collection(ctx.db, 'rebate_rules').where({ active: true }).limit(100).get(),
    productIds.length
      ? collection(ctx.db, 'assist_campaigns').where({ productId: _.in(productIds), active: true }).limit(1000).get()
      : Promise.resolve({ data: [] as AssistCampaignDoc[] }),
  ]);
  const activeRules = rules.data.filter((r) => isActiveAt(r, now)).sort((a, b) => b.priority - a.priority);
  const activeCampaigns = campaigns.data.filter((c) => isActiveAt(c, now));
  return {
    rebate: (id: string) => activeRules.filter((r) => ruleAppliesTo(r, id)),
    assist: (id: string) => activeCampaigns.find((c) => c.productId === id) ?? null,
  };
}

function summary(p: ProductDoc, badges: ProductSummary['badges'], assist: AssistCampaignDoc | null = null): ProductSummary {
  const assistPriceFen = assist?.success.kind === 'price' ? assist.success.priceFen : null;
  // priceFen is the lowest SKU price (merchant/products.ts keeps it so); the card says '起' when the SKUs differ.
  return { id: p._id, title: p.title, image: p.images[0] ?? '', priceFen: p.priceFen, stock: p.stock, badges, assistPriceFen, priceVaries: pricesVary(p), soldQty: Math.max(0, p.soldQty ?? 0) };
}

function skuViews(p: ProductDoc): SkuView[] {
  return skusOf(p).map((s) => ({ skuId: s.skuId, spec: s.spec, specText: specText(s.spec, p.options), priceFen: s.priceFen, stock: s.stockQty }));
}

function rebateView(r: RebateRuleDoc): RebateRuleView {
  return { id: r._id, name: r.name, reward: r.reward, trigger: r.trigger, caps: r.caps, startsAt: iso(r.startsAt), endsAt: iso(r.endsAt), ...describeRebateRule(r) };
}

function assistView(c: AssistCampaignDoc, listPriceFen: Fen): AssistCampaignView {
  return {
    id: c._id,
    helpersNeeded: c.helpersNeeded,
    durationHours: c.durationHours,
    success: c.success,
    fallback: c.fallback,
    newUsersOnly: c.newUsersOnly,
    helperDailyCap: c.helperDailyCap,
    startsAt: iso(c.startsAt),
    endsAt: iso(c.endsAt),
    ...describeAssistCampaign(c, listPriceFen),
  };
}

/** A shopper's search text as a literal pattern: every regex metacharacter escaped. */
const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

export async function listProducts(ctx: Ctx, input: { cursor?: number; pageSize?: number; q?: string; categoryId?: string }): Promise<Page<ProductSummary>> {
  const offset = input.cursor ?? 0;
  const pageSize = input.pageSize ?? 10;
  const q = input.q?.trim() ?? '';
  // A search runs within the chosen category tab (全部: no categoryId).
  const where = {
    onSale: true,
    ...(q ? { title: ctx.db.RegExp({ regexp: escapeRegExp(q), options: 'i' }) } : {}),
    ...(input.categoryId ? { categoryId: input.categoryId } : {}),
  };
  const res = await collection(ctx.db, 'products').where(where).orderBy('sort', 'desc').skip(offset).limit(pageSize + 1).get();
  const docs = res.data;
  const page = docs.slice(0, pageSize);
  const rules = await rulesFor(ctx, page.map((p) => p._id));
  return {
    items: page.map((p) => summary(p, { rebate: rules.rebate(p._id).length > 0, assist: rules.assist(p._id) !== null }, rules.assist(p._id))),
    next: docs.length > pageSize ? offset + pageSize : null,
  };
}

export async function getProduct(ctx: Ctx, input: { productId: string }): Promise<ProductDetail> {
  const res = await collection(ctx.db, 'products').doc(input.productId).get();
  const p = res.data?.[0];
  if (!p || !p.onSale) throw new AppError('PRODUCT_NOT_FOUND');
  const rules = await rulesFor(ctx, [p._id]);
  const rebate = rules.rebate(p._id);
  const assist = rules.assist(p._id);
  return {
    ...summary(p, { rebate: rebate.length > 0, assist: assist !== null }, assist),
    images: p.images,
    description: p.description,
    onSale: p.onSale,
    options: hasSkus(p) ? (p.options ?? []) : [],
    skus: skuViews(p),
    rules: { rebate: rebate.map(rebateView), assist: assist ? assistView(assist, p.priceFen) : null },
  };
}
