/**
 * The shop's public face (the 首页 trust strip and its 店铺信息 page): the merchant's published name, qualifications
 * and service phone (`settings/store`), and every active rebate rule and assist campaign in the same words the
 * product and task pages use (domain/shopRules.ts, domain/assistPolicy.ts).
 */
import { z } from 'zod';
import type { AssistCampaignDoc, ProductDoc, RebateRuleDoc } from '../../../types/models';
import type { StoreInfo, StoreProfile } from '../../../types/modules/store.api';
import { describeAssistCampaign, describeRebateRule, isActiveAt } from '../../domain/shopRules';
import { action, type Ctx } from '../../infra/handler';

const DEFAULT_PROFILE: StoreProfile = { storeName: '推三返一', qualifications: [], servicePhone: '' };

export async function loadStoreProfile(ctx: Pick<Ctx, 'db'>): Promise<StoreProfile> {
  const doc = (await ctx.db.collection('settings').doc('store').get()).data?.[0] as Partial<StoreProfile> | undefined;
  return {
    storeName: doc?.storeName ?? DEFAULT_PROFILE.storeName,
    qualifications: doc?.qualifications ?? DEFAULT_PROFILE.qualifications,
    servicePhone: doc?.servicePhone ?? DEFAULT_PROFILE.servicePhone,
  };
}

export async function storeInfo(ctx: Ctx): Promise<StoreInfo> {
  const now = ctx.clock.now();
  const [profile, rules, campaigns] = await Promise.all([
    loadStoreProfile(ctx),
    ctx.db.collection('rebate_rules').where({ active: true }).limit(100).get(),
    ctx.db.collection('assist_campaigns').where({ active: true }).limit(100).get(),
  ]);
  const live = (campaigns.data as AssistCampaignDoc[]).filter((c) => isActiveAt(c, now));
  const products = live.length ? ((await ctx.db.collection('products').where({ _id: ctx.db.command.in(live.map((c) => c.productId)) }).field({ title: true, priceFen: true, onSale: true }).get()).data as ProductDoc[]) : [];
  const byId = new Map(products.map((p) => [p._id, p]));
  return {
    ...profile,
    rebateRules: (rules.data as RebateRuleDoc[])
      .filter((r) => isActiveAt(r, now))
      .sort((a, b) => b.priority - a.priority)
      .map((r) => ({ name: r.name, ...describeRebateRule(r) })),
    assistCampaigns: live
      .filter((c) => byId.get(c.productId)?.onSale)
      .map((c) => ({ productId: c.productId, productTitle: byId.get(c.productId)!.title, ...describeAssistCampaign(c, byId.get(c.productId)!.priceFen) })),
  };
}

export async function saveStoreProfile(ctx: Ctx, input: StoreProfile): Promise<StoreProfile> {
  const doc = { storeName: input.storeName.trim(), qualifications: input.qualifications.map((q) => q.trim()).filter(Boolean), servicePhone: input.servicePhone.trim(), updatedAt: ctx.clock.now() };
  await ctx.db.collection('settings').doc('store').set(doc);
  return { storeName: doc.storeName, qualifications: doc.qualifications, servicePhone: doc.servicePhone };
}

const profileSchema = z
  .object({
    storeName: z.string().trim().min(1).max(30),
    qualifications: z.array(z.string().max(100)).max(10),
    servicePhone: z.string().trim().regex(/^(|[0-9-]{5,20})$/),
  })
  .strict();

export const storeShopActions = {
  storeInfo: action({ schema: z.object({}).strict(), access: 'user', run: (_input, ctx) => storeInfo(ctx) }),
};

export const storeMerchantActions = {
  getStoreProfile: action({ schema: z.object({}).strict(), access: 'merchant', run: (_input, ctx) => loadStoreProfile(ctx) }),
  saveStoreProfile: action({ schema: profileSchema, access: 'merchant', run: (input, ctx) => saveStoreProfile(ctx, input as StoreProfile) }),
};
