/**
 * The shop's public face (the 首页 trust strip and its 店铺信息 page): the merchant's published name, qualifications
 * and service phone (`settings/store`), and every active rebate rule and assist campaign in the same words the
 * product and task pages use (domain/shopRules.ts, domain/assistPolicy.ts); and the 首页 banner area
 * (`settings/banners`, its own document, so saving the profile never touches it and the other way round); and the
 * 商品分类 tabs (categories/categories.ts).
 */
import { z } from 'zod';
import type { HomeBanner, HomeBanners, StoreInfo, StoreProfile } from '../../../types/modules/store.api';
import { describeAssistCampaign, describeRebateRule, isActiveAt } from '../../domain/shopRules';
import { collection, type LooseDoc } from '../../infra/collections';
import { AppError } from '../../infra/errors';
import { action, type Ctx } from '../../infra/handler';
import { checkRev, revField, revSchema, writeAtRev } from '../../infra/revisions';
import type { AtRev, SentRev } from '../../../types/revision';
import { categoryInputSchema, loadCategories, MAX_CATEGORIES, merchantCategories, saveCategories } from '../categories/categories';

const DEFAULT_PROFILE: StoreProfile = { storeName: '推三返一', qualifications: [], servicePhone: '' };

/** `settings/<id>` with the fields this module writes there (settings documents are loose: each reader names its own). */
async function readSettings<T extends object>(ctx: Pick<Ctx, 'db'>, id: string): Promise<(LooseDoc & Partial<T>) | undefined> {
  return (await collection(ctx.db, 'settings').doc(id).get()).data?.[0] as (LooseDoc & Partial<T>) | undefined;
}

export async function loadStoreProfile(ctx: Pick<Ctx, 'db'>): Promise<StoreProfile> {
  const { rev: _rev, ...profile } = await merchantStoreProfile(ctx);
  return profile;
}

/** The profile as its editor reads it, with the revision it is at. */
async function merchantStoreProfile(ctx: Pick<Ctx, 'db'>): Promise<StoreProfile & AtRev> {
  const doc = await readSettings<StoreProfile & AtRev>(ctx, 'store');
  return {
    ...revField(doc),
    storeName: doc?.storeName ?? DEFAULT_PROFILE.storeName,
    qualifications: doc?.qualifications ?? DEFAULT_PROFILE.qualifications,
    servicePhone: doc?.servicePhone ?? DEFAULT_PROFILE.servicePhone,
  };
}

export async function storeInfo(ctx: Ctx): Promise<StoreInfo> {
  const now = ctx.clock.now();
  const [profile, rules, campaigns] = await Promise.all([
    loadStoreProfile(ctx),
    collection(ctx.db, 'rebate_rules').where({ active: true }).limit(100).get(),
    collection(ctx.db, 'assist_campaigns').where({ active: true }).limit(100).get(),
  ]);
  const live = campaigns.data.filter((c) => isActiveAt(c, now));
  const products = live.length ? (await collection(ctx.db, 'products').where({ _id: ctx.db.command.in(live.map((c) => c.productId)) }).field({ title: true, priceFen: true, onSale: true }).get()).data : [];
  const byId = new Map(products.map((p) => [p._id, p]));
  return {
    ...profile,
    rebateRules: rules.data
      .filter((r) => isActiveAt(r, now))
      .sort((a, b) => b.priority - a.priority)
      .map((r) => ({ name: r.name, ...describeRebateRule(r) })),
    assistCampaigns: live
      .filter((c) => byId.get(c.productId)?.onSale)
      .map((c) => ({ productId: c.productId, productTitle: byId.get(c.productId)!.title, ...describeAssistCampaign(c, byId.get(c.productId)!.priceFen) })),
  };
}

const BANNERS = 'banners';
export const MAX_BANNERS = 5;

async function readBanners(ctx: Pick<Ctx, 'db'>): Promise<{ banners: HomeBanner[] } & AtRev> {
  const doc = await readSettings<{ banners: HomeBanner[] } & AtRev>(ctx, BANNERS);
  return { banners: (doc?.banners ?? []).map((b) => ({ heading: b.heading, caption: b.caption, productId: b.productId ?? null })), ...revField(doc) };
}

async function loadBanners(ctx: Pick<Ctx, 'db'>): Promise<HomeBanner[]> {
  return (await readBanners(ctx)).banners;
}

/**
 * 首页's banner area: the merchant's slides, a link dropped where its product is no longer on sale (the slide stays).
 * None set: the first active rebate rule (by priority) in the words the rules page uses, so the 首页 never promises
 * what the rules do not say; nothing without an active rule.
 */
