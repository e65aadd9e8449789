/**
 * The wallet as people read it: one line per business event, not per ledger leg. A reward is one line whose status
 * moves 冻结中 → 可提现 (or 已作废 / 已追回); a withdrawal one line 处理中 → 已到账 (or 已退回); a checkout spend one
 * line per order and asset; anything else one line per operation. The legs stay available as the line's detail.
 * Pure: the app layer reads the entries (every leg of each event) and hands them here.
 */
import type { LedgerAsset, LedgerBucket, LedgerReason } from '../../types/modules/referral.models';

export interface ActivityLeg {
  _id: string;
  op: string;
  asset: LedgerAsset;
  bucket: LedgerBucket;
  amount: number;
  reason: LedgerReason;
  rewardId: string | null;
  withdrawalId: string | null;
  orderId: string | null;
  note: string | null;
  createdAt: Date;
}

export type ActivityKind = 'reward' | 'withdrawal' | 'spend' | 'credit' | 'other';

export type ActivityStatus = 'frozen' | 'available' | 'voided' | 'clawed_back' | 'processing' | 'paid' | 'returned' | 'spent' | 'done';

export interface Activity<L extends ActivityLeg = ActivityLeg> {
  key: string;
  kind: ActivityKind;
  asset: LedgerAsset;
  title: string;
  /** Signed, in the asset's unit (fen or points): what the event means to the user (+ a reward, − a withdrawal). */
  amount: number;
  status: ActivityStatus;
  statusText: string;
  /** The states it went through, e.g. ['冻结中', '可提现']. */
  steps: string[];
  note: string | null;
  startedAt: Date;
  updatedAt: Date;
  /** Oldest first. */
  legs: L[];
}

/** The event a leg belongs to. Reward legs also carry the order; the reward comes first. */
export function activityKey(leg: Pick<ActivityLeg, 'op' | 'asset' | 'reason' | 'rewardId' | 'withdrawalId' | 'orderId'>): string {
  if (leg.rewardId) return `reward:${leg.rewardId}:${leg.asset}`;
  if (leg.withdrawalId) return `withdraw:${leg.withdrawalId}:${leg.asset}`;
  if (leg.orderId && (leg.reason === 'order_spend' || leg.reason === 'order_spend_return')) {
    // One event per checkout attempt: a create that failed after spending gave its spend back, and its retry spent
    // anew (`spend:<order>#2`, wallet/checkoutSpend.ts).
    const attempt = /#(\d+)$/.exec(leg.op)?.[1];
    return `spend:${leg.orderId}${attempt ? `#${attempt}` : ''}:${leg.asset}`;
  }
  return `op:${leg.op}:${leg.asset}`;
}

/** Newest first, as the ledger is listed: createdAt descending, then _id ascending. */
export function newerFirst(a: Pick<ActivityLeg, '_id' | 'createdAt'>, b: Pick<ActivityLeg, '_id' | 'createdAt'>): number {
  const t = b.createdAt.getTime() - a.createdAt.getTime();
  return t !== 0 ? t : a._id < b._id ? -1 : a._id > b._id ? 1 : 0;
}

/** The ledger legs of a 拼团 leader's reward carry `rewardId` group-leader:<groupId> (no reward document). */
export const isLeaderReward = (rewardId: string | null | undefined) => !!rewardId?.startsWith('group-leader:');

const has = (legs: ActivityLeg[], reason: LedgerReason) => legs.some((l) => l.reason === reason);
const sum = (legs: ActivityLeg[]) => legs.reduce((s, l) => s + l.amount, 0);
const noteOf = (legs: ActivityLeg[], ...reasons: LedgerReason[]) => legs.find((l) => reasons.includes(l.reason) && l.note)?.note ?? null;

