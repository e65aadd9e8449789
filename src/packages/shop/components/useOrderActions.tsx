/** The buyer's order actions (pay, cancel, confirm receipt, refund request) with their sheets, for list and detail. */
import { Input, Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useState } from 'react';
import type { OrderView } from '../../../../types/api';
import { callFunction, errorMessage } from '../../../services/cloud';
import type { OrderAction } from '../orderText';
import { showPayOutcome, usePay } from './usePay';
import { askSubscribe } from '../../../services/subscribe';

export const ACTION_TEXT: Record<OrderAction, string> = { pay: '去支付', cancel: '取消订单', confirm: '确认收货', refund: '申请退款' };

const REASONS = ['不想要了', '商品有质量问题', '与描述不符', '其他'];

/** `onPaid`: the page shows its own 支付成功 state (with next steps) instead of the toast. */
export function useOrderActions(onChanged: (orderId: string) => void, { onPaid }: { onPaid?: (orderId: string) => void } = {}) {
  const { pay, sheet: paySheet } = usePay();
  // One action in flight at a time, and only its own button says so (`<orderId>:<action>`).
  const [busy, setBusy] = useState<string | null>(null);
  const busyWith = (orderId: string, action: OrderAction) => busy === `${orderId}:${action}`;
  const [refundFor, setRefundFor] = useState<OrderView | null>(null);
  const [reason, setReason] = useState('');
  const [refundError, setRefundError] = useState('');

  const guarded = async (order: OrderView, action: OrderAction, task: () => Promise<void>) => {
    if (busy) return;
    setBusy(`${order.id}:${action}`);
    try {
      await task();
    } catch (err) {
      void Taro.showToast({ title: errorMessage(err), icon: 'none' });
    } finally {
      setBusy(null);
      onChanged(order.id);
    }
  };

  const run = (action: OrderAction, order: OrderView) => {
    switch (action) {
      case 'pay':
        return guarded(order, 'pay', async () => {
          const outcome = await pay(order.id);
          if (outcome === 'paid' && onPaid) onPaid(order.id);
          else showPayOutcome(outcome);
        });
      case 'cancel':
        return guarded(order, 'cancel', async () => {
          const { confirm } = await Taro.showModal({ title: '取消订单', content: '确定取消这笔订单吗？优惠券和抵扣的余额、积分会退回。' });
          if (!confirm) return;
          await callFunction('shop', 'cancelOrder', { orderId: order.id });
          void Taro.showToast({ title: '订单已取消', icon: 'none' });
        });
      case 'confirm':
        return guarded(order, 'confirm', async () => {
          const { confirm } = await Taro.showModal({ title: '确认收货', content: '请确认已收到商品。确认后开始计算退款期。' });
          if (!confirm) return;
          await callFunction('shop', 'confirmReceipt', { orderId: order.id });
          void Taro.showToast({ title: '已确认收货', icon: 'success' });
        });
      case 'refund':
        setReason('');
        setRefundError('');
        setRefundFor(order);
        return Promise.resolve();
    }
  };

  const submitRefund = async () => {
    if (!refundFor) return;
    const text = reason.trim();
    if (!text) {
      setRefundError('请选择或填写退款原因');
      return;
    }
    const order = refundFor;
    askSubscribe('refund'); // 退款结果通知, asked inside the tap as WeChat requires; never a gate
    setBusy(`${order.id}:refund`);
    try {
      await callFunction('shop', 'requestRefund', { orderId: order.id, reason: text.slice(0, 200) });
      setRefundFor(null);
      void Taro.showToast({ title: '已提交退款申请，等待商家审核', icon: 'none' });
      onChanged(order.id);
    } catch (err) {
      setRefundError(errorMessage(err));
    } finally {
      setBusy(null);
    }
  };

  const sheets = (
    <>
      {paySheet}
      {refundFor && (
        <View className='sheet-mask refund-sheet'>
          <View className='sheet'>
            <Text className='sheet__title'>申请退款</Text>
            <View className='refund-sheet__reasons'>
              {REASONS.map((r) => (
                <Text key={r} className={`refund-reason${reason === r ? ' refund-reason--on' : ''}`} onClick={() => setReason(r)}>
                  {r}
                </Text>
              ))}
            </View>
            <Input className='refund-sheet__input' value={reason} placeholder='或填写退款原因' maxlength={200} onInput={(e) => setReason(e.detail.value)} />
            <Text className='muted'>退款由商家审核，通过后原路退回；该订单带来的邀请奖励将相应取消。</Text>
            {refundError && <Text className='form-error refund-sheet__error'>{refundError}</Text>}
            <View className='sheet__actions'>
              <View className='ghost-button' onClick={() => setRefundFor(null)}>
                再想想
              </View>
              <View className='primary-button refund-sheet__submit' onClick={() => void submitRefund()}>
                {busy ? '提交中…' : '提交申请'}
              </View>
            </View>
          </View>
        </View>
      )}
    </>
  );

  return { run, busy, busyWith, sheets };
}
