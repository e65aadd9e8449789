/** The assist module's messages to a task's owner, each enqueued once per source key (infra/notifications.ts). */
import { formatFen } from '../../../types/money';
import type { AssistTaskDoc, ExpiryFallback } from '../../../types/modules/assist.models';
import type { Ctx } from '../../infra/handler';
import { enqueueNotification } from '../../infra/notifications';

const page = (taskId: string) => `packages/assist/task/index?taskId=${encodeURIComponent(taskId)}`;

export function noticeFriendHelped(ctx: Ctx, task: AssistTaskDoc, helperId: string, helpers: number) {
  return enqueueNotification(ctx, {
    sourceKey: `assist:helped:${task._id}:${helperId}`,
    userId: task.ownerId,
    kind: 'assist.helped',
    title: '好友为你助力了',
    body: `又有一位好友为你助力，进度 ${helpers}/${task.target}，还差 ${task.target - helpers} 位好友。`,
    page: page(task._id),
    facts: { taskId: task._id, product: task.rules.productTitle, helpers: String(helpers), target: String(task.target) },
  });
}

export function noticeSucceeded(ctx: Ctx, task: AssistTaskDoc) {
  const s = task.rules.success;
  const reward =
    s.kind === 'price'
      ? `${s.validHours} 小时内可以 ${formatFen(s.priceFen)} 购买「${task.rules.productTitle}」。`
      : `${formatFen(s.amountFen)} 优惠券已放入你的账户（满 ${formatFen(s.minSpendFen)} 可用）。`;
  return enqueueNotification(ctx, {
    sourceKey: `assist:succeeded:${task._id}`,
    userId: task.ownerId,
    kind: 'assist.succeeded',
    title: '助力成功',
    body: `${task.target} 位好友已为你助力，${reward}`,
    page: page(task._id),
    facts: { taskId: task._id, product: task.rules.productTitle, reward: s.kind === 'price' ? `${s.validHours}小时内可${formatFen(s.priceFen)}购买` : `${formatFen(s.amountFen)}优惠券已到账` },
  });
}

export function noticeExpired(ctx: Ctx, task: AssistTaskDoc, fallback: ExpiryFallback) {
  const short = `还差 ${Math.max(task.target - task.helpers, 0)} 位好友，本次助力未完成。`;
  const consolation =
    fallback.kind === 'points'
      ? `送你 ${fallback.points} 积分作为安慰，已存入钱包。`
      : fallback.kind === 'coupon'
        ? `送你 ${formatFen(fallback.amountFen)} 优惠券作为安慰（满 ${formatFen(fallback.minSpendFen)} 可用，${fallback.validDays} 天内有效）。`
        : '可以重新发起，邀请好友再试一次。';
  return enqueueNotification(ctx, {
    sourceKey: `assist:expired:${task._id}`,
    userId: task.ownerId,
    kind: 'assist.expired',
    title: '助力任务已结束',
    body: `${short}${consolation}`,
    page: page(task._id),
    facts: {
      taskId: task._id,
      product: task.rules.productTitle,
      consolation: fallback.kind === 'points' ? `送你${fallback.points}积分，已存入钱包` : fallback.kind === 'coupon' ? `送你${formatFen(fallback.amountFen)}优惠券` : '可以重新发起，再试一次',
    },
  });
}
