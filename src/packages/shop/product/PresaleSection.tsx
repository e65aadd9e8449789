/**
 * The product page's 阶梯预售 section: deposit, windows, the tier table with the current tier marked, the next tier and
 * how many more deposits reach it, the forfeit rule up front, then 付定金 (deposit window), 退还定金, and 付尾款 once the
 * final price is set. The shopper's own deposit state is shown here. Renders nothing without an active pre-sale.
 */
import { Text, View } from '@tarojs/components';
import Taro, { useDidShow } from '@tarojs/taro';
import { useEffect, useRef, useState } from 'react';
import type { PresaleView } from '../../../../types/api';
import { formatFen } from '../../../../types/money';
import { useRemote } from '../../../hooks/useRemote';
import { callFunction, errorMessage } from '../../../services/cloud';
import { formatDateTime } from '../../../utils/format';
import { DEPOSIT_STATE_TEXT } from './presaleText';
import { showPayOutcome, usePay, type PayOutcome } from '../components/usePay';


const PHASE_TEXT: Record<PresaleView['phase'], string> = {
  upcoming: '未开始',
  deposit: '定金支付中',
  pricing: '正在确定最终价',
  balance: '尾款支付中',
  closed: '已结束',
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export default function PresaleSection({ productId }: { productId: string }) {
  const remote = useRemote<PresaleView | null>(() => callFunction('shop', 'presale', { productId }).catch(() => null), [productId]);
  const { payPrepared, sheet } = usePay();
  const [busy, setBusy] = useState('');
  // Back on the page (after paying elsewhere, or days later): read the pre-sale again, its phase may have moved on.
  // The section mounts once the product is read, after the page's first show: any show after mounting is a return.
  const mounted = useRef(false);
  useEffect(() => {
    mounted.current = true;
  }, []);
  useDidShow(() => {
    if (mounted.current) void remote.refresh();
  });
  const p = remote.state.status === 'ready' ? remote.state.data : null;
  if (!p) return null;

  /** Poll my deposit until the payment notification moved it on. */
  const settled = (done: (v: PresaleView | null) => boolean) => async (): Promise<PayOutcome> => {
    for (let i = 0; i < 20; i += 1) {
      const v = await callFunction('shop', 'presale', { productId });
      if (done(v)) return 'paid';
      await sleep(500);
    }
    return 'pending';
  };
  const run = async (what: string, task: () => Promise<void>) => {
    if (busy) return;
    setBusy(what);
    try {
      await task();
    } catch (err) {
      void Taro.showToast({ title: errorMessage(err), icon: 'none' });
    } finally {
      setBusy('');
      void remote.refresh();
    }
  };
  const payDeposit = () =>
    run('deposit', async () => {
      const view = await callFunction('shop', 'payDeposit', { productId });
      showPayOutcome(await payPrepared(view, settled((v) => v?.mine?.state === 'paid')));
    });
  const payBalance = () =>
    run('balance', async () => {
      const view = await callFunction('shop', 'payBalance', { productId });
      showPayOutcome(await payPrepared(view, settled((v) => v?.mine?.state === 'completed')));
    });
  const withdraw = () =>
    run('withdraw', async () => {
      const { confirm } = await Taro.showModal({ title: '退还定金', content: '定金将原路全额退还，且不再计入付定金人数。确定退还吗？', confirmText: '退还', cancelText: '再想想' });
      if (!confirm) return;
      await callFunction('shop', 'withdrawDeposit', { productId });
      void Taro.showToast({ title: '定金已退还', icon: 'success' });
    });

  const mine = p.mine;
  const state = mine?.state;
  const canDeposit = p.phase === 'deposit' && (!mine || state === 'pending' || state === 'cancelled' || state === 'withdrawn' || state === 'refused');
  const currentMin = [...p.tiers].reverse().find((t) => p.depositCount >= t.minDeposits)?.minDeposits ?? 0;

  return (
    <View className='card rules product-page__presale'>
      <View className='row'>
        <Text className='card__title'>阶梯预售</Text>
        <Text className='badge presale__phase'>{PHASE_TEXT[p.phase]}</Text>
      </View>
      <Text className='rules__summary presale__summary'>
        定金 {formatFen(p.depositFen)} · 已有 {p.depositCount} 人付定金 · {p.finalPriceFen !== null ? `最终价 ${formatFen(p.finalPriceFen)}` : `当前价 ${formatFen(p.currentPriceFen)}`}
      </Text>
      <Text className={`presale__forfeit${p.forfeitUnpaid ? ' presale__forfeit--warn' : ''}`}>
        {p.forfeitUnpaid ? '注意：逾期未付尾款，定金不退' : '逾期未付尾款，定金原路全额退还'}
      </Text>
      <View className='presale__windows'>
        <Text className='muted'>定金：{formatDateTime(p.startsAt)} 至 {formatDateTime(p.endsAt)}</Text>
        <Text className='muted'>尾款：最终价确定后至 {formatDateTime(p.balanceEndsAt)}</Text>
      </View>
      <View className='presale__tiers'>
        <View className='presale__tier presale__tier--head'>
          <Text>付定金人数</Text>
          <Text>最终价</Text>
        </View>
        <View className={`presale__tier${currentMin === 0 ? ' presale__tier--current' : ''}`}>
          <Text>不足 {p.tiers[0]?.minDeposits ?? 0} 人</Text>
          <Text>{formatFen(p.basePriceFen)}</Text>
        </View>
        {p.tiers.map((t) => (
          <View key={t.minDeposits} className={`presale__tier${currentMin === t.minDeposits ? ' presale__tier--current' : ''}`}>
            <Text>满 {t.minDeposits} 人</Text>
            <Text>{formatFen(t.priceFen)}</Text>
          </View>
        ))}
      </View>
      {p.nextTier && p.phase !== 'closed' && (
        <Text className='presale__next'>
          再有 {p.depositsToNext} 人付定金，价格降到 {formatFen(p.nextTier.priceFen)}
        </Text>
      )}
      {p.rulesText.map((line) => (
        <Text key={line} className='rules__line'>
          {line}
        </Text>
      ))}
      {mine && state !== 'pending' && (
        <View className='presale__mine'>
          <Text className='presale__mine-state'>我的定金：{formatFen(mine.depositFen)} · {DEPOSIT_STATE_TEXT[mine.state]}</Text>
          {mine.balanceFen !== null && state === 'paid' && <Text className='muted'>尾款 {formatFen(mine.balanceFen)}</Text>}
        </View>
      )}
      {canDeposit && (
        <View className='primary-button presale__pay-deposit' onClick={() => void payDeposit()}>
          {busy === 'deposit' ? '处理中…' : `付定金 ${formatFen(p.depositFen)}`}
        </View>
      )}
      {p.phase === 'deposit' && state === 'paid' && (
        <View className='ghost-button presale__withdraw' onClick={() => void withdraw()}>
          {busy === 'withdraw' ? '处理中…' : '退还定金'}
        </View>
      )}
      {p.phase === 'balance' && state === 'paid' && mine?.balanceFen !== null && mine !== null && (
        <View className='primary-button presale__pay-balance' onClick={() => void payBalance()}>
          {busy === 'balance' ? '处理中…' : `付尾款 ${formatFen(mine.balanceFen)}`}
        </View>
      )}
      {sheet}
    </View>
  );
}
