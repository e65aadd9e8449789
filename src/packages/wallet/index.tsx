/**
 * 钱包: cash by bucket (available / frozen until the refund window passes / withdrawing / debt), points, coupons,
 * my withdrawals with 确认收款, and the latest activity (one line per reward, withdrawal, …).
 */
import { Text, View } from '@tarojs/components';
import Taro, { useDidShow, usePullDownRefresh } from '@tarojs/taro';
import { useRef } from 'react';
import { formatFen } from '../../../types/money';
import AppShell from '../../components/AppShell';
import { ErrorState, Loading } from '../../components/PageState';
import { useRemote } from '../../hooks/useRemote';
import { callFunction } from '../../services/cloud';
import { formatDateTime } from '../../utils/format';
import ActivityRow from './components/ActivityRow';
import { useConfirmReceipt } from './components/useConfirmReceipt';
import './index.css';


async function loadWallet() {
  const [summary, withdrawals, entries] = await Promise.all([
    callFunction('wallet', 'summary', {}),
    callFunction('wallet', 'withdrawals', { pageSize: 5 }),
    callFunction('wallet', 'activity', { pageSize: 5 }),
  ]);
  // One line per event (a reward, a withdrawal, …), the latest five.
  return { summary, withdrawals: withdrawals.items, entries: entries.items.slice(0, 5) };
}

const go = (url: string) => () => void Taro.navigateTo({ url });

export default function WalletPage() {
  const wallet = useRemote(loadWallet, []);
  const receipt = useConfirmReceipt(() => void wallet.refresh());
  const shown = useRef(false);

  useDidShow(() => {
    if (shown.current) void wallet.refresh();
    shown.current = true;
  });
  usePullDownRefresh(() => void wallet.refresh().finally(() => Taro.stopPullDownRefresh()));

  if (wallet.state.status === 'loading') return <AppShell className='wallet-page'><Loading /></AppShell>;
  if (wallet.state.status === 'error') {
    return (
      <AppShell className='wallet-page'>
        <ErrorState message={wallet.state.error} onRetry={() => void wallet.reload()} />
      </AppShell>
    );
  }
  const { summary: s, withdrawals, entries } = wallet.state.data;

  return (
    <AppShell className='wallet-page'>
      <View className='wallet-head'>
        <Text className='wallet-head__label'>可提现（元）</Text>
        <Text className='wallet-head__amount wallet-available'>{formatFen(s.cash.availableFen)}</Text>
        <View className='wallet-head__actions'>
          <View className='wallet-head__button wallet-withdraw' onClick={go('/packages/wallet/withdraw/index')}>
            提现
          </View>
        </View>
      </View>

      <View className='card wallet-buckets'>
        <View className='bucket'>
          <View className='row'>
            <Text>冻结中</Text>
            <Text className='bucket__amount wallet-frozen'>{formatFen(s.cash.frozenFen)}</Text>
          </View>
          <Text className='muted bucket__note wallet-unfreeze'>
            {s.nextUnfreezeAt
              ? `最早一笔将于 ${formatDateTime(s.nextUnfreezeAt)} 转为可提现`
              : '好友确认收货并过了退款期后，自动转为可提现；期内退款则取消'}
          </Text>
        </View>
        <View className='bucket'>
          <View className='row'>
            <Text>提现中</Text>
            <Text className='bucket__amount wallet-withdrawing'>{formatFen(s.cash.withdrawingFen)}</Text>
          </View>
        </View>
        {s.cash.debtFen > 0 && (
          <View className='bucket'>
            <View className='row'>
              <Text>待抵扣</Text>
              <Text className='bucket__amount wallet-debt'>{formatFen(s.cash.debtFen)}</Text>
            </View>
            <Text className='muted bucket__note'>退款期后发生的退款所扣回的奖励，将从你之后的奖励中优先抵扣</Text>
          </View>
        )}
        <View className='bucket' onClick={go('/packages/wallet/ledger/index?asset=points')}>
          <View className='row'>
            <Text>积分</Text>
            <Text className='bucket__amount wallet-points'>
              {s.points.available}
              {s.points.frozen > 0 ? `（冻结 ${s.points.frozen}）` : ''}
            </Text>
          </View>
          <Text className='muted bucket__note'>下单时可抵扣，{s.pointsPerYuan} 积分 = ¥1</Text>
        </View>
        <View className='bucket' onClick={go('/packages/wallet/coupons/index')}>
          <View className='row'>
            <Text>优惠券</Text>
            <Text className='bucket__amount wallet-coupons'>
              {s.coupons.available} 张可用{s.coupons.held > 0 ? ` · ${s.coupons.held} 张冻结中` : ''} ›
            </Text>
          </View>
        </View>
      </View>

      {withdrawals.length > 0 && (
        <View className='card withdrawals'>
          <Text className='card__title'>提现记录</Text>
          {withdrawals.map((w) => (
            <View key={w.id} className='withdrawal'>
              <View className='withdrawal__main'>
                <Text className='withdrawal__amount'>{formatFen(w.amountFen)}</Text>
                <Text className='muted'>{formatDateTime(w.createdAt)}</Text>
              </View>
              <View className='withdrawal__side'>
                <Text className={`withdrawal__status withdrawal__status--${w.status}`}>{w.statusText}</Text>
                {w.transfer && (
                  <View className='primary-button withdrawal__confirm' onClick={() => void receipt.start(w)}>
                    确认收款
                  </View>
                )}
                {w.failReason && <Text className='muted'>{w.failReason}</Text>}
              </View>
            </View>
          ))}
        </View>
      )}

      <View className='card recent-entries'>
        <View className='row' onClick={go('/packages/wallet/ledger/index')}>
          <Text className='card__title'>收支明细</Text>
          <Text className='muted'>全部 ›</Text>
        </View>
        {entries.length === 0 ? <Text className='muted'>暂无记录</Text> : entries.map((e) => <ActivityRow key={e.id} item={e} />)}
      </View>
      {receipt.sheet}
    </AppShell>
  );
}
