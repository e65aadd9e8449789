/** Which payment provider this instance uses: the local cloud's own when running there, WeChat Pay otherwise. */
import { LocalPaymentProvider, localCloudBaseUrl } from './local';
import type { PaymentProvider } from './provider';
import { cloudbaseWxPayTransport, WechatPayProvider } from './wechat';

export type { PaymentProvider } from './provider';
export { PaymentProviderError } from './provider';

let override: PaymentProvider | null = null;

/** Tests plug a provider in here (and only here). */
export function setPaymentProvider(p: PaymentProvider | null) {
  override = p;
}

/** Which provider will take this order's payment, without needing its configuration yet. */
export function paymentProviderName(env: NodeJS.ProcessEnv = process.env): PaymentProvider['name'] {
  if (override) return override.name;
  return localCloudBaseUrl(env) && env.PAYMENT_PROVIDER !== 'wechat' ? 'local' : 'wechat';
}

export function paymentProvider(env: NodeJS.ProcessEnv = process.env): PaymentProvider {
  if (override) return override;
  const local = localCloudBaseUrl(env);
  if (local && env.PAYMENT_PROVIDER !== 'wechat') return new LocalPaymentProvider(local);
  const subMchId = env.WXPAY_SUB_MCH_ID ?? '';
  const envId = env.WXPAY_ENV_ID || env.TCB_ENV || env.SCF_NAMESPACE || '';
  if (!subMchId || !envId) throw new Error('WeChat Pay is not configured: set WXPAY_SUB_MCH_ID (and TCB_ENV or WXPAY_ENV_ID)');
  return new WechatPayProvider({ subMchId, envId, notifyFunction: env.WXPAY_NOTIFY_FUNCTION || 'shop' }, cloudbaseWxPayTransport());
}
