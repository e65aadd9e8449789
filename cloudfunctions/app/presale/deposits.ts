/**
 * Deposits and balances of a pre-sale, through the shop's payment provider (trades `PD-<depositId>-<attempt>` and
 * `PB-<depositId>`, confirmed by the same `paymentNotify`). A deposit counts once, when its payment is confirmed: one
 * guarded update on the pre-sale keyed by the deposit (`countedIds` does not hold it → `_.inc(1)` + push), so a repeated
 * notification, a retry or a crash can never count it twice; taking it back before the end pulls it the same way.
 */
import type { PresalePayView, DepositView } from '../../../types/modules/presale.api';
import type { DepositDoc, PresaleDoc } from '../../../types/modules/presale.models';
import type { Fen } from '../../../types/money';
import { balanceFen, phaseAt, priceAt } from '../../domain/presale';
import { collection } from '../../infra/collections';
import { AppError } from '../../infra/errors';
import type { Ctx } from '../../infra/handler';
import { paymentProvider, PaymentProviderError } from '../../infra/payments';
import { payTimeoutMinutes } from '../shop/settings';
import { DEPOSITS, PRESALES, depositIdFor, depositView, loadDeposit, loadPresale, loadPresaleById } from './presales';

const MINUTE = 60_000;

export const isPresaleTrade = (outTradeNo: string) => /^P[DB]-pd[0-9a-f]{20}(-\d+)?$/.test(outTradeNo);
const depositTradeNo = (id: string, attempt: number) => `PD-${id}-${attempt}`;
const balanceTradeNo = (id: string) => `PB-${id}`;

async function prepare(ctx: Ctx, d: DepositDoc, outTradeNo: string, totalFen: Fen, description: string, expiresAt: Date): Promise<PresalePayView> {
  const provider = paymentProvider();
  try {
    const prepared = await provider.unifiedOrder({ outTradeNo, totalFen, description, openid: ctx.openid, appid: ctx.identity.appid, expiresAt });
    return { depositId: d._id, provider: provider.name, outTradeNo, payableFen: totalFen, ...prepared };
  } catch (e) {
    if (e instanceof PaymentProviderError) {
      if (e.providerCode === 'ORDERPAID') throw new AppError('ORDER_ALREADY_PAID');
      console.error(`[presale] unifiedOrder ${outTradeNo} failed`, e);
      throw new AppError('PAYMENT_FAILED');
    }
    throw e;
  }
}

async function activePresale(ctx: Ctx, productId: string): Promise<PresaleDoc> {
  const p = await loadPresale(ctx, productId);
  if (!p || !p.active) throw new AppError('PRESALE_NOT_FOUND');
  return p;
}

