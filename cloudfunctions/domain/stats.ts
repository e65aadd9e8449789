/**
 * The merchant's numbers, pure: which counters exist, the Asia/Shanghai days of a range, and how the per-day counter
 * documents (`stats_daily`, one per day and shard or lane) add up to the dashboard. No SDK, no clock.
 */
import type { DashboardView, FunnelStep, StatsRange } from '../../types/modules/merchant.api';
import type { RewardForm } from '../../types/modules/referral.models';
import type { Fen } from '../../types/money';
import { shanghaiDay } from './rebateRules';
import { pointsToFen } from '../../types/money';

export { shanghaiDay };

/** Counter names (also field names in `stats_daily.c`): letters, digits and underscores only. */
export const COUNTERS = [
  'usersNew',
  'usersActive',
  'usersInvited',
  'cardOpens',
  'cardLogins',
  'bound',
  'converted',
  'confirmed',
  'ordersPaid',
  'gmvFen',
  'paidFen',
  'ordersRefunded',
  'refundFen',
  'ordersReceived',
  'assistStarted',
  'assistSucceeded',
  'assistExpired',
  // Subscribe messages (app/messages/sender.ts): delivered, held back by the daily cap, failed attempts, given up.
  'msgSent',
  'msgCapped',
  'msgFailed',
  'msgDead',
] as const;

export type Counter = (typeof COUNTERS)[number] | RebateCounter;

/**
 * Rebates per form: issued (count, amount), then moved frozen → available, voided while frozen, clawed back after
 * (on the day of the void); and `undone_n`/`undone`: the same voids and clawbacks counted on the day the reward was
 * issued, so a range's rebate cost is what was issued in it and still stands (as the reports count it).
 */
type RebateWhat = 'n' | 'amt' | 'posted' | 'voided' | 'clawback' | 'undone_n' | 'undone';
export type RebateCounter = `rb_${RewardForm}_${RebateWhat}`;

export const rebateCounter = (form: RewardForm, what: RebateWhat): RebateCounter => `rb_${form}_${what}`;

/** Counters also kept all-time (day `all`), for balances that no range of days can give: frozen vs available. */
export function isBalanceCounter(name: string): boolean {
  return /^rb_[a-z]+_(amt|posted|voided|clawback)$/.test(name);
}

export const COUNTER_NAME = /^[A-Za-z][A-Za-z0-9_]{0,39}$/;

/** Shards per day: concurrent events spread over this many documents instead of one hot one. */
export const STATS_SHARDS = 8;
export const ALL_TIME = 'all';

export const statsDocId = (day: string, shard: number) => `${day}#${shard}`;

/**
 * Lanes: counter documents of a day (and all-time ones of a month) that only transactions write, one per concurrent
 * writer (the settle job's parallel batches), so those transactions do not conflict on a shared counter. A day has
 * STATS_SHARDS hashed shards plus at most STATS_LANES lane documents; all of them carry the day and add up the same.
 */
export const STATS_LANES = 8;
export const laneShard = (lane: number) => `tx${lane}`;
export const laneDocIds = (day: string, lane: number) => ({ day: `${day}#${laneShard(lane)}`, allTime: `${ALL_TIME}:${day.slice(0, 7)}#${laneShard(lane)}` });

const DAY_MS = 24 * 3600_000;

export function rangeDays(range: StatsRange, now: Date): string[] {
  const n = range === 'today' ? 1 : range === '7d' ? 7 : 30;
  const days: string[] = [];
  for (let i = n - 1; i >= 0; i--) days.push(shanghaiDay(new Date(now.getTime() - i * DAY_MS)));
  return days;
}

export interface StatsDoc {
  day: string;
  c?: Partial<Record<string, number>>;
}

/** Sum the shards of each day: day → counter → value. */
export function sumByDay(docs: StatsDoc[]): Map<string, Record<string, number>> {
  const out = new Map<string, Record<string, number>>();
  for (const d of docs) {
    const into = out.get(d.day) ?? {};
    // All-time documents are kept for balances; a day's other counters that share their update are not all-time.
    const keep = d.day === ALL_TIME ? isBalanceCounter : () => true;
    for (const [k, v] of Object.entries(d.c ?? {})) if (typeof v === 'number' && keep(k)) into[k] = (into[k] ?? 0) + v;
    out.set(d.day, into);
  }
  return out;
}

/** Points are worth fen at the wallet's rate (pointsPerYuan points = ¥1), floored (types/money.ts). */
export { pointsToFen };

/** Step over previous step, in basis points, floored; null when the previous step is 0. */
export function rateBp(count: number, base: number): number | null {
  return base > 0 ? Math.floor((count * 10_000) / base) : null;
}

