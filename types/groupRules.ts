/**
 * The rules of a group offer in plain words: the one describer, used by the product page and the group card (through
 * the functions) and by the merchant's live preview (the app imports it directly). Pure; no clock.
 */
import { formatFen } from './money';
import type { GroupTerms, LeaderReward } from './modules/group.models';

export function leaderRewardText(r: LeaderReward): string | null {
  switch (r.kind) {
    case 'none':
      return null;
    case 'coupon':
      return `${formatFen(r.amountFen)} 优惠券（满 ${formatFen(r.minSpendFen)} 可用，${r.validDays} 天内有效）`;
    case 'points':
      return `${r.points} 积分`;
  }
}

/** One line each, in the order a shopper should read them: price and size, time, who may join, money back, reward. */
export function describeGroupRules(t: GroupTerms, listPriceFen: number | null): string[] {
  const save = listPriceFen !== null && listPriceFen > t.groupPriceFen ? `（单买 ${formatFen(listPriceFen)}）` : '';
  const lines = [
    `${t.groupSize} 人成团，拼团价 ${formatFen(t.groupPriceFen)}${save}，每单限购 1 件。`,
    `团长付款后开团，${t.timeLimitHours} 小时内凑满 ${t.groupSize} 位已付款成员即成团，成团后商家发货。`,
    t.minSizeAtDeadline !== null && t.minSizeAtDeadline < t.groupSize
      ? `到期时已付款成员达到 ${t.minSizeAtDeadline} 位的，也按成团处理；不足 ${t.minSizeAtDeadline} 位即拼团失败。`
      : `到期未凑满 ${t.groupSize} 人即拼团失败。`,
    '拼团失败的，每位成员的订单自动全额退款：支付金额原路退回，使用的优惠券、余额和积分一并退还，无需申请。',
    '参团时即为你保留名额，请在订单有效期内付款；未付款的名额会释放给其他好友。团满后无法再参团。',
  ];
  lines.push(t.allowJoinAny ? '进行中的拼团会展示在商品页，任何人都可以直接参团（凑团）。' : '只能通过团长分享的拼团卡片参团。');
  if (t.newUsersOnly) lines.push('仅限新用户参团（未在本店下过单），团长不限。');
  lines.push(`每人同时最多发起 ${t.maxOpenPerShopper} 个拼团。`);
  const reward = leaderRewardText(t.leaderReward);
  if (reward) lines.push(`成团后团长获得 ${reward}；奖励先冻结，成员确认收货且退款期结束后到账，成员退款使成团人数不足的奖励作废；奖励只看成团结果，与分享次数无关。`);
  lines.push('拼团成功前订单不发货，也不能申请退款；成团后按正常订单售后。');
  return lines;
}