export async function homeBanners(ctx: Ctx): Promise<HomeBanners> {
  const banners = await loadBanners(ctx);
  if (banners.length) {
    const ids = [...new Set(banners.map((b) => b.productId).filter((id): id is string => id !== null))];
    const onSale = new Set(
      ids.length ? (await collection(ctx.db, 'products').where({ _id: ctx.db.command.in(ids), onSale: true }).field({ _id: true }).get()).data.map((p) => p._id) : [],
    );
    return { banners: banners.map((b) => ({ ...b, productId: b.productId && onSale.has(b.productId) ? b.productId : null })), fromRules: false };
  }
  const now = ctx.clock.now();
  const rules = (await collection(ctx.db, 'rebate_rules').where({ active: true }).limit(100).get()).data.filter((r) => isActiveAt(r, now));
  const first = rules.sort((a, b) => b.priority - a.priority)[0];
  return { banners: first ? [{ heading: first.name, caption: describeRebateRule(first).summary, productId: null }] : [], fromRules: true };
}

export async function saveHomeBanners(ctx: Ctx, input: { banners: HomeBanner[] } & SentRev): Promise<{ banners: HomeBanner[] } & AtRev> {
  const read = await readSettings<AtRev>(ctx, BANNERS);
  checkRev(input.rev, read);
  const banners = input.banners.map((b) => ({ heading: b.heading.trim(), caption: b.caption.trim(), productId: b.productId ?? null }));
  const ids = [...new Set(banners.map((b) => b.productId).filter((id): id is string => id !== null))];
  if (ids.length) {
    const found = (await collection(ctx.db, 'products').where({ _id: ctx.db.command.in(ids), archived: ctx.db.command.neq(true) }).field({ _id: true }).get()).data;
    const known = new Set(found.map((p) => p._id));
    if (ids.some((id) => !known.has(id))) throw new AppError('PRODUCT_NOT_FOUND', '横幅链接的商品不存在或已归档');
  }
  const rev = await writeAtRev(ctx.db, 'settings', BANNERS, read, { banners, updatedAt: ctx.clock.now() }, input.rev);
  return { banners, ...rev };
}

export async function saveStoreProfile(ctx: Ctx, input: StoreProfile & SentRev): Promise<StoreProfile & AtRev> {
  const read = await readSettings<AtRev>(ctx, 'store');
  checkRev(input.rev, read);
  const profile = { storeName: input.storeName.trim(), qualifications: input.qualifications.map((q) => q.trim()).filter(Boolean), servicePhone: input.servicePhone.trim() };
  const rev = await writeAtRev(ctx.db, 'settings', 'store', read, { ...profile, updatedAt: ctx.clock.now() }, input.rev);
  return { ...profile, ...rev };
}

const profileSchema = z
  .object({
    storeName: z.string().trim().min(1).max(30),
    qualifications: z.array(z.string().max(100)).max(10),
    servicePhone: z.string().trim().regex(/^(|[0-9-]{5,20})$/),
    rev: revSchema,
  })
  .strict();

const bannerSchema = z
  .object({
    heading: z.string().trim().min(1).max(12),
    caption: z.string().trim().max(30),
    productId: z.string().min(1).max(64).regex(/^[A-Za-z0-9_-]+$/).nullable(),
  })
  .strict();

export const storeShopActions = {
  storeInfo: action({ schema: z.object({}).strict(), access: 'user', run: (_input, ctx) => storeInfo(ctx) }),
  homeBanners: action({ schema: z.object({}).strict(), access: 'user', run: (_input, ctx) => homeBanners(ctx) }),
  categories: action({ schema: z.object({}).strict(), access: 'user', run: async (_input, ctx) => ({ categories: await loadCategories(ctx) }) }),
};

export const storeMerchantActions = {
  getStoreProfile: action({ schema: z.object({}).strict(), access: 'merchant', run: (_input, ctx) => merchantStoreProfile(ctx) }),
  saveStoreProfile: action({ schema: profileSchema, access: 'merchant', run: (input, ctx) => saveStoreProfile(ctx, input as StoreProfile & SentRev) }),
  getHomeBanners: action({ schema: z.object({}).strict(), access: 'merchant', run: (_input, ctx) => readBanners(ctx) }),
  saveHomeBanners: action({
    schema: z.object({ banners: z.array(bannerSchema).max(MAX_BANNERS), rev: revSchema }).strict(),
    access: 'merchant',
    run: (input, ctx) => saveHomeBanners(ctx, input as { banners: HomeBanner[] } & SentRev),
  }),
  getCategories: action({ schema: z.object({}).strict(), access: 'merchant', run: (_input, ctx) => merchantCategories(ctx) }),
  saveCategories: action({
    schema: z.object({ categories: z.array(categoryInputSchema).max(MAX_CATEGORIES), rev: revSchema }).strict(),
    access: 'merchant',
    run: (input, ctx) => saveCategories(ctx, input),
  }),
};