/** Make (or reuse) my deposit for the current round and prepare its payment. */
export async function payDeposit(ctx: Ctx, productId: string): Promise<PresalePayView> {
  const p = await activePresale(ctx, productId);
  const now = ctx.clock.now();
  const phase = phaseAt(p, now);
  if (phase === 'upcoming') throw new AppError('PRESALE_NOT_STARTED');
  if (phase !== 'deposit') throw new AppError('PRESALE_ENDED');
  const id = depositIdFor(p._id, p.round, ctx.openid);
  const expiresAt = new Date(Math.min(now.getTime() + payTimeoutMinutes() * MINUTE, p.endsAt.getTime()));
  const deposits = collection(ctx.db, DEPOSITS);
  let d = await loadDeposit(ctx, id);
  // An attempt past its time, or offered under terms the merchant has changed since (its amount is no longer the
  // deposit, and paying it would only be refused and refunded): closed, so this tap starts one under today's terms.
  const stale = (x: DepositDoc) => now >= x.depositExpiresAt || (x.termsVersion !== undefined && x.termsVersion !== (p.termsVersion ?? null));
  if (d && d.state === 'pending' && stale(d)) d = await closeDeposit(ctx, d);
  if (d && d.state !== 'pending') {
    if (d.state !== 'cancelled' && d.state !== 'withdrawn' && d.state !== 'refused') throw new AppError('PRESALE_ALREADY_JOINED');
    // A closed attempt (its trade closed or refunded): the next attempt gets a new trade.
    const attempt = Number(d.depositTradeNo.split('-').pop()) + 1;
    const res = await deposits
      .where({ _id: id, state: d.state, depositTradeNo: d.depositTradeNo, refundOwed: false })
      .update({ state: 'pending', depositTradeNo: depositTradeNo(id, attempt), depositFen: p.depositFen, termsVersion: p.termsVersion ?? null, depositExpiresAt: expiresAt, paidAt: null, decidedAt: null });
    if (res.updated !== 1) throw new AppError('CONFLICT');
    d = await loadDeposit(ctx, id);
  } else if (!d) {
    const doc: DepositDoc = {
      _id: id,
      presaleId: p._id,
      round: p.round,
      productId,
      buyerId: ctx.openid,
      depositFen: p.depositFen,
      termsVersion: p.termsVersion ?? null,
      state: 'pending',
      depositTradeNo: depositTradeNo(id, 1),
      balanceTradeNo: balanceTradeNo(id),
      depositExpiresAt: expiresAt,
      balanceFen: null,
      refundOwed: false,
      createdAt: now,
      paidAt: null,
      balancePaidAt: null,
      decidedAt: null,
    };
    try {
      await deposits.add(doc);
    } catch (e) {
      if (!(await loadDeposit(ctx, id))) throw e;
    }
    d = await loadDeposit(ctx, id);
  }
  if (!d || d.state !== 'pending') throw new AppError('CONFLICT');
  return prepare(ctx, d, d.depositTradeNo, d.depositFen, `${p.productTitle} 预售定金`, d.depositExpiresAt);
}

/**
 * The pre-sale counts this deposit, once (guarded by countedIds); 'refused' when it is no longer open, was switched
 * off, or its terms changed since the deposit was offered (the shopper agreed to a deposit, tiers and forfeit rule
 * that are no longer the pre-sale's: counting it would bind them to terms they never saw).
 */
async function countDeposit(ctx: Ctx, d: DepositDoc): Promise<'counted' | 'refused'> {
  const _ = ctx.db.command;
  // A deposit made before versions existed carries none: it is held to the version-less pre-sale it was offered.
  const terms = d.termsVersion === undefined ? {} : { termsVersion: d.termsVersion };
  const res = await collection(ctx.db, PRESALES)
    .where({ _id: d.presaleId, round: d.round, status: 'open', active: true, ...terms, countedIds: _.neq(d._id) })
    .update({ depositCount: _.inc(1), countedIds: _.push(d._id), updatedAt: ctx.clock.now() });
  if (res.updated === 1) return 'counted';
  const fresh = await loadPresaleById(ctx, d.presaleId);
  return fresh && fresh.round === d.round && fresh.countedIds.includes(d._id) ? 'counted' : 'refused';
}

/** Take a deposit off the count, once; false when the pre-sale is no longer open (and it stays counted). */
async function uncountDeposit(ctx: Ctx, d: DepositDoc): Promise<boolean> {
  const _ = ctx.db.command;
  const res = await collection(ctx.db, PRESALES)
    .where({ _id: d.presaleId, round: d.round, status: 'open', countedIds: d._id })
    .update({ depositCount: _.inc(-1), countedIds: _.pull(d._id), updatedAt: ctx.clock.now() });
  if (res.updated === 1) return true;
  const fresh = await loadPresaleById(ctx, d.presaleId);
  return !!fresh && (fresh.round !== d.round || (fresh.status === 'open' && !fresh.countedIds.includes(d._id)));
}

async function refundTrade(outTradeNo: string, outRefundNo: string, reason: string): Promise<void> {
  const provider = paymentProvider();
  const trade = await provider.queryOrder(outTradeNo);
  if ((trade.state !== 'SUCCESS' && trade.state !== 'REFUND') || trade.totalFen === null) return;
  await provider.refund({ outTradeNo, outRefundNo, totalFen: trade.totalFen, refundFen: trade.totalFen, reason });
}

