import type { JobsReport } from '../../types/api';
import { collection } from '../infra/collections';
import { isDuplicateKey } from '../infra/db';
import type { Ctx } from '../infra/handler';
import type { Job, JobRun } from './kernel/jobs';
import { assistJobs } from './assist/jobs';
import { groupJobs } from './group/jobs';
import { presaleJobs } from './presale/jobs';
import { merchantJobs } from './merchant/jobs';
import { messageJobs } from './messages/sender';
import { referralJobs } from './referral/jobs';
import { shopJobs } from './shop/jobs';

/** Messages last: they send what the jobs before them enqueued in this same run. */
export const JOBS: Job[] = [...shopJobs, ...groupJobs, ...presaleJobs, ...referralJobs, ...assistJobs, ...merchantJobs, ...messageJobs];

/** The scheduled work `settle` runs on its timer (or a merchant's manual run); each run is counted. */
export async function runScheduledJobs(ctx: Ctx, jobs: Job[] = JOBS): Promise<JobsReport> {
  const now = ctx.clock.now();
  const report: Record<string, number> = {};
  const run: JobRun = { startedAt: Date.now() };
  for (const job of jobs) report[job.name] = await job.run(ctx, run);
  const runs = await recordRun(ctx, now, report);
  return { ranAt: now.toISOString(), runs, jobs: report };
}

async function recordRun(ctx: Ctx, now: Date, jobs: Record<string, number>): Promise<number> {
  const _ = ctx.db.command;
  const runs = collection(ctx.db, 'job_runs');
  const patch = { lastRunAt: now, lastSource: ctx.identity.source, jobs: _.set(jobs), runs: _.inc(1) };
  for (let attempt = 0; attempt < 2; attempt++) {
    const res = await runs.where({ _id: 'settle' }).updateAndReturn(patch);
    if (res.doc) return res.doc.runs as number;
    try {
      await runs.add({ _id: 'settle', lastRunAt: now, lastSource: ctx.identity.source, jobs, runs: 1 });
      return 1;
    } catch (e) {
      if (!isDuplicateKey(e)) throw e;
    }
  }
  throw new Error('job_runs: could not record the run');
}
