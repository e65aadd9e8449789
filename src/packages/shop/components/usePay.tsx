/**
 * The pay step. weapp: WeChat Pay's sheet (`requestPayment` with the server's params). Browser: the local payment
 * system's confirmation sheet, which POSTs the trade to the local cloud; it then notifies the shop as WeChat would.
 * Either way the order is paid only when the server says so: we poll the order until the notification lands.
 */
import { Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useCallback, useState } from 'react';
import type { PayView } from '../../../../types/api';
import { formatFen } from '../../../../types/money';
import { CloudError, callFunction, errorMessage } from '../../../services/cloud';
import { postLocalProvider } from '../../../services/localProvider';

/** `closed`: the shopper paid, but the order had closed (timed out, or its 拼团 ended): the server refunds it. */
export type PayOutcome = 'paid' | 'cancelled' | 'pending' | 'closed';

/** What a prepared payment needs to be confirmed (an order's PayView, a pre-sale's deposit or balance). */
export type PreparedPay = Pick<PayView, 'provider' | 'outTradeNo' | 'payableFen' | 'local' | 'wechat'>;

interface SheetState {
  view: PreparedPay;
  resolve: (confirmed: boolean) => void;
  busy: boolean;
  error: string;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Order states after a payment the server accepted; any other state it left is a close (the payment goes back). */
export const PAID_STATUSES: ReadonlySet<string> = new Set(['paid', 'shipped', 'received']);

async function waitUntilPaid(orderId: string): Promise<PayOutcome> {
  for (let i = 0; i < 20; i += 1) {
    const order = await callFunction('shop', 'getOrder', { orderId });
    if (PAID_STATUSES.has(order.status)) return 'paid';
    if (order.status !== 'pending_payment') return 'closed';
    await sleep(500);
  }
  return 'pending';
}

async function wechatPay(view: PreparedPay): Promise<boolean> {
  const p = view.wechat;
  if (!p) throw new CloudError('PAYMENT_FAILED');
  try {
    await Taro.requestPayment({ timeStamp: p.timeStamp, nonceStr: p.nonceStr, package: p.package, signType: p.signType as 'RSA', paySign: p.paySign });
    return true;
  } catch (err) {
    const msg = String((err as { errMsg?: string })?.errMsg ?? '');
    if (msg.includes('cancel')) return false;
    throw new CloudError('PAYMENT_FAILED');
  }
}

export function usePay() {
  const [sheet, setSheet] = useState<SheetState | null>(null);

  /** Confirm an already prepared payment, then wait (`settled`) until the server says it landed. */
  const payPrepared = useCallback(async (view: PreparedPay, settled: () => Promise<PayOutcome>): Promise<PayOutcome> => {
    const confirmed =
      view.provider === 'wechat'
        ? await wechatPay(view)
        : await new Promise<boolean>((resolve) => setSheet({ view, resolve, busy: false, error: '' }));
    if (!confirmed) return 'cancelled';
    return settled();
  }, []);

  const pay = useCallback(
    async (orderId: string): Promise<PayOutcome> => payPrepared(await callFunction('shop', 'pay', { orderId }), () => waitUntilPaid(orderId)),
    [payPrepared],
  );

  const confirmLocal = async () => {
    if (!sheet || sheet.busy) return;
    setSheet({ ...sheet, busy: true, error: '' });
    try {
      await postLocalProvider(sheet.view.local?.confirmPath ?? '/__pay/confirm', { outTradeNo: sheet.view.outTradeNo });
      setSheet(null);
      sheet.resolve(true);
    } catch (err) {
      setSheet({ ...sheet, busy: false, error: errorMessage(err) });
    }
  };
  const cancelLocal = () => {
    if (!sheet || sheet.busy) return;
    setSheet(null);
    sheet.resolve(false);
  };

  const element = sheet ? (
    <View className='sheet-mask pay-sheet'>
      <View className='sheet'>
        <Text className='sheet__title'>确认支付</Text>
        <Text className='pay-sheet__amount price'>{formatFen(sheet.view.payableFen)}</Text>
        <Text className='muted pay-sheet__hint'>本地支付系统（模拟微信支付，不产生真实扣款）</Text>
        {sheet.error && <Text className='pay-sheet__error error-message'>{sheet.error}</Text>}
        <View className='sheet__actions'>
          <View className='ghost-button pay-sheet__cancel' onClick={cancelLocal}>
            取消
          </View>
          <View className='primary-button pay-sheet__confirm' onClick={() => void confirmLocal()}>
            {sheet.busy ? '支付中…' : '确认支付'}
          </View>
        </View>
      </View>
    </View>
  ) : null;

  return { pay, payPrepared, sheet: element };
}

/** After `pay`: tell the shopper what happened. */
export function showPayOutcome(outcome: PayOutcome) {
  if (outcome === 'paid') void Taro.showToast({ title: '支付成功', icon: 'success' });
  else if (outcome === 'pending') void Taro.showToast({ title: '支付结果确认中，请稍后在订单中查看', icon: 'none' });
  else if (outcome === 'closed') void Taro.showToast({ title: '订单已关闭，已付款项将原路退回', icon: 'none' });
  else void Taro.showToast({ title: '已取消支付，可在订单中继续支付', icon: 'none' });
}
