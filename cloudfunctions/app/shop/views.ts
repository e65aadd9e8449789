/** Documents → what the app sees (dates as ISO strings). */
import type { OrderView, Page, RefundView } from '../../../types/api';
import type { Ctx } from '../../infra/handler';
import { openAddress } from '../../infra/personalData';
import type { OrderDoc } from '../../../types/models';
import type { RefundDoc } from '../../../types/modules/shop.models';
import { buyerActions } from '../../domain/shopOrders';
import { collection, type CollectionName, type DocTypes } from '../../infra/collections';
import { iso } from '../../../types/time';


/** `now` (the function's clock) for the buyer's own views: the order then says what the buyer may do with it. */
export function orderView(o: OrderDoc, now?: Date): OrderView {
  return {
    id: o._id,
    orderNo: o.orderNo ?? null,
    ...(now ? { actions: buyerActions(o, now) } : {}),
    buyerId: o.buyerId,
    status: o.status,
    items: o.items,
    itemsTotalFen: o.itemsTotalFen,
    discounts: o.discounts,
    payableFen: o.payableFen,
    couponId: o.couponId,
    assistTaskId: o.assistTaskId,
    // Decrypted for the buyer's own views and the merchant's shipping view (the only callers).
    address: o.address ? openAddress(o.address) : o.address,
    createdAt: iso(o.createdAt) as string,
    expiresAt: iso(o.expiresAt) as string,
    paidAt: iso(o.paidAt),
    shippedAt: iso(o.shippedAt),
    shipping: o.shipping,
    receivedAt: iso(o.receivedAt),
    refundDeadline: iso(o.refundDeadline),
    refundedAt: iso(o.refundedAt),
    refundStatus: o.refundStatus ?? null,
    group: o.groupId && o.groupRole && o.groupState ? { groupId: o.groupId, role: o.groupRole, state: o.groupState } : null,
  };
}

export function refundView(r: RefundDoc): RefundView {
  return {
    orderId: r.orderId,
    buyerId: r.buyerId,
    amountFen: r.amountFen,
    reason: r.reason,
    status: r.status,
    merchantNote: r.merchantNote,
    requestedAt: iso(r.requestedAt) as string,
    reviewedAt: iso(r.reviewedAt),
    refundedAt: iso(r.refundedAt),
  };
}

/** One page of a collection, newest first by `field`; the cursor is an offset (lists of one shopper or one merchant). */
export async function newestFirst<K extends CollectionName, V>(
  ctx: Pick<Ctx, 'db'>,
  name: K,
  where: Record<string, unknown>,
  field: string,
  input: { cursor?: number; pageSize?: number },
  view: (doc: DocTypes[K]) => V,
): Promise<Page<V>> {
  const offset = input.cursor ?? 0;
  const size = input.pageSize ?? 20;
  const res = await collection(ctx.db, name).where(where).orderBy(field, 'desc').skip(offset).limit(size + 1).get();
  const docs = res.data;
  return { items: docs.slice(0, size).map(view), next: docs.length > size ? offset + size : null };
}
