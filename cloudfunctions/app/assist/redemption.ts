/**
 * Redeeming a succeeded assist task at checkout (called by the shop's createOrder): the owner buys one unit of the
 * task's product at the assist price, once. The voucher lives on the task; claiming it is one guarded update that
 * writes the order's id into it, so two orders can never both hold it. Same order again = the same answer.
 */
import type { Fen } from '../../../types/money';
import { voucherRefusal } from '../../domain/assistPolicy';
import { collection } from '../../infra/collections';
import { AppError } from '../../infra/errors';
import type { Ctx } from '../../infra/handler';

type DbCtx = Pick<Ctx, 'db' | 'clock'>;

/**
 * Claim the assist price of task `taskId` for `orderId` (one unit of `productId`, bought by `buyerId`). Idempotent per
 * (taskId, orderId). Refuses with ASSIST_TASK_NOT_FOUND, ASSIST_VOUCHER_NOT_OWNER, ASSIST_VOUCHER_NOT_READY,
 * ASSIST_VOUCHER_WRONG_PRODUCT, ASSIST_VOUCHER_USED or ASSIST_VOUCHER_EXPIRED.
 */
export async function claimAssistPrice(ctx: DbCtx, input: { taskId: string; buyerId: string; productId: string; orderId: string }): Promise<{ priceFen: Fen }> {
  const _ = ctx.db.command;
  const now = ctx.clock.now();
  const tasks = collection(ctx.db, 'assist_tasks');
  const res = await tasks
    .where({
      _id: input.taskId,
      ownerId: input.buyerId,
      status: 'succeeded',
      'voucher.productId': input.productId,
      'voucher.orderId': null,
      'voucher.validUntil': _.gt(now),
    })
    .updateAndReturn({ 'voucher.orderId': input.orderId, 'voucher.claimedAt': now, updatedAt: now });
  if (res.doc) return { priceFen: res.doc.voucher!.priceFen };
  // Refused: read once to say why (or to answer a repeat by the same order).
  const task = (await tasks.doc(input.taskId).get()).data?.[0];
  if (!task) throw new AppError('ASSIST_TASK_NOT_FOUND');
  const why = voucherRefusal(task, input, now);
  if (why === 'held') return { priceFen: task.voucher!.priceFen };
  // null here means the voucher was freed between the update and the read: a race the buyer can simply retry.
  throw new AppError(why ?? 'CONFLICT');
}

/** Give the voucher back when the order holding it failed, was cancelled or expired unpaid. Idempotent. */
export async function releaseAssistPrice(ctx: DbCtx, input: { taskId: string; orderId: string }): Promise<void> {
  await collection(ctx.db, 'assist_tasks')
    .where({ _id: input.taskId, 'voucher.orderId': input.orderId })
    .update({ 'voucher.orderId': null, 'voucher.claimedAt': null, updatedAt: ctx.clock.now() });
}
