import type { AssistTaskDoc } from '../../../types/modules/assist.models';
import { collection } from '../../infra/collections';
import type { Ctx } from '../../infra/handler';
import type { Job } from '../kernel/jobs';
import { countOwedStats, expireTask, payCouponReward, payFallback } from './rewards';

const BATCH = 100;
/** Bounds one run; the next timer tick continues. */
const MAX_BATCHES = 20;

/** Walks the matching tasks in _id order (a cursor, so items left as they were never hide the rest). */
async function eachBatch(ctx: Ctx, where: Record<string, unknown>, handle: (t: AssistTaskDoc) => Promise<boolean>): Promise<number> {
  const _ = ctx.db.command;
  let handled = 0;
  let after = '';
  for (let b = 0; b < MAX_BATCHES; b++) {
    const res = await collection(ctx.db, 'assist_tasks')
      .where({ ...where, _id: _.gt(after) })
      .orderBy('_id', 'asc')
      .limit(BATCH)
      .get();
    const batch = res.data;
    for (const t of batch) {
      try {
        if (await handle(t)) handled++;
      } catch (e) {
        // One task's failure (say the ledger is down) must not stop the rest; it stays owed for the next run.
        console.error(`[assist] job failed on task ${t._id}`, e);
      }
    }
    if (batch.length < BATCH) break;
    after = batch[batch.length - 1]._id;
  }
  return handled;
}

/** Scheduled jobs of the assist module, run by `settle` (see app/jobs.ts). Each is safe to rerun. */
export const assistJobs: Job[] = [
  {
    // Open tasks past their deadline: expired with their fallback owed (or succeeded, if full), once.
    name: 'assist.expireTasks',
    run: (ctx) => {
      const _ = ctx.db.command;
      return eachBatch(ctx, { status: 'open', deadline: _.lte(ctx.clock.now()) }, async (t) => (await expireTask(ctx, t)) !== 'skipped');
    },
  },
  {
    // Fallbacks still owed (the paying module was absent or failed): paid once, by source key.
    name: 'assist.payFallbacks',
    run: (ctx) => eachBatch(ctx, { status: 'expired', fallbackState: 'owed' }, (t) => payFallback(ctx, t)),
  },
  {
    // Coupon rewards of succeeded tasks still owed.
    name: 'assist.payRewards',
    run: (ctx) => eachBatch(ctx, { status: 'succeeded', rewardState: 'owed' }, (t) => payCouponReward(ctx, t)),
  },
  {
    // The dashboard's assist counters a task owes (a start not counted, a success or an expiry): once per event.
    name: 'assist.countOwedStats',
    run: (ctx) => eachBatch(ctx, { status: ctx.db.command.in(['open', 'succeeded', 'expired']), statsOwed: true }, (t) => countOwedStats(ctx, t)),
  },
];
