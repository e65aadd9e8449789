/** Pre-sales (阶梯预售): the merchant saves one per product; shoppers read its rules, tier and count up front. */
import { atRev, checkRev, nextRevIfSent, revField, revOf } from '../../infra/revisions';
import type { DepositView, MerchantPresaleView, PresaleView, SavePresaleInput } from '../../../types/modules/presale.api';
import type { DepositDoc, DepositState, PresaleDoc, PresaleTerms } from '../../../types/modules/presale.models';
import type { ProductDoc } from '../../../types/models';
import { balanceFen, depositsToNext, describePresaleRules, nextTier, phaseAt, presaleProblems, priceAt } from '../../domain/presale';
import { AppError } from '../../infra/errors';
import { collection } from '../../infra/collections';
import type { Ctx } from '../../infra/handler';
import { createHash } from 'crypto';

export const PRESALES = 'presales';
export const DEPOSITS = 'presale_deposits';
const STATES: DepositState[] = ['pending', 'paid', 'completed', 'forfeited', 'refunded', 'cancelled', 'withdrawn', 'refused'];

export const presaleIdFor = (productId: string) => `ps-${productId}`;
/** One deposit per shopper per pre-sale round: a deterministic id, so two taps make one. */
export const depositIdFor = (presaleId: string, round: number, openid: string) =>
  `pd${createHash('sha256').update(`${presaleId}:${round}:${openid}`).digest('hex').slice(0, 20)}`;

export async function loadPresale(ctx: Pick<Ctx, 'db'>, productId: string): Promise<PresaleDoc | null> {
  return (await collection(ctx.db, PRESALES).doc(presaleIdFor(productId)).get()).data?.[0] ?? null;
}

export async function loadPresaleById(ctx: Pick<Ctx, 'db'>, presaleId: string): Promise<PresaleDoc | null> {
  return (await collection(ctx.db, PRESALES).doc(presaleId).get()).data?.[0] ?? null;
}

export async function loadDeposit(ctx: Pick<Ctx, 'db'>, depositId: string): Promise<DepositDoc | null> {
  return (await collection(ctx.db, DEPOSITS).doc(depositId).get()).data?.[0] ?? null;
}

async function loadProduct(ctx: Pick<Ctx, 'db'>, productId: string): Promise<ProductDoc | null> {
  return (await collection(ctx.db, 'products').doc(productId).get()).data?.[0] ?? null;
}

export function depositView(d: DepositDoc, p: PresaleDoc): DepositView {
  return { depositId: d._id, state: d.state, depositFen: d.depositFen, balanceFen: p.finalPriceFen !== null ? balanceFen(p.finalPriceFen, d.depositFen) : null };
}

function termsOf(p: PresaleTerms): PresaleTerms {
  return { depositFen: p.depositFen, basePriceFen: p.basePriceFen, tiers: p.tiers.map((t) => ({ minDeposits: t.minDeposits, priceFen: t.priceFen })), startsAt: p.startsAt, endsAt: p.endsAt, balanceEndsAt: p.balanceEndsAt, forfeitUnpaid: p.forfeitUnpaid };
}

function view(p: PresaleDoc, now: Date, mine: DepositDoc | null): PresaleView {
  const count = p.depositCount;
  const priced = p.finalPriceFen !== null;
  return {
    presaleId: p._id,
    productId: p.productId,
    productTitle: p.productTitle,
    depositFen: p.depositFen,
    basePriceFen: p.basePriceFen,
    tiers: p.tiers,
    startsAt: p.startsAt.toISOString(),
    endsAt: p.endsAt.toISOString(),
    balanceEndsAt: p.balanceEndsAt.toISOString(),
    forfeitUnpaid: p.forfeitUnpaid,
    status: p.status,
    phase: phaseAt(p, now),
    depositCount: count,
    currentPriceFen: priced ? (p.finalPriceFen as PresaleDoc['basePriceFen']) : priceAt(p, count),
    finalPriceFen: p.finalPriceFen,
    nextTier: priced ? null : nextTier(p, count),
    depositsToNext: priced ? 0 : depositsToNext(p, count),
    rulesText: describePresaleRules(p),
    mine: mine && mine.round === p.round ? depositView(mine, p) : null,
  };
}

/** The product page's pre-sale section (null when the product has no active pre-sale). */
export async function presaleFor(ctx: Ctx, productId: string): Promise<PresaleView | null> {
  const p = await loadPresale(ctx, productId);
  if (!p || !p.active) return null;
  const mine = await loadDeposit(ctx, depositIdFor(p._id, p.round, ctx.openid));
  return view(p, ctx.clock.now(), mine);
}

async function merchantView(ctx: Ctx, p: PresaleDoc): Promise<MerchantPresaleView> {
  const deposits = collection(ctx.db, DEPOSITS);
  const counts = await Promise.all(STATES.map((state) => deposits.where({ presaleId: p._id, round: p.round, state }).count()));
  const byState: MerchantPresaleView['byState'] = {};
  STATES.forEach((s, i) => {
    if (counts[i].total) byState[s] = counts[i].total;
  });
  return { ...view(p, ctx.clock.now(), null), active: p.active, round: p.round, byState, ...revField(p) };
}

