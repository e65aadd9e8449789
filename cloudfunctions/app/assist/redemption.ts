/**
 * Seam between the shop's createOrder and the assist module: redeeming a succeeded assist task's price on one order.
 * Placeholder written by the shop issue so the shop compiles and runs; the assist module owns this file and replaces
 * the bodies (keep the signatures). Until then no task is redeemable.
 */
import type { Fen } from '../../../types/money';
import { AppError } from '../../infra/errors';
import type { Ctx } from '../../infra/handler';

/**
 * Claim the assist price of task `taskId` for `orderId` (one unit of `productId`, bought by `buyerId`). Idempotent per
 * (taskId, orderId). Throws AppError with an assist error code when the task is not redeemable.
 */
export async function claimAssistPrice(_ctx: Ctx, _input: { taskId: string; buyerId: string; productId: string; orderId: string }): Promise<{ priceFen: Fen }> {
  throw new AppError('NOT_FOUND');
}

/** Give the claim back (the order failed, was cancelled or expired unpaid). Idempotent. */
export async function releaseAssistPrice(_ctx: Ctx, _input: { taskId: string; orderId: string }): Promise<void> {
  // nothing was claimed
}
