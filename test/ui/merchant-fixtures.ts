/** Mock answers for the merchant pages' ui tests, typed by the contract. */
import type { DashboardView, Me } from '../../types/api';
import { fen } from '../../types/money';
import { me } from './fixtures';

export const merchantMe = (): Me => me({ openid: 'demo-merchant', nickname: '店长', roles: ['shopper', 'merchant'] });

export function dashboard(range: DashboardView['range'] = '7d'): DashboardView {
  const days = range === 'today' ? ['2026-11-23'] : Array.from({ length: range === '7d' ? 7 : 30 }, (_, i) => `2026-11-${String(24 - (range === '7d' ? 7 : 30) + i).padStart(2, '0')}`.replace('2026-11--', '2026-10-'));
  const n = days.length;
  const ramp = (k: number) => days.map((_, i) => (i === n - 1 ? k : Math.floor((k * i) / n)));
  return {
    range,
    days,
    series: {
      newUsers: ramp(8),
      activeUsers: ramp(12),
      invitedUsers: ramp(5),
      orders: ramp(6),
      gmvFen: ramp(60000),
      rebateCostFen: ramp(5000),
      assistStarted: ramp(2),
      assistSucceeded: ramp(1),
      assistExpired: ramp(0),
    },
    totals: {
      newUsers: 21,
      activeUsersAvg: 7,
      invitedUsers: 12,
      orders: 17,
      gmvFen: fen(168000),
      paidFen: fen(150000),
      refunds: 1,
      refundFen: fen(9900),
      rebates: { cash: { count: 2, amount: 10000, costFen: fen(10000) }, coupon: { count: 1, amount: 1000, costFen: fen(1000) }, points: { count: 3, amount: 300, costFen: fen(300) }, costFen: fen(11300) },
      assist: { started: 4, succeeded: 2, expired: 1 },
      messages: { sent: 9, capped: 3, failed: 2, dead: 1 },
    },
    rebateBalances: { frozen: { cashFen: fen(5000), couponFen: fen(0), points: 100 }, available: { cashFen: fen(5000), couponFen: fen(1000), points: 200 } },
    // 30 days hold more than 7 (every chart differs between the ranges, so a range switch redraws all six).
    funnel: [
      { key: 'cardOpens', label: '打开分享卡片', count: range === '30d' ? 80 : 40, rateBp: null },
      { key: 'cardLogins', label: '从卡片登录', count: range === '30d' ? 40 : 20, rateBp: 5000 },
      { key: 'bound', label: '绑定邀请关系', count: 15, rateBp: range === '30d' ? 3750 : 7500 },
      { key: 'converted', label: '首次下单', count: 6, rateBp: 4000 },
      { key: 'confirmed', label: '过退款期确认', count: 3, rateBp: 5000 },
    ],
    pointsPerYuan: 100,
    asOf: '2026-11-23T10:00:00.000Z',
  };
}
