/** The assist (小助力) function: campaign rules, start a task, help a friend's task, view a task, my tasks. */
import { z } from 'zod';
import { assistOfferFor } from '../../app/assist/campaigns';
import { helpAssistTask } from '../../app/assist/help';
import { getAssistTask, listMyTasks, startAssistTask } from '../../app/assist/tasks';
import { action, createHandler } from '../../infra/handler';

const id = z.string().min(1).max(64).regex(/^[A-Za-z0-9_-]+$/);

export const main = createHandler('assist', {
  campaign: action({
    schema: z.object({ productId: id }).strict(),
    access: 'user',
    run: (input, ctx) => assistOfferFor(ctx, input.productId),
  }),
  start: action({
    schema: z.object({ productId: id }).strict(),
    access: 'user',
    run: (input, ctx) => startAssistTask(ctx, input),
  }),
  help: action({
    schema: z.object({ taskId: id }).strict(),
    access: 'user',
    run: (input, ctx) => helpAssistTask(ctx, input),
  }),
  get: action({
    schema: z.object({ taskId: id }).strict(),
    access: 'user',
    run: (input, ctx) => getAssistTask(ctx, input),
  }),
  mine: action({
    schema: z.object({ cursor: z.number().int().min(0).max(100_000).optional(), pageSize: z.number().int().min(1).max(50).optional() }).strict(),
    access: 'user',
    run: (input, ctx) => listMyTasks(ctx, input),
  }),
});
