/**
 * 提现审核: withdrawals by status; approve (the transfer starts, after a confirmation naming the amount, the user, their
 * debt and their friends' open refunds) or reject with a reason (the money returns, paying any debt first).
 */
import { Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useState } from 'react';
import type { MerchantWithdrawalView } from '../../../../types/api';
import type { WithdrawalStatus } from '../../../../types/modules/referral.models';
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
import '../merchant.css';

type Filter = 'all' | WithdrawalStatus;
const FILTERS: [Filter, string][] = [['pending', '待审核'], ['transferring', '转账中'], ['paid', '已到账'], ['rejected', '已拒绝'], ['all', '全部']];

export default function WithdrawalsPage() {
  const { list, filter, pick } = useFilteredList<MerchantWithdrawalView, Filter>('pending', (f, cursor) =>
    callFunction('merchant', 'listWithdrawals', { pageSize: 20, ...(f === 'all' ? {} : { status: f }), ...(cursor === undefined ? {} : { cursor }) }),
  );
  const pending = usePendingIds();
  const [rejecting, setRejecting] = useState<string | null>(null);

  const confirmApproval = async (w: MerchantWithdrawalView) => {
    if (pending.busy(w.id)) return;
    const { confirm } = await Taro.showModal({
      title: '确认转账',
      content: [
        `向 ${w.nickname || w.userId} 转账 ${formatFen(w.amountFen)} 到微信零钱。`,
        w.debtFen > 0 ? `该用户有待抵扣 ${formatFen(w.debtFen)}（已追回的奖励），有欠款时不能通过，请拒绝后由用户重新申请。` : '',
        w.openRefunds > 0 ? `其邀请的好友有 ${w.openRefunds} 笔退款待处理，相关奖励可能被追回。` : '',
      ]
        .filter(Boolean)
        .join('\n'),
      confirmText: '确认转账',
    });
    if (confirm) await review(w, true);
  };

  const review = (w: MerchantWithdrawalView, approve: boolean, note?: string) =>
    pending.run(w.id, async () => {
      try {
        const done = await callFunction('merchant', 'reviewWithdrawal', { withdrawalId: w.id, approve, ...(note ? { note } : {}) });
        setRejecting(null);
        void Taro.showToast({ title: approve ? `已通过：${done.statusText}` : '已拒绝，金额已退回', icon: 'none' });
        void list.refresh();
      } catch (err) {
        void Taro.showToast({ title: errorMessage(err), icon: 'none' });
        void list.refresh();
      }
    });

  return (
    <AppShell className='m-page withdrawals-page'>
      <FilterChips name='withdrawal-filter' value={filter} options={FILTERS} onPick={pick} />
      {list.status === 'loading' && <Loading />}
      {list.status === 'error' && <ErrorState message={list.error} onRetry={() => void list.reload()} />}
      {list.status === 'ready' && list.items.length === 0 && <Empty text='没有这类提现' />}
      {list.items.map((w) => (
        <View key={w.id} className='card withdrawal-row'>
          <View className='m-row'>
            <View className='m-row__main'>
              <Text className='m-row__title'>
                {w.nickname || w.userId} 申请提现 <Text className='price'>{formatFen(w.amountFen)}</Text>
              </Text>
              <Text className='m-row__sub'>
                {timeText(w.createdAt)} · {w.statusText}
                {w.reviewNote ? ` · 备注：${w.reviewNote}` : ''}
              </Text>
              {w.status === 'pending' && (w.debtFen > 0 || w.openRefunds > 0) && (
                <Text className='m-row__sub withdrawal-risk'>
                  {w.debtFen > 0 ? `待抵扣 ${formatFen(w.debtFen)}` : ''}
                  {w.debtFen > 0 && w.openRefunds > 0 ? ' · ' : ''}
                  {w.openRefunds > 0 ? `好友退款待处理 ${w.openRefunds} 笔` : ''}
                </Text>
              )}
            </View>
          </View>
          {w.status === 'pending' && rejecting !== w.id && (
            <View className='m-actions'>
              <Text className={`m-btn m-btn--primary withdrawal-approve${pending.busy(w.id) ? ' primary-button--disabled' : ''}`} onClick={() => void confirmApproval(w)}>
                {pending.busy(w.id) ? '提交中…' : '通过并转账'}
              </Text>
              <Text className='m-btn m-btn--danger withdrawal-reject' onClick={() => setRejecting(w.id)}>
                拒绝
              </Text>
            </View>
          )}
          {rejecting === w.id && <ReasonBox placeholder='拒绝原因（用户可见）' confirmText='确认拒绝' busy={pending.busy(w.id)} onConfirm={(r) => void review(w, false, r)} onCancel={() => setRejecting(null)} />}
        </View>
      ))}
      <ListFooter list={list} />
    </AppShell>
  );
}
