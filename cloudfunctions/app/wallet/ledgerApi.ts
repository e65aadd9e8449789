/** Ledger operations other modules call: points credited straight to available (e.g. an assist's expiry fallback). */
import { creditAvailable, legKey } from '../../domain/ledger';
import { collection } from '../../infra/collections';
import type { DbCtx } from './tx';
import { withUserTx } from './tx';

/**
 * Credit `points` to `userId`'s available points (paying a points debt first), once per `sourceKey`: a second call
 * with the same key changes nothing. `reason` is shown in the wallet (e.g. "助力未成功补偿").
 */
export async function creditPoints(ctx: DbCtx, input: { userId: string; points: number; sourceKey: string; reason: string }): Promise<void> {
  if (!input.userId || !input.sourceKey) throw new Error('creditPoints: userId and sourceKey are required');
  if (!Number.isSafeInteger(input.points) || input.points <= 0) throw new Error('creditPoints: points must be a positive integer');
  const op = `credit:${input.sourceKey}`;
  await withUserTx(ctx, input.userId, async (u) => {
    const keys = [legKey(op, 'points', 'available'), legKey(op, 'points', 'debt')];
    const done = await collection(u.db, 'ledger').where({ _id: u._.in(keys) }).field({ _id: true }).limit(2).get();
    if (done.data.length) return;
    u.post(op, creditAvailable(u.balances, 'points', input.points, 'points_credit'), { note: input.reason.slice(0, 40) });
  });
}
