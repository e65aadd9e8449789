/**
 * 提现: amount (limits shown), a confirmation, then available → withdrawing on the server. The merchant reviews it;
 * once approved the user confirms receipt in WeChat (确认收款) from the wallet page.
 */
import { Input, Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useRef, useState } from 'react';
import { formatFen, parseYuan, yuanText } from '../../../../types/money';
import AppShell from '../../../components/AppShell';
import { ErrorState, Loading } from '../../../components/PageState';
import { useRemote } from '../../../hooks/useRemote';
import { callFunction, errorMessage } from '../../../services/cloud';
import { askSubscribe } from '../../../services/subscribe';
import { newRequestId } from '../../../utils/format';
import './index.css';


export default function WithdrawPage() {
  const summary = useRemote(() => callFunction('wallet', 'summary', {}), []);
  const [amount, setAmount] = useState('');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const intent = useRef<{ fen: number; id: string } | null>(null);

  if (summary.state.status === 'loading') return <AppShell className='withdraw-page'><Loading /></AppShell>;
  if (summary.state.status === 'error') {
    return (
      <AppShell className='withdraw-page'>
        <ErrorState message={summary.state.error} onRetry={() => void summary.reload()} />
      </AppShell>
    );
  }
  const s = summary.state.data;
  const { minFen, maxFen, dailyCount, usedToday, transferConfirmHours } = s.withdraw;
  const available = s.cash.availableFen;
  const leftToday = Math.max(dailyCount - usedToday, 0);

  const submit = async () => {
    if (busy) return;
    const fen = parseYuan(amount);
    if (fen === null || fen <= 0) return setError('请输入正确的金额，最多两位小数');
    if (fen < minFen) return setError(`最低提现 ${formatFen(minFen)}`);
    if (fen > maxFen) return setError(`单笔最多提现 ${formatFen(maxFen)}`);
    if (fen > available) return setError(`可提现余额不足（可提现 ${formatFen(available)}）`);
    if (leftToday <= 0) return setError('今日提现次数已用完，请明天再来');
    setError('');
    askSubscribe('withdraw'); // inside the tap, as WeChat requires; the answer changes nothing here
    const { confirm } = await Taro.showModal({
      title: '确认提现',
      content: `提现 ${formatFen(fen)} 到微信零钱。商家审核通过后，需要你在钱包中点“确认收款”。`,
      confirmText: '确认提现',
    });
    if (!confirm) return;
    // One requestId per intent: a second tap (or a retry after a lost answer) withdraws once.
    if (!intent.current || intent.current.fen !== fen) intent.current = { fen, id: newRequestId() };
    setBusy(true);
    try {
      await callFunction('wallet', 'withdraw', { amountFen: fen, requestId: intent.current.id });
      intent.current = null;
      void Taro.showToast({ title: '已提交，等待商家审核', icon: 'none' });
      await Taro.redirectTo({ url: '/packages/wallet/index' });
    } catch (err) {
      setError(errorMessage(err));
      void summary.refresh();
    } finally {
      setBusy(false);
    }
  };

  return (
    <AppShell className='withdraw-page'>
      <View className='card withdraw-card'>
        <Text className='card__label'>提现金额（元）</Text>
        <View className='withdraw-input-row'>
          <Text className='withdraw-yuan'>¥</Text>
          <Input className='withdraw-input' type='digit' value={amount} placeholder='0.00' onInput={(e) => setAmount(e.detail.value)} />
        </View>
        <View className='row'>
          <Text className='muted withdraw-available'>可提现 {formatFen(available)}</Text>
          <Text className='link withdraw-all' onClick={() => setAmount(yuanText(available))}>
            全部提现
          </Text>
        </View>
        {error && <Text className='form-error withdraw-error'>{error}</Text>}
        <View className={`primary-button withdraw-submit${busy ? ' primary-button--disabled' : ''}`} onClick={() => void submit()}>
          {busy ? '提交中…' : '提现到微信零钱'}
        </View>
      </View>
      <View className='card withdraw-rules'>
        <Text className='card__title'>提现说明</Text>
        <Text className='rules__line withdraw-limits'>
          单笔最低 {formatFen(minFen)}，最高 {formatFen(maxFen)}；每天最多 {dailyCount} 次，今日还可提现 {leftToday} 次。
        </Text>
        <Text className='rules__line'>提交后金额转为“提现中”，商家审核通过后转账到你的微信零钱，需要你在钱包中确认收款。</Text>
        <Text className='rules__line withdraw-confirm-hours'>审核未通过、转账失败或 {transferConfirmHours} 小时内未确认收款，金额退回可提现余额。</Text>
      </View>
    </AppShell>
  );
}