/** A deposit owed a refund (withdrawn, refunded at the close, refused): the provider is asked once per outRefundNo. */
export async function finishRefund(ctx: Ctx, d: DepositDoc): Promise<void> {
  if (!d.refundOwed) return;
  await refundTrade(d.depositTradeNo, `R${d.depositTradeNo}`, d.state === 'refunded' ? '预售未付尾款，定金按规则退还' : '预售定金退还');
  await collection(ctx.db, DEPOSITS).where({ _id: d._id, refundOwed: true, depositTradeNo: d.depositTradeNo }).update({ refundOwed: false });
}

export interface PresaleNotifyResult {
  orderId: string;
  status: string;
  transitioned: boolean;
}

/** The payment notification for a pre-sale trade (routed here by `paymentNotify`), believed only after a query. */
export async function confirmPresalePayment(ctx: Ctx, outTradeNo: string): Promise<PresaleNotifyResult> {
  const id = outTradeNo.split('-')[1];
  const d = await loadDeposit(ctx, id);
  if (!d) throw new AppError('PRESALE_DEPOSIT_NOT_FOUND');
  return outTradeNo.startsWith('PB-') ? confirmBalance(ctx, d) : confirmDeposit(ctx, d, outTradeNo);
}

async function confirmDeposit(ctx: Ctx, d: DepositDoc, outTradeNo: string): Promise<PresaleNotifyResult> {
  const result = (status: string, transitioned = false) => ({ orderId: d._id, status, transitioned });
  if (outTradeNo !== d.depositTradeNo) {
    // An earlier attempt's trade paid after it was closed: straight back.
    await refundTrade(outTradeNo, `L${outTradeNo}`, '定金订单已关闭，支付原路退回');
    return result(d.state);
  }
  if (d.state !== 'pending') {
    if (d.state === 'cancelled') await refundTrade(outTradeNo, `L${outTradeNo}`, '定金订单已关闭，支付原路退回');
    if (d.refundOwed) await finishRefund(ctx, d);
    return result(d.state);
  }
  const trade = await paymentProvider().queryOrder(outTradeNo);
  if (trade.state !== 'SUCCESS' || trade.totalFen !== d.depositFen) throw new AppError('PAYMENT_NOT_CONFIRMED');
  const deposits = collection(ctx.db, DEPOSITS);
  const now = ctx.clock.now();
  if ((await countDeposit(ctx, d)) === 'refused') {
    // Priced already (the payment was confirmed too late to count): the deposit goes back in full, at once.
    const res = await deposits.where({ _id: d._id, state: 'pending', depositTradeNo: outTradeNo }).update({ state: 'refused', refundOwed: true, decidedAt: now });
    const fresh = (await loadDeposit(ctx, d._id)) as DepositDoc;
    if (fresh.refundOwed) await finishRefund(ctx, fresh);
    return result(fresh.state, res.updated === 1);
  }
  const res = await deposits.where({ _id: d._id, state: 'pending', depositTradeNo: outTradeNo }).update({ state: 'paid', paidAt: now });
  if (res.updated === 1) return result('paid', true);
  const fresh = (await loadDeposit(ctx, d._id)) as DepositDoc;
  if (fresh.state === 'cancelled' && fresh.depositTradeNo === outTradeNo) {
    // Closed meanwhile (cannot happen after the provider said paid, but if it did): off the count and back.
    await uncountDeposit(ctx, fresh);
    await refundTrade(outTradeNo, `L${outTradeNo}`, '定金订单已关闭，支付原路退回');
  }
  return result(fresh.state);
}

async function confirmBalance(ctx: Ctx, d: DepositDoc): Promise<PresaleNotifyResult> {
  const result = (status: string, transitioned = false) => ({ orderId: d._id, status, transitioned });
  if (d.state === 'completed') return result('completed');
  const trade = await paymentProvider().queryOrder(d.balanceTradeNo);
  if (trade.state !== 'SUCCESS' || d.balanceFen === null || trade.totalFen !== d.balanceFen) throw new AppError('PAYMENT_NOT_CONFIRMED');
  const res = await collection(ctx.db, DEPOSITS).where({ _id: d._id, state: 'paid' }).update({ state: 'completed', balancePaidAt: ctx.clock.now() });
  if (res.updated === 1) return result('completed', true);
  const fresh = (await loadDeposit(ctx, d._id)) as DepositDoc;
  // The balance window closed first (forfeited or refunded): the balance goes straight back.
  if (fresh.state !== 'completed') await refundTrade(d.balanceTradeNo, `L${d.balanceTradeNo}`, '尾款支付已截止，支付原路退回');
  return result(fresh.state);
}

