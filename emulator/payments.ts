/**
 * The local cloud's payment system: what WeChat Pay is to a deployed mini-program, with the same trade states.
 *
 *   POST /__pay/unifiedorder {outTradeNo, totalFee, body, openid, notifyFunction, timeExpire}   (the shop function)
 *   POST /__pay/confirm      {outTradeNo, times?}   the app's confirmation sheet: pays, then notifies `times` times
 *   POST /__pay/query        {outTradeNo}           trade state, transaction id, amount, refunds
 *   POST /__pay/close        {outTradeNo}           an unpaid trade can no longer be paid (ORDERPAID if it was)
 *   POST /__pay/refund       {outTradeNo, outRefundNo, totalFee, refundFee}   idempotent per outRefundNo
 *   GET  /__pay/trades                              every trade (debugging)
 *
 * After a confirm the payment notification is delivered by invoking the notify function as the platform
 * (`{action: 'paymentNotify', outTradeNo, ...}`, source server) — once, or `times` times concurrently to test that
 * the shop marks the order paid once. Trades are kept in the store's metadata, so they survive a restart.
 */
import crypto from 'node:crypto';
import type { Clock } from './clock';
import type { FunctionHost } from './functions';
import type { Store } from './store';

export type TradeState = 'NOTPAY' | 'SUCCESS' | 'CLOSED' | 'REFUND';

export interface LocalTrade {
  outTradeNo: string;
  totalFee: number;
  body: string;
  openid: string;
  notifyFunction: string;
  state: TradeState;
  prepayId: string;
  transactionId: string | null;
  createdAt: number;
  timeExpire: number | null;
  paidAt: number | null;
  refunds: { outRefundNo: string; refundId: string; refundFee: number; at: number }[];
}

export class PayError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const MAX_NOTIFY_TIMES = 100;
const TRADE_NO = /^[A-Za-z0-9_-]{1,32}$/;

export class LocalPayments {
  /** Notifications delivered, by out_trade_no (tests read it through GET /__pay/trades). */
  readonly notified: Record<string, number> = {};

  constructor(
    private readonly store: Store,
    private readonly host: FunctionHost,
    private readonly clock: Clock,
  ) {}

  private load(outTradeNo: unknown): LocalTrade {
    if (typeof outTradeNo !== 'string' || !TRADE_NO.test(outTradeNo)) throw new PayError(400, 'PARAM_ERROR', 'outTradeNo is required');
    const raw = this.store.meta(`pay:${outTradeNo}`);
    if (!raw) throw new PayError(404, 'ORDERNOTEXIST', `no trade ${outTradeNo}`);
    return JSON.parse(raw) as LocalTrade;
  }

  private save(t: LocalTrade) {
    this.store.setMeta(`pay:${t.outTradeNo}`, JSON.stringify(t));
  }

  /** An unpaid trade past its time is closed, as WeChat Pay closes it. */
  private expireIfDue(t: LocalTrade): LocalTrade {
    if (t.state === 'NOTPAY' && t.timeExpire !== null && this.clock.now() >= t.timeExpire) {
      t.state = 'CLOSED';
      this.save(t);
    }
    return t;
  }

  unifiedOrder(b: Record<string, unknown>): { prepayId: string } {
    const outTradeNo = b.outTradeNo;
    if (typeof outTradeNo !== 'string' || !TRADE_NO.test(outTradeNo)) throw new PayError(400, 'PARAM_ERROR', 'outTradeNo must be 1–32 of [A-Za-z0-9_-]');
    if (typeof b.totalFee !== 'number' || !Number.isSafeInteger(b.totalFee) || b.totalFee < 1) throw new PayError(400, 'PARAM_ERROR', 'totalFee must be a positive integer (fen)');
    const raw = this.store.meta(`pay:${outTradeNo}`);
    if (raw) {
      const t = this.expireIfDue(JSON.parse(raw) as LocalTrade);
      if (t.state === 'SUCCESS' || t.state === 'REFUND') throw new PayError(409, 'ORDERPAID', 'the trade is paid');
      if (t.state === 'CLOSED') throw new PayError(409, 'ORDERCLOSED', 'the trade is closed');
      if (t.totalFee !== b.totalFee) throw new PayError(409, 'INVALID_REQUEST', 'same outTradeNo, different amount');
      return { prepayId: t.prepayId };
    }
    const t: LocalTrade = {
      outTradeNo,
      totalFee: b.totalFee,
      body: typeof b.body === 'string' ? b.body.slice(0, 128) : '',
      openid: typeof b.openid === 'string' ? b.openid : '',
      notifyFunction: typeof b.notifyFunction === 'string' && b.notifyFunction ? b.notifyFunction : 'shop',
      state: 'NOTPAY',
      prepayId: `lp${crypto.randomBytes(12).toString('hex')}`,
      transactionId: null,
      createdAt: this.clock.now(),
      timeExpire: typeof b.timeExpire === 'number' ? b.timeExpire : null,
      paidAt: null,
      refunds: [],
    };
    this.save(t);
    const index = JSON.parse(this.store.meta('pay-index') ?? '[]') as string[];
    this.store.setMeta('pay-index', JSON.stringify([...index, outTradeNo]));
    return { prepayId: t.prepayId };
  }

