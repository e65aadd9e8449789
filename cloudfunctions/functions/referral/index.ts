/** The referral function: a shopper's invite card and poster code, invitees and progress to the next reward. */
import { z } from 'zod';
import { myPosterCode } from '../../app/referral/posterCode';
import { myInviteCard, myInvitees, myProgress } from '../../app/referral/views';
import { action, createHandler } from '../../infra/handler';

const page = { cursor: z.number().int().min(0).max(100_000).optional(), pageSize: z.number().int().min(1).max(50).optional() };

export const main = createHandler('referral', {
  myInviteCard: action({ schema: z.object({}).strict(), access: 'user', run: (_input, ctx) => myInviteCard(ctx) }),
  myInvitees: action({ schema: z.object(page).strict(), access: 'user', run: (input, ctx) => myInvitees(ctx, input) }),
  posterCode: action({ schema: z.object({}).strict(), access: 'user', run: (_input, ctx) => myPosterCode(ctx) }),
  progress: action({ schema: z.object({}).strict(), access: 'user', run: (_input, ctx) => myProgress(ctx) }),
});
