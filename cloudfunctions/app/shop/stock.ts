/**
 * Stock is a hot field on the product document: it changes only by guarded `where` updates
 * (`stock >= q` → `stock - q`), never inside a transaction, so the last unit is sold once however many buyers press
 * (only an order's put-back, rare, is a transaction with the order's marker: exactly once).
 * `soldQty` (已售) moves the other way in the same writes: every unit an order takes is counted, every unit that
 * goes back is uncounted.
 */
import type { OrderDoc } from '../../../types/models';
import { DEFAULT_SKU_ID } from '../../domain/productSkus';
import { collection, txCollection, type TxHandle } from '../../infra/collections';
import type { Ctx } from '../../infra/handler';

type DbCtx = Pick<Ctx, 'db' | 'clock'>;
export interface StockLine {
  productId: string;
  /** Absent or `default`: the product's own `stock`; else the SKU's `skus.<i>.stockQty` (and `stock`, their sum). */
  skuId?: string;
  quantity: number;
}

const TRIES = 4;

/**
 * Move one line's units on a product with SKUs: `skus.<i>.stockQty` and the product's `stock` (their sum) in one
 * guarded update of the one document, so both stay exact. The SKU's position comes from a read and the write is guarded
 * on the SKU still being there (a merchant edit may reorder); a miss reads again. Taking (`delta < 0`) is guarded on
 * the SKU having the units and the product on sale. Answers false when the units (or the SKU) are not there.
 */
async function moveSkuStock(ctx: DbCtx, productId: string, skuId: string, delta: number): Promise<boolean> {
  const _ = ctx.db.command;
  const products = collection(ctx.db, 'products');
  for (let attempt = 0; attempt < TRIES; attempt++) {
    const p = (await products.doc(productId).get()).data?.[0];
    const index = p?.skus?.findIndex((s) => s.skuId === skuId) ?? -1;
    if (!p || index < 0) return false;
    const at = `skus.${index}`;
    const where: Record<string, unknown> = { _id: productId, [`${at}.skuId`]: skuId };
    if (delta < 0) Object.assign(where, { onSale: true, [`${at}.stockQty`]: _.gte(-delta) });
    const res = await products.where(where).update({ stock: _.inc(delta), [`${at}.stockQty`]: _.inc(delta), soldQty: _.inc(-delta) });
    if (res.updated === 1) return true;
    // Missed: out of units (the SKU is still at that position) or the SKUs moved; only the latter is worth a new read.
    if (delta < 0 && p.skus![index].stockQty < -delta) {
      const again = (await products.doc(productId).get()).data?.[0];
      if (again?.skus?.[index]?.skuId === skuId) return false;
    }
  }
  return false;
}

function isSkuLine(l: StockLine): l is StockLine & { skuId: string } {
  return l.skuId !== undefined && l.skuId !== DEFAULT_SKU_ID;
}

async function take(ctx: DbCtx, l: StockLine): Promise<boolean> {
  if (isSkuLine(l)) return moveSkuStock(ctx, l.productId, l.skuId, -l.quantity);
  const _ = ctx.db.command;
  // Only while the product has no SKUs (`skus` absent or empty): one that gained SKUs meanwhile is never sold as one.
  const res = await collection(ctx.db, 'products')
    .where({ _id: l.productId, onSale: true, stock: _.gte(l.quantity), 'skus.0.skuId': _.exists(false) })
    .update({ stock: _.inc(-l.quantity), soldQty: _.inc(l.quantity) });
  return res.updated === 1;
}

/**
 * Reserve every line at once; if any fails, what was reserved goes back and the failed line is answered. A take that
 * throws (a database error) fails the reservation too, after the lines taken went back: the caller has no undo for
 * stock until this answers ok. (A take whose write landed but whose answer was lost cannot be told from one that
 * never ran: those units are not put back, as for a killed create.)
 */
export async function reserveStock(ctx: DbCtx, lines: StockLine[]): Promise<{ ok: true } | { ok: false; productId: string; skuId?: string }> {
  const settled = await Promise.allSettled(lines.map((l) => take(ctx, l)));
  const taken = (i: number) => settled[i].status === 'fulfilled' && (settled[i] as PromiseFulfilledResult<boolean>).value;
  const failedAt = lines.findIndex((_l, i) => !taken(i));
  if (failedAt < 0) return { ok: true };
  await putBackStock(ctx, lines.filter((_l, i) => taken(i)));
  const thrown = settled.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (thrown) throw thrown.reason;
  return { ok: false, productId: lines[failedAt].productId, skuId: lines[failedAt].skuId };
}

