/**
 * The payment provider interface the shop uses. Two implementations: the local provider (the local cloud's own
 * payment system, `emulator/payments.ts`) and WeChat Pay for mini-programs through CloudBase (`wechat.ts`).
 */
import type { PayView } from '../../../types/api';
import type { Fen } from '../../../types/money';

/** Trade states as WeChat Pay names them; NOT_FOUND = the provider never saw this out_trade_no. */
export type TradeState = 'NOTPAY' | 'SUCCESS' | 'CLOSED' | 'REFUND' | 'USERPAYING' | 'PAYERROR' | 'REVOKED' | 'NOT_FOUND';

export interface UnifiedOrderRequest {
  outTradeNo: string;
  totalFen: Fen;
  /** Shown on the payment sheet (≤ 128 characters). */
  description: string;
  openid: string;
  appid: string | null;
  /** The provider closes the trade at this time (the order's expiry). */
  expiresAt: Date;
}

export interface TradeQuery {
  state: TradeState;
  transactionId: string | null;
  totalFen: Fen | null;
}

export interface RefundRequest {
  outTradeNo: string;
  /** One per refund: repeating it refunds once. */
  outRefundNo: string;
  totalFen: Fen;
  refundFen: Fen;
  reason: string;
}

export interface PaymentProvider {
  readonly name: 'local' | 'wechat';
  /** Prepare the trade; answers what the app needs to take the payment. Repeating it for the same trade is safe. */
  unifiedOrder(req: UnifiedOrderRequest): Promise<Pick<PayView, 'local' | 'wechat'>>;
  /** The provider's view of the trade: the only proof of payment the shop accepts. */
  queryOrder(outTradeNo: string): Promise<TradeQuery>;
  /** Close an unpaid trade so it can no longer be paid: 'paid' when it was paid first. */
  closeOrder(outTradeNo: string): Promise<'closed' | 'paid' | 'not_found'>;
  /** Refund (idempotent per outRefundNo). */
  refund(req: RefundRequest): Promise<{ refundId: string }>;
}

/** A provider call that failed (network, provider error): retried later by the caller or the timer. */
export class PaymentProviderError extends Error {
  constructor(
    readonly providerCode: string,
    message: string,
  ) {
    super(message);
  }
}
