/**
 * What a scheduled job is, apart from the list of jobs (app/jobs.ts): each module's jobs.ts implements `Job` and the
 * list imports them, so no module imports the list back.
 */
import type { Ctx } from '../../infra/handler';

/** A scheduled job: idempotent, works in batches, safe to rerun and safe if killed half way. Returns items handled. */
export interface Job {
  name: string;
  run(ctx: Ctx, run: JobRun): Promise<number>;
}

/** The settle run a job is part of: jobs late in the list keep within what the earlier ones left of the run. */
export interface JobRun {
  /** Date.now() when the run started (real time: budgets are about the function's timeout, not the shop's clock). */
  startedAt: number;
}
