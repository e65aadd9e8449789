import { z } from 'zod';
import { bindByCode, consentUser, loginUser, updateProfile } from '../../app/users';
import { deleteMyAccount, exportMyData } from '../../app/account';
import { action, createHandler } from '../../infra/handler';

const code = z.string().trim().min(1).max(32);

export const main = createHandler('user', {
  login: action({
    schema: z
      .object({
        inviteCode: code.optional(),
        source: z.enum(['card', 'poster', 'code']).optional(),
        taskId: z.string().min(1).max(128).regex(/^[A-Za-z0-9_:.-]+$/).optional(),
      })
      .strict(),
    access: 'user',
    run: (input, ctx) => loginUser(ctx, input),
  }),
  consent: action({
    schema: z.object({ version: z.string().trim().min(1).max(32) }).strict(),
    access: 'user',
    run: (input, ctx) => consentUser(ctx, input),
  }),
  profile: action({
    schema: z
      .object({
        nickname: z.string().trim().min(1).max(20).optional(),
        avatarUrl: z.string().max(512).regex(/^(https:\/\/|cloud:\/\/|\/assets\/)\S*$/).optional(),
      })
      .strict(),
    access: 'user',
    run: (input, ctx) => updateProfile(ctx, input),
  }),
  bindCode: action({
    schema: z.object({ inviteCode: code }).strict(),
    access: 'user',
    run: (input, ctx) => bindByCode(ctx, input),
  }),
  exportData: action({
    schema: z.object({}).strict(),
    access: 'user',
    run: (_input, ctx) => exportMyData(ctx),
  }),
  deleteAccount: action({
    schema: z.object({ confirm: z.string().max(10) }).strict(),
    access: 'user',
    run: (input, ctx) => deleteMyAccount(ctx, input),
  }),
});
