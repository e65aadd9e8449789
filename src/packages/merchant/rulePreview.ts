/**
 * What the merchant sees while editing a rebate rule or an assist campaign: a one-line preview in plain words and
 * warnings about cost. Pure (the rule editor runs it in the app as the merchant types; the server does not need it).
 */
import type { AssistCampaignDoc, RebateRuleDoc } from '../../../types/models';
import { formatFen, pointsToFen } from '../../../types/money';
import { shanghaiMinute } from '../../../types/time';

type When = string | Date | null;
/** Where and when a rule or campaign runs (optional: the cost checks do not need them). */
type Scope = { productIds?: string[] | null; startsAt?: When; endsAt?: When };
type RuleLike = Pick<RebateRuleDoc, 'reward' | 'trigger' | 'caps'> & Scope;
type CampaignLike = Pick<AssistCampaignDoc, 'helpersNeeded' | 'durationHours' | 'success' | 'fallback'> & Scope;

/** "活动时间 2026-12-01 00:00 至 2026-12-31 23:59", or '' when it always runs. */
function windowWords(startsAt: When | undefined, endsAt: When | undefined): string {
  if (!startsAt && !endsAt) return '';
  return `活动时间 ${startsAt ? shanghaiMinute(startsAt) : '即日起'} 至 ${endsAt ? shanghaiMinute(endsAt) : '长期有效'}`;
}

/** "¥50" for whole yuan, "¥12.50" otherwise. */
export function yuan(amountFen: number): string {
  return formatFen(amountFen).replace(/\.00$/, '');
}

function rewardWords(rule: RuleLike): string {
  const r = rule.reward;
  const t = rule.trigger;
  if (t.kind === 'eachOrder' && t.ratioBp !== undefined && r.form !== 'coupon') {
    const pct = `${(t.ratioBp / 100).toFixed(2).replace(/\.?0+$/, '')}%`;
    return r.form === 'cash' ? `奖励订单实付 ${pct} 的现金` : `奖励订单实付 ${pct} 折算的积分`;
  }
  if (t.kind === 'eachOrder' && t.fixedFen !== undefined && r.form === 'cash') return `奖励 ${yuan(t.fixedFen)} 现金`;
  if (r.form === 'cash') return `奖励 ${yuan(r.amountFen)} 现金`;
  if (r.form === 'coupon') return `奖励 ${yuan(r.amountFen)} 优惠券（满 ${yuan(r.minSpendFen)} 可用）`;
  return `奖励 ${r.points} 积分`;
}

/** e.g. "每邀请 3 位好友首次下单，奖励 ¥50 现金，7 天后可提现". */
export function rulePreview(rule: RuleLike, refundWindowDays: number): string {
  const t = rule.trigger;
  const threshold = t.minOrderFen > 0 ? `（满 ${yuan(t.minOrderFen)}）` : '';
  const when = t.kind === 'everyN' ? `每邀请 ${t.n} 位好友首次下单${threshold}` : `好友每下一单${threshold}`;
  const after = rule.reward.form === 'cash' ? '可提现' : '可使用';
  const parts = [when, rewardWords(rule), `确认收货 ${refundWindowDays} 天后${after}`];
  if (rule.caps.perInviterPerDay !== null) parts.push(`每人每天最多 ${rule.caps.perInviterPerDay} 次`);
  if (rule.caps.perInviterTotal !== null) parts.push(`每人最多 ${rule.caps.perInviterTotal} 次`);
  if (rule.productIds) parts.push(`仅限 ${rule.productIds.length} 件指定商品`);
  const window = windowWords(rule.startsAt, rule.endsAt);
  if (window) parts.push(window);
  return parts.join('，');
}

/** What one reward costs in fen at most (points at the wallet rate; a ratio at its share of the order). */
export function rewardCostFen(rule: RuleLike, orderFen: number, pointsPerYuan: number): number {
  const r = rule.reward;
  const t = rule.trigger;
  if (t.kind === 'eachOrder' && t.ratioBp !== undefined && r.form !== 'coupon') return Math.floor((orderFen * t.ratioBp) / 10_000);
  if (t.kind === 'eachOrder' && t.fixedFen !== undefined && r.form === 'cash') return t.fixedFen;
  if (r.form === 'points') return pointsToFen(r.points, Math.max(pointsPerYuan, 1));
  return r.amountFen;
}

/**
 * Warnings while editing: a reward worth more than the orders that earn it. `cheapestFen` is the cheapest product
 * the rule applies to, the smallest order that can trigger it when no threshold is set.
 */
export function ruleWarnings(rule: RuleLike, cheapestFen: number, pointsPerYuan: number): string[] {
  const t = rule.trigger;
  const orders = t.kind === 'everyN' ? t.n : 1;
  const smallest = Math.max(t.minOrderFen, cheapestFen);
  const earned = smallest * orders;
  const cost = rewardCostFen(rule, smallest, pointsPerYuan);
  const out: string[] = [];
  if (smallest > 0 && cost > earned) {
    out.push(`奖励 ${yuan(cost)} 高于触发它的订单金额 ${yuan(earned)}（${orders} 单 × ${yuan(smallest)}），每次奖励都会亏钱`);
  } else if (smallest > 0 && cost * 2 > earned) {
    out.push(`奖励 ${yuan(cost)} 超过触发订单金额 ${yuan(earned)} 的一半，请确认毛利够用`);
  }
  if (t.kind === 'eachOrder' && t.ratioBp !== undefined && t.ratioBp >= 10_000) out.push('返现比例达到 100%，等于免单');
  return out;
}

/** e.g. "邀请 3 位好友在 24 小时内助力，可用 ¥99 购买；未成功按人数补偿积分". */
export function campaignPreview(c: CampaignLike, listPriceFen: number | null): string {
  const s = c.success;
  const win = s.kind === 'price' ? `可用 ${yuan(s.priceFen)} 购买${listPriceFen ? `（原价 ${yuan(listPriceFen)}）` : ''}` : `得 ${yuan(s.amountFen)} 优惠券（满 ${yuan(s.minSpendFen)} 可用）`;
  const f = c.fallback;
  const lose = f.kind === 'none' ? '未成功不补偿' : f.kind === 'points' ? `未成功每位助力好友补偿 ${f.pointsPerHelper} 积分` : `未成功每位助力好友补偿 ${yuan(f.amountFenPerHelper)} 优惠券（满 ${yuan(f.minSpendFen)} 可用）`;
  const window = windowWords(c.startsAt, c.endsAt);
  return `邀请 ${c.helpersNeeded} 位好友在 ${c.durationHours} 小时内助力，${win}；${lose}${window ? `；${window}` : ''}`;
}

export function campaignWarnings(c: CampaignLike, listPriceFen: number | null): string[] {
  const out: string[] = [];
  const s = c.success;
  if (listPriceFen !== null && s.kind === 'price' && s.priceFen >= listPriceFen) out.push('助力价不低于原价，好友助力没有意义');
  if (listPriceFen !== null && s.kind === 'price' && s.priceFen * 2 < listPriceFen) out.push(`助力价低于原价的一半（省 ${yuan(listPriceFen - s.priceFen)}），请确认成本`);
  if (listPriceFen !== null && s.kind === 'coupon' && s.amountFen >= listPriceFen) out.push('优惠券面额不低于商品价格，等于送出商品');
  return out;
}
