import { z } from 'zod';
import { runScheduledJobs } from '../../app/jobs';
import { action, createHandler } from '../../infra/handler';

const run = action({
  schema: z.object({}).strict(),
  access: 'platformOrMerchant',
  run: (_input, ctx) => runScheduledJobs(ctx),
});

const handler = createHandler('settle', { run });

/** A timer trigger sends {Type: 'Timer', ...} without an action; a merchant's manual run sends {action: 'run'}. */
export const main = (event: Record<string, unknown> | null, context: Parameters<typeof handler>[1]) =>
  handler(event && event.Type === 'Timer' ? { action: 'run' } : event, context);
