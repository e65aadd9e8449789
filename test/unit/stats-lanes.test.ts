/** Counter lanes (documents only transactions write, e.g. the settle job's posted rewards) add up with the shards. */
import { buildDashboard, laneDocIds, STATS_LANES, STATS_SHARDS, statsDocId, sumByDay } from '../../cloudfunctions/domain/stats';

test('a lane has its own document per day and per month, apart from the hashed shards', () => {
  expect(laneDocIds('2026-11-23', 3)).toEqual({ day: '2026-11-23#tx3', allTime: 'all:2026-11#tx3' });
  const shards = Array.from({ length: STATS_SHARDS }, (_x, i) => statsDocId('2026-11-23', i));
  const lanes = Array.from({ length: STATS_LANES }, (_x, i) => laneDocIds('2026-11-23', i).day);
  expect(new Set([...shards, ...lanes]).size).toBe(STATS_SHARDS + STATS_LANES);
});

test('lane documents add up with the shards of their day and with the all-time ones', () => {
  const docs = [
    { day: '2026-11-23', c: { rb_cash_n: 2, rb_cash_amt: 900 } }, // a hashed shard: rewards issued
    { day: '2026-11-23', c: { rb_cash_posted: 300 } }, // lane 0 of the day
    { day: '2026-11-23', c: { rb_cash_posted: 200, rb_points_posted: 50 } }, // lane 5 of the day
    { day: 'all', c: { rb_cash_amt: 900 } }, // an all-time shard
    { day: 'all', c: { rb_cash_posted: 300 } }, // all-time lanes
    { day: 'all', c: { rb_cash_posted: 200, rb_points_posted: 50 } },
    { day: 'all', c: { rb_cash_clawback: 100 } },
  ];
  expect(sumByDay(docs).get('2026-11-23')).toEqual({ rb_cash_n: 2, rb_cash_amt: 900, rb_cash_posted: 500, rb_points_posted: 50 });
  const d = buildDashboard('today', ['2026-11-23'], docs, 100, new Date(0));
  expect(d.rebateBalances.frozen.cashFen).toBe(400);
  expect(d.rebateBalances.available).toEqual({ cashFen: 400, couponFen: 0, points: 50 });
});
