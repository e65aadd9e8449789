import type { Job } from '../jobs';

/** Scheduled jobs of the shop module, run by `settle` (see app/jobs.ts). */
export const shopJobs: Job[] = [];
