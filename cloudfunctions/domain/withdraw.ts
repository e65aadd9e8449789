/**
 * Withdrawal rules: limits, the deterministic id that makes a requestId idempotent and doubles as the transfer's
 * out_bill_no, and what a payout provider's bill state means for the money. Pure.
 */
import crypto from 'node:crypto';
import type { ErrorCode } from '../../types/errors';
import type { WithdrawalStatus } from '../../types/modules/referral.models';

export interface WithdrawLimits {
  withdrawMinFen: number;
  withdrawMaxFen: number;
  withdrawDailyCount: number;
}

/** Why a withdrawal of `amountFen` cannot be made now, or null. */
export function withdrawProblem(amountFen: number, availableFen: number, usedToday: number, limits: WithdrawLimits): ErrorCode | null {
  if (!Number.isSafeInteger(amountFen) || amountFen <= 0) return 'INVALID_ARGUMENT';
  if (amountFen < limits.withdrawMinFen) return 'WITHDRAW_BELOW_MIN';
  if (amountFen > limits.withdrawMaxFen) return 'WITHDRAW_ABOVE_MAX';
  if (usedToday >= limits.withdrawDailyCount) return 'WITHDRAW_DAILY_LIMIT';
  if (amountFen > availableFen) return 'INSUFFICIENT_BALANCE';
  return null;
}

/** `W` + 31 hex chars of sha256(user, requestId): the same intent always maps to the same withdrawal and bill. */
export function withdrawalIdFor(userId: string, requestId: string): string {
  return `W${crypto.createHash('sha256').update(`${userId}\u0000${requestId}`).digest('hex').slice(0, 31)}`;
}

/** WeChat Pay 商家转账 bill states (the local provider answers the same ones). */
export type TransferState = 'ACCEPTED' | 'PROCESSING' | 'WAIT_USER_CONFIRM' | 'TRANSFERING' | 'SUCCESS' | 'FAIL' | 'CANCELING' | 'CANCELLED';

/** What a bill state means for a withdrawal being transferred: wait, mark it paid, or return the money. */
export function transferOutcome(state: TransferState): 'wait' | 'paid' | 'returned' {
  if (state === 'SUCCESS') return 'paid';
  if (state === 'FAIL' || state === 'CANCELLED') return 'returned';
  return 'wait';
}

export const WITHDRAWAL_STATUS_TEXT: Record<WithdrawalStatus, string> = {
  pending: '待审核',
  approved: '已通过，转账中',
  transferring: '待确认收款',
  paid: '已到账',
  rejected: '未通过',
  failed: '转账失败，已退回',
  expired: '超时未确认，已退回',
};

/** Statuses in which the money sits in `withdrawing`. */
export function holdsMoney(status: WithdrawalStatus): boolean {
  return status === 'pending' || status === 'approved' || status === 'transferring';
}
