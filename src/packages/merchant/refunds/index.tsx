/** 退款审核: refund requests by status; approve (refunded through the payment provider) or reject with a reason. */
import { Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useState } from 'react';
import type { RefundStatus, RefundView } from '../../../../types/api';
import { formatFen } from '../../../../types/money';
import AppShell from '../../../components/AppShell';
import { Empty, ErrorState, Loading } from '../../../components/PageState';
import { callFunction, errorMessage } from '../../../services/cloud';
import FilterChips from '../components/FilterChips';
import ListFooter from '../components/ListFooter';
import ReasonBox from '../components/ReasonBox';
import { useFilteredList } from '../components/useFilteredList';
import { usePendingIds } from '../components/usePendingIds';
import { timeText } from '../format';
import { REFUND_STATUS_TEXT } from '../statusText';
import '../merchant.css';

type Filter = 'all' | RefundStatus;
const STATUS_TEXT = REFUND_STATUS_TEXT;
const FILTERS: [Filter, string][] = [['requested', '待审核'], ['refunded', '已退款'], ['rejected', '已拒绝'], ['all', '全部']];

export default function RefundsPage() {
  const { list, filter, pick } = useFilteredList<RefundView, Filter>('requested', (f, cursor) =>
    callFunction('merchant', 'listRefunds', { pageSize: 20, ...(f === 'all' ? {} : { status: f }), ...(cursor === undefined ? {} : { cursor }) }),
  );
  const pending = usePendingIds();
  const [rejecting, setRejecting] = useState<string | null>(null);

  const review = (r: RefundView, approve: boolean, note?: string) =>
    pending.run(r.orderId, async () => {
      try {
        const done = await callFunction('merchant', 'reviewRefund', { orderId: r.orderId, approve, ...(note ? { note } : {}) });
        setRejecting(null);
        void Taro.showToast({ title: STATUS_TEXT[done.status], icon: 'none' });
      } catch (err) {
        void Taro.showToast({ title: errorMessage(err), icon: 'none' });
      }
      void list.refresh();
    });

  return (
    <AppShell className='m-page refunds-page'>
      <FilterChips name='refund-filter' value={filter} options={FILTERS} onPick={pick} />
      {list.status === 'loading' && <Loading />}
      {list.status === 'error' && <ErrorState message={list.error} onRetry={() => void list.reload()} />}
      {list.status === 'ready' && list.items.length === 0 && <Empty text='没有这类退款' />}
      {list.items.map((r) => (
        <View key={r.orderId} className='card refund-row'>
          <View className='m-row'>
            <View className='m-row__main'>
              <Text className='m-row__title'>
                订单 {r.orderId} 退款 <Text className='price'>{formatFen(r.amountFen)}</Text>
              </Text>
              <Text className='m-row__sub'>
                {timeText(r.requestedAt)} · 原因：{r.reason} · {STATUS_TEXT[r.status]}
                {r.merchantNote ? ` · 备注：${r.merchantNote}` : ''}
              </Text>
            </View>
          </View>
          {r.status === 'requested' && rejecting !== r.orderId && (
            <View className='m-actions'>
              <Text className={`m-btn m-btn--primary refund-approve${pending.busy(r.orderId) ? ' primary-button--disabled' : ''}`} onClick={() => void review(r, true)}>
                {pending.busy(r.orderId) ? '提交中…' : '同意退款'}
              </Text>
              <Text className='m-btn m-btn--danger refund-reject' onClick={() => setRejecting(r.orderId)}>
                拒绝
              </Text>
            </View>
          )}
          {rejecting === r.orderId && <ReasonBox placeholder='拒绝原因（用户可见）' confirmText='确认拒绝' busy={pending.busy(r.orderId)} onConfirm={(n) => void review(r, false, n)} onCancel={() => setRejecting(null)} />}
        </View>
      ))}
      <ListFooter list={list} />
    </AppShell>
  );
}
