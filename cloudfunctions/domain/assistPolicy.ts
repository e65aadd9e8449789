/**
 * The assist (小助力) policy, pure: who may help a task, who counts as a new user, what a succeeded task's voucher
 * allows, what an expired task pays, and the rules in plain words. No SDK, no clock: callers pass `now`.
 */
import type { AssistCampaignDoc } from '../../types/models';
import type { Fen } from '../../types/money';
import { formatFen } from '../../types/money';
import type { AssistTaskStatus, AssistVoucher, ExpiryFallback } from '../../types/modules/assist.models';
import { isRuleActive, shanghaiDay } from './rebateRules';
import { shanghaiMinute } from '../../types/time';

export type HelpRefusal =
  | 'ASSIST_SELF_HELP'
  | 'ASSIST_ALREADY_HELPED'
  | 'ASSIST_TASK_DONE'
  | 'ASSIST_TASK_EXPIRED'
  | 'ASSIST_DAILY_CAP'
  | 'ASSIST_NEW_USERS_ONLY';

/** The part of a task the help policy looks at. */
export interface TaskFacts {
  ownerId: string;
  status: AssistTaskStatus;
  deadline: Date;
  target: number;
  helpers: number;
  helperIds: string[];
}

/** The calendar day in Asia/Shanghai, whatever zone the function runs in: the same day the rebate caps count. */
export { shanghaiDay };

const shanghaiDateTime = shanghaiMinute;

/** The status a viewer should see: a full task is succeeded, an open one past its deadline is expired. */
export function effectiveStatus(task: TaskFacts, now: Date): AssistTaskStatus {
  if (task.status !== 'open') return task.status;
  if (task.helpers >= task.target) return 'succeeded';
  if (now.getTime() >= task.deadline.getTime()) return 'expired';
  return 'open';
}

/**
 * Refusals decided from the task as read, in the order a person would want to hear them: you cannot help yourself;
 * you already helped; it is already done (a late friend); it has ended. Null: go on to the helper's own checks.
 */
export function taskRefusal(task: TaskFacts, helperId: string, now: Date): HelpRefusal | null {
  if (task.ownerId === helperId) return 'ASSIST_SELF_HELP';
  if (task.helperIds.includes(helperId)) return 'ASSIST_ALREADY_HELPED';
  const status = effectiveStatus(task, now);
  if (status === 'succeeded') return 'ASSIST_TASK_DONE';
  if (status === 'expired') return 'ASSIST_TASK_EXPIRED';
  return null;
}

/**
 * A guarded count failed although the task looked open: it either filled up or closed meanwhile. Decided without
 * another read: before the deadline the only way to close is to fill up.
 */
export function lostRaceRefusal(task: Pick<TaskFacts, 'deadline'>, now: Date): HelpRefusal {
  return now.getTime() < task.deadline.getTime() ? 'ASSIST_TASK_DONE' : 'ASSIST_TASK_EXPIRED';
}

/** How long after a user's first open an assist card seen in that first session still counts as what brought them. */
export const FIRST_OPEN_GRACE_MS = 10 * 60 * 1000;

/**
 * Whether opening a card now is this user's first open of the app: no user record yet (the card loaded before the
 * login finished), or the record was created moments ago.
 */
export function isFirstOpen(userCreatedAt: Date | null, now: Date): boolean {
  if (!userCreatedAt) return true;
  const age = now.getTime() - userCreatedAt.getTime();
  return age >= -FIRST_OPEN_GRACE_MS && age <= FIRST_OPEN_GRACE_MS;
}

export interface Arrival {
  taskId: string;
  at: Date;
}

/**
 * New = a registered user (the app's `user.login` created their record) who first opened the app through THIS
 * task's card, after the task started, and has no paid order. `arrival` is the user's first arrival (recorded once
 * per user), so a user is new for at most one task. An openid without a user record is never new: anyone can make
 * up identities that never opened the app, and a card viewed before the login finished counts once the login has.
 */