/**
 * A pending deposit past its time (or at the end of the pre-sale): its trade is closed with the provider; paid after
 * all → confirmed instead; else cancelled. Answers the deposit as it is now.
 */
export async function closeDeposit(ctx: Ctx, d: DepositDoc): Promise<DepositDoc> {
  const closed = await paymentProvider().closeOrder(d.depositTradeNo);
  if (closed === 'paid') await confirmDeposit(ctx, d, d.depositTradeNo);
  else await collection(ctx.db, DEPOSITS).where({ _id: d._id, state: 'pending', depositTradeNo: d.depositTradeNo }).update({ state: 'cancelled', decidedAt: ctx.clock.now() });
  return (await loadDeposit(ctx, d._id)) as DepositDoc;
}

/** Take back a paid deposit before the pre-sale ends: off the count (once), then refunded in full. */
export async function withdrawDeposit(ctx: Ctx, productId: string): Promise<DepositView> {
  const p = await activePresale(ctx, productId);
  if (phaseAt(p, ctx.clock.now()) !== 'deposit') throw new AppError('PRESALE_ENDED');
  const d = await loadDeposit(ctx, depositIdFor(p._id, p.round, ctx.openid));
  if (!d || d.state !== 'paid') throw new AppError('PRESALE_DEPOSIT_NOT_FOUND');
  if (!(await uncountDeposit(ctx, d))) throw new AppError('PRESALE_ENDED');
  // Off the count: the deposit is withdrawn (a crash here leaves it paid and uncounted; a retry, or the pricing job
  // at the end — a paid deposit is always counted before it is marked paid — finishes it).
  await collection(ctx.db, DEPOSITS).where({ _id: d._id, state: 'paid' }).update({ state: 'withdrawn', refundOwed: true, decidedAt: ctx.clock.now() });
  const fresh = (await loadDeposit(ctx, d._id)) as DepositDoc;
  await finishRefund(ctx, fresh);
  const after = (await loadDeposit(ctx, d._id)) as DepositDoc;
  return depositView(after, (await loadPresale(ctx, productId)) as PresaleDoc);
}

/** Prepare the balance payment: the final price the timer set, minus my deposit, within the balance window. */
export async function payBalance(ctx: Ctx, productId: string): Promise<PresalePayView> {
  const p = await activePresale(ctx, productId);
  if (phaseAt(p, ctx.clock.now()) !== 'balance' || p.finalPriceFen === null) throw new AppError('PRESALE_BALANCE_CLOSED');
  const d = await loadDeposit(ctx, depositIdFor(p._id, p.round, ctx.openid));
  if (d?.state === 'completed') throw new AppError('PRESALE_BALANCE_PAID');
  if (!d || d.state !== 'paid') throw new AppError('PRESALE_DEPOSIT_NOT_FOUND');
  const amount = balanceFen(p.finalPriceFen, d.depositFen);
  if (d.balanceFen !== amount) await collection(ctx.db, DEPOSITS).where({ _id: d._id, state: 'paid' }).update({ balanceFen: amount });
  return prepare(ctx, d, d.balanceTradeNo, amount, `${p.productTitle} 预售尾款`, p.balanceEndsAt);
}

