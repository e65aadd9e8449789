/** 看板: the counters of the chosen days, read in one query, plus the wallet's points rate for the cost of points. */
import type { DashboardView, StatsRange } from '../../../types/modules/merchant.api';
import { buildDashboard, rangeDays } from '../../domain/stats';
import type { Ctx } from '../../infra/handler';
import { readStatsDocs } from '../../infra/stats';
import { loadSettings } from '../wallet/settings';

export async function dashboard(ctx: Ctx, input: { range: StatsRange }): Promise<DashboardView> {
  const now = ctx.clock.now();
  const days = rangeDays(input.range, now);
  const [docs, settings] = await Promise.all([readStatsDocs(ctx, days), loadSettings(ctx)]);
  return buildDashboard(input.range, days, docs, settings.pointsPerYuan, now);
}