/**
 * Units back to their SKU. A SKU the merchant has since removed has nowhere to take them (logged, not guessed), but
 * they were never sold: 已售 (`soldQty`) goes back all the same.
 */
export async function putBackStock(ctx: DbCtx, lines: StockLine[]): Promise<void> {
  const _ = ctx.db.command;
  const products = collection(ctx.db, 'products');
  await Promise.all(
    lines.map(async (l) => {
      if (!isSkuLine(l)) {
        // Guarded as taking is: a product that has since gained 规格 counts its stock in its SKUs (the units had no
        // SKU to go back to), so only 已售 goes back.
        const res = await products.where({ _id: l.productId, 'skus.0.skuId': _.exists(false) }).update({ stock: _.inc(l.quantity), soldQty: _.inc(-l.quantity) });
        if (res.updated === 0) await products.where({ _id: l.productId, 'skus.0.skuId': _.exists(true) }).update({ soldQty: _.inc(-l.quantity) });
        return;
      }
      if (await moveSkuStock(ctx, l.productId, l.skuId, l.quantity)) return;
      console.error(`[shop] stock of removed SKU ${l.productId}/${l.skuId} not put back (${l.quantity})`);
      // Guarded on the SKU being gone: one that is there after all (moveSkuStock gave up on a busy table) keeps its count.
      await products.where({ _id: l.productId, 'skus.skuId': _.neq(l.skuId) }).update({ soldQty: _.inc(-l.quantity) });
    }),
  );
}

const isConflict = (e: unknown) => (e as { code?: string })?.code === 'DATABASE_TRANSACTION_CONFLICT';
const TX_ROUNDS = 8;

/**
 * An order's units go back exactly once (cancel, expiry, refund before shipping): the order's marker and the products'
 * counters change in one transaction. Marker first and the units after (two writes) lost the units when the process
 * died in between — the group fault test (SIGKILL mid-refund) found a unit missing. Only this rare put-back runs in a
 * transaction; taking stays a guarded update, and a conflict with one (a busy product) just runs the put-back again.
 */
export async function releaseOrderStockOnce(ctx: DbCtx, order: OrderDoc): Promise<void> {
  const _ = ctx.db.command;
  for (let round = 1; ; round++) {
    try {
      await ctx.db.runTransaction(async (tx: TxHandle) => {
        const current = (await txCollection(tx, 'orders').doc(order._id).get()).data;
        if (!current || current.stockReleasedAt) return;
        for (const l of current.items as StockLine[]) {
          const products = txCollection(tx, 'products');
          if (!isSkuLine(l)) {
            const p = (await products.doc(l.productId).get()).data;
            if (!p) continue;
            // A product that has since gained 规格 counts its stock in its SKUs: the units had no SKU to go back to.
            const back = p.skus?.length ? {} : { stock: _.inc(l.quantity) };
            await products.doc(l.productId).update({ ...back, soldQty: _.inc(-l.quantity) });
            continue;
          }
          const p = (await products.doc(l.productId).get()).data;
          const index = p?.skus?.findIndex((s) => s.skuId === l.skuId) ?? -1;
          // A SKU the merchant has since removed has nowhere to take them (logged, not guessed); they were never
          // sold, so 已售 goes back.
          if (index < 0) {
            console.error(`[shop] stock of removed SKU ${l.productId}/${l.skuId} not put back (${l.quantity})`);
            if (p) await products.doc(l.productId).update({ soldQty: _.inc(-l.quantity) });
          } else await products.doc(l.productId).update({ stock: _.inc(l.quantity), [`skus.${index}.stockQty`]: _.inc(l.quantity), soldQty: _.inc(-l.quantity) });
        }
        await txCollection(tx, 'orders').doc(order._id).update({ stockReleasedAt: ctx.clock.now() });
      });
      return;
    } catch (e) {
      if (!isConflict(e) || round >= TX_ROUNDS) throw e;
      await new Promise((r) => setTimeout(r, 5 + Math.random() * 20 * round));
    }
  }
}
