/**
 * 报表: a range of Beijing-time days (default the last 30), sales per product (units, paid, refunded) and the top
 * inviters (friends who bought, rebate cost); 导出表格 hands the same numbers over as a CSV file for Excel.
 */
import { Picker, Text, View } from '@tarojs/components';
import Taro, { usePullDownRefresh } from '@tarojs/taro';
import { useState } from 'react';
import { REPORT_MAX_DAYS } from '../../../../types/api';
import { formatFen } from '../../../../types/money';
import { lastDays, reportRange } from '../../../../types/reportRange';
import AppShell from '../../../components/AppShell';
import { ErrorState, Loading } from '../../../components/PageState';
import { useRemote } from '../../../hooks/useRemote';
import { callFunction } from '../../../services/cloud';
import { usePendingIds } from '../components/usePendingIds';
import { reportCsv, reportFileName } from '../reportCsv';
import { saveCsv } from './saveCsv';
import '../merchant.css';

/** Is `range` the shortcut 近 n 天 (ending today)? Then its chip is on. */
function isLast(range: { startDay: string; endDay: string }, n: number): boolean {
  const last = lastDays(new Date(), n);
  return last.startDay === range.startDay && last.endDay === range.endDay;
}

export default function ReportsPage() {
  const [range, setRange] = useState(() => lastDays(new Date()));
  const valid = reportRange(range.startDay, range.endDay) !== null;
  const report = useRemote(() => callFunction('merchant', 'salesReport', range), [range.startDay, range.endDay], valid);
  usePullDownRefresh(() => void report.refresh().finally(() => Taro.stopPullDownRefresh()));
  const pending = usePendingIds();
  const r = valid && report.state.status === 'ready' ? report.state.data : null;

  const exportCsv = () => {
    if (!r) return;
    void pending.run('export', async () => {
      try {
        if (await saveCsv(reportFileName(r), reportCsv(r))) void Taro.showToast({ title: '表格已导出', icon: 'none' });
      } catch (err) {
        void Taro.showToast({ title: err instanceof Error ? err.message : '导出失败，请稍后再试', icon: 'none' });
      }
    });
  };

  return (
    <AppShell className='m-page reports-page'>
      <View className='card report-range'>
        <Text className='card__title'>日期（北京时间，含首尾两天）</Text>
        <View className='report-range__row'>
          <Picker mode='date' value={range.startDay} end={range.endDay} className='report-start' onChange={(e) => setRange({ ...range, startDay: String(e.detail.value) })}>
            <Text className='m-btn report-start__text'>{range.startDay}</Text>
          </Picker>
          <Text className='muted'>至</Text>
          <Picker mode='date' value={range.endDay} start={range.startDay} className='report-end' onChange={(e) => setRange({ ...range, endDay: String(e.detail.value) })}>
            <Text className='m-btn report-end__text'>{range.endDay}</Text>
          </Picker>
        </View>
        <View className='m-actions'>
          {[7, 30, 90].map((n) => (
            <Text key={n} className={`m-chip report-last-${n}${isLast(range, n) ? ' m-chip--on' : ''}`} onClick={() => setRange(lastDays(new Date(), n))}>
              近 {n} 天
            </Text>
          ))}
        </View>
        {!valid && <Text className='warning report-range__error'>结束日期不能早于开始日期，最长 {REPORT_MAX_DAYS} 天</Text>}
      </View>

      {valid && report.state.status === 'loading' && <Loading />}
      {valid && report.state.status === 'error' && <ErrorState message={report.state.error} onRetry={() => void report.reload()} />}
      {r && (
        <View>
          <View className='card report-totals'>
            <Text className='card__title'>
              {r.startDay} 至 {r.endDay}（{r.days} 天）
            </Text>
            <Text className='m-row__sub report-totals__line'>
              支付订单 {r.totals.orders} · 销量 {r.totals.units} 件 · 实付 {formatFen(r.totals.paidFen)} · 退款 {formatFen(r.totals.refundedFen)}
            </Text>
            <View className='m-actions'>
              <Text className={`m-btn m-btn--primary report-export${pending.busy('export') ? ' primary-button--disabled' : ''}`} onClick={exportCsv}>
                {process.env.TARO_ENV === 'weapp' ? '导出表格（发送到聊天）' : '导出表格（CSV）'}
              </Text>
            </View>
          </View>

          <View className='card'>
            <Text className='card__title'>商品销售</Text>
            {r.products.length === 0 && <Text className='muted'>这段时间没有成交</Text>}
            {r.products.map((p) => (
              <View key={p.productId} className='m-row report-product-row'>
                <View className='m-row__main'>
                  <Text className='m-row__title'>{p.title}</Text>
                  <Text className='m-row__sub'>
                    销量 {p.units} 件 · 退款 {formatFen(p.refundedFen)}
                  </Text>
                </View>
                <Text className='price report-product-row__paid'>{formatFen(p.paidFen)}</Text>
              </View>
            ))}
            <Text className='card__hint'>实付按订单实付金额（已扣优惠券、余额和积分）分摊到各商品；退款按退款完成的日期计入。</Text>
          </View>

          <View className='card'>
            <Text className='card__title'>邀请排行</Text>
            {r.inviters.length === 0 && <Text className='muted'>这段时间没有好友通过邀请下单</Text>}
            {r.inviters.map((i, n) => (
              <View key={i.openid} className='m-row report-inviter-row' onClick={() => void Taro.navigateTo({ url: `/packages/merchant/user/index?openid=${i.openid}` })}>
                <View className='m-row__main'>
                  <Text className='m-row__title'>
                    {n + 1}. {i.nickname || i.openid}
                  </Text>
                  <Text className='m-row__sub'>成交好友 {i.converted} 人</Text>
                </View>
                <Text className='muted report-inviter-row__cost'>返利 {formatFen(i.rebateCostFen)}</Text>
              </View>
            ))}
            <Text className='card__hint'>成交好友：首单在这段时间支付且未退款；返利成本：这段时间发放且未作废的返利，积分按 {r.pointsPerYuan} 积分 = ¥1 折算。</Text>
          </View>
        </View>
      )}
    </AppShell>
  );
}
