/** The dashboard from day counters, the rule previews and warnings, the abuse flags: tables. */
import { abuseFlags, hasBurst } from '../../cloudfunctions/domain/merchantFlags';
import { buildDashboard, isBalanceCounter, pointsToFen, rangeDays, rateBp } from '../../cloudfunctions/domain/stats';
import { campaignPreview, campaignWarnings, rulePreview, ruleWarnings } from '../../src/packages/merchant/rulePreview';
import type { Fen } from '../../types/money';

const f = (n: number) => n as Fen;

test('ranges are Asia/Shanghai days, oldest first', () => {
  // 2026-11-23 17:00 UTC is already the 24th in Shanghai
  const now = new Date('2026-11-23T17:00:00Z');
  expect(rangeDays('today', now)).toEqual(['2026-11-24']);
  expect(rangeDays('7d', now)).toEqual(['2026-11-18', '2026-11-19', '2026-11-20', '2026-11-21', '2026-11-22', '2026-11-23', '2026-11-24']);
  expect(rangeDays('30d', now)).toHaveLength(30);
});

test('shards of a day add up; the all-time shards give frozen vs available; rates and costs', () => {
  const docs = [
    { day: '2026-11-23', c: { ordersPaid: 2, gmvFen: 1000, cardOpens: 10, cardLogins: 4, bound: 3, converted: 3, confirmed: 1, rb_cash_n: 1, rb_cash_amt: 5000, rb_points_n: 1, rb_points_amt: 250 } },
    { day: '2026-11-23', c: { ordersPaid: 1, gmvFen: 500, usersActive: 3 } },
    { day: '2026-11-22', c: { usersActive: 1, usersNew: 1 } },
    { day: 'all', c: { rb_cash_amt: 9000, rb_cash_posted: 4000, rb_cash_voided: 1000, rb_cash_clawback: 500 } },
  ];
  const d = buildDashboard('7d', ['2026-11-22', '2026-11-23'], docs, 100, new Date(0));
  expect(d.series.orders).toEqual([0, 3]);
  expect(d.totals.gmvFen).toBe(1500);
  expect(d.totals.activeUsersAvg).toBe(2);
  expect(d.totals.rebates.cash).toEqual({ count: 1, amount: 5000, costFen: 5000 });
  expect(d.totals.rebates.points).toEqual({ count: 1, amount: 250, costFen: 250 });
  expect(d.totals.rebates.costFen).toBe(5250);
  expect(d.series.rebateCostFen).toEqual([0, 5250]);
  expect(d.rebateBalances.frozen.cashFen).toBe(4000);
  expect(d.rebateBalances.available.cashFen).toBe(3500);
  expect(d.funnel.map((s) => [s.count, s.rateBp])).toEqual([[10, null], [4, 4000], [3, 7500], [3, 10000], [1, 3333]]);
});

test('the daily rebate cost adds up to the total when points cost fractions of a fen each day', () => {
  const days = ['2026-11-17', '2026-11-18', '2026-11-19', '2026-11-20', '2026-11-21', '2026-11-22', '2026-11-23'];
  const docs = days.map((day) => ({ day, c: { rb_points_n: 1, rb_points_amt: 5 } }));
  const d = buildDashboard('7d', days, docs, 1000, new Date(0));
  expect(d.totals.rebates.points).toEqual({ count: 7, amount: 35, costFen: 3 });
  expect(d.series.rebateCostFen.reduce((a, b) => a + b, 0)).toBe(3);
  expect(d.series.rebateCostFen).toEqual([0, 1, 0, 1, 0, 1, 0]); // the running total 0, 1, 1, 2, 2, 3, 3 fen
});

test('a reward voided or clawed back later leaves the rebate cost of the day it was issued (undone on that day), not the balances', () => {
  const days = ['2026-11-22', '2026-11-23'];
  const docs = [
    { day: '2026-11-22', c: { rb_cash_n: 2, rb_cash_amt: 800, rb_cash_undone_n: 1, rb_cash_undone: 300, rb_points_n: 1, rb_points_amt: 150, rb_points_undone_n: 1, rb_points_undone: 150 } },
    { day: '2026-11-23', c: { rb_cash_voided: 300, rb_points_voided: 150 } },
    { day: 'all', c: { rb_cash_amt: 800, rb_cash_voided: 300, rb_points_amt: 150, rb_points_voided: 150 } },
  ];
  const d = buildDashboard('7d', days, docs, 100, new Date(0));
  expect(d.totals.rebates.cash).toEqual({ count: 1, amount: 500, costFen: 500 });
  expect(d.totals.rebates.points).toEqual({ count: 0, amount: 0, costFen: 0 });
  expect(d.totals.rebates.costFen).toBe(500);
  expect(d.series.rebateCostFen).toEqual([500, 0]);
  expect(d.rebateBalances.frozen.cashFen).toBe(500);
  expect(isBalanceCounter('rb_cash_undone')).toBe(false);
  expect(isBalanceCounter('rb_cash_undone_n')).toBe(false);
});

test.each([
  [0, 0, null],
  [0, 1, 0],
  [1, 3, 3333],
  [2, 2, 10000],
])('rateBp(%p, %p) = %p', (count, base, expected) => {
  expect(rateBp(count, base)).toBe(expected);
});

test('points cost fen at the wallet rate; only money counters are kept all-time', () => {
  expect(pointsToFen(250, 100)).toBe(250);
  expect(pointsToFen(1, 3)).toBe(33);
  expect(isBalanceCounter('rb_cash_amt')).toBe(true);
  expect(isBalanceCounter('rb_cash_n')).toBe(false);
  expect(isBalanceCounter('ordersPaid')).toBe(false);
});

