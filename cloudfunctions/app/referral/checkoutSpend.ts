/**
 * Seam between the shop's createOrder and the referral module's wallet: spending wallet cash and points at checkout.
 * Placeholder written by the shop issue so the shop compiles and runs; the referral module owns this file and
 * replaces the bodies (keep the signatures). Until then nothing can be spent: non-zero amounts are refused.
 */
import type { Fen } from '../../../types/money';
import { AppError } from '../../infra/errors';
import type { Ctx } from '../../infra/handler';

/**
 * Spend `cashFen` of wallet cash and `points` for `orderId` (limits checked against `orderTotalFen`, the total after
 * the coupon). Writes its ledger entries idempotently by orderId; throws AppError on an insufficient balance.
 */
export async function spendWalletAtCheckout(
  _ctx: Ctx,
  input: { buyerId: string; orderId: string; cashFen: Fen; points: number; orderTotalFen: Fen },
): Promise<{ cashFen: Fen; points: number; pointsFen: Fen }> {
  if (input.cashFen !== 0 || input.points !== 0) throw new AppError('INVALID_ARGUMENT', '钱包抵扣暂未开放');
  return { cashFen: 0 as Fen, points: 0, pointsFen: 0 as Fen };
}

/** Give back what `orderId` spent (cancelled, expired unpaid or refunded). Idempotent. */
export async function returnWalletSpend(_ctx: Ctx, _input: { orderId: string; buyerId: string }): Promise<void> {
  // nothing was spent
}