function describe(kind: ActivityKind, asset: LedgerAsset, legs: ActivityLeg[]): Pick<Activity, 'title' | 'amount' | 'status' | 'statusText' | 'steps' | 'note'> {
  const points = asset === 'points';
  switch (kind) {
    case 'reward': {
      const granted = sum(legs.filter((l) => l.reason === 'reward_frozen' && l.bucket === 'frozen'));
      const amount = granted || Math.abs(sum(legs.filter((l) => l.reason === 'reward_posted' && l.bucket === 'frozen')));
      const usable = points ? '已到账' : '可提现';
      const steps = ['冻结中'];
      if (has(legs, 'reward_posted')) steps.push(usable);
      // A 拼团 leader's reward (group/leaderReward.ts) reads as such; every other reward is an invitation's.
      const leader = isLeaderReward(legs[0].rewardId);
      const title = leader ? '拼团团长奖励' : points ? '邀请积分' : '邀请奖励';
      const refunded = leader ? '成员退款后成团人数不足' : '好友订单已退款';
      if (has(legs, 'reward_clawback')) return { title, amount, status: 'clawed_back', statusText: '已追回', steps: [...steps, '已追回'], note: noteOf(legs, 'reward_clawback') ?? refunded };
      if (has(legs, 'reward_voided')) return { title, amount, status: 'voided', statusText: '已作废', steps: [...steps, '已作废'], note: noteOf(legs, 'reward_voided') ?? refunded };
      if (has(legs, 'reward_posted')) return { title, amount, status: 'available', statusText: usable, steps, note: null };
      return { title, amount, status: 'frozen', statusText: '冻结中', steps, note: leader ? '成员确认收货且退款期结束后到账' : '好友的退款期结束后可用' };
    }
    case 'withdrawal': {
      const amount = -Math.abs(sum(legs.filter((l) => l.reason === 'withdraw_requested' && l.bucket === 'withdrawing')) || sum(legs.filter((l) => l.reason === 'withdraw_requested' && l.bucket === 'available')));
      const title = '提现到微信零钱';
      if (has(legs, 'withdraw_paid')) return { title, amount, status: 'paid', statusText: '已到账', steps: ['处理中', '已到账'], note: null };
      if (has(legs, 'withdraw_returned')) return { title, amount, status: 'returned', statusText: '已退回', steps: ['处理中', '已退回'], note: noteOf(legs, 'withdraw_returned') ?? '提现未成功，金额已退回余额' };
      return { title, amount, status: 'processing', statusText: '处理中', steps: ['处理中'], note: null };
    }
    case 'spend': {
      const amount = sum(legs.filter((l) => l.reason === 'order_spend' && l.bucket === 'available'));
      const title = points ? '下单积分抵扣' : '下单余额抵扣';
      if (has(legs, 'order_spend_return')) return { title, amount, status: 'returned', statusText: '已退回', steps: ['已抵扣', '已退回'], note: '订单取消或退款' };
      return { title, amount, status: 'spent', statusText: '已抵扣', steps: ['已抵扣'], note: null };
    }
    default: {
      // What an account deleted earlier still owed, carried to this one: owed (−), paid by the next credits.
      if (has(legs, 'debt_carried')) {
        const owed = legs.reduce((n, l) => n + (l.bucket === 'debt' ? l.amount : -l.amount), 0);
        const stillOwed = legs.some((l) => l.bucket === 'debt' && l.amount > 0);
        return { title: points ? '注销前被追回的积分' : '注销前被追回的奖励', amount: -owed, status: 'done', statusText: stillOwed ? '待抵扣' : '已抵扣', steps: [], note: '注销账户前已到账的奖励被追回，由之后的奖励抵扣' };
      }
      // Anything else: what it did to the spendable balance (a points credit, a debt settled from available).
      const onAvailable = legs.filter((l) => l.bucket === 'available');
      const amount = onAvailable.length ? sum(onAvailable) : sum(legs);
      const first = legs[0];
      const title =
        first.reason === 'points_credit' ? (first.note ?? '获得积分') : legs.some((l) => l.reason === 'debt_repaid' || l.bucket === 'debt') ? (points ? '抵扣待追回积分' : '抵扣待追回奖励') : '余额变动';
      return { title, amount, status: 'done', statusText: amount >= 0 ? '已到账' : '已完成', steps: [], note: null };
    }
  }
}

function kindOf(key: string): ActivityKind {
  if (key.startsWith('reward:')) return 'reward';
  if (key.startsWith('withdraw:')) return 'withdrawal';
  if (key.startsWith('spend:')) return 'spend';
  return key.startsWith('op:credit:') ? 'credit' : 'other';
}

/** Groups legs into events, newest activity first (an event sits where its latest leg is). */
export function groupActivity<L extends ActivityLeg>(legs: L[]): Activity<L>[] {
  const byKey = new Map<string, L[]>();
  for (const leg of legs) {
    const key = activityKey(leg);
    const list = byKey.get(key);
    if (list) list.push(leg);
    else byKey.set(key, [leg]);
  }
  const events: Activity<L>[] = [];
  for (const [key, group] of byKey) {
    const oldestFirst = [...group].sort((a, b) => newerFirst(b, a));
    const kind = kindOf(key);
    const asset = oldestFirst[0].asset;
    events.push({
      key,
      kind,
      asset,
      ...describe(kind, asset, oldestFirst),
      startedAt: oldestFirst[0].createdAt,
      updatedAt: oldestFirst[oldestFirst.length - 1].createdAt,
      legs: oldestFirst,
    });
  }
  return events.sort((a, b) => newerFirst(a.legs[a.legs.length - 1], b.legs[b.legs.length - 1]));
}
