/**
 * Documents of the referral module (binding, rebates, the ledger wallet, withdrawals) as stored. Money is integer
 * fen, points are integers, times are Dates. UserDoc and RebateRuleDoc live in types/models.ts.
 */
import type { Fen } from '../money';

export type BindSource = 'card' | 'poster' | 'code' | 'assist';

/** `referrals/<invitee openid>`: one per invitee, bound to one direct inviter. */
export interface ReferralDoc {
  _id: string;
  inviterId: string;
  /** The inviter's own inviter when bound: analytics only, never rewarded (one level). */
  upline: string | null;
  source: BindSource;
  boundAt: Date;
  /** The merchant's binding validity, if any: orders paid after it earn nothing, and an unconverted invitee may be bound anew. */
  expiresAt: Date | null;
  /** bound → converted (first paid order) → reversed (that order refunded; a later order converts again). */
  status: 'bound' | 'converted' | 'reversed';
  /** The order that converted this invitee, while converted. */
  conversion: ReferralConversion | null;
  /** How many times this invitee converted (a refunded invitee can convert again). */
  conversions: number;
  /** When the merchant's funnel counted this invitee as confirmed (once per invitee, merchant/jobs.ts); null until then. */
  confirmedAt?: Date | null;
  /**
   * Orders of this invitee already refunded (written by the refund's settlement step): a settlement of one of them
   * that runs late, from a copy of the order read before the refund, earns nothing.
   */
  refundedOrderIds?: string[];
  updatedAt: Date;
}

export interface ReferralConversion {
  orderId: string;
  at: Date;
  /** Known once the order is received; the conversion is "confirmed" when it has passed. */
  refundDeadline: Date | null;
  /** The everyN rule whose group this conversion counts for (null: no everyN rule matched). */
  ruleId: string | null;
}

export type LedgerAsset = 'cash' | 'points';
export type LedgerBucket = 'available' | 'frozen' | 'withdrawing' | 'debt';

export type LedgerReason =
  | 'reward_frozen'
  | 'reward_posted'
  | 'reward_voided'
  | 'reward_clawback'
  | 'debt_repaid'
  /** What a deleted account still owed, carried to the same person's new account (and out of the tombstone's). */
  | 'debt_carried'
  | 'points_credit'
  | 'order_spend'
  | 'order_spend_return'
  | 'withdraw_requested'
  | 'withdraw_returned'
  | 'withdraw_paid';

/**
 * `ledger/<sourceKey>`: one leg of one operation, never edited. `sourceKey` = `${op}|${asset}|${bucket}` is unique
 * (the idempotency key): an operation touches each bucket at most once, so replaying it writes nothing new.
 * Amounts are signed (fen for cash, points for points); a wallet bucket is the sum of its entries.
 */
export interface LedgerEntryDoc {
  _id: string;
  sourceKey: string;
  /** The operation, e.g. `reward:<rewardId>:post`, `withdraw:<id>:request`, `spend:<orderId>`. */
  op: string;
  userId: string;
  asset: LedgerAsset;
  bucket: LedgerBucket;
  amount: number;
  reason: LedgerReason;
  rewardId: string | null;
  orderId: string | null;
  withdrawalId: string | null;
  /** A points leg's worth in fen when it paid for something (checkout), else null. */
  valueFen: number | null;
  note: string | null;
  createdAt: Date;
}

export interface Balances {
  available: number;
  frozen: number;
  withdrawing: number;
  /** What the user owes (a reward clawed back after it was paid out): the next rewards pay it first. Never negative. */
  debt: number;
}

/** A member of a 推三返一 group: one converted invitee and the order that converted them. */
export interface GroupMember {
  inviteeId: string;
  orderId: string;
  refundDeadline: Date | null;
}

/**
 * `wallets/<openid>`: balances derived from the ledger, written in the same transaction as the entries, plus the
 * inviter's rebate progress and caps (changed in the same per-user transactions, so they serialize with money).
 */
