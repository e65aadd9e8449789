import type { GroupDoc } from '../../../types/modules/group.models';
import { collection } from '../../infra/collections';
import type { Ctx } from '../../infra/handler';
import type { Job } from '../kernel/jobs';
import { settleGroup } from './fate';
import { settleLeaderReward } from './leaderReward';
import { GROUPS, loadGroup, releaseStaleSeats } from './seats';

const BATCH = 50;
const MAX_BATCHES = 10;

/** Walks matching groups in _id order (a cursor, so groups left as they were never hide the rest). */
async function eachGroup(ctx: Ctx, where: Record<string, unknown>, handle: (g: Pick<GroupDoc, '_id'>) => Promise<boolean>): Promise<number> {
  const _ = ctx.db.command;
  let handled = 0;
  let after = '';
  for (let b = 0; b < MAX_BATCHES; b++) {
    const res = await collection(ctx.db, GROUPS).where({ ...where, _id: _.gt(after) }).orderBy('_id', 'asc').field({ _id: true }).limit(BATCH).get();
    const batch = res.data;
    for (const g of batch) {
      try {
        if (await handle(g)) handled++;
      } catch (e) {
        // One group's failure (the provider is down, say) must not stop the rest; it stays owed for the next run.
        console.error(`[group] job failed on group ${g._id}`, e);
      }
    }
    if (batch.length < BATCH) break;
    after = batch[batch.length - 1]._id;
  }
  return handled;
}

/** Scheduled jobs of the group-buy module, run by `settle` after the shop's (see app/jobs.ts). Each is safe to rerun. */
export const groupJobs: Job[] = [
  {
    // Open groups past their deadline: decided once (succeeded with enough paid members, else failed), then followed.
    name: 'group.decideDue',
    run: (ctx) => {
      const _ = ctx.db.command;
      return eachGroup(ctx, { status: 'open', deadline: _.lte(ctx.clock.now()) }, async (g) => (await settleGroup(ctx, g._id))?.status !== 'open');
    },
  },
  {
    // Open groups with a seat no live order holds (its createOrder died after the claim): the seat goes back.
    name: 'group.releaseStaleSeats',
    run: (ctx) =>
      eachGroup(ctx, { status: 'open' }, async (g) => {
        const group = await loadGroup(ctx, g._id);
        return !!group && group.seatsTaken > group.paidCount && (await releaseStaleSeats(ctx, group)) > 0;
      }),
  },
  {
    // Decided groups whose orders have not all followed (a crash, a refund the provider refused): finished here.
    name: 'group.fanOut',
    run: (ctx) => eachGroup(ctx, { fanout: 'owed' }, async (g) => (await settleGroup(ctx, g._id))?.fanout === 'done'),
  },
  {
    // Held 团长 rewards due a look: released once every kept member order is past its refund window, taken back when
    // refunds leave the group short (group/leaderReward.ts).
    name: 'group.leaderRewards',
    run: (ctx) => {
      const _ = ctx.db.command;
      return eachGroup(ctx, { leaderRewardState: 'held', leaderRewardCheckAt: _.lte(ctx.clock.now()) }, async (g) => {
        const group = await loadGroup(ctx, g._id);
        return !!group && (await settleLeaderReward(ctx, group));
      });
    },
  },
];