const rule = (over: object) => ({ reward: { form: 'cash' as const, amountFen: f(5000) }, trigger: { kind: 'everyN' as const, n: 3, minOrderFen: f(0) }, caps: { perInviterPerDay: null, perInviterTotal: null }, ...over });

test.each([
  [rule({}), '每邀请 3 位好友首次下单，奖励 ¥50 现金，确认收货 7 天后可提现'],
  [rule({ trigger: { kind: 'everyN', n: 3, minOrderFen: f(9900) }, caps: { perInviterPerDay: null, perInviterTotal: 5 } }), '每邀请 3 位好友首次下单（满 ¥99），奖励 ¥50 现金，确认收货 7 天后可提现，每人最多 5 次'],
  [rule({ reward: { form: 'coupon', amountFen: f(1000), minSpendFen: f(5000), validDays: 30 }, trigger: { kind: 'eachOrder', minOrderFen: f(0) } }), '好友每下一单，奖励 ¥10 优惠券（满 ¥50 可用），确认收货 7 天后可使用'],
  [rule({ reward: { form: 'cash', amountFen: f(0) }, trigger: { kind: 'eachOrder', minOrderFen: f(0), ratioBp: 550 } }), '好友每下一单，奖励订单实付 5.5% 的现金，确认收货 7 天后可提现'],
  [
    rule({ caps: { perInviterPerDay: 2, perInviterTotal: 10 }, productIds: ['p1', 'p2'], startsAt: '2026-11-30T16:00:00.000Z', endsAt: new Date('2026-12-31T15:59:00.000Z') }),
    '每邀请 3 位好友首次下单，奖励 ¥50 现金，确认收货 7 天后可提现，每人每天最多 2 次，每人最多 10 次，仅限 2 件指定商品，活动时间 2026-12-01 00:00 至 2026-12-31 23:59',
  ],
  [rule({ productIds: null, startsAt: null, endsAt: '2026-12-31T15:59:00.000Z' }), '每邀请 3 位好友首次下单，奖励 ¥50 现金，确认收货 7 天后可提现，活动时间 即日起 至 2026-12-31 23:59'],
])('rulePreview %#', (r, text) => {
  expect(rulePreview(r as never, 7)).toBe(text);
});

test.each([
  [rule({}), 4990, []],
  [rule({}), 2000, ['奖励 ¥50 超过触发订单金额 ¥60 的一半，请确认毛利够用']],
  [rule({}), 1000, ['奖励 ¥50 高于触发它的订单金额 ¥30（3 单 × ¥10），每次奖励都会亏钱']],
  [rule({ reward: { form: 'points', points: 20000 }, trigger: { kind: 'eachOrder', minOrderFen: f(0) } }), 4990, ['奖励 ¥200 高于触发它的订单金额 ¥49.90（1 单 × ¥49.90），每次奖励都会亏钱']],
  [rule({ reward: { form: 'cash', amountFen: f(0) }, trigger: { kind: 'eachOrder', minOrderFen: f(0), ratioBp: 10000 } }), 1000, ['奖励 ¥10 超过触发订单金额 ¥10 的一半，请确认毛利够用', '返现比例达到 100%，等于免单']],
])('ruleWarnings %#', (r, cheapest, expected) => {
  expect(ruleWarnings(r as never, cheapest, 100)).toEqual(expected);
});

test('campaign preview and warnings', () => {
  const c = { helpersNeeded: 3, durationHours: 24, success: { kind: 'price' as const, priceFen: f(9900), validHours: 48 }, fallback: { kind: 'points' as const, pointsPerHelper: 100 } };
  expect(campaignPreview(c, 16800)).toBe('邀请 3 位好友在 24 小时内助力，可用 ¥99 购买（原价 ¥168）；未成功每位助力好友补偿 100 积分');
  expect(campaignWarnings(c, 16800)).toEqual([]);
  const coupons = { ...c, success: { kind: 'coupon' as const, amountFen: f(2000), minSpendFen: f(9900), validDays: 30 }, fallback: { kind: 'coupon' as const, amountFenPerHelper: f(300), minSpendFen: f(2000), validDays: 7 }, startsAt: '2026-11-30T16:00:00.000Z', endsAt: null };
  expect(campaignPreview(coupons, 16800)).toBe('邀请 3 位好友在 24 小时内助力，得 ¥20 优惠券（满 ¥99 可用）；未成功每位助力好友补偿 ¥3 优惠券（满 ¥20 可用）；活动时间 2026-12-01 00:00 至 长期有效');
  expect(campaignWarnings(c, 9900)).toEqual(['助力价不低于原价，好友助力没有意义']);
  expect(campaignWarnings({ ...c, success: { kind: 'price', priceFen: f(1000), validHours: 1 } }, 16800)).toEqual(['助力价低于原价的一半（省 ¥158），请确认成本']);
});

test('abuse flags: five invitees inside an hour; every buying invitee refunded', () => {
  const at = (min: number) => new Date(Date.UTC(2026, 10, 23, 0, min));
  expect(hasBurst([0, 10, 20, 30, 59].map(at))).toBe(true);
  expect(hasBurst([0, 10, 20, 30, 61].map(at))).toBe(false);
  const inv = (status: 'bound' | 'converted' | 'reversed', conversions: number) => ({ boundAt: at(0), status, conversions });
  expect(abuseFlags([inv('reversed', 1), inv('reversed', 1), inv('bound', 0)])).toEqual(['invitees_refund']);
  expect(abuseFlags([inv('reversed', 1), inv('converted', 1)])).toEqual([]);
  expect(abuseFlags([inv('reversed', 1)])).toEqual([]);
});
