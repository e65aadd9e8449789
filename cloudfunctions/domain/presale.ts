/**
 * The tiered pre-sale (阶梯预售) rules, pure: what a pre-sale may say, the tier a count reaches, the next tier, the
 * phase at a moment, the balance and what happens to an unpaid balance. No SDK, no clock: callers pass `now`.
 *
 *   open (deposits until endsAt) ──timer, once──▶ priced (final price = the tier the exact count reached;
 *   balances until balanceEndsAt) ──timer──▶ closed (each unpaid balance forfeits or refunds its deposit, as stated)
 */
import type { Fen } from '../../types/money';
import type { PresaleStatus, PresaleTerms, PresaleTier } from '../../types/modules/presale.models';

export const MAX_TIERS = 5;
const yuan = (f: number) => `¥${(f / 100).toFixed(2).replace(/\.00$/, '')}`;

/** Cross-field problems of a pre-sale, in Chinese, for PRESALE_INVALID (empty: fine). */
export function presaleProblems(t: PresaleTerms): string[] {
  const out: string[] = [];
  if (!Number.isSafeInteger(t.depositFen) || t.depositFen < 1) out.push('定金须至少 ¥0.01');
  if (!Number.isSafeInteger(t.basePriceFen) || t.basePriceFen < 1) out.push('预售价须至少 ¥0.01');
  if (t.tiers.length < 1 || t.tiers.length > MAX_TIERS) out.push(`价格阶梯须为 1–${MAX_TIERS} 档`);
  let prevMin = 0;
  let prevPrice = t.basePriceFen;
  for (const tier of t.tiers) {
    if (!Number.isInteger(tier.minDeposits) || tier.minDeposits <= prevMin) {
      out.push('各档人数须为正整数且逐档递增');
      break;
    }
    if (!Number.isSafeInteger(tier.priceFen) || tier.priceFen >= prevPrice) {
      out.push('各档价格须低于预售价并逐档递减');
      break;
    }
    prevMin = tier.minDeposits;
    prevPrice = tier.priceFen;
  }
  const lowest = t.tiers.length ? Math.min(...t.tiers.map((x) => x.priceFen)) : t.basePriceFen;
  if (t.depositFen >= lowest) out.push('定金须低于最低一档的价格');
  if (!(t.startsAt.getTime() < t.endsAt.getTime())) out.push('预售结束时间须晚于开始时间');
  if (!(t.endsAt.getTime() < t.balanceEndsAt.getTime())) out.push('尾款截止时间须晚于预售结束时间');
  return out;
}

/** The price a count of paid deposits reaches: the highest tier whose threshold it meets, else the base price. */
export function priceAt(t: Pick<PresaleTerms, 'basePriceFen' | 'tiers'>, count: number): Fen {
  let price = t.basePriceFen;
  for (const tier of t.tiers) if (count >= tier.minDeposits) price = tier.priceFen;
  return price;
}

/** The next tier above a count (null at the top). */
export function nextTier(t: Pick<PresaleTerms, 'tiers'>, count: number): PresaleTier | null {
  return t.tiers.find((tier) => count < tier.minDeposits) ?? null;
}

export function depositsToNext(t: Pick<PresaleTerms, 'tiers'>, count: number): number {
  const next = nextTier(t, count);
  return next ? next.minDeposits - count : 0;
}

/** The balance a shopper pays: final price − their deposit (never negative). */
export function balanceFen(finalPriceFen: Fen, depositFen: Fen): Fen {
  return Math.max(finalPriceFen - depositFen, 0) as Fen;
}

export type PresalePhase = 'upcoming' | 'deposit' | 'pricing' | 'balance' | 'closed';

export function phaseAt(p: Pick<PresaleTerms, 'startsAt' | 'endsAt' | 'balanceEndsAt'> & { status: PresaleStatus }, now: Date): PresalePhase {
  if (p.status === 'closed') return 'closed';
  if (p.status === 'priced') return now < p.balanceEndsAt ? 'balance' : 'closed';
  if (now < p.startsAt) return 'upcoming';
  return now < p.endsAt ? 'deposit' : 'pricing';
}

/** What becomes of a paid deposit whose balance is unpaid at balanceEndsAt. */
export function unpaidOutcome(forfeitUnpaid: boolean): 'forfeited' | 'refunded' {
  return forfeitUnpaid ? 'forfeited' : 'refunded';
}

/** The rules in plain words, shown up front on the product page and in the merchant's preview. */
export function describePresaleRules(t: PresaleTerms): string[] {
  const fmt = (d: Date) => new Date(d.getTime() + 8 * 3600_000).toISOString().slice(5, 16).replace('T', ' ');
  const tiers = t.tiers.map((x) => `满 ${x.minDeposits} 人付定金 ${yuan(x.priceFen)}`).join('，');
  return [
    `定金 ${yuan(t.depositFen)}，${fmt(t.startsAt)} 至 ${fmt(t.endsAt)} 支付（北京时间）`,
    `最终价按付定金人数确定：不足 ${t.tiers[0]?.minDeposits ?? 0} 人 ${yuan(t.basePriceFen)}，${tiers}`,
    `预售结束后由系统按人数一次性确定最终价，尾款 = 最终价 − 定金，须在 ${fmt(t.balanceEndsAt)} 前支付`,
    t.forfeitUnpaid ? '逾期未付尾款，定金不退' : '逾期未付尾款，定金原路全额退还',
    '预售结束前可随时退还定金（退还后不再计入人数）',
  ];
}
