/**
 * Withdrawals: available → withdrawing in the user's wallet transaction (two taps with one requestId withdraw once;
 * twenty at once never overdraw), then the merchant rejects (money returns) or approves (the payout provider's
 * transfer: approved → transferring → the user confirms receipt → paid; a failed, cancelled or unconfirmed
 * transfer returns the money). Every move of money is a ledger operation keyed by the withdrawal.
 */
import type { MerchantWithdrawalView, WithdrawalView } from '../../../types/modules/referral.api';
import type { WalletSnapshot, WithdrawalDoc, WithdrawalStatus } from '../../../types/modules/referral.models';
import type { Fen } from '../../../types/money';
import { shanghaiMinute } from '../../../types/time';
import { spendable, withdrawPaid, withdrawRequest, withdrawReturn } from '../../domain/ledger';
import { shanghaiDay } from '../../domain/rebateRules';
import { holdsMoney, transferOutcome, WITHDRAWAL_STATUS_TEXT, withdrawalIdFor, withdrawProblem } from '../../domain/withdraw';
import { collection, txCollection } from '../../infra/collections';
import { AppError } from '../../infra/errors';
import type { Ctx } from '../../infra/handler';
import { enqueueNotice } from '../../infra/notifications';
import { standingOf } from '../accounts/blocking';
import { carryDebtOver } from './carryOver';
import { notices } from './notices';
import { PayoutError, PayoutProvider, payoutProvider } from '../../infra/payouts';
import { loadSettings } from './settings';
import { DbCtx, UserTx, withUserTx } from './tx';

export function withdrawalView(w: WithdrawalDoc): WithdrawalView {
  return {
    id: w._id,
    amountFen: w.amountFen,
    status: w.status,
    statusText: WITHDRAWAL_STATUS_TEXT[w.status],
    createdAt: w.createdAt.toISOString(),
    reviewedAt: w.reviewedAt?.toISOString() ?? null,
    paidAt: w.paidAt?.toISOString() ?? null,
    failReason: w.failReason,
    transfer:
      w.status === 'transferring' && w.provider && w.packageInfo && w.transferExpiresAt
        ? { provider: w.provider, mchId: w.transferMchId ?? '', appId: w.transferAppId ?? '', packageInfo: w.packageInfo, expiresAt: w.transferExpiresAt.toISOString() }
        : null,
  };
}

/** What the merchant weighs beside a withdrawal: the user's cash debt now and their invitees' open refund requests. */
export interface WithdrawalRisk {
  debtFen: number;
  openRefunds: number;
}

export function merchantWithdrawalView(w: WithdrawalDoc, nickname: string, risk: WithdrawalRisk): MerchantWithdrawalView {
  return { ...withdrawalView(w), userId: w.userId, nickname, reviewNote: w.reviewNote, debtFen: risk.debtFen as Fen, openRefunds: risk.openRefunds };
}

/** Each user's WithdrawalRisk, from their wallets (one query). */
export async function withdrawalRisks(ctx: DbCtx, userIds: string[]): Promise<Map<string, WithdrawalRisk>> {
  const ids = [...new Set(userIds)];
  if (!ids.length) return new Map();
  const res = await collection(ctx.db, 'wallets').where({ _id: ctx.db.command.in(ids) }).field({ cash: true, refundHolds: true }).get();
  const out = new Map(ids.map((id) => [id, { debtFen: 0, openRefunds: 0 }]));
  for (const w of res.data) out.set(w._id, { debtFen: w.cash?.debt ?? 0, openRefunds: Object.keys(w.refundHolds ?? {}).length });
  return out;
}

const snapshot = (u: UserTx): WalletSnapshot => ({ availableFen: u.wallet.cash.available, debtFen: u.wallet.cash.debt });

async function getWithdrawal(ctx: DbCtx, id: string): Promise<WithdrawalDoc | null> {
  return (await collection(ctx.db, 'withdrawals').doc(id).get()).data?.[0] ?? null;
}

const requestOp = (id: string) => `withdraw:${id}:request`;
const returnOp = (id: string) => `withdraw:${id}:return`;
const paidOp = (id: string) => `withdraw:${id}:paid`;

