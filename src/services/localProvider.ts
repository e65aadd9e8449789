/**
 * The local cloud's simulated providers (payments `/__pay/*`, payouts), reached by the app's confirmation sheets in
 * the browser build. Production uses WeChat's own sheets (requestPayment, requestMerchantTransfer) instead.
 */
import Taro from '@tarojs/taro';
import { CloudError, cloudBase } from './cloud';

export async function postLocalProvider<T>(path: string, body: Record<string, unknown>): Promise<T> {
  let res: Taro.request.SuccessCallbackResult<Record<string, unknown>>;
  try {
    res = await Taro.request({ url: `${cloudBase()}${path}`, method: 'POST', data: body, header: { 'content-type': 'application/json' }, timeout: 15000 });
  } catch {
    throw new CloudError('NETWORK');
  }
  if (res.statusCode < 200 || res.statusCode >= 300) {
    const message = (res.data as { message?: unknown } | null)?.message;
    throw new CloudError('PAYMENT_FAILED', typeof message === 'string' && message ? `支付未完成：${message}` : undefined);
  }
  return res.data as T;
}
