/**
 * 订单编号 people can read out and type: the Asia/Shanghai day and that day's sequence, "20261205-000123". The
 * order's `_id` (the payment's out_trade_no, derived from buyer + requestId) stays as it is; this is for people.
 * One counter document per day, moved by an atomic increment (DESIGN rule 5: never read-add-write); the day's first
 * order creates it, and a create that loses that race goes back to the increment.
 */
import { shanghaiDay } from '../../../types/time';
import { collection } from '../../infra/collections';
import { isDuplicateKey } from '../../infra/db';
import { AppError } from '../../infra/errors';
import type { Ctx } from '../../infra/handler';

const COUNTERS = 'order_numbers';

export function formatOrderNo(day: string, seq: number): string {
  return `${day.replace(/-/g, '')}-${String(seq).padStart(6, '0')}`;
}

export async function nextOrderNo(ctx: Ctx, at: Date): Promise<string> {
  const day = shanghaiDay(at);
  const counters = collection(ctx.db, COUNTERS);
  const _ = ctx.db.command;
  for (let attempt = 0; attempt < 3; attempt++) {
    const bumped = await counters.where({ _id: day }).updateAndReturn({ seq: _.inc(1), updatedAt: at });
    const seq = bumped.doc?.seq;
    if (typeof seq === 'number') return formatOrderNo(day, seq);
    try {
      await counters.add({ _id: day, seq: 1, createdAt: at, updatedAt: at });
      return formatOrderNo(day, 1);
    } catch (e) {
      if (!isDuplicateKey(e)) throw e;
    }
  }
  throw new AppError('CONFLICT');
}
