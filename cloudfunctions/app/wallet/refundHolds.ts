/**
 * Refund holds (DESIGN rule 10): while a refund request on an invitee's order is open, the rewards counting that
 * order do not post — they wait for the merchant's decision. The hold sits in the inviter's wallet document, which
 * every posting transaction reads: a hold placed before a posting commits is seen by it, and one placed while it
 * runs conflicts with it (both write the wallet) and is seen by its retry.
 *
 * The hold is placed before the refund request is written and released after the decision; a hold whose request
 * never got written (a crash in between) or whose release was lost is dropped by the posting job once the refund
 * document shows no open request (see staleHoldsIn).
 */
import type { OrderDoc } from '../../../types/models';
import type { RefundDoc } from '../../../types/modules/shop.models';
import type { RewardDoc } from '../../../types/modules/referral.models';
import { txCollection } from '../../infra/collections';
import { AppError } from '../../infra/errors';
import { DbCtx, UserTx, withUserTx } from './tx';

/** A hold younger than this is kept even without an open request: the request may still be on its way. */
export const HOLD_GRACE_MS = 10 * 60_000;

const OPEN_REFUND: RefundDoc['status'][] = ['requested', 'approved'];
/**
 * A refund that went through still holds until its order's referral step has taken the rewards back: that step
 * releases the hold in the same transaction, so a hold beside a refunded refund means the step is still owed (it
 * failed and the timer retries it). Dropping it then would post a reward for a refunded order.
 */
const HOLDING_REFUND: RefundDoc['status'][] = [...OPEN_REFUND, 'refunded'];

/**
 * Hold the rewards that count `order` (its buyer's inviter at the time of the order). Idempotent. `renew`: write the
 * hold even if it is there, so that this transaction conflicts with a release running at the same moment (a request
 * reopened just after a rejection: see releaseRefundHoldIfClosed).
 */
export async function holdRewardsForRefund(ctx: DbCtx, order: Pick<OrderDoc, '_id' | 'inviterId' | 'buyerId'>, opts: { renew?: boolean } = {}): Promise<void> {
  const inviterId = order.inviterId;
  if (!inviterId || inviterId === order.buyerId) return;
  try {
    await withUserTx(ctx, inviterId, async (u) => {
      const holds = (u.wallet.refundHolds ??= {});
      if (holds[order._id] && !opts.renew) return;
      holds[order._id] = u.now;
      u.touch();
    });
  } catch (e) {
    // The inviter's account is being deleted (their wallet moves in a moment): the buyer asks again, not told why.
    if (e instanceof AppError && e.code === 'ACCOUNT_DELETING') throw new AppError('CONFLICT');
    throw e;
  }
}

/** The merchant decided (rejected; or the refund went through and its rewards were taken back): release. Idempotent. */
export async function releaseRefundHold(ctx: DbCtx, order: Pick<OrderDoc, '_id' | 'inviterId'>): Promise<void> {
  if (!order.inviterId) return;
  await withUserTx(ctx, order.inviterId, async (u) => {
    releaseIn(u, order._id);
  });
}

/**
 * A rejection: release unless a request is open again (the buyer may ask again the moment it is rejected; their new
 * request keeps the hold). The refund is read inside the inviter's wallet transaction, and a request that reopens
 * writes its hold again after reopening (requestRefund, `renew`): two transactions writing the wallet at once
 * conflict and one runs again, so either the release sees the reopened request or the hold is written after it.
 */
export async function releaseRefundHoldIfClosed(ctx: DbCtx, order: Pick<OrderDoc, '_id' | 'inviterId'>): Promise<void> {
  if (!order.inviterId) return;
  await withUserTx(ctx, order.inviterId, async (u) => {
    if (!u.wallet.refundHolds?.[order._id]) return;
    const refund = (await txCollection(u.t, 'refunds').doc(order._id).get()).data as RefundDoc | undefined;
    if (refund && OPEN_REFUND.includes(refund.status)) return;
    releaseIn(u, order._id);
  });
}

/** Inside a transaction on the inviter's wallet. */
export function releaseIn(u: UserTx, orderId: string): void {
  if (!u.wallet.refundHolds?.[orderId]) return;
  delete u.wallet.refundHolds[orderId];
  u.touch();
}

/** The orders among a reward's members that hold it back now. */
export function heldOrders(u: UserTx, r: Pick<RewardDoc, 'members'>): string[] {
  const holds = u.wallet.refundHolds ?? {};
  return r.members.map((m) => m.orderId).filter((id) => !!holds[id]);
}

/**
 * Of these held orders, drop the holds no open refund request stands behind any more (past the grace time), inside
 * the posting transaction; answers the orders still held.
 */
export async function staleHoldsIn(u: UserTx, orderIds: string[]): Promise<string[]> {
  const stillHeld: string[] = [];
  for (const orderId of orderIds) {
    const at = u.wallet.refundHolds?.[orderId];
    if (!at) continue;
    if (u.now.getTime() - new Date(at).getTime() < HOLD_GRACE_MS) {
      stillHeld.push(orderId);
      continue;
    }
    const refund = (await txCollection(u.t, 'refunds').doc(orderId).get()).data;
    if (refund && HOLDING_REFUND.includes(refund.status)) stillHeld.push(orderId);
    else releaseIn(u, orderId);
  }
  return stillHeld;
}