export function isNewHelper(input: { taskId: string; taskStartedAt: Date; arrival: Arrival | null; hasPaidOrder: boolean; registered: boolean }): boolean {
  const { arrival } = input;
  if (!input.registered) return false;
  if (!arrival || arrival.taskId !== input.taskId) return false;
  if (arrival.at.getTime() < input.taskStartedAt.getTime()) return false;
  return !input.hasPaidOrder;
}

/** Refusals from the helper's own standing: the daily cap (helps already counted today) and new-users-only. */
export function helperRefusal(input: { helpsToday: number; dailyCap: number; newUsersOnly: boolean; isNew: boolean }): HelpRefusal | null {
  if (input.helpsToday >= input.dailyCap) return 'ASSIST_DAILY_CAP';
  if (input.newUsersOnly && !input.isNew) return 'ASSIST_NEW_USERS_ONLY';
  return null;
}

/** What an expired task pays: the campaign's fallback scaled by the helpers it reached; nothing for no helpers. */
export function expiryFallback(fallback: AssistCampaignDoc['fallback'], helpersReached: number): ExpiryFallback {
  const n = Math.max(0, Math.floor(helpersReached));
  if (n === 0) return { kind: 'none' };
  switch (fallback.kind) {
    case 'none':
      return { kind: 'none' };
    case 'points':
      return fallback.pointsPerHelper > 0 ? { kind: 'points', points: fallback.pointsPerHelper * n } : { kind: 'none' };
    case 'coupon':
      return fallback.amountFenPerHelper > 0
        ? { kind: 'coupon', amountFen: (fallback.amountFenPerHelper * n) as Fen, minSpendFen: fallback.minSpendFen, validDays: fallback.validDays }
        : { kind: 'none' };
  }
}

export type VoucherState = 'available' | 'used' | 'expired';

export function voucherState(voucher: Pick<AssistVoucher, 'orderId' | 'validUntil'>, now: Date): VoucherState {
  if (voucher.orderId) return 'used';
  return now.getTime() < voucher.validUntil.getTime() ? 'available' : 'expired';
}

export type VoucherRefusal =
  | 'ASSIST_VOUCHER_NOT_OWNER'
  | 'ASSIST_VOUCHER_NOT_READY'
  | 'ASSIST_VOUCHER_WRONG_PRODUCT'
  | 'ASSIST_VOUCHER_USED'
  | 'ASSIST_VOUCHER_EXPIRED';

/**
 * Why a claim of the assist price is refused, or 'held' when this very order already holds it (an idempotent
 * repeat), or null when it may be claimed now.
 */
export function voucherRefusal(
  task: { ownerId: string; status: AssistTaskStatus; productId: string; voucher: Pick<AssistVoucher, 'orderId' | 'validUntil' | 'productId'> | null },
  claim: { buyerId: string; productId: string; orderId: string },
  now: Date,
): VoucherRefusal | 'held' | null {
  if (task.ownerId !== claim.buyerId) return 'ASSIST_VOUCHER_NOT_OWNER';
  if (task.status !== 'succeeded' || !task.voucher) return 'ASSIST_VOUCHER_NOT_READY';
  if (task.voucher.productId !== claim.productId) return 'ASSIST_VOUCHER_WRONG_PRODUCT';
  if (task.voucher.orderId === claim.orderId) return 'held';
  if (task.voucher.orderId) return 'ASSIST_VOUCHER_USED';
  if (now.getTime() >= task.voucher.validUntil.getTime()) return 'ASSIST_VOUCHER_EXPIRED';
  return null;
}


export type CampaignTerms = Pick<
  AssistCampaignDoc,
  'helpersNeeded' | 'durationHours' | 'success' | 'fallback' | 'newUsersOnly' | 'helperDailyCap' | 'openTasksPerShopper' | 'startsAt' | 'endsAt'
>;

