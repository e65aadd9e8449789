/**
 * The local provider: the local cloud's payment system (`emulator/payments.ts`, routes `/__pay/*`). The function
 * reaches it at the local cloud's base URL, which it knows from the SDK's own configuration (TCB_CONTEXT_CNFG).
 */
import type { PaymentProvider, RefundRequest, TradeQuery, UnifiedOrderRequest } from './provider';
import { PaymentProviderError } from './provider';

export function localCloudBaseUrl(env: NodeJS.ProcessEnv = process.env): string | null {
  if (env.LOCAL_CLOUD !== '1' || !env.TCB_CONTEXT_CNFG) return null;
  try {
    const url = (JSON.parse(env.TCB_CONTEXT_CNFG) as { URL?: string }).URL;
    return url ? url.replace(/\/admin\/?$/, '') : null;
  } catch {
    return null;
  }
}

export class LocalPaymentProvider implements PaymentProvider {
  readonly name = 'local' as const;

  constructor(private readonly baseUrl: string) {}

  private async post<T>(route: string, body: Record<string, unknown>): Promise<T> {
    let res: Response;
    try {
      res = await fetch(`${this.baseUrl}/__pay/${route}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    } catch (e) {
      throw new PaymentProviderError('NETWORK', `local pay ${route}: ${(e as Error).message}`);
    }
    const json = (await res.json().catch(() => ({}))) as T & { code?: string; message?: string };
    if (!res.ok) throw new PaymentProviderError(json.code ?? String(res.status), json.message ?? `local pay ${route} failed`);
    return json;
  }

  async unifiedOrder(req: UnifiedOrderRequest) {
    await this.post('unifiedorder', {
      outTradeNo: req.outTradeNo,
      totalFee: req.totalFen,
      body: req.description,
      openid: req.openid,
      notifyFunction: 'shop',
      timeExpire: req.expiresAt.getTime(),
    });
    return { local: { confirmPath: '/__pay/confirm' } };
  }

  async queryOrder(outTradeNo: string): Promise<TradeQuery> {
    try {
      const t = await this.post<{ state: TradeQuery['state']; transactionId: string | null; totalFee: number }>('query', { outTradeNo });
      return { state: t.state, transactionId: t.transactionId, totalFen: t.totalFee as TradeQuery['totalFen'] };
    } catch (e) {
      if (e instanceof PaymentProviderError && e.providerCode === 'ORDERNOTEXIST') return { state: 'NOT_FOUND', transactionId: null, totalFen: null };
      throw e;
    }
  }

  async closeOrder(outTradeNo: string) {
    try {
      await this.post('close', { outTradeNo });
      return 'closed' as const;
    } catch (e) {
      if (e instanceof PaymentProviderError && e.providerCode === 'ORDERPAID') return 'paid' as const;
      if (e instanceof PaymentProviderError && e.providerCode === 'ORDERNOTEXIST') return 'not_found' as const;
      throw e;
    }
  }

  async refund(req: RefundRequest) {
    const r = await this.post<{ refundId: string }>('refund', {
      outTradeNo: req.outTradeNo,
      outRefundNo: req.outRefundNo,
      totalFee: req.totalFen,
      refundFee: req.refundFen,
      reason: req.reason,
    });
    return { refundId: r.refundId };
  }
}
