import { collection, type DocTypes } from '../../infra/collections';
import type { Ctx } from '../../infra/handler';
import type { Job } from '../kernel/jobs';
import { closeDeposit, closePresale, finishRefund, pricePresale } from './deposits';
import { DEPOSITS, PRESALES } from './presales';

const BATCH = 50;
const MAX_BATCHES = 10;

/** Walks matching documents in _id order; one item's failure (the provider down) leaves it for the next run. */
async function each<K extends typeof DEPOSITS | typeof PRESALES>(ctx: Ctx, name: K, where: Record<string, unknown>, handle: (doc: DocTypes[K]) => Promise<boolean>): Promise<number> {
  const _ = ctx.db.command;
  let handled = 0;
  let after = '';
  for (let b = 0; b < MAX_BATCHES; b++) {
    const res = await collection(ctx.db, name).where({ ...where, _id: _.gt(after) }).orderBy('_id', 'asc').limit(BATCH).get();
    const batch = res.data;
    for (const doc of batch) {
      try {
        if (await handle(doc)) handled++;
      } catch (e) {
        console.error(`[presale] job failed on ${name}/${doc._id}`, e);
      }
    }
    if (batch.length < BATCH) break;
    after = batch[batch.length - 1]._id;
  }
  return handled;
}

/** Scheduled jobs of the pre-sale module, run by `settle` (see app/jobs.ts). Each is safe to rerun and to race. */
export const presaleJobs: Job[] = [
  {
    // Unpaid deposits past their time: the trade is closed (or, paid after all, confirmed).
    name: 'presale.expireDeposits',
    run: (ctx) => each(ctx, DEPOSITS, { state: 'pending', depositExpiresAt: ctx.db.command.lte(ctx.clock.now()) }, async (d) => (await closeDeposit(ctx, d)).state !== 'pending'),
  },
  {
    // Pre-sales past endsAt: the final price, once, by the exact count.
    name: 'presale.price',
    run: (ctx) => each(ctx, PRESALES, { status: 'open', endsAt: ctx.db.command.lte(ctx.clock.now()) }, (p) => pricePresale(ctx, p._id)),
  },
  {
    // Past balanceEndsAt: unpaid balances forfeit or refund their deposits as stated, then the pre-sale closes.
    name: 'presale.close',
    run: (ctx) => each(ctx, PRESALES, { status: 'priced', balanceEndsAt: ctx.db.command.lte(ctx.clock.now()) }, (p) => closePresale(ctx, p._id)),
  },
  {
    // Refunds the provider did not take yet (it was down): asked again, once per outRefundNo.
    name: 'presale.refunds',
    run: (ctx) =>
      each(ctx, DEPOSITS, { refundOwed: true }, async (d) => {
        await finishRefund(ctx, d);
        return true;
      }),
  },
];