export async function getPresale(ctx: Ctx, productId: string): Promise<MerchantPresaleView | null> {
  const [p, product] = await Promise.all([loadPresale(ctx, productId), loadProduct(ctx, productId)]);
  if (!product) throw new AppError('PRODUCT_NOT_FOUND');
  return p ? merchantView(ctx, p) : null;
}

/**
 * Create or change a product's pre-sale. Its terms may change only until the first deposit is counted (a guarded
 * update on `depositCount: 0`); once closed, saving starts a new round. Every change counts up `termsVersion`, so a
 * deposit whose payment was already under way is not counted under terms its buyer never saw: it is refunded.
 */
export async function savePresale(ctx: Ctx, input: SavePresaleInput): Promise<MerchantPresaleView> {
  const product = await loadProduct(ctx, input.productId);
  if (!product) throw new AppError('PRODUCT_NOT_FOUND');
  const terms: PresaleTerms = termsOf({ ...input, startsAt: new Date(input.startsAt), endsAt: new Date(input.endsAt), balanceEndsAt: new Date(input.balanceEndsAt) });
  const problems = presaleProblems(terms);
  if (problems.length) throw new AppError('PRESALE_INVALID', `预售活动设置不正确：${problems.join('；')}`);
  const now = ctx.clock.now();
  const id = presaleIdFor(input.productId);
  const existing = await loadPresale(ctx, input.productId);
  // A form read before another device saved (or before a new round began) changes nothing: EDIT_STALE.
  checkRev(input.rev, existing);
  const sent = input.rev !== undefined;
  // The answer is what this save wrote (a read afterwards could be a later save's).
  let written: PresaleDoc;
  if (!existing || existing.status === 'closed') {
    const doc: Omit<PresaleDoc, '_id'> = {
      productId: input.productId,
      productTitle: product.title,
      round: (existing?.round ?? 0) + 1,
      active: input.active,
      termsVersion: 1,
      ...terms,
      status: 'open',
      depositCount: 0,
      countedIds: [],
      finalPriceFen: null,
      pricedAt: null,
      closedAt: null,
      createdAt: now,
      updatedAt: now,
    };
    if (existing) {
      const res = await collection(ctx.db, PRESALES)
        .where({ _id: id, round: existing.round, status: 'closed', rev: atRev(ctx.db, existing) })
        .update({ ...doc, tiers: ctx.db.command.set(doc.tiers), countedIds: ctx.db.command.set([]), ...nextRevIfSent(ctx.db, input.rev) });
      if (res.updated !== 1) throw new AppError(sent ? 'EDIT_STALE' : 'CONFLICT');
      written = { _id: id, ...doc, ...(sent ? { rev: revOf(existing) + 1 } : revField(existing)) };
    } else {
      written = { _id: id, ...doc, ...(sent ? { rev: 1 } : {}) };
      try {
        await collection(ctx.db, PRESALES).add(written);
      } catch (e) {
        if (await loadPresale(ctx, input.productId)) throw new AppError(sent ? 'EDIT_STALE' : 'CONFLICT');
        throw e;
      }
    }
  } else {
    const _ = ctx.db.command;
    // Saved unchanged (a title change, or 保存 pressed again): the version stays, so a payment under way still counts.
    const same = existing.active === input.active && JSON.stringify(termsOf(existing)) === JSON.stringify(terms);
    // Guarded on the version this save compared against: two saves at once cannot leave one version over two terms.
    const version = existing.termsVersion === undefined ? _.exists(false) : existing.termsVersion;
    const res = await collection(ctx.db, PRESALES)
      .where({ _id: id, round: existing.round, status: 'open', depositCount: 0, termsVersion: version, rev: atRev(ctx.db, existing) })
      .update({ ...terms, tiers: _.set(terms.tiers), active: input.active, productTitle: product.title, ...(same ? {} : { termsVersion: _.inc(1) }), updatedAt: now, ...nextRevIfSent(ctx.db, input.rev) });
    if (res.updated !== 1) {
      const fresh = await loadPresale(ctx, input.productId);
      if (fresh && revOf(fresh) !== revOf(existing)) throw new AppError('EDIT_STALE');
      throw new AppError(fresh && fresh.round === existing.round && fresh.status === 'open' && fresh.depositCount === 0 ? 'CONFLICT' : 'PRESALE_LOCKED');
    }
    const termsVersion = same ? existing.termsVersion : (existing.termsVersion ?? 0) + 1;
    written = { ...existing, ...terms, active: input.active, productTitle: product.title, termsVersion, updatedAt: now, ...(sent ? { rev: revOf(existing) + 1 } : {}) };
  }
  return merchantView(ctx, written);
}
