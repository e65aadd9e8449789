import type { Job } from '../jobs';

/** Scheduled jobs of the referral module, run by `settle` (see app/jobs.ts). */
export const referralJobs: Job[] = [];
