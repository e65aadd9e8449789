import { z } from 'zod';
import { loginUser } from '../../app/users';
import { action, createHandler } from '../../infra/handler';

export const main = createHandler({
  login: action({
    schema: z
      .object({
        inviteCode: z.string().max(32).optional(),
        source: z.enum(['card', 'poster', 'code']).optional(),
        taskId: z.string().max(128).optional(),
      })
      .strict(),
    access: 'user',
    run: (_input, ctx) => loginUser(ctx),
  }),
});
