/**
 * Rebate rules: which rule applies to a trigger, how much it pays, and its caps. For each trigger (a converted
 * invitee, or an invitee's order) the highest-priority active rule that matches the order applies — rules never
 * stack — and only the direct inviter is rewarded. A rule at its cap still "applies": it pays nothing and no
 * lower rule steps in. Pure: callers pass the documents and the time.
 */
import type { RebateRuleDoc } from '../../types/models';
import type { Fen } from '../../types/money';
import { fen } from '../../types/money';
import { shanghaiDay } from '../../types/time';
import { applyBp, BP, splitByWeights } from './money';

export type TriggerKind = RebateRuleDoc['trigger']['kind'];

/** The calendar day in Asia/Shanghai, whatever zone the function runs in (types/time.ts). */
export { shanghaiDay };

export function isRuleActive(rule: Pick<RebateRuleDoc, 'active' | 'startsAt' | 'endsAt'>, at: Date): boolean {
  return rule.active && (!rule.startsAt || rule.startsAt <= at) && (!rule.endsAt || at < rule.endsAt);
}

/** The order as the rules see it. */
export interface OrderFacts {
  items: { productId: string; subtotalFen: number }[];
  itemsTotalFen: number;
  /** Discounts that are not the buyer's money: a coupon and points. Wallet cash counts as paid. */
  couponFen: number;
  pointsFen: number;
  paidAt: Date;
}

/**
 * What the buyer paid for the rule's products: the items' subtotal less their share of the coupon and points,
 * the discount split over the items in proportion to their subtotals (floor, leftover fen one by one).
 */
export function paidAmountFor(order: OrderFacts, productIds: string[] | null): Fen {
  const discount = Math.min(order.couponFen + order.pointsFen, order.itemsTotalFen);
  if (order.items.length === 0) return fen(0);
  const shares = splitByWeights(discount, order.items.map((i) => i.subtotalFen));
  let paid = 0;
  order.items.forEach((item, i) => {
    if (!productIds || productIds.includes(item.productId)) paid += item.subtotalFen - shares[i];
  });
  return fen(paid);
}

export interface RuleMatch {
  rule: RebateRuleDoc;
  /** The paid amount of the rule's products in this order. */
  baseFen: Fen;
}

/** Priority first (higher wins), then the older rule, then the id: a stable, total order. */
export function compareRules(a: RebateRuleDoc, b: RebateRuleDoc): number {
  if (a.priority !== b.priority) return b.priority - a.priority;
  const at = a.createdAt.getTime() - b.createdAt.getTime();
  if (at !== 0) return at;
  return a._id < b._id ? -1 : a._id > b._id ? 1 : 0;
}

/** The one rule that applies to this trigger, or null. */
export function pickRule(rules: RebateRuleDoc[], kind: TriggerKind, order: OrderFacts): RuleMatch | null {
  const candidates = rules.filter((r) => r.trigger.kind === kind && isRuleActive(r, order.paidAt)).sort(compareRules);
  for (const rule of candidates) {
    if (rule.productIds && !order.items.some((i) => rule.productIds!.includes(i.productId))) continue;
    const baseFen = paidAmountFor(order, rule.productIds);
    if (baseFen <= 0 || baseFen < rule.trigger.minOrderFen) continue;
    return { rule, baseFen };
  }
  return null;
}

export interface RewardAmount {
  form: RebateRuleDoc['reward']['form'];
  /** fen for cash and coupons, points for points. */
  amount: number;
  coupon: { minSpendFen: Fen; validDays: number } | null;
}

/** What one trigger of `rule` pays on a paid amount of `baseFen`; null when it rounds to nothing. */
export function rewardAmount(rule: RebateRuleDoc, baseFen: number, pointsPerYuan: number): RewardAmount | null {
  const t = rule.trigger;
  const r = rule.reward;
  let amount: number;
  if (r.form === 'coupon') {
    return r.amountFen > 0 ? { form: 'coupon', amount: r.amountFen, coupon: { minSpendFen: r.minSpendFen, validDays: r.validDays } } : null;
  } else if (r.form === 'cash') {
    if (t.kind === 'eachOrder' && t.ratioBp !== undefined) amount = applyBp(baseFen, t.ratioBp);
    else if (t.kind === 'eachOrder' && t.fixedFen !== undefined) amount = t.fixedFen;
    else amount = r.amountFen;
  } else {
    // A ratio of the paid fen, turned into points at the wallet's rate (floor).
    if (t.kind === 'eachOrder' && t.ratioBp !== undefined) amount = Math.floor((applyBp(baseFen, t.ratioBp) * pointsPerYuan) / 100);
    else amount = r.points;
  }
  return amount > 0 ? { form: r.form, amount, coupon: null } : null;
}

