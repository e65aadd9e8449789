import type { Job } from '../jobs';

/** Scheduled jobs of the assist module, run by `settle` (see app/jobs.ts). */
export const assistJobs: Job[] = [];
