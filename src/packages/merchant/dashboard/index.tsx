/**
 * 看板: today / 7 days / 30 days — users, orders and GMV, rebates and their cost, assist tasks, the referral
 * funnel, and how the subscribe messages fared (sent, held back by the daily cap, failed attempts, given up).
 * Numbers come from the pre-aggregated day counters (one read per shard of each day shown).
 */
import { Text, View } from '@tarojs/components';
import Taro, { usePullDownRefresh } from '@tarojs/taro';
import { useState } from 'react';
import type { DashboardView, StatsRange } from '../../../../types/api';
import { formatFen } from '../../../../types/money';
import AppShell from '../../../components/AppShell';
import { ErrorState, Loading } from '../../../components/PageState';
import { useRemote } from '../../../hooks/useRemote';
import { callFunction } from '../../../services/cloud';
import ChartImage from '../charts/ChartImage';
import { COLORS, drawFunnel, drawLineChart, funnelHeight, percent, type Series } from '../charts/draw';
import { avgCountText, timeText } from '../format';
import { yuan } from '../rulePreview';
import '../merchant.css';

const RANGES: { key: StatsRange; label: string }[] = [
  { key: 'today', label: '今天' },
  { key: '7d', label: '近 7 天' },
  { key: '30d', label: '近 30 天' },
];
const W = 670;
const H = 360;

const shortDay = (d: string) => d.slice(5);
const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

function peak(days: string[], values: number[], fmt: (v: number) => string): string {
  if (!values.length || Math.max(...values) === 0) return '这段时间还没有数据';
  const i = values.indexOf(Math.max(...values));
  return `合计 ${fmt(sum(values))}，最高 ${shortDay(days[i])} ${fmt(values[i])}`;
}

function Line({ d, series, format, name, integer = false }: { d: DashboardView; series: Series[]; format?: (v: number) => string; name: string; integer?: boolean }) {
  const fmt = format ?? String;
  return (
    <ChartImage
      className={`chart--${name}`}
      width={W}
      height={H}
      dataKey={JSON.stringify([name, d.days, series.map((s) => s.values)])}
      draw={(ctx) => drawLineChart(ctx, { width: W, height: H, labels: d.days.map(shortDay), series, format, integer })}
      summary={series.every((s) => s.values.every((v) => v === 0)) ? '这段时间还没有数据' : series.map((s) => `${s.name}：${peak(d.days, s.values, fmt)}`).join('；')}
    />
  );
}

function Kpi({ label, value, name }: { label: string; value: string; name: string }) {
  return (
    <View className={`kpi kpi--${name}`}>
      <Text className='kpi__value'>{value}</Text>
      <Text className='kpi__label'>{label}</Text>
    </View>
  );
}

function RebateSplit({ d }: { d: DashboardView }) {
  const r = d.totals.rebates;
  const parts = [
    { key: 'cash', label: '现金', fen: r.cash.costFen, color: COLORS[0] },
    { key: 'coupon', label: '优惠券', fen: r.coupon.costFen, color: COLORS[1] },
    { key: 'points', label: '积分', fen: r.points.costFen, color: COLORS[3] },
  ];
  const total = Math.max(1, r.costFen);
  const b = d.rebateBalances;
  return (
    <View className='card rebate-card'>
      <Text className='card__title'>返利成本 {formatFen(r.costFen)}</Text>
      <View className='split'>
        {parts.map((p) => (
          <View key={p.key} className='split__part' style={{ width: `${(p.fen * 100) / total}%`, background: p.color }} />
        ))}
      </View>
      <View className='legend'>
        {parts.map((p) => (
          <Text key={p.key} className={`legend__item rebate-${p.key}`}>
            <Text className='legend__dot' style={{ background: p.color }} />
            {p.label} {formatFen(p.fen)}（{r[p.key as 'cash'].count} 笔）
          </Text>
        ))}
      </View>
      <Text className='card__hint'>这段时间发放且未作废的返利（退款作废的不计）；积分按 {d.pointsPerYuan} 积分 = ¥1 折算成本，共 {r.points.amount} 积分。</Text>
      <View className='m-row rebate-balances'>
        <View className='m-row__main'>
          <Text className='m-row__title'>冻结中（退款期内）</Text>
          <Text className='m-row__sub'>
            现金 {formatFen(b.frozen.cashFen)} · 券 {formatFen(b.frozen.couponFen)} · 积分 {b.frozen.points}
          </Text>
        </View>
      </View>
      <View className='m-row'>
        <View className='m-row__main'>
          <Text className='m-row__title'>已解冻可用</Text>
          <Text className='m-row__sub'>
            现金 {formatFen(b.available.cashFen)} · 券 {formatFen(b.available.couponFen)} · 积分 {b.available.points}
          </Text>
        </View>
      </View>
    </View>
  );
}

