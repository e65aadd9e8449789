/**
 * Stock is a hot field on the product document: it changes only by guarded `where` updates
 * (`stock >= q` → `stock - q`), never inside a transaction, so the last unit is sold once however many buyers press.
 */
import type { OrderDoc } from '../../../types/models';
import type { Ctx } from '../../infra/handler';

type DbCtx = Pick<Ctx, 'db' | 'clock'>;
export interface StockLine {
  productId: string;
  quantity: number;
}

/** Reserve every line at once; if any fails, what was reserved goes back and the failed product id is answered. */
export async function reserveStock(ctx: DbCtx, lines: StockLine[]): Promise<{ ok: true } | { ok: false; productId: string }> {
  const _ = ctx.db.command;
  const products = ctx.db.collection('products');
  const results = await Promise.all(
    lines.map(async (l) => {
      const res = await products.where({ _id: l.productId, onSale: true, stock: _.gte(l.quantity) }).update({ stock: _.inc(-l.quantity) });
      return res.updated === 1;
    }),
  );
  const failed = lines.find((_l, i) => !results[i]);
  if (!failed) return { ok: true };
  await putBackStock(ctx, lines.filter((_l, i) => results[i]));
  return { ok: false, productId: failed.productId };
}

export async function putBackStock(ctx: DbCtx, lines: StockLine[]): Promise<void> {
  const _ = ctx.db.command;
  await Promise.all(lines.map((l) => ctx.db.collection('products').doc(l.productId).update({ stock: _.inc(l.quantity) })));
}

/**
 * An order's units go back once (cancel, expiry, refund before shipping): the marker is written first, so a crash
 * in between loses units rather than ever selling one twice.
 */
export async function releaseOrderStockOnce(ctx: DbCtx, order: OrderDoc): Promise<void> {
  const now = ctx.clock.now();
  const res = await ctx.db.collection('orders').where({ _id: order._id, stockReleasedAt: null }).update({ stockReleasedAt: now });
  if (res.updated !== 1) return;
  await putBackStock(ctx, order.items);
}