/** The rules in plain language, shown in full before anyone starts (WeChat requires it; progress is never random). */
export function campaignRulesText(c: CampaignTerms, listPriceFen: Fen | null): string[] {
  const lines: string[] = [];
  const within = `${c.durationHours} 小时内`;
  if (c.success.kind === 'price') {
    const list = listPriceFen !== null ? `（原价 ${formatFen(listPriceFen)}）` : '';
    lines.push(`邀请 ${c.helpersNeeded} 位好友助力，${within}完成即可以 ${formatFen(c.success.priceFen)} 购买本商品 1 件${list}，助力成功后 ${c.success.validHours} 小时内有效。`);
  } else {
    lines.push(
      `邀请 ${c.helpersNeeded} 位好友助力，${within}完成即得 ${formatFen(c.success.amountFen)} 优惠券（满 ${formatFen(c.success.minSpendFen)} 可用，${c.success.validDays} 天内有效）。`,
    );
  }
  switch (c.fallback.kind) {
    case 'none':
      lines.push('到时未完成则任务结束，不发放奖励。');
      break;
    case 'points':
      lines.push(`到时未完成，每位已助力的好友为你换得 ${c.fallback.pointsPerHelper} 积分。`);
      break;
    case 'coupon':
      lines.push(
        `到时未完成，每位已助力的好友为你换得 ${formatFen(c.fallback.amountFenPerHelper)} 优惠券额度（满 ${formatFen(c.fallback.minSpendFen)} 可用，${c.fallback.validDays} 天内有效）。`,
      );
      break;
  }
  lines.push('进度按助力好友人数计算，每位好友计 1 人，没有随机砍价。');
  lines.push('每位好友只能为同一任务助力一次，发起人不能为自己助力。');
  lines.push(`每位好友每天最多助力 ${c.helperDailyCap} 次。`);
  if (c.newUsersOnly) lines.push('仅限通过本任务的分享卡片首次打开小程序、且未下过单的新用户助力。');
  lines.push(`每人同一商品最多同时进行 ${c.openTasksPerShopper} 个助力任务。`);
  if (c.startsAt || c.endsAt) {
    lines.push(`活动时间：${c.startsAt ? shanghaiDateTime(c.startsAt) : '即日起'} 至 ${c.endsAt ? shanghaiDateTime(c.endsAt) : '长期有效'}（北京时间）。`);
  }
  return lines;
}

/** Cross-field checks a schema cannot make; returns the problems in Chinese (empty when valid). */
export function campaignProblems(c: CampaignTerms, listPriceFen: Fen): string[] {
  const problems: string[] = [];
  let successValue = 0;
  if (c.success.kind === 'price') {
    if (c.success.priceFen <= 0 || c.success.priceFen >= listPriceFen) problems.push(`助力价须大于 0 且低于原价 ${formatFen(listPriceFen)}`);
    successValue = listPriceFen - c.success.priceFen;
  } else {
    if (c.success.amountFen <= 0) problems.push('优惠券金额须大于 0');
    if (c.success.minSpendFen < c.success.amountFen) problems.push('优惠券使用门槛不能低于券面金额');
    successValue = c.success.amountFen;
  }
  if (c.fallback.kind === 'coupon') {
    const most = c.fallback.amountFenPerHelper * Math.max(c.helpersNeeded - 1, 0);
    if (c.fallback.amountFenPerHelper <= 0) problems.push('安慰优惠券金额须大于 0');
    else if (most >= successValue) problems.push('未完成时的安慰券须小于完成时的优惠');
    if (c.fallback.minSpendFen < c.fallback.amountFenPerHelper * Math.max(c.helpersNeeded - 1, 1)) problems.push('安慰券使用门槛不能低于券面金额');
  }
  if (c.fallback.kind === 'points' && c.fallback.pointsPerHelper <= 0) problems.push('安慰积分须大于 0');
  if (c.startsAt && c.endsAt && c.endsAt.getTime() <= c.startsAt.getTime()) problems.push('结束时间须晚于开始时间');
  return problems;
}

/** Whether a campaign is running at `now`: active, inside its window (the same test as a rebate rule's). */
export function campaignIsLive(c: Pick<AssistCampaignDoc, 'active' | 'startsAt' | 'endsAt'>, now: Date): boolean {
  return isRuleActive(c, now);
}
