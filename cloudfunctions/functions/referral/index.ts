/** The referral function: a shopper's invite card, invitees and progress to the next reward. */
import { z } from 'zod';
import { myInviteCard, myInvitees, myProgress } from '../../app/referral/views';
import { action, createHandler } from '../../infra/handler';

const page = { cursor: z.number().int().min(0).max(100_000).optional(), pageSize: z.number().int().min(1).max(50).optional() };

export const main = createHandler({
  myInviteCard: action({ schema: z.object({}).strict(), access: 'user', run: (_input, ctx) => myInviteCard(ctx) }),
  myInvitees: action({ schema: z.object(page).strict(), access: 'user', run: (input, ctx) => myInvitees(ctx, input) }),
  progress: action({ schema: z.object({}).strict(), access: 'user', run: (_input, ctx) => myProgress(ctx) }),
});
