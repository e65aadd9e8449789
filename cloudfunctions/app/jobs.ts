import { isDuplicateKey } from '../infra/db';
import type { Ctx } from '../infra/handler';

export interface JobsReport {
  ranAt: string;
  runs: number;
  jobs: Record<string, number>;
}

/**
 * The scheduled work `settle` runs on its timer. Each job is idempotent and works in batches, so a rerun or a run
 * killed half way is safe. Later modules add their jobs here; each run is counted for the merchant to see.
 */
export async function runScheduledJobs(ctx: Ctx): Promise<JobsReport> {
  const now = ctx.clock.now();
  const jobs: Record<string, number> = {};
  const runs = await recordRun(ctx, now, jobs);
  return { ranAt: now.toISOString(), runs, jobs };
}

async function recordRun(ctx: Ctx, now: Date, jobs: Record<string, number>): Promise<number> {
  const _ = ctx.db.command;
  const runs = ctx.db.collection('job_runs');
  const patch = { lastRunAt: now, lastSource: ctx.identity.source, jobs: _.set(jobs), runs: _.inc(1) };
  for (let attempt = 0; attempt < 2; attempt++) {
    const res = await runs.where({ _id: 'settle' }).updateAndReturn(patch);
    if (res.doc) return (res.doc as { runs: number }).runs;
    try {
      await runs.add({ _id: 'settle', lastRunAt: now, lastSource: ctx.identity.source, jobs, runs: 1 });
      return 1;
    } catch (e) {
      if (!isDuplicateKey(e)) throw e;
    }
  }
  throw new Error('job_runs: could not record the run');
}
