/** The active rebate rules (the referral settlement and the invite page judge them per order with domain/rebateRules). */
import type { RebateRuleDoc } from '../../../types/models';
import { collection } from '../../infra/collections';
import type { DbCtx } from '../wallet/tx';

/** Rules switched on (the window and products are judged per order by domain/rebateRules). */
export async function activeRules(ctx: DbCtx): Promise<RebateRuleDoc[]> {
  const res = await collection(ctx.db, 'rebate_rules').where({ active: true }).limit(1000).get();
  return res.data;
}
