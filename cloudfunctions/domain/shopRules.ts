/**
 * The rules that apply to a product, described in full for the product page (WeChat requires the rules of a reward
 * to be shown before anyone starts). Pure: the caller passes the documents and the time.
 */
import type { AssistCampaignDoc, RebateRuleDoc } from '../../types/models';
import { type Fen, formatFen } from '../../types/money';
import { campaignRulesText } from './assistPolicy';
import { shanghaiMinute } from '../../types/time';

export function isActiveAt(doc: { active: boolean; startsAt: Date | null; endsAt: Date | null }, now: Date): boolean {
  return doc.active && (!doc.startsAt || doc.startsAt <= now) && (!doc.endsAt || now < doc.endsAt);
}

export function ruleAppliesTo(rule: RebateRuleDoc, productId: string): boolean {
  return !rule.productIds || rule.productIds.includes(productId);
}

function describeReward(reward: RebateRuleDoc['reward']): string {
  switch (reward.form) {
    case 'cash':
      return `返现 ${formatFen(reward.amountFen)}`;
    case 'coupon':
      return `送 ${formatFen(reward.amountFen)} 优惠券（满 ${formatFen(reward.minSpendFen)} 可用，${reward.validDays} 天内有效）`;
    case 'points':
      return `送 ${reward.points} 积分`;
  }
}

function describeTrigger(trigger: RebateRuleDoc['trigger']): string {
  if (trigger.kind === 'everyN') {
    const threshold = trigger.minOrderFen > 0 ? `且实付满 ${formatFen(trigger.minOrderFen)}` : '';
    return `每邀请 ${trigger.n} 位好友完成首单${threshold}`;
  }
  const threshold = trigger.minOrderFen > 0 ? `实付满 ${formatFen(trigger.minOrderFen)} 的` : '';
  return `你邀请的好友每完成一笔${threshold}订单`;
}

function rewardForEachOrder(rule: RebateRuleDoc): string {
  const t = rule.trigger;
  if (t.kind === 'eachOrder' && t.ratioBp !== undefined && rule.reward.form === 'cash') {
    return `返现订单实付金额的 ${(t.ratioBp / 100).toFixed(2).replace(/\.?0+$/, '')}%`;
  }
  if (t.kind === 'eachOrder' && t.fixedFen !== undefined && rule.reward.form === 'cash') return `返现 ${formatFen(t.fixedFen)}`;
  return describeReward(rule.reward);
}

/** The shop's calendar (Asia/Shanghai) whatever zone the function runs in. */
const dateText = shanghaiMinute;

function windowText(startsAt: Date | null, endsAt: Date | null): string | null {
  if (!startsAt && !endsAt) return null;
  if (startsAt && endsAt) return `活动时间：${dateText(startsAt)} 至 ${dateText(endsAt)}（北京时间）`;
  if (startsAt) return `活动时间：${dateText(startsAt)} 起（北京时间）`;
  return `活动截止：${dateText(endsAt as Date)}（北京时间）`;
}

export function describeRebateRule(rule: RebateRuleDoc): { summary: string; details: string[] } {
  const reward = rewardForEachOrder(rule);
  const summary = `${describeTrigger(rule.trigger)}，${reward}`;
  const details = [
    `${summary}。`,
    '好友需通过你的分享卡片、海报或邀请码首次进入并绑定为你邀请的好友；奖励只发给直接邀请人，不设多级。',
    '奖励按好友的实际下单完成，与分享次数无关。',
    '奖励先冻结，好友订单确认收货且退款期结束后才可使用或提现；期间好友退款的，对应奖励作废。',
  ];
  if (rule.caps.perInviterPerDay !== null) details.push(`每人每天最多获得 ${rule.caps.perInviterPerDay} 次奖励。`);
  if (rule.caps.perInviterTotal !== null) details.push(`每人累计最多获得 ${rule.caps.perInviterTotal} 次奖励。`);
  const w = windowText(rule.startsAt, rule.endsAt);
  if (w) details.push(`${w}。`);
  return { summary, details };
}

/**
 * An assist campaign as the product page shows it: a one-line summary, and the full rules — the very lines the task
 * page and the merchant's editor show (campaignRulesText, domain/assistPolicy.ts: the policy and its text live
 * together, so who may help is said once).
 */
export function describeAssistCampaign(c: AssistCampaignDoc, listPriceFen: Fen | null = null): { summary: string; details: string[] } {
  const success =
    c.success.kind === 'price'
      ? `以 ${formatFen(c.success.priceFen)} 的助力价购买 1 件（助力成功后 ${c.success.validHours} 小时内下单有效）`
      : `获得 ${formatFen(c.success.amountFen)} 优惠券（满 ${formatFen(c.success.minSpendFen)} 可用，${c.success.validDays} 天内有效）`;
  return { summary: `邀请 ${c.helpersNeeded} 位好友助力，${success}`, details: campaignRulesText(c, listPriceFen) };
}
