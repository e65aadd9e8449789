/**
 * Confirmations for the funnel: a converted invitee is "confirmed" once their order's refund deadline passes
 * without a refund. Nothing happens at that moment, so the settle timer counts them: converted referrals whose
 * deadline fell after the cursor and by now, oldest first, each once (event key per invitee and order).
 * A deadline is written at receipt, days before it passes, so none appears behind the cursor.
 * An invitee is confirmed once, like they convert once: a confirmed conversion can still be reversed (a refund asked
 * for before the deadline and granted after it), and the invitee's next order converts them again; its deadline
 * does not count them a second time (referrals.confirmedAt, set once they are counted).
 */
import { collection } from '../../infra/collections';
import { prepareStatsDocs, recordStats, STATS } from '../../infra/stats';
import type { Ctx } from '../../infra/handler';
import type { Job } from '../kernel/jobs';

const CURSOR = 'cursor-confirm';
const BATCH = 200;
const MAX_BATCHES = 10;

export async function countConfirmations(ctx: Ctx): Promise<number> {
  const _ = ctx.db.command;
  const now = ctx.clock.now();
  const stats = collection(ctx.db, STATS);
  // The cursor shares the stats collection with the day documents: its own field is `at`.
  const cursorDoc = (await stats.doc(CURSOR).get()).data?.[0] as { at?: Date } | undefined;
  let after = cursorDoc?.at ?? new Date(0);
  let counted = 0;
  for (let b = 0; b < MAX_BATCHES; b++) {
    const res = await collection(ctx.db, 'referrals')
      .where({ status: 'converted', 'conversion.refundDeadline': _.gte(after).and(_.lte(now)) })
      .orderBy('conversion.refundDeadline', 'asc')
      .limit(BATCH)
      .get();
    const refs = res.data;
    const first = refs.filter((r) => !r.confirmedAt);
    // Counted, then marked: a run cut off between the two counts the same keys on the same days again (no change).
    counted += await recordStats(
      ctx,
      first.map((r) => ({ eventKey: `confirm:${r._id}:${r.conversion!.orderId}`, at: r.conversion!.refundDeadline!, counters: { confirmed: 1 } })),
    );
    if (first.length) await collection(ctx.db, 'referrals').where({ _id: _.in(first.map((r) => r._id)), confirmedAt: _.eq(null) }).update({ confirmedAt: now });
    if (refs.length < BATCH) {
      after = now;
      break;
    }
    after = refs[refs.length - 1].conversion!.refundDeadline!;
  }
  await stats.doc(CURSOR).set({ day: 'cursor', at: after });
  return counted;
}

export const merchantJobs: Job[] = [
  { name: 'merchant.confirmations', run: countConfirmations },
  { name: 'merchant.prepareStats', run: prepareStatsDocs },
];