const FUNNEL: { key: FunnelStep['key']; label: string }[] = [
  { key: 'cardOpens', label: '打开分享卡片' },
  { key: 'cardLogins', label: '从卡片登录' },
  { key: 'bound', label: '绑定邀请关系' },
  { key: 'converted', label: '首次下单' },
  { key: 'confirmed', label: '过退款期确认' },
];

const FORMS: RewardForm[] = ['cash', 'coupon', 'points'];

/** The dashboard from the counter documents of `days` (and the all-time ones, day `all`). */
export function buildDashboard(range: StatsRange, days: string[], docs: StatsDoc[], pointsPerYuan: number, asOf: Date): DashboardView {
  const byDay = sumByDay(docs);
  const perDay = days.map((d) => byDay.get(d) ?? {});
  const get = (c: Record<string, number>, k: string) => c[k] ?? 0;
  const series = (k: string) => perDay.map((c) => get(c, k));
  const total = (k: string) => perDay.reduce((s, c) => s + get(c, k), 0);
  // Rebates issued on a day and not voided or clawed back since: the cost they stand for.
  const standing = (c: Record<string, number>, f: RewardForm) => get(c, rebateCounter(f, 'amt')) - get(c, rebateCounter(f, 'undone'));
  // A day's points cost is the floored running total's step, so the days add up to the range's total (flooring each
  // day lost up to a fen a day: 5 points a day at 1,000 per ¥1 read ¥0 every day against ¥0.03 for the week).
  let pointsSoFar = 0;
  const costOf = (c: Record<string, number>) => {
    const before = pointsToFen(pointsSoFar, pointsPerYuan);
    pointsSoFar += standing(c, 'points');
    return standing(c, 'cash') + standing(c, 'coupon') + pointsToFen(pointsSoFar, pointsPerYuan) - before;
  };

  const rebates = Object.fromEntries(
    FORMS.map((f) => {
      const amount = perDay.reduce((s, c) => s + standing(c, f), 0);
      const count = total(rebateCounter(f, 'n')) - total(rebateCounter(f, 'undone_n'));
      return [f, { count, amount, costFen: (f === 'points' ? pointsToFen(amount, pointsPerYuan) : amount) as Fen }];
    }),
  ) as unknown as DashboardView['totals']['rebates'];
  rebates.costFen = (rebates.cash.costFen + rebates.coupon.costFen + rebates.points.costFen) as Fen;

  const all = byDay.get(ALL_TIME) ?? {};
  const frozenOf = (f: RewardForm) => get(all, rebateCounter(f, 'amt')) - get(all, rebateCounter(f, 'posted')) - get(all, rebateCounter(f, 'voided'));
  const availableOf = (f: RewardForm) => get(all, rebateCounter(f, 'posted')) - get(all, rebateCounter(f, 'clawback'));

  const funnel: FunnelStep[] = [];
  FUNNEL.forEach((s, i) => {
    const count = total(s.key);
    funnel.push({ key: s.key, label: s.label, count, rateBp: i === 0 ? null : rateBp(count, funnel[i - 1].count) });
  });

  return {
    range,
    days,
    series: {
      newUsers: series('usersNew'),
      activeUsers: series('usersActive'),
      invitedUsers: series('usersInvited'),
      orders: series('ordersPaid'),
      gmvFen: series('gmvFen'),
      rebateCostFen: perDay.map(costOf),
      assistStarted: series('assistStarted'),
      assistSucceeded: series('assistSucceeded'),
      assistExpired: series('assistExpired'),
    },
    totals: {
      newUsers: total('usersNew'),
      activeUsersAvg: days.length ? Math.round((total('usersActive') * 10) / days.length) / 10 : 0,
      invitedUsers: total('usersInvited'),
      orders: total('ordersPaid'),
      gmvFen: total('gmvFen') as Fen,
      paidFen: total('paidFen') as Fen,
      refunds: total('ordersRefunded'),
      refundFen: total('refundFen') as Fen,
      rebates,
      assist: { started: total('assistStarted'), succeeded: total('assistSucceeded'), expired: total('assistExpired') },
      messages: { sent: total('msgSent'), capped: total('msgCapped'), failed: total('msgFailed'), dead: total('msgDead') },
    },
    rebateBalances: {
      frozen: { cashFen: frozenOf('cash') as Fen, couponFen: frozenOf('coupon') as Fen, points: frozenOf('points') },
      available: { cashFen: availableOf('cash') as Fen, couponFen: availableOf('coupon') as Fen, points: availableOf('points') },
    },
    funnel,
    pointsPerYuan,
    asOf: asOf.toISOString(),
  };
}