export default function DashboardPage() {
  const [range, setRange] = useState<StatsRange>('7d');
  const stats = useRemote(() => callFunction('merchant', 'stats', { range }), [range]);
  usePullDownRefresh(() => void stats.refresh().finally(() => Taro.stopPullDownRefresh()));
  const d = stats.state.status === 'ready' ? stats.state.data : null;

  return (
    <AppShell className='m-page dashboard-page'>
      <Text className='m-btn dashboard-reports' onClick={() => void Taro.navigateTo({ url: '/packages/merchant/reports/index' })}>
        自选日期的报表（商品销售、邀请排行、导出表格）→
      </Text>
      <View className='m-tabs'>
        {RANGES.map((r) => (
          <Text key={r.key} className={`m-tab range-${r.key}${range === r.key ? ' m-tab--on' : ''}`} onClick={() => setRange(r.key)}>
            {r.label}
          </Text>
        ))}
      </View>
      {stats.state.status === 'loading' && <Loading />}
      {stats.state.status === 'error' && <ErrorState message={stats.state.error} onRetry={() => void stats.reload()} />}
      {d && (
        <View>
          <View className='card'>
            <View className='kpis'>
              <Kpi name='orders' label='支付订单' value={String(d.totals.orders)} />
              <Kpi name='gmv' label='成交额' value={yuan(d.totals.gmvFen)} />
              <Kpi name='refunds' label='退款' value={`${d.totals.refunds} 单`} />
              <Kpi name='new-users' label='新用户' value={String(d.totals.newUsers)} />
              <Kpi name='active-users' label='日均活跃' value={avgCountText(d.totals.activeUsersAvg)} />
              <Kpi name='invited-users' label='邀请来的新用户' value={String(d.totals.invitedUsers)} />
            </View>
          </View>

          <View className='card funnel-card'>
            <Text className='card__title'>邀请转化漏斗</Text>
            <ChartImage
              className='chart--funnel'
              width={W}
              height={funnelHeight(d.funnel.length)}
              dataKey={JSON.stringify(d.funnel)}
              draw={(ctx) => drawFunnel(ctx, d.funnel, W)}
              summary={d.funnel.map((s, i) => `${s.label} ${s.count}${i ? `（${percent(s.rateBp)}）` : ''}`).join(' → ')}
            />
          </View>

          <View className='card'>
            <Text className='card__title'>订单与成交额</Text>
            <Line d={d} name='orders' integer series={[{ name: '订单', color: COLORS[0], values: d.series.orders }]} format={(v) => `${v}`} />
            <Line d={d} name='gmv' series={[{ name: '成交额', color: COLORS[1], values: d.series.gmvFen }]} format={(v) => yuan(v)} />
          </View>

          <View className='card'>
            <Text className='card__title'>用户</Text>
            <Line
              d={d}
              name='users'
              integer
              series={[
                // 日活 first (underneath), the new and invited users dashed on top, so neither hides the other
                { name: '日活', color: COLORS[1], values: d.series.activeUsers },
                { name: '新用户', color: COLORS[0], values: d.series.newUsers, dash: [10, 6] },
                { name: '邀请来的', color: COLORS[2], values: d.series.invitedUsers, dash: [3, 5] },
              ]}
            />
          </View>

          <RebateSplit d={d} />
          <View className='card'>
            <Text className='card__title'>每日返利成本</Text>
            <Line d={d} name='rebate-cost' series={[{ name: '返利成本', color: COLORS[3], values: d.series.rebateCostFen }]} format={(v) => yuan(v)} />
          </View>

          <View className='card assist-card'>
            <Text className='card__title'>
              助力：发起 {d.totals.assist.started} · 成功 {d.totals.assist.succeeded} · 过期 {d.totals.assist.expired}
            </Text>
            <Line
              d={d}
              name='assist'
              integer
              series={[
                { name: '发起', color: COLORS[1], values: d.series.assistStarted },
                { name: '成功', color: COLORS[2], values: d.series.assistSucceeded, dash: [10, 6] },
                { name: '过期', color: COLORS[4], values: d.series.assistExpired, dash: [3, 5] },
              ]}
            />
          </View>
          <View className='card messages-card'>
            <Text className='card__title'>订阅消息送达</Text>
            <View className='kpis'>
              <Kpi name='msg-sent' label='已送达' value={String(d.totals.messages.sent)} />
              <Kpi name='msg-capped' label='每日限一条，未发' value={String(d.totals.messages.capped)} />
              <Kpi name='msg-failed' label='发送失败（会重试）' value={`${d.totals.messages.failed} 次`} />
              <Kpi name='msg-dead' label='放弃发送' value={String(d.totals.messages.dead)} />
            </View>
            <Text className='card__hint'>同一用户同类消息每天最多一条；发送失败按 1、2、4、8 分钟重试，多次失败或用户未订阅则放弃。</Text>
          </View>
          <View className='list-footer'>数据截至 {timeText(d.asOf)}，下拉刷新</View>
        </View>
      )}
    </AppShell>
  );
}
