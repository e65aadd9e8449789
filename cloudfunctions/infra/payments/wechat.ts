/**
 * WeChat Pay for mini-programs through CloudBase ("云开发微信支付", cloudPay): unified order, order query, close and
 * refund, with no certificates or signatures in our code — CloudBase's private link signs for the bound merchant.
 *
 * The wire is what wx-server-sdk's `cloud.cloudPay.<api>()` sends through `@cloudbase/node-sdk`'s `callWxPayApi`:
 * `apiName` = the cloudPay method name, `requestData` = a Buffer of the snake_case JSON request, `apiOptions` = a
 * protobuf `ApiOptions { string appid = 1; }` when an appid is given; the answer is a Buffer of snake_case JSON
 * (WeChat Pay v2 fields), or `{code, message}` for a CloudBase error. The payment result callback invokes the
 * function named in `function_name` (our `shop`) with camelCase fields (`returnCode`, `resultCode`, `outTradeNo`,
 * `transactionId`, `totalFee`, …) and must answer `{errcode: 0, errmsg}` or it is repeated for up to two days.
 */
import crypto from 'node:crypto';
import type { Fen } from '../../../types/money';
import { cloud } from '../db';
import type { PaymentProvider, RefundRequest, TradeQuery, TradeState, UnifiedOrderRequest } from './provider';
import { PaymentProviderError } from './provider';
import { shanghaiCompact } from '../../../types/time';

export type WxPayApi = 'unifiedOrder' | 'queryOrder' | 'closeOrder' | 'refund';
type Json = Record<string, unknown>;

/** Sends one cloudPay call and answers the provider's JSON (snake_case). */
export interface WxPayTransport {
  call(apiName: WxPayApi, request: Json, appid: string | null): Promise<Json>;
}

export interface WechatPayConfig {
  /** The merchant number bound to the CloudBase environment (sub_mch_id). */
  subMchId: string;
  /** The environment whose function receives the payment callback. */
  envId: string;
  /** The function that receives the payment callback. */
  notifyFunction: string;
}

/** protobuf `ApiOptions { string appid = 1; }` (field 1, wire type 2). */
export function encodeApiOptions(appid: string): Buffer {
  const bytes = Buffer.from(appid, 'utf8');
  const len: number[] = [];
  let n = bytes.length;
  do {
    len.push((n & 0x7f) | (n > 0x7f ? 0x80 : 0));
    n >>>= 7;
  } while (n > 0);
  return Buffer.concat([Buffer.from([0x0a, ...len]), bytes]);
}

/** What callWxPayApi answered: a Buffer of JSON, or a CloudBase error object. */
export function parseWxPayResponse(apiName: WxPayApi, res: unknown): Json {
  let value: unknown = res;
  if (Buffer.isBuffer(res)) {
    try {
      value = JSON.parse(res.toString('utf8'));
    } catch {
      throw new PaymentProviderError('BAD_RESPONSE', `cloudPay.${apiName}: not JSON`);
    }
  }
  if (!value || typeof value !== 'object') throw new PaymentProviderError('BAD_RESPONSE', `cloudPay.${apiName}: empty answer`);
  const obj = value as Json;
  if (typeof obj.code === 'string' && obj.code && 'message' in obj) throw new PaymentProviderError(obj.code, `cloudPay.${apiName}: ${String(obj.message)}`);
  if (typeof obj.errcode === 'number' && obj.errcode !== 0) throw new PaymentProviderError(String(obj.errcode), `cloudPay.${apiName}: ${String(obj.errmsg ?? '')}`);
  // The cloud-run flavour of the same API wraps the answer as {errcode, errmsg, respdata}.
  return (obj.respdata && typeof obj.respdata === 'object' ? obj.respdata : obj) as Json;
}

export function cloudbaseWxPayTransport(app: Pick<ReturnType<typeof cloud>, 'callWxPayApi'> = cloud()): WxPayTransport {
  return {
    async call(apiName, request, appid) {
      const res = await app.callWxPayApi({
        apiName,
        requestData: Buffer.from(JSON.stringify(request)),
        ...(appid ? { apiOptions: encodeApiOptions(appid) } : {}),
      });
      return parseWxPayResponse(apiName, res);
    },
  };
}

/** Read a field in snake_case or camelCase (wx-server-sdk converts answers to camelCase; the wire is snake_case). */
function field(obj: Json, snake: string): unknown {
  if (snake in obj) return obj[snake];
  const camel = snake.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase());
  return obj[camel];
}

function str(obj: Json, snake: string): string | null {
  const v = field(obj, snake);
  return typeof v === 'string' && v !== '' ? v : null;
}

/** yyyyMMddHHmmss in Beijing time, as WeChat Pay v2 wants time_start / time_expire. */
export function wxPayTime(at: Date): string {
  return shanghaiCompact(at);
}

const TRADE_STATES: TradeState[] = ['NOTPAY', 'SUCCESS', 'CLOSED', 'REFUND', 'USERPAYING', 'PAYERROR', 'REVOKED'];

export class WechatPayProvider implements PaymentProvider {
  readonly name = 'wechat' as const;