/** The final price, once: the tier the exact count reached (guarded open → priced on the count read). */
export async function pricePresale(ctx: Ctx, presaleId: string): Promise<boolean> {
  const presales = collection(ctx.db, PRESALES);
  const _ = ctx.db.command;
  let p = await loadPresaleById(ctx, presaleId);
  if (!p || p.status !== 'open' || ctx.clock.now() < p.endsAt) return false;
  // Payments still pending are settled first, so a deposit paid in the last minute counts.
  const pending = await collection(ctx.db, DEPOSITS).where({ presaleId, round: p.round, state: 'pending' }).limit(100).get();
  for (const d of pending.data) await closeDeposit(ctx, d);
  // A withdrawal that died between taking its deposit off the count and marking it: finished now. The paid deposits
  // are read before the pre-sale: a confirmation counts a deposit before it marks it paid, so every deposit read as
  // paid is in the count read after it, unless a withdrawal took it off. (Read the other way round, a deposit
  // confirmed between the two reads looked like a dead withdrawal: refunded while it counted.)
  const paid = await paidDepositIds(ctx, presaleId, p.round);
  p = await loadPresaleById(ctx, presaleId);
  if (!p || p.status !== 'open') return false;
  await finishDeadWithdrawals(ctx, paid, p.countedIds);
  for (let i = 0; i < 5 && p && p.status === 'open'; i++) {
    const res = await presales
      .where({ _id: presaleId, round: p.round, status: 'open', depositCount: p.depositCount, endsAt: _.lte(ctx.clock.now()) })
      .update({ status: 'priced', finalPriceFen: priceAt(p, p.depositCount), pricedAt: ctx.clock.now(), updatedAt: ctx.clock.now() });
    if (res.updated === 1) {
      // Priced: the count cannot change any more. A withdrawal that took its deposit off the count while this run was
      // pricing, and died before marking it, is finished now (else the deposit would stay paid outside the price).
      const final = await loadPresaleById(ctx, presaleId);
      if (final?.round === p.round) await finishDeadWithdrawals(ctx, await paidDepositIds(ctx, presaleId, p.round), final.countedIds);
      return true;
    }
    p = await loadPresaleById(ctx, presaleId);
  }
  return false;
}

async function paidDepositIds(ctx: Ctx, presaleId: string, round: number): Promise<string[]> {
  const res = await collection(ctx.db, DEPOSITS).where({ presaleId, round, state: 'paid' }).field({ _id: true }).limit(1000).get();
  return res.data.map((d) => d._id);
}

/** Paid deposits the count does not hold: a withdrawal took them off and died before marking them. Withdrawn, refunded. */
async function finishDeadWithdrawals(ctx: Ctx, paidIds: string[], countedIds: string[]): Promise<void> {
  const counted = new Set(countedIds);
  for (const _id of paidIds) {
    if (counted.has(_id)) continue;
    await collection(ctx.db, DEPOSITS).where({ _id, state: 'paid' }).update({ state: 'withdrawn', refundOwed: true, decidedAt: ctx.clock.now() });
    await finishRefund(ctx, (await loadDeposit(ctx, _id)) as DepositDoc);
  }
}

/**
 * After the balance window: each deposit still unpaid forfeits or is refunded, as the rules said, once (a guarded
 * update paid → forfeited | refunded; the provider refund once per outRefundNo). A balance trade paid at the last
 * moment is confirmed first. Then the pre-sale closes.
 */
export async function closePresale(ctx: Ctx, presaleId: string): Promise<boolean> {
  const p = await loadPresaleById(ctx, presaleId);
  if (!p || p.status !== 'priced' || ctx.clock.now() < p.balanceEndsAt) return false;
  const deposits = collection(ctx.db, DEPOSITS);
  const outcome = p.forfeitUnpaid ? 'forfeited' : 'refunded';
  for (let batch = 0; batch < 20; batch++) {
    const res = await deposits.where({ presaleId, round: p.round, state: 'paid' }).limit(100).get();
    const unpaid = res.data;
    for (const d of unpaid) {
      if (d.balanceFen !== null) {
        const closed = await paymentProvider().closeOrder(d.balanceTradeNo);
        if (closed === 'paid') {
          await confirmBalance(ctx, d);
          continue;
        }
      }
      await deposits.where({ _id: d._id, state: 'paid' }).update({ state: outcome, refundOwed: outcome === 'refunded', decidedAt: ctx.clock.now() });
      const fresh = (await loadDeposit(ctx, d._id)) as DepositDoc;
      if (fresh.refundOwed) await finishRefund(ctx, fresh);
    }
    if (unpaid.length < 100) break;
  }
  const left = await deposits.where({ presaleId, round: p.round, state: 'paid' }).count();
  if (left.total) return false;
  const res = await collection(ctx.db, PRESALES).where({ _id: presaleId, round: p.round, status: 'priced' }).update({ status: 'closed', closedAt: ctx.clock.now() });
  return res.updated === 1;
}