export async function requestWithdrawal(ctx: Ctx, input: { amountFen: number; requestId: string }): Promise<WithdrawalView> {
  const standing = await standingOf(ctx, ctx.openid);
  if (standing.blocked) throw new AppError('USER_BLOCKED');
  // What a deleted earlier account still owes is owed here before any money leaves.
  if (standing.formerAccount) await carryDebtOver(ctx, ctx.openid);
  const settings = await loadSettings(ctx);
  const userId = ctx.openid;
  const id = withdrawalIdFor(userId, input.requestId);
  const doc = await withUserTx(ctx, userId, async (u) => {
    const existing = (await txCollection(u.t, 'withdrawals').doc(id).get()).data;
    if (existing) {
      if (existing.amountFen !== input.amountFen) throw new AppError('REQUEST_ID_REUSED');
      return existing;
    }
    // Asked again here, on the wallet's mirror of the flag: a block landing after the check above writes this wallet,
    // so this transaction conflicts, reruns and refuses.
    if (u.wallet.blocked) throw new AppError('USER_BLOCKED');
    const day = shanghaiDay(u.now);
    const usedToday = u.wallet.withdrawDay.day === day ? u.wallet.withdrawDay.count : 0;
    const problem = withdrawProblem(input.amountFen, spendable(u.balances, 'cash'), usedToday, settings);
    if (problem) throw new AppError(problem);
    const seen = snapshot(u);
    u.post(requestOp(id), withdrawRequest(input.amountFen), { withdrawalId: id });
    u.wallet.withdrawDay = { day, count: usedToday + 1 };
    const w: WithdrawalDoc = {
      _id: id,
      userId,
      requestId: input.requestId,
      amountFen: input.amountFen as Fen,
      status: 'pending',
      day,
      provider: null,
      transferBillNo: null,
      packageInfo: null,
      transferExpiresAt: null,
      failReason: null,
      reviewNote: null,
      reviewedBy: null,
      walletAtRequest: seen,
      walletAtApproval: null,
      createdAt: u.now,
      reviewedAt: null,
      paidAt: null,
      updatedAt: u.now,
    };
    u.insert('withdrawals', w);
    return w;
  });
  return withdrawalView(doc);
}

/**
 * Close a withdrawal that still holds money: paid (the money left) or returned to available (rejected, failed,
 * expired). One transaction on the user's wallet; a withdrawal already closed is left as it is.
 */
export async function closeWithdrawal(ctx: DbCtx, id: string, to: 'paid' | 'rejected' | 'failed' | 'expired', detail: { reason?: string | null; reviewedBy?: string; note?: string | null } = {}): Promise<WithdrawalDoc> {
  const w0 = await getWithdrawal(ctx, id);
  if (!w0) throw new AppError('WITHDRAWAL_NOT_FOUND');
  return withUserTx(ctx, w0.userId, async (u) => {
    const w = (await txCollection(u.t, 'withdrawals').doc(id).get()).data!;
    if (!holdsMoney(w.status)) return w;
    if (to === 'rejected' && w.status !== 'pending') throw new AppError('WITHDRAWAL_STATE_CHANGED');
    const patch: Partial<WithdrawalDoc> = { status: to, updatedAt: u.now };
    if (to === 'paid') {
      u.post(paidOp(id), withdrawPaid(w.amountFen), { withdrawalId: id });
      patch.paidAt = u.now;
      u.insert('notifications', notices.withdrawalPaid(u.now, w));
    } else {
      u.post(returnOp(id), withdrawReturn(u.balances, w.amountFen), { withdrawalId: id, note: detail.reason ?? null });
      patch.failReason = detail.reason ?? null;
      // The deadline this transfer was given (the merchant's transferConfirmHours, 1–24, when it started), not a fixed 24 h.
      const expired = w.transferExpiresAt ? `未在 ${shanghaiMinute(w.transferExpiresAt)} 前确认收款。` : '未在规定时间内确认收款。';
      const why = to === 'rejected' ? (detail.note ? `原因：${detail.note}` : '') : to === 'expired' ? expired : '转账未成功。';
      u.insert('notifications', notices.withdrawalReturned(u.now, w, to, why));
    }
    if (to === 'rejected') Object.assign(patch, { reviewedAt: u.now, reviewedBy: detail.reviewedBy ?? null, reviewNote: detail.note ?? null });
    await txCollection(u.t, 'withdrawals').doc(id).update(patch);
    return { ...w, ...patch } as WithdrawalDoc;
  });
}

