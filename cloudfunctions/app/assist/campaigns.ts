/** Assist campaigns: the merchant saves one per product; shoppers read its rules before starting. */
import type { AssistOffer, MerchantAssistActions, MerchantAssistCampaign, SaveAssistCampaignInput } from '../../../types/modules/assist.api';
import type { AssistCampaignDoc, ProductDoc } from '../../../types/models';
import type { Fen } from '../../../types/money';
import { campaignIsLive, campaignProblems, campaignRulesText } from '../../domain/assistPolicy';
import { collection } from '../../infra/collections';
import { isDuplicateKey } from '../../infra/db';
import { AppError } from '../../infra/errors';
import type { Ctx } from '../../infra/handler';
import { checkRev, revField, writeAtRev } from '../../infra/revisions';

export async function loadProduct(ctx: Ctx, productId: string): Promise<ProductDoc | null> {
  return (await collection(ctx.db, 'products').doc(productId).get()).data?.[0] ?? null;
}

/** The product's running campaign (the most recently saved if several). */
export async function liveCampaignFor(ctx: Ctx, productId: string): Promise<AssistCampaignDoc | null> {
  const now = ctx.clock.now();
  const res = await collection(ctx.db, 'assist_campaigns').where({ productId, active: true }).limit(20).get();
  const live = res.data.filter((c) => campaignIsLive(c, now));
  live.sort((a, b) => b.updatedAt.getTime() - a.updatedAt.getTime());
  return live[0] ?? null;
}

export function offerOf(c: AssistCampaignDoc, listPriceFen: Fen | null): AssistOffer {
  return {
    campaignId: c._id,
    productId: c.productId,
    helpersNeeded: c.helpersNeeded,
    durationHours: c.durationHours,
    success: c.success,
    fallback: c.fallback,
    newUsersOnly: c.newUsersOnly,
    helperDailyCap: c.helperDailyCap,
    rulesText: campaignRulesText(c, listPriceFen),
  };
}

/** The rules of a product's running campaign, for the product page (the shop may attach this to getProduct). */
export async function assistOfferFor(ctx: Ctx, productId: string): Promise<AssistOffer | null> {
  const [campaign, product] = await Promise.all([liveCampaignFor(ctx, productId), loadProduct(ctx, productId)]);
  if (!campaign || !product || !product.onSale) return null;
  return offerOf(campaign, product.priceFen);
}

/** Every field of a campaign, as the merchant's editor shows it and sends it back. */
function merchantCampaignView(c: AssistCampaignDoc): MerchantAssistCampaign {
  return {
    campaignId: c._id,
    productId: c.productId,
    active: c.active,
    helpersNeeded: c.helpersNeeded,
    durationHours: c.durationHours,
    success: c.success,
    fallback: c.fallback,
    newUsersOnly: c.newUsersOnly,
    helperDailyCap: c.helperDailyCap,
    openTasksPerShopper: c.openTasksPerShopper,
    startsAt: c.startsAt ? c.startsAt.toISOString() : null,
    endsAt: c.endsAt ? c.endsAt.toISOString() : null,
    updatedAt: c.updatedAt.toISOString(),
    ...revField(c),
  };
}

/** The product's campaign to edit: the running one, else the most recently saved (switched off or outside its window). */
export async function merchantCampaignFor(ctx: Ctx, productId: string): Promise<MerchantAssistCampaign | null> {
  const res = await collection(ctx.db, 'assist_campaigns').where({ productId }).limit(20).get();
  const recent = res.data.sort((a, b) => b.updatedAt.getTime() - a.updatedAt.getTime());
  const now = ctx.clock.now();
  const pick = recent.find((c) => campaignIsLive(c, now)) ?? recent[0];
  return pick ? merchantCampaignView(pick) : null;
}

type SavedCampaign = MerchantAssistActions['saveAssistCampaign'][1];

/**
 * Create or update a product's campaign. Without `campaignId` the product's existing campaign is updated (one per
 * product), or `ac-<productId>` is created. Open tasks keep the rules they started with.
 */
export async function saveAssistCampaign(ctx: Ctx, input: SaveAssistCampaignInput): Promise<SavedCampaign> {
  const now = ctx.clock.now();
  const product = await loadProduct(ctx, input.productId);
  if (!product) throw new AppError('PRODUCT_NOT_FOUND');
  const terms = {
    helpersNeeded: input.helpersNeeded,
    durationHours: input.durationHours,
    success: input.success,
    fallback: input.fallback,
    newUsersOnly: input.newUsersOnly,
    helperDailyCap: input.helperDailyCap,
    openTasksPerShopper: input.openTasksPerShopper,
    startsAt: input.startsAt ? new Date(input.startsAt) : null,
    endsAt: input.endsAt ? new Date(input.endsAt) : null,
  };
  const problems = campaignProblems(terms, product.priceFen);
  if (problems.length) throw new AppError('ASSIST_CAMPAIGN_INVALID', `助力活动设置不正确：${problems.join('；')}`);

  const campaigns = collection(ctx.db, 'assist_campaigns');
  let existing: AssistCampaignDoc | undefined;
  if (input.campaignId) {
    existing = (await campaigns.doc(input.campaignId).get()).data[0];
    // An id the server never gave out (or a campaign since removed) names nothing to edit: a new campaign is saved
    // without an id, so a made-up one cannot add a second campaign beside the product's own.
    if (!existing) throw new AppError('ASSIST_CAMPAIGN_NOT_FOUND', '助力活动不存在，请刷新后重试');
    if (existing.productId !== input.productId) throw new AppError('ASSIST_CAMPAIGN_INVALID', '助力活动设置不正确：活动与商品不匹配');
  } else {
    existing = (await campaigns.where({ productId: input.productId }).limit(1).get()).data[0];
  }
  checkRev(input.rev, existing);
  const id = existing?._id ?? `ac-${input.productId}`;
  const fields = { productId: input.productId, active: input.active, ...terms, updatedAt: now };
  let doc: AssistCampaignDoc;
  if (existing) {
    // Whole values for the reward unions (writeAtRev sets objects whole), so switching kinds leaves no stale fields
    // behind; guarded on the revision read, so a form read before another device saved changes nothing.
    doc = { ...existing, ...fields, ...(await writeAtRev(ctx.db, 'assist_campaigns', id, existing, fields, input.rev)) };
  } else {
    doc = { _id: id, ...fields, createdAt: now, ...(input.rev === undefined ? {} : { rev: 1 }) };
    try {
      await campaigns.add(doc);
    } catch (e) {
      if (!isDuplicateKey(e)) throw e;
      // Created meanwhile by another save: a form that read "none" with a revision is stale.
      throw new AppError(input.rev === undefined ? 'CONFLICT' : 'EDIT_STALE');
    }
  }
  return {
    ...offerOf(doc, product.priceFen),
    active: doc.active,
    startsAt: doc.startsAt ? doc.startsAt.toISOString() : null,
    endsAt: doc.endsAt ? doc.endsAt.toISOString() : null,
    openTasksPerShopper: doc.openTasksPerShopper,
    ...revField(doc),
  };
}
