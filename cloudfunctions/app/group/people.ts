/** Members as others see them: masked nicknames and avatars, read in one query. */
import { maskNickname } from '../../../types/names';
import type { UserDoc } from '../../../types/models';
import type { Ctx } from '../../infra/handler';
import { collection } from '../../infra/collections';

export async function membersOf(ctx: Pick<Ctx, 'db'>, userIds: string[]): Promise<(id: string) => { name: string; avatarUrl: string }> {
  const ids = [...new Set(userIds)];
  const byId = new Map<string, Pick<UserDoc, '_id' | 'nickname' | 'avatarUrl'>>();
  if (ids.length) {
    const _ = ctx.db.command;
    const res = await collection(ctx.db, 'users').where({ _id: _.in(ids) }).field({ nickname: true, avatarUrl: true }).limit(1000).get();
    for (const u of res.data) byId.set(u._id, u);
  }
  return (id) => ({ name: maskNickname(byId.get(id)?.nickname ?? ''), avatarUrl: byId.get(id)?.avatarUrl ?? '' });
}