function requireProvider(): PayoutProvider {
  const p = payoutProvider();
  if (!p) throw new AppError('PAYOUT_UNAVAILABLE');
  return p;
}

/**
 * Merchant: reject (money returns at once, paying any debt first) or approve (the transfer starts). Approval is
 * decided in the user's wallet transaction: a wallet that owes (a reward clawed back after the money was requested)
 * is refused — the merchant rejects instead, so the returned money settles the debt. A clawback that lands after the
 * approval is the wallet's debt, paid by the next credits.
 */
export async function reviewWithdrawal(ctx: Ctx, input: { withdrawalId: string; approve: boolean; note?: string }): Promise<WithdrawalDoc> {
  const w = await getWithdrawal(ctx, input.withdrawalId);
  if (!w) throw new AppError('WITHDRAWAL_NOT_FOUND');
  if (!input.approve) return closeWithdrawal(ctx, w._id, 'rejected', { reviewedBy: ctx.openid, note: input.note ?? null });
  if (w.status !== 'pending') {
    if (w.status === 'approved' || w.status === 'transferring') return w;
    throw new AppError('WITHDRAWAL_STATE_CHANGED');
  }
  const provider = requireProvider();
  const approved = await withUserTx(ctx, w.userId, async (u) => {
    const fresh = (await txCollection(u.t, 'withdrawals').doc(w._id).get()).data;
    if (!fresh) throw new AppError('WITHDRAWAL_NOT_FOUND');
    if (fresh.status === 'approved' || fresh.status === 'transferring') return { doc: fresh, now: false };
    if (fresh.status !== 'pending') throw new AppError('WITHDRAWAL_STATE_CHANGED');
    // A user blocked after asking is paid nothing: the merchant rejects instead (the money returns to the wallet).
    if (u.wallet.blocked) throw new AppError('USER_BLOCKED', '该用户已被封禁，不能通过提现，请驳回');
    if (u.wallet.cash.debt > 0) throw new AppError('WITHDRAW_DEBT_OUTSTANDING');
    const patch = { status: 'approved' as WithdrawalStatus, reviewedAt: u.now, reviewedBy: ctx.openid, reviewNote: input.note ?? null, provider: provider.name, walletAtApproval: snapshot(u), updatedAt: u.now };
    // set as a whole: the field holds null until now, and a plain update would write into it field by field
    await txCollection(u.t, 'withdrawals').doc(w._id).update({ ...patch, walletAtApproval: u._.set(patch.walletAtApproval) });
    // The wallet is written too, so a clawback of this user racing the approval conflicts with it and goes after.
    u.touch();
    return { doc: { ...fresh, ...patch } as WithdrawalDoc, now: true };
  });
  return approved.now ? startTransfer(ctx, approved.doc, provider) : approved.doc;
}

/**
 * WeChat's answers that mean the transfer request itself is invalid (an amount it does not take without the payee's
 * real name, a malformed parameter): sent again it is refused again. Anything else (its own error, too many requests,
 * the merchant's balance short, the shop's keys or authorisation) is retried: the shop can fix it, and then it pays.
 */
const INVALID_TRANSFER_CODES = new Set(['PARAM_ERROR', 'INVALID_REQUEST']);
const REFUSED_TEXT = '微信未受理本次转账，金额已退回钱包';

/**
 * Ask the provider to transfer an approved withdrawal (again, if an earlier answer was lost: the bill number is the
 * withdrawal's id, so the provider answers the same bill). On a network error it stays approved for the timer.
 */
