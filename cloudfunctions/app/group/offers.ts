/** Group offers (拼团): the merchant saves one per product; shoppers read its rules before opening or joining. */
import type { GroupOfferView, OpenGroupCard, SaveGroupOfferInput, SavedGroupOffer } from '../../../types/modules/group.api';
import type { GroupOfferDoc, GroupTerms } from '../../../types/modules/group.models';
import type { ProductDoc } from '../../../types/models';
import type { Fen } from '../../../types/money';
import { describeGroupRules } from '../../../types/groupRules';
import { effectiveStatus, offerProblems, seatsLeft } from '../../domain/groupBuy';
import { AppError } from '../../infra/errors';
import { collection } from '../../infra/collections';
import type { Ctx } from '../../infra/handler';
import { checkRev, revField, writeAtRev } from '../../infra/revisions';
import { membersOf } from './people';

export const OFFERS = 'group_offers';
const OPEN_CARDS = 5;

export const offerIdFor = (productId: string) => `go-${productId}`;

export async function loadOffer(ctx: Pick<Ctx, 'db'>, productId: string): Promise<GroupOfferDoc | null> {
  return (await collection(ctx.db, OFFERS).doc(offerIdFor(productId)).get()).data?.[0] ?? null;
}

export async function loadProduct(ctx: Pick<Ctx, 'db'>, productId: string): Promise<ProductDoc | null> {
  return (await collection(ctx.db, 'products').doc(productId).get()).data?.[0] ?? null;
}

export function termsOf(o: GroupTerms): GroupTerms {
  return {
    groupSize: o.groupSize,
    groupPriceFen: o.groupPriceFen,
    timeLimitHours: o.timeLimitHours,
    allowJoinAny: o.allowJoinAny,
    newUsersOnly: o.newUsersOnly,
    maxOpenPerShopper: o.maxOpenPerShopper,
    leaderReward: o.leaderReward,
    minSizeAtDeadline: o.minSizeAtDeadline,
  };
}

function offerView(o: GroupOfferDoc, listPriceFen: Fen, openGroups: OpenGroupCard[]): GroupOfferView {
  return { offerId: o._id, productId: o.productId, listPriceFen, ...termsOf(o), rulesText: describeGroupRules(o, listPriceFen), openGroups };
}

/** Open groups of a product with a seat left, fewest seats left first (凑团). */
async function openGroupsOf(ctx: Ctx, productId: string): Promise<OpenGroupCard[]> {
  const _ = ctx.db.command;
  const now = ctx.clock.now();
  const res = await collection(ctx.db, 'groups').where({ productId, status: 'open', deadline: _.gt(now) }).orderBy('deadline', 'asc').limit(50).get();
  const joinable = res.data.filter((g) => effectiveStatus(g, now) === 'open' && seatsLeft(g) > 0 && !g.memberIds.includes(ctx.openid));
  joinable.sort((a, b) => seatsLeft(a) - seatsLeft(b) || (a.deadline as Date).getTime() - (b.deadline as Date).getTime());
  const shown = joinable.slice(0, OPEN_CARDS);
  const people = await membersOf(ctx, shown.map((g) => g.leaderId));
  return shown.map((g) => ({
    groupId: g._id,
    leader: { ...people(g.leaderId), isLeader: true },
    size: g.size,
    paidCount: g.paidCount,
    seatsLeft: seatsLeft(g),
    deadline: (g.deadline as Date).toISOString(),
    msLeft: Math.max((g.deadline as Date).getTime() - now.getTime(), 0),
  }));
}

/** The product page's 拼团 section: the active offer's rules, and open groups to join when 凑团 is allowed. */
export async function groupOfferFor(ctx: Ctx, productId: string): Promise<GroupOfferView | null> {
  const [offer, product] = await Promise.all([loadOffer(ctx, productId), loadProduct(ctx, productId)]);
  if (!offer || !offer.active || !product || !product.onSale) return null;
  const open = offer.allowJoinAny ? await openGroupsOf(ctx, productId) : [];
  return offerView(offer, product.priceFen, open);
}

export async function getGroupOffer(ctx: Ctx, productId: string): Promise<SavedGroupOffer | null> {
  const [offer, product] = await Promise.all([loadOffer(ctx, productId), loadProduct(ctx, productId)]);
  if (!product) throw new AppError('PRODUCT_NOT_FOUND');
  return offer ? { ...offerView(offer, product.priceFen, []), active: offer.active, ...revField(offer) } : null;
}

/** Create or replace a product's offer (one per product). Running groups keep the rules they were opened with. */
export async function saveGroupOffer(ctx: Ctx, input: SaveGroupOfferInput): Promise<SavedGroupOffer> {
  const product = await loadProduct(ctx, input.productId);
  if (!product) throw new AppError('PRODUCT_NOT_FOUND');
  const terms = termsOf(input);
  const problems = offerProblems(terms, product.priceFen);
  if (problems.length) throw new AppError('GROUP_OFFER_INVALID', `拼团活动设置不正确：${problems.join('；')}`);
  const now = ctx.clock.now();
  const id = offerIdFor(input.productId);
  const existing = await loadOffer(ctx, input.productId);
  checkRev(input.rev, existing);
  const doc: GroupOfferDoc = { _id: id, productId: input.productId, active: input.active, ...terms, createdAt: existing?.createdAt ?? now, updatedAt: now };
  // Every field written whole (the reward's kind switching leaves no stale fields), guarded on the revision read.
  const { _id, ...fields } = doc;
  const rev = await writeAtRev(ctx.db, OFFERS, id, existing, fields, input.rev);
  return { ...offerView(doc, product.priceFen, []), active: doc.active, ...rev };
}