export interface WalletDoc {
  _id: string;
  cash: Balances;
  points: Balances;
  /** everyN rule id → converted invitees not yet in a completed group (fewer than n). */
  progress: Record<string, { pool: GroupMember[]; groups: number }>;
  /** rule id → rewards counted against its caps. */
  caps: Record<string, { total: number; day: string; dayCount: number }>;
  /** Withdrawals requested on `day` (Asia/Shanghai), for the daily limit. */
  withdrawDay: { day: string; count: number };
  /**
   * Orders (by id) of this user's invitees with a refund request open: rewards counting one of them do not post
   * until the merchant decides (DESIGN rule 10). Kept in the wallet so that posting, which reads the wallet in its
   * transaction, sees every hold placed before it commits.
   */
  refundHolds?: Record<string, Date>;
  /**
   * The merchant blocked this user (a mirror of `users/<openid>.blocked`, written by blocking): the settlement reads
   * it in the transaction that would reward them, so a blocked inviter earns nothing without another read.
   */
  blocked?: boolean;
  /**
   * An account deletion is moving this wallet (the tombstone id it moves to; set on both the user's and the
   * tombstone's wallet): no transaction changes either until the move is done (cloudfunctions/app/account.ts).
   */
  closing?: string | null;
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

export type RewardForm = 'cash' | 'coupon' | 'points';
/** frozen until its orders' refund deadlines pass; available once posted; voided if an order was refunded in time; capped = a group or order that a cap left unpaid. */
export type RewardStatus = 'frozen' | 'available' | 'voided' | 'capped';

/** `rewards/<id>`: one rebate earned by an inviter (cash and points move through the ledger; coupons are the shop's). */
export interface RewardDoc {
  _id: string;
  userId: string;
  ruleId: string;
  ruleName: string;
  trigger: 'everyN' | 'eachOrder';
  form: RewardForm;
  /** fen for cash and coupon rewards, points for points rewards. */
  amount: number;
  coupon: { minSpendFen: Fen; validDays: number } | null;
  /** The order whose settlement created it. */
  orderId: string;
  /** The orders whose refund windows hold it frozen (a group's N members, or the one order). */
  members: GroupMember[];
  status: RewardStatus;
  /** When every member's refund deadline is known: the latest of them. Null until then. */
  maturesAt: Date | null;
  /** Asia/Shanghai day it was earned (daily caps). */
  day: string;
  /** Set when a coupon operation is owed to the shop's coupon module (issue, activate or void, following `status`). */
  couponSyncAt: Date | null;
  reason: string | null;
  createdAt: Date;
  postedAt: Date | null;
  voidedAt: Date | null;
  /** The status a void took it from (frozen, available or capped): a paid one counts as issued and voided on the dashboard. Absent on older voids. */
  voidedFrom?: 'frozen' | 'available' | 'capped';
  updatedAt: Date;
}

export type WithdrawalStatus = 'pending' | 'approved' | 'transferring' | 'paid' | 'rejected' | 'failed' | 'expired';

/** `withdrawals/<id>`: `_id` is derived from (user, requestId), alphanumeric, and doubles as the transfer's out_bill_no. */
export interface WithdrawalDoc {
  _id: string;
  userId: string;
  requestId: string;
  amountFen: Fen;
  status: WithdrawalStatus;
  /** Asia/Shanghai day requested (the daily count limit). */
  day: string;
  provider: 'local' | 'wechat' | null;
  transferBillNo: string | null;
  /** What wx.requestMerchantTransfer needs to show the confirm-receipt page: the bill's package, and the merchant id
   * and appid the bill was made with (absent on withdrawals that never reached the provider). */
  packageInfo: string | null;
  transferMchId?: string | null;
  transferAppId?: string | null;
  /** An unconfirmed transfer is cancelled and the money returned after this. */
  transferExpiresAt: Date | null;
  failReason: string | null;
  reviewNote: string | null;
  reviewedBy: string | null;
  /** The user's cash as the request and the approval saw it, in the wallet's transaction (what the audit checks). */
  walletAtRequest?: WalletSnapshot | null;
  walletAtApproval?: WalletSnapshot | null;
  createdAt: Date;
  reviewedAt: Date | null;
  paidAt: Date | null;
  updatedAt: Date;
}

export interface WalletSnapshot {
  availableFen: number;
  debtFen: number;
}

/** `settings/referral`: the merchant's referral and wallet settings. */
export interface ReferralSettingsDoc {
  _id: 'referral';
  /** Days a binding lasts; null = permanent. */
  bindingValidityDays: number | null;
  /** Points worth ¥1 (default 100). */
  pointsPerYuan: number;
  /** Share of an order that points may pay, in basis points (default 5000 = 50 %). */
  pointsMaxShareBp: number;
  withdrawMinFen: Fen;
  withdrawMaxFen: Fen;
  withdrawDailyCount: number;
  /** Hours a transfer waits for the user's confirmation before it is cancelled (WeChat: 24). */
  transferConfirmHours: number;
  updatedAt: Date;
}

/** `events/<auto>`: the funnel — card/poster/assist opens, binds, conversions — for the merchant's stats. */
export interface ReferralEventDoc {
  type: 'open' | 'bind' | 'bind_pending';
  userId: string;
  inviterId: string | null;
  source: BindSource | null;
  /** For an open: whether it bound, else the catalogued reason it did not. */
  bound: boolean | null;
  reason: string | null;
  orderId: string | null;
  /** Asia/Shanghai calendar day. */
  day: string;
  at: Date;
}
