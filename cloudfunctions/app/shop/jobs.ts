import type { Job } from '../kernel/jobs';
import { expireCoupons } from '../coupons/coupons';
import { releaseAbandonedCreates } from './createLocks';
import { autoConfirmReceipts, expireUnpaidOrders } from './orders';
import { finishAllOwedSteps } from './outbox';
import { finishApprovedRefunds } from './refunds';

/** Scheduled jobs of the shop module, run by `settle` (see app/jobs.ts). */
export const shopJobs: Job[] = [
  { name: 'shop.expireUnpaidOrders', run: (ctx) => expireUnpaidOrders(ctx) },
  { name: 'shop.releaseAbandonedCreates', run: (ctx) => releaseAbandonedCreates(ctx) },
  { name: 'shop.autoConfirmReceipts', run: (ctx) => autoConfirmReceipts(ctx) },
  { name: 'shop.finishApprovedRefunds', run: (ctx) => finishApprovedRefunds(ctx) },
  { name: 'shop.finishOwedSteps', run: (ctx) => finishAllOwedSteps(ctx) },
  { name: 'shop.expireCoupons', run: (ctx) => expireCoupons(ctx) },
];