export interface CapState {
  total: number;
  day: string;
  dayCount: number;
}

/** Whether one more reward fits the rule's caps on `day`, and the counters after taking it. */
export function takeCap(state: CapState | undefined, caps: RebateRuleDoc['caps'], day: string): { allowed: boolean; next: CapState } {
  const s: CapState = state ? { ...state } : { total: 0, day, dayCount: 0 };
  if (s.day !== day) {
    s.day = day;
    s.dayCount = 0;
  }
  if (caps.perInviterTotal !== null && s.total >= caps.perInviterTotal) return { allowed: false, next: s };
  if (caps.perInviterPerDay !== null && s.dayCount >= caps.perInviterPerDay) return { allowed: false, next: s };
  return { allowed: true, next: { ...s, total: s.total + 1, dayCount: s.dayCount + 1 } };
}

/** A voided reward gives its place under the caps back (the day's count only if it was earned that day). */
export function releaseCap(state: CapState | undefined, rewardDay: string): CapState | undefined {
  if (!state) return state;
  return {
    total: Math.max(0, state.total - 1),
    day: state.day,
    dayCount: state.day === rewardDay ? Math.max(0, state.dayCount - 1) : state.dayCount,
  };
}

/** Problems with a rule as a merchant saved it, in Chinese; empty when it is valid. */
export function ruleProblems(rule: Pick<RebateRuleDoc, 'name' | 'priority' | 'reward' | 'trigger' | 'caps' | 'productIds' | 'startsAt' | 'endsAt'>): string[] {
  const out: string[] = [];
  const int = (v: unknown) => typeof v === 'number' && Number.isSafeInteger(v);
  if (!rule.name.trim()) out.push('请填写规则名称');
  if (!int(rule.priority)) out.push('优先级须为整数');
  const r = rule.reward;
  const t = rule.trigger;
  if (r.form === 'cash' && (!int(r.amountFen) || r.amountFen < 0)) out.push('返现金额须为非负整数（分）');
  if (r.form === 'points' && (!int(r.points) || r.points < 0)) out.push('积分须为非负整数');
  if (r.form === 'coupon') {
    if (!int(r.amountFen) || r.amountFen <= 0) out.push('优惠券面额须为正整数（分）');
    if (!int(r.minSpendFen) || r.minSpendFen < 0) out.push('优惠券门槛须为非负整数（分）');
    if (!int(r.validDays) || r.validDays <= 0 || r.validDays > 365) out.push('优惠券有效天数须在 1–365 之间');
  }
  if (!int(t.minOrderFen) || t.minOrderFen < 0) out.push('订单门槛须为非负整数（分）');
  if (t.kind === 'everyN') {
    if (!int(t.n) || t.n < 1 || t.n > 100) out.push('邀请人数须在 1–100 之间');
    if ((t as { ratioBp?: unknown }).ratioBp !== undefined || (t as { fixedFen?: unknown }).fixedFen !== undefined) out.push('按人数返利不支持按比例或单笔金额');
  } else {
    if (t.ratioBp !== undefined && t.fixedFen !== undefined) out.push('按比例与固定金额只能选一种');
    if (t.ratioBp !== undefined && (!int(t.ratioBp) || t.ratioBp <= 0 || t.ratioBp > BP)) out.push('返利比例须在 0.01%–100% 之间');
    if (t.fixedFen !== undefined && (!int(t.fixedFen) || t.fixedFen <= 0)) out.push('单笔返利金额须为正整数（分）');
    if (r.form === 'coupon' && (t.ratioBp !== undefined || t.fixedFen !== undefined)) out.push('优惠券奖励不支持按比例或单笔金额');
    if (r.form === 'points' && t.fixedFen !== undefined) out.push('积分奖励请直接设置积分数');
  }
  const r0 = (r.form === 'cash' && r.amountFen === 0 && !(t.kind === 'eachOrder' && (t.ratioBp !== undefined || t.fixedFen !== undefined))) || (r.form === 'points' && r.points === 0 && !(t.kind === 'eachOrder' && t.ratioBp !== undefined));
  if (r0) out.push('奖励不能为 0');
  for (const cap of [rule.caps.perInviterPerDay, rule.caps.perInviterTotal]) {
    if (cap !== null && (!int(cap) || cap < 0)) out.push('上限须为非负整数或不限');
  }
  if (rule.productIds !== null && rule.productIds.length === 0) out.push('指定商品不能为空（不限商品请选择全部商品）');
  if (rule.startsAt && rule.endsAt && rule.endsAt <= rule.startsAt) out.push('结束时间须晚于开始时间');
  return out;
}
