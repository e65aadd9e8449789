/**
 * Messages of the referral module for the notification outbox. Inside a transaction they are inserted with the
 * change itself (same shape and `_id` as enqueueNotification), so the outbox holds them exactly when the change
 * happened; their `_id` (`n:<sourceKey>`) also makes a replay of the change collide and stop.
 */
import { formatFen } from '../../../types/money';
import type { RewardDoc, WithdrawalDoc } from '../../../types/modules/referral.models';
import { newNotification, NewNotification, NotificationDoc } from '../../infra/notifications';

export function notice(now: Date, n: NewNotification): NotificationDoc {
  return newNotification(now, n);
}

export function rewardText(r: Pick<RewardDoc, 'form' | 'amount'>): string {
  if (r.form === 'cash') return `现金奖励 ${formatFen(r.amount)}`;
  if (r.form === 'points') return `${r.amount} 积分`;
  return `${formatFen(r.amount)} 优惠券`;
}

const WALLET = 'packages/wallet/index';
const WITHDRAW = 'packages/wallet/withdraw/index';
const INVITE = 'pages/invite/index';

export const notices = {
  inviteeBought: (now: Date, inviterId: string, orderId: string) =>
    notice(now, { sourceKey: `referral:bought:${orderId}`, userId: inviterId, kind: 'referral.invitee_bought', title: '好友下单了', body: '你邀请的好友完成了一笔订单，邀请进度已更新。', page: INVITE }),
  rewardFrozen: (now: Date, r: RewardDoc) =>
    notice(now, { sourceKey: `reward:frozen:${r._id}`, userId: r.userId, kind: 'reward.frozen', title: '获得邀请奖励', body: `${rewardText(r)}已发放，好友订单退款期结束后即可使用。`, page: WALLET }),
  /** One message for what one run unfroze for a user (keyed by the first reward: a rerun of the same run collides). */
  rewardsAvailable: (now: Date, userId: string, rs: Pick<RewardDoc, '_id' | 'form' | 'amount'>[]) => {
    const sum = (form: RewardDoc['form']) => rs.filter((r) => r.form === form).reduce((a, r) => a + r.amount, 0);
    const parts = [sum('cash') ? rewardText({ form: 'cash', amount: sum('cash') }) : '', sum('points') ? rewardText({ form: 'points', amount: sum('points') }) : '', rs.some((r) => r.form === 'coupon') ? `${rs.filter((r) => r.form === 'coupon').length} 张优惠券` : ''].filter(Boolean);
    const first = rs.map((r) => r._id).sort()[0];
    return notice(now, { sourceKey: `reward:available:${first}`, userId, kind: 'reward.available', title: '奖励已解冻', body: `${rs.length > 1 ? `${rs.length} 笔邀请奖励` : '邀请奖励'}已解冻：${parts.join('、')}，可以使用了。`, page: WALLET, facts: { reward: parts.join('、') } });
  },
  rewardVoided: (now: Date, r: RewardDoc, why: string) =>
    notice(now, { sourceKey: `reward:voided:${r._id}`, userId: r.userId, kind: 'reward.voided', title: '奖励已作废', body: `${rewardText(r)}已作废：${why}`, page: WALLET }),
  withdrawalPaid: (now: Date, w: WithdrawalDoc) =>
    notice(now, { sourceKey: `withdrawal:paid:${w._id}`, userId: w.userId, kind: 'withdrawal.paid', title: '提现已到账', body: `${formatFen(w.amountFen)} 已转入你的微信零钱。`, page: WALLET }),
  /** 商家转账 started: the user must 确认收款 before `expiresAt`, or the money goes back to the wallet. */
  transferWaiting: (now: Date, w: Pick<WithdrawalDoc, '_id' | 'userId' | 'amountFen'>, expiresAt: Date) =>
    notice(now, {
      sourceKey: `withdrawal:transferring:${w._id}`,
      userId: w.userId,
      kind: 'withdrawal.transferring',
      title: '提现待确认收款',
      body: `${formatFen(w.amountFen)} 已发起转账，请在 ${Math.max(Math.round((expiresAt.getTime() - now.getTime()) / 3600_000), 1)} 小时内到「提现」页确认收款，逾期未确认将退回余额。`,
      page: WITHDRAW,
      facts: { withdrawalId: w._id, amountFen: String(w.amountFen), expiresAt: expiresAt.toISOString() },
    }),
  withdrawalReturned: (now: Date, w: WithdrawalDoc, status: 'rejected' | 'failed' | 'expired', why: string) =>
    notice(now, {
      sourceKey: `withdrawal:${status}:${w._id}`,
      userId: w.userId,
      kind: status === 'rejected' ? 'withdrawal.rejected' : 'withdrawal.returned',
      title: status === 'rejected' ? '提现未通过' : '提现已退回',
      body: `${formatFen(w.amountFen)} 已退回可用余额。${why}`,
      page: WALLET,
    }),
};