  /** The shopper confirms on the sheet: the trade is paid (once), then the notification goes out `times` times. */
  async confirm(b: Record<string, unknown>) {
    const t = this.expireIfDue(this.load(b.outTradeNo));
    if (t.state === 'CLOSED') throw new PayError(409, 'ORDERCLOSED', 'the trade is closed and cannot be paid');
    if (t.state === 'NOTPAY') {
      t.state = 'SUCCESS';
      t.transactionId = `42${String(this.clock.now()).padStart(14, '0')}${crypto.randomInt(1e9).toString().padStart(9, '0')}`.slice(0, 28);
      t.paidAt = this.clock.now();
      this.save(t);
    }
    const times = b.times === undefined ? 1 : Number(b.times);
    if (!Number.isSafeInteger(times) || times < 0 || times > MAX_NOTIFY_TIMES) throw new PayError(400, 'PARAM_ERROR', `times must be 0–${MAX_NOTIFY_TIMES}`);
    const deliveries = await Promise.all(Array.from({ length: times }, () => this.notify(t)));
    return { outTradeNo: t.outTradeNo, state: t.state, transactionId: t.transactionId, deliveries };
  }

  private async notify(t: LocalTrade): Promise<unknown> {
    this.notified[t.outTradeNo] = (this.notified[t.outTradeNo] ?? 0) + 1;
    const event = { action: 'paymentNotify', provider: 'local', outTradeNo: t.outTradeNo, transactionId: t.transactionId ?? undefined, totalFee: t.totalFee, resultCode: 'SUCCESS' };
    try {
      return await this.host.invoke(t.notifyFunction, event, { source: 'server' });
    } catch (e) {
      return { ok: false, code: 'DELIVERY_FAILED', message: (e as Error).message };
    }
  }

  query(b: Record<string, unknown>) {
    const t = this.expireIfDue(this.load(b.outTradeNo));
    return {
      outTradeNo: t.outTradeNo,
      state: t.state,
      transactionId: t.transactionId,
      totalFee: t.totalFee,
      refundedFee: t.refunds.reduce((s, r) => s + r.refundFee, 0),
      refunds: t.refunds,
      notified: this.notified[t.outTradeNo] ?? 0,
    };
  }

  close(b: Record<string, unknown>) {
    const t = this.load(b.outTradeNo);
    if (t.state === 'SUCCESS' || t.state === 'REFUND') throw new PayError(409, 'ORDERPAID', 'the trade is paid');
    t.state = 'CLOSED';
    this.save(t);
    return { outTradeNo: t.outTradeNo, state: t.state };
  }

  refund(b: Record<string, unknown>) {
    const t = this.load(b.outTradeNo);
    const outRefundNo = b.outRefundNo;
    if (typeof outRefundNo !== 'string' || !/^[A-Za-z0-9_-]{1,64}$/.test(outRefundNo)) throw new PayError(400, 'PARAM_ERROR', 'outRefundNo is required');
    const refundFee = Number(b.refundFee);
    if (b.totalFee !== undefined && Number(b.totalFee) !== t.totalFee) throw new PayError(400, 'PARAM_ERROR', 'totalFee does not match the trade');
    const existing = t.refunds.find((r) => r.outRefundNo === outRefundNo);
    if (existing) {
      if (existing.refundFee !== refundFee) throw new PayError(409, 'INVALID_REQUEST', 'same outRefundNo, different amount');
      return { outTradeNo: t.outTradeNo, outRefundNo, refundId: existing.refundId, refundFee: existing.refundFee };
    }
    if (t.state !== 'SUCCESS' && t.state !== 'REFUND') throw new PayError(409, 'TRADE_STATE_ERROR', 'only a paid trade can be refunded');
    const refunded = t.refunds.reduce((s, r) => s + r.refundFee, 0);
    if (!Number.isSafeInteger(refundFee) || refundFee < 1 || refunded + refundFee > t.totalFee) throw new PayError(409, 'NOTENOUGH', 'refund exceeds what is left of the trade');
    const r = { outRefundNo, refundId: `50${crypto.randomBytes(13).toString('hex')}`.slice(0, 29), refundFee, at: this.clock.now() };
    t.refunds.push(r);
    t.state = 'REFUND';
    this.save(t);
    return { outTradeNo: t.outTradeNo, outRefundNo, refundId: r.refundId, refundFee };
  }

  trades(): LocalTrade[] {
    const index = JSON.parse(this.store.meta('pay-index') ?? '[]') as string[];
    return index.map((no) => JSON.parse(this.store.meta(`pay:${no}`) as string) as LocalTrade);
  }

  /** Route a `/__pay/<route>` request. */
  async handle(method: string, route: string, body: Record<string, unknown>): Promise<unknown> {
    switch (`${method} ${route}`) {
      case 'POST unifiedorder':
        return this.unifiedOrder(body);
      case 'POST confirm':
        return this.confirm(body);
      case 'POST query':
        return this.query(body);
      case 'POST close':
        return this.close(body);
      case 'POST refund':
        return this.refund(body);
      case 'GET trades':
        return { trades: this.trades() };
      default:
        throw new PayError(404, 'NOT_FOUND', `no pay endpoint ${method} /__pay/${route}`);
    }
  }
}
