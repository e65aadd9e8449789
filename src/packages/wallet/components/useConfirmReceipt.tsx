/**
 * 确认收款 for a withdrawal the merchant approved: weapp opens WeChat's confirm page (`wx.requestMerchantTransfer`
 * with the transfer's package); the browser shows the local payout provider's sheet. Then `wallet.confirmTransfer`
 * lets the server check the bill with the provider and mark the withdrawal paid.
 */
import { Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useState } from 'react';
import type { WithdrawalView } from '../../../../types/api';
import { formatFen } from '../../../../types/money';
import { CloudError, callFunction, errorMessage } from '../../../services/cloud';

type MerchantTransfer = (options: { mchId: string; appId: string; package: string; success: () => void; fail: (err: { errMsg?: string }) => void }) => void;

/** The bill's merchant id, appid and package come from the server, which made the bill with them. */
function requestMerchantTransfer(transfer: NonNullable<WithdrawalView['transfer']>): Promise<boolean> {
  const wxApi = (globalThis as unknown as { wx?: { requestMerchantTransfer?: MerchantTransfer } }).wx;
  if (!wxApi?.requestMerchantTransfer) return Promise.reject(new CloudError('PAYOUT_UNAVAILABLE', '请升级微信到最新版本后再确认收款'));
  return new Promise((resolve, reject) => {
    wxApi.requestMerchantTransfer!({
      mchId: transfer.mchId,
      appId: transfer.appId || Taro.getAccountInfoSync().miniProgram.appId,
      package: transfer.packageInfo,
      success: () => resolve(true),
      fail: (err) => (String(err?.errMsg ?? '').includes('cancel') ? resolve(false) : reject(new CloudError('PAYOUT_UNAVAILABLE'))),
    });
  });
}

export function useConfirmReceipt(onDone: (w: WithdrawalView) => void) {
  const [sheet, setSheet] = useState<{ w: WithdrawalView; busy: boolean; error: string } | null>(null);

  const confirmOnServer = async (w: WithdrawalView) => {
    const after = await callFunction('wallet', 'confirmTransfer', { withdrawalId: w.id });
    void Taro.showToast({ title: after.status === 'paid' ? '已到账微信零钱' : after.statusText, icon: 'none' });
    onDone(after);
  };

  const start = async (w: WithdrawalView) => {
    if (!w.transfer) return;
    if (w.transfer.provider === 'local' || process.env.TARO_ENV !== 'weapp') {
      setSheet({ w, busy: false, error: '' });
      return;
    }
    try {
      if (await requestMerchantTransfer(w.transfer)) await confirmOnServer(w);
    } catch (err) {
      void Taro.showToast({ title: errorMessage(err), icon: 'none' });
    }
  };

  const confirmLocal = async () => {
    if (!sheet || sheet.busy) return;
    setSheet({ ...sheet, busy: true, error: '' });
    try {
      await confirmOnServer(sheet.w);
      setSheet(null);
    } catch (err) {
      setSheet({ ...sheet, busy: false, error: errorMessage(err) });
    }
  };

  const element = sheet ? (
    <View className='sheet-mask transfer-sheet'>
      <View className='sheet'>
        <Text className='sheet__title'>确认收款</Text>
        <Text className='price transfer-sheet__amount'>{formatFen(sheet.w.amountFen)}</Text>
        <Text className='muted transfer-sheet__hint'>推三返一 · 佣金报酬，收款至微信零钱</Text>
        <Text className='muted transfer-sheet__hint'>本地转账系统（模拟微信商家转账，不产生真实资金）</Text>
        {sheet.error && <Text className='form-error'>{sheet.error}</Text>}
        <View className='sheet__actions'>
          <View className='ghost-button' onClick={() => !sheet.busy && setSheet(null)}>
            稍后
          </View>
          <View className='primary-button transfer-sheet__confirm' onClick={() => void confirmLocal()}>
            {sheet.busy ? '确认中…' : '确认收款'}
          </View>
        </View>
      </View>
    </View>
  ) : null;

  return { start, sheet: element };
}
