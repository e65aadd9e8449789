/** What the wallet page reads: the summary (balances, limits, the next unfreeze), the raw ledger and the coupons. */
import type { Page } from '../../../types/api';
import type { Fen } from '../../../types/money';
import type { LedgerEntryView, WalletCouponView, WalletSummary } from '../../../types/modules/referral.api';
import type { LedgerAsset, LedgerBucket, LedgerEntryDoc, LedgerReason } from '../../../types/modules/referral.models';
import { shanghaiDay } from '../../domain/rebateRules';
import { isLeaderReward } from '../../domain/walletActivity';
import { collection } from '../../infra/collections';
import type { Ctx } from '../../infra/handler';
import { listMyCoupons } from '../coupons/coupons';
import { loadSettings } from './settings';
import { normalizeWallet } from './tx';

export async function walletSummary(ctx: Ctx): Promise<WalletSummary> {
  const _ = ctx.db.command;
  const now = ctx.clock.now();
  const [walletRes, settings, coupons, nextFrozen] = await Promise.all([
    collection(ctx.db, 'wallets').doc(ctx.openid).get(),
    loadSettings(ctx),
    collection(ctx.db, 'coupons').where({ ownerId: ctx.openid, status: _.in(['available', 'held']) }).field({ status: true, expiresAt: true }).limit(1000).get(),
    // The earliest dated frozen cash reward (index user_status_matures); undated ones wait for the friend's receipt.
    collection(ctx.db, 'rewards').where({ userId: ctx.openid, status: 'frozen', form: 'cash', maturesAt: _.gt(new Date(0)) }).orderBy('maturesAt', 'asc').field({ maturesAt: true }).limit(1).get(),
  ]);
  const nextUnfreeze = nextFrozen.data[0]?.maturesAt ?? null;
  const w = normalizeWallet(ctx.openid, walletRes.data?.[0], now);
  const list = coupons.data;
  const today = shanghaiDay(now);
  return {
    cash: { availableFen: w.cash.available as Fen, frozenFen: w.cash.frozen as Fen, withdrawingFen: w.cash.withdrawing as Fen, debtFen: w.cash.debt as Fen },
    points: { available: w.points.available, frozen: w.points.frozen, debt: w.points.debt },
    coupons: { available: list.filter((c) => c.status === 'available' && (!c.expiresAt || c.expiresAt > now)).length, held: list.filter((c) => c.status === 'held').length },
    pointsPerYuan: settings.pointsPerYuan,
    withdraw: { minFen: settings.withdrawMinFen, maxFen: settings.withdrawMaxFen, dailyCount: settings.withdrawDailyCount, usedToday: w.withdrawDay.day === today ? w.withdrawDay.count : 0, transferConfirmHours: settings.transferConfirmHours },
    nextUnfreezeAt: nextUnfreeze ? new Date(nextUnfreeze).toISOString() : null,
  };
}

const BUCKET_TEXT: Record<LedgerBucket, string> = { available: '可用', frozen: '冻结', withdrawing: '提现中', debt: '待抵扣' };

/** A readable reason per (reason, bucket): the same operation reads differently in each bucket it touches. */
export function entryTitle(e: Pick<LedgerEntryDoc, 'reason' | 'bucket' | 'asset' | 'note'> & { rewardId?: string | null; amount?: number }): string {
  const leader = isLeaderReward(e.rewardId);
  const plain = e.asset === 'points' ? '积分' : '奖励';
  const what = leader ? '拼团团长奖励' : e.asset === 'points' ? '邀请积分' : '邀请奖励';
  const titles: Record<LedgerReason, string> = {
    reward_frozen: leader ? `${what}（冻结中，成员退款期结束后到账）` : `${what}（冻结中，好友退款期结束后可用）`,
    reward_posted: e.bucket === 'frozen' ? `${what}解冻` : `${what}到账`,
    reward_voided: `${what}作废（${e.note ?? '好友订单已退款'}）`,
    reward_clawback: e.bucket === 'debt' ? `已到账${plain}被追回，待后续奖励抵扣（${e.note ?? '好友订单已退款'}）` : `已到账${plain}被追回（${e.note ?? '好友订单已退款'}）`,
    debt_repaid: `抵扣待追回${plain}`,
    debt_carried: e.bucket === 'available' ? `抵扣注销前被追回的${plain}` : (e.amount ?? 0) >= 0 ? `注销前被追回的${plain}，待后续奖励抵扣` : `被追回的${plain}转至同一用户的新账户`,
    points_credit: e.note ?? '获得积分',
    order_spend: e.asset === 'points' ? '下单积分抵扣' : '下单余额抵扣',
    order_spend_return: e.asset === 'points' ? '订单取消或退款，积分退回' : '订单取消或退款，余额退回',
    withdraw_requested: e.bucket === 'withdrawing' ? '提现处理中' : '申请提现',
    withdraw_returned: e.bucket === 'withdrawing' ? '提现退回' : '提现未成功，退回余额',
    withdraw_paid: '提现到账微信零钱',
  };
  return titles[e.reason];
}

export function entryView(e: LedgerEntryDoc): LedgerEntryView {
  return { id: e._id, asset: e.asset, bucket: e.bucket, amount: e.amount, title: entryTitle(e), bucketText: BUCKET_TEXT[e.bucket], createdAt: e.createdAt.toISOString() };
}

export async function walletEntries(ctx: Ctx, input: { cursor?: number; pageSize?: number; asset?: LedgerAsset }): Promise<Page<LedgerEntryView>> {
  const offset = input.cursor ?? 0;
  const size = input.pageSize ?? 20;
  const where: Record<string, unknown> = { userId: ctx.openid };
  if (input.asset) where.asset = input.asset;
  const res = await collection(ctx.db, 'ledger').where(where).orderBy('createdAt', 'desc').orderBy('_id', 'asc').skip(offset).limit(size + 1).get();
  const docs = res.data;
  return { items: docs.slice(0, size).map(entryView), next: docs.length > size ? offset + size : null };
}

export async function walletCoupons(ctx: Ctx, input: { status?: 'available' | 'held' | 'used' | 'expired' }): Promise<WalletCouponView[]> {
  const list = await listMyCoupons(ctx, input);
  return list.map((c) => ({ id: c.id, title: c.title, amountFen: c.amountFen, minSpendFen: c.minSpendFen, status: c.status, expiresAt: c.expiresAt }));
}
