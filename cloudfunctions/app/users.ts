import crypto from 'node:crypto';
import type { Me, Role } from '../../types/api';
import type { UserDoc } from '../../types/models';
import { inviteCodeFrom } from '../domain/inviteCode';
import { isDuplicateKey } from '../infra/db';
import type { Ctx } from '../infra/handler';
import { merchantOpenids } from '../infra/handler';

const DEFAULT_NICKNAME = '微信用户';

function toMe(user: UserDoc, isNew: boolean): Me {
  const roles = new Set<Role>(user.roles);
  if (merchantOpenids().has(user._id)) roles.add('merchant');
  return { openid: user._id, inviteCode: user.inviteCode, nickname: user.nickname, avatarUrl: user.avatarUrl, roles: [...roles], isNew };
}

/** First open creates the user (openid from the call context) with a unique invite code; later opens return it. */
export async function loginUser(ctx: Ctx): Promise<Me> {
  const users = ctx.db.collection('users');
  const now = ctx.clock.now();
  const found = (await users.doc(ctx.openid).get()).data?.[0] as UserDoc | undefined;
  if (found) {
    await users.doc(ctx.openid).update({ lastLoginAt: now });
    return toMe(found, false);
  }
  for (let attempt = 0; attempt < 5; attempt++) {
    const user: UserDoc = {
      _id: ctx.openid,
      inviteCode: inviteCodeFrom(crypto.randomBytes(8)),
      nickname: DEFAULT_NICKNAME,
      avatarUrl: '',
      roles: ['shopper'],
      createdAt: now,
      lastLoginAt: now,
    };
    try {
      await users.add(user);
      return toMe(user, true);
    } catch (e) {
      if (!isDuplicateKey(e)) throw e;
      // Either this user was created by a concurrent first open, or the invite code is taken: look, then retry.
      const raced = (await users.doc(ctx.openid).get()).data?.[0] as UserDoc | undefined;
      if (raced) return toMe(raced, false);
    }
  }
  throw new Error('could not allocate a unique invite code');
}
