/**
 * Confirmations for the funnel: a converted invitee is "confirmed" once their order's refund deadline passes
 * without a refund. Nothing happens at that moment, so the settle timer counts them: converted referrals not counted
 * yet (`confirmedAt` unset) whose deadline has passed, oldest first, each once (event key per invitee and order).
 * No cursor: a deadline can be written after it passed (a refund window of 0 days makes it the receipt itself, and
 * the step that stamps it may be retried later), and one behind a cursor was never counted.
 * An invitee is confirmed once, like they convert once: a confirmed conversion can still be reversed (a refund asked
 * for before the deadline and granted after it), and the invitee's next order converts them again; its deadline
 * does not count them a second time (referrals.confirmedAt, set once they are counted).
 */
import { collection } from '../../infra/collections';
import { prepareStatsDocs, recordStats } from '../../infra/stats';
import type { Ctx } from '../../infra/handler';
import type { Job } from '../kernel/jobs';

const BATCH = 200;
const MAX_BATCHES = 10;

export async function countConfirmations(ctx: Ctx): Promise<number> {
  const _ = ctx.db.command;
  const now = ctx.clock.now();
  let counted = 0;
  for (let b = 0; b < MAX_BATCHES; b++) {
    const res = await collection(ctx.db, 'referrals')
      .where({ status: 'converted', confirmedAt: _.eq(null), 'conversion.refundDeadline': _.lte(now) })
      .orderBy('conversion.refundDeadline', 'asc')
      .limit(BATCH)
      .get();
    const refs = res.data;
    // Counted, then marked: a run cut off between the two counts the same keys on the same days again (no change).
    counted += await recordStats(
      ctx,
      refs.map((r) => ({ eventKey: `confirm:${r._id}:${r.conversion!.orderId}`, at: r.conversion!.refundDeadline!, counters: { confirmed: 1 } })),
    );
    if (refs.length) await collection(ctx.db, 'referrals').where({ _id: _.in(refs.map((r) => r._id)), confirmedAt: _.eq(null) }).update({ confirmedAt: now });
    if (refs.length < BATCH) break;
  }
  return counted;
}

export const merchantJobs: Job[] = [
  { name: 'merchant.confirmations', run: countConfirmations },
  { name: 'merchant.prepareStats', run: prepareStatsDocs },
];