  constructor(
    private readonly config: WechatPayConfig,
    private readonly transport: WxPayTransport,
    private readonly nonce: () => string = () => crypto.randomBytes(16).toString('hex'),
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** return_code is the call, result_code the business answer; both must be SUCCESS. */
  private async call(apiName: WxPayApi, request: Json, appid: string | null = null): Promise<Json> {
    const res = await this.transport.call(apiName, request, appid);
    if (str(res, 'return_code') !== 'SUCCESS') throw new PaymentProviderError('FAIL', `cloudPay.${apiName}: ${str(res, 'return_msg') ?? 'return_code FAIL'}`);
    if (str(res, 'result_code') !== 'SUCCESS') {
      throw new PaymentProviderError(str(res, 'err_code') ?? 'FAIL', `cloudPay.${apiName}: ${str(res, 'err_code_des') ?? str(res, 'err_code') ?? 'result_code FAIL'}`);
    }
    return res;
  }

  async unifiedOrder(req: UnifiedOrderRequest) {
    // WeChat Pay wants at least a minute between now and time_expire.
    const expires = new Date(Math.max(req.expiresAt.getTime(), this.now().getTime() + 61_000));
    const request: Json = {
      body: [...req.description].slice(0, 40).join(''),
      out_trade_no: req.outTradeNo,
      total_fee: req.totalFen,
      spbill_create_ip: '127.0.0.1',
      sub_mch_id: this.config.subMchId,
      nonce_str: this.nonce(),
      trade_type: 'JSAPI',
      time_expire: wxPayTime(expires),
      env_id: this.config.envId,
      function_name: this.config.notifyFunction,
      ...(req.appid ? { sub_appid: req.appid, sub_openid: req.openid } : { openid: req.openid }),
    };
    const res = await this.call('unifiedOrder', request, req.appid);
    const p = field(res, 'payment') as Json | undefined;
    if (!p || typeof p !== 'object') throw new PaymentProviderError('BAD_RESPONSE', 'cloudPay.unifiedOrder: no payment in the answer');
    const need = (k: string) => {
      const v = str(p, k);
      if (!v) throw new PaymentProviderError('BAD_RESPONSE', `cloudPay.unifiedOrder: payment.${k} missing`);
      return v;
    };
    return {
      wechat: { timeStamp: need('time_stamp'), nonceStr: need('nonce_str'), package: need('package'), signType: str(p, 'sign_type') ?? 'MD5', paySign: need('pay_sign') },
    };
  }

  async queryOrder(outTradeNo: string): Promise<TradeQuery> {
    let res: Json;
    try {
      res = await this.call('queryOrder', { sub_mch_id: this.config.subMchId, out_trade_no: outTradeNo, nonce_str: this.nonce() });
    } catch (e) {
      if (e instanceof PaymentProviderError && e.providerCode === 'ORDERNOTEXIST') return { state: 'NOT_FOUND', transactionId: null, totalFen: null };
      throw e;
    }
    const state = str(res, 'trade_state') as TradeState | null;
    if (!state || !TRADE_STATES.includes(state)) throw new PaymentProviderError('BAD_RESPONSE', `cloudPay.queryOrder: trade_state ${state}`);
    const total = field(res, 'total_fee');
    return { state, transactionId: str(res, 'transaction_id'), totalFen: typeof total === 'number' ? (total as Fen) : null };
  }

  async closeOrder(outTradeNo: string) {
    try {
      await this.call('closeOrder', { sub_mch_id: this.config.subMchId, out_trade_no: outTradeNo, nonce_str: this.nonce() });
      return 'closed' as const;
    } catch (e) {
      if (e instanceof PaymentProviderError && e.providerCode === 'ORDERPAID') return 'paid' as const;
      if (e instanceof PaymentProviderError && e.providerCode === 'ORDERNOTEXIST') return 'not_found' as const;
      if (e instanceof PaymentProviderError && e.providerCode === 'ORDERCLOSED') return 'closed' as const;
      throw e;
    }
  }

  async refund(req: RefundRequest) {
    const res = await this.call('refund', {
      sub_mch_id: this.config.subMchId,
      nonce_str: this.nonce(),
      out_trade_no: req.outTradeNo,
      out_refund_no: req.outRefundNo,
      total_fee: req.totalFen,
      refund_fee: req.refundFen,
      refund_desc: [...req.reason].slice(0, 80).join(''),
      env_id: this.config.envId,
      function_name: this.config.notifyFunction,
    });
    const refundId = str(res, 'refund_id');
    if (!refundId) throw new PaymentProviderError('BAD_RESPONSE', 'cloudPay.refund: no refund_id');
    return { refundId };
  }
}

/** The payment callback (camelCase) → the out_trade_no to confirm, or null when it is not a successful payment. */
export function paidTradeFromCallback(event: Json): string | null {
  if (str(event, 'return_code') !== 'SUCCESS' || str(event, 'result_code') !== 'SUCCESS') return null;
  return str(event, 'out_trade_no');
}

/** True for an event that is a cloudPay callback (payment or refund result), not an app call. */
export function isWxPayCallback(event: unknown): event is Json {
  return !!event && typeof event === 'object' && !('action' in (event as Json)) && typeof field(event as Json, 'return_code') === 'string';
}