export async function startTransfer(ctx: DbCtx, w: WithdrawalDoc, provider: PayoutProvider = requireProvider()): Promise<WithdrawalDoc> {
  let bill;
  let found = false;
  try {
    const create = () => provider.create({ outBillNo: w._id, openid: w.userId, amountFen: w.amountFen, remark: '邀请奖励提现' });
    const queried = await provider.query(w._id);
    found = !!queried;
    bill = queried ?? (await create());
    // A bill made before a crash is found by the query, which has no package_info: create again answers the same bill with it (found by faults.test.ts).
    if (transferOutcome(bill.state) === 'wait' && !bill.packageInfo) bill = await create();
  } catch (e) {
    // WeChat has no bill for it and refused to make one as asked (it would refuse it on every try): the withdrawal
    // fails now and the money goes back to the wallet, instead of being retried for ever with the money held.
    if (!found && e instanceof PayoutError && INVALID_TRANSFER_CODES.has(e.code)) {
      console.error(`[referral] transfer for withdrawal ${w._id} refused by the provider; the money goes back`, e);
      return closeWithdrawal(ctx, w._id, 'failed', { reason: REFUSED_TEXT });
    }
    console.error(`[referral] transfer for withdrawal ${w._id} not started yet`, e);
    // Its turn moves to the back of the timer's line (settleTransfers takes the least recently tried first).
    await collection(ctx.db, 'withdrawals').where({ _id: w._id, status: 'approved' }).update({ updatedAt: ctx.clock.now() }).catch(() => undefined);
    return w;
  }
  const outcome = transferOutcome(bill.state);
  if (outcome === 'returned') return closeWithdrawal(ctx, w._id, 'failed', { reason: bill.failReason ?? bill.state });
  if (outcome === 'paid') return closeWithdrawal(ctx, w._id, 'paid');
  if (!bill.packageInfo) return w;
  const settings = await loadSettings(ctx);
  const now = ctx.clock.now();
  const patch = { status: 'transferring' as WithdrawalStatus, transferBillNo: bill.transferBillNo, packageInfo: bill.packageInfo, transferMchId: provider.mchId, transferAppId: provider.appId, transferExpiresAt: new Date(now.getTime() + settings.transferConfirmHours * 3600_000), updatedAt: now };
  const res = await collection(ctx.db, 'withdrawals').where({ _id: w._id, status: 'approved' }).updateAndReturn(patch);
  if (res.doc) await enqueueNotice(ctx, notices.transferWaiting(now, w, patch.transferExpiresAt));
  return res.doc ?? (await getWithdrawal(ctx, w._id)) ?? w;
}

/** Ask the provider how a transfer ended and close the withdrawal accordingly (or leave it waiting). */
export async function checkTransfer(ctx: DbCtx, w: WithdrawalDoc, provider: PayoutProvider, expireIfWaiting: boolean): Promise<WithdrawalDoc> {
  if (expireIfWaiting) await provider.cancel(w._id);
  const bill = await provider.query(w._id);
  if (!bill) return expireIfWaiting ? closeWithdrawal(ctx, w._id, 'expired', { reason: 'NOT_FOUND' }) : w;
  const outcome = transferOutcome(bill.state);
  if (outcome === 'paid') return closeWithdrawal(ctx, w._id, 'paid');
  if (outcome === 'returned') return closeWithdrawal(ctx, w._id, expireIfWaiting ? 'expired' : 'failed', { reason: bill.failReason ?? bill.state });
  return w;
}

/** 确认收款: the app confirmed in WeChat; the provider says whether the money arrived. */
export async function confirmTransfer(ctx: Ctx, input: { withdrawalId: string }): Promise<WithdrawalView> {
  const w = await getWithdrawal(ctx, input.withdrawalId);
  if (!w || w.userId !== ctx.openid) throw new AppError('WITHDRAWAL_NOT_FOUND');
  if (w.status !== 'transferring') return withdrawalView(w);
  const provider = requireProvider();
  await provider.afterUserConfirm(w._id);
  return withdrawalView(await checkTransfer(ctx, w, provider, false));
}

export async function listMyWithdrawals(ctx: Ctx, input: { cursor?: number; pageSize?: number }) {
  const offset = input.cursor ?? 0;
  const size = input.pageSize ?? 20;
  const res = await collection(ctx.db, 'withdrawals').where({ userId: ctx.openid }).orderBy('createdAt', 'desc').skip(offset).limit(size + 1).get();
  const docs = res.data;
  return { items: docs.slice(0, size).map(withdrawalView), next: docs.length > size ? offset + size : null };
}
