/** Actions of the referral module (functions `user`, `referral`, `wallet`, and its part of `merchant`). */
import type { Me, Page } from '../api';
import type { AtRev, SentRev } from '../revision';
import type { ErrorCode } from '../errors';
import type { RebateRuleDoc } from '../models';
import type { Fen } from '../money';
import type { BindSource, LedgerAsset, LedgerBucket, ReferralSettingsDoc, RewardForm, RewardStatus, WithdrawalStatus } from './referral.models';

export type { BindSource, ReferralDoc, LedgerEntryDoc, WalletDoc, RewardDoc, WithdrawalDoc, ReferralSettingsDoc, ReferralEventDoc } from './referral.models';

/** What happened to an invite that came with this call. */
export interface BindingOutcome {
  bound: boolean;
  /** Held until the user consents to the privacy notice, then bound. */
  pending: boolean;
  /** Why it did not bind: a catalogued code (SELF_INVITE, ALREADY_BOUND, BIND_CYCLE, BIND_AFTER_PURCHASE, …). */
  reason: ErrorCode | null;
}

export interface LoginResult extends Me {
  /** The privacy notice is agreed; until then the app asks first. */
  consented: boolean;
  /** Whether the user has an inviter (bound). */
  hasInviter: boolean;
  /** The outcome of the invite this open carried, or null when it carried none. */
  binding: BindingOutcome | null;
  /**
   * The friend this open's invite points at (login from a card / poster / assist card) or whose held invite consent
   * just bound: their nickname masked as everywhere else (types/names.ts). Null when there is none, or when that
   * friend has not agreed to the privacy notice themself.
   */
  inviter: { nickname: string } | null;
}

export interface LoginInput {
  inviteCode?: string;
  source?: 'card' | 'poster' | 'code';
  /** Opened from an assist card: the task's owner is the inviter. */
  taskId?: string;
}

export interface UserActions {
  login: [LoginInput, LoginResult];
  consent: [{ version: string }, LoginResult];
  profile: [{ nickname?: string; avatarUrl?: string }, LoginResult];
  /** A typed invite code (填写邀请码): refused with a catalogued code when it cannot bind. */
  bindCode: [{ inviteCode: string }, BindingOutcome];
  /** Every document of the caller's, as JSON (personal fields decrypted for them). */
  exportData: [Record<string, never>, { exportedAt: string; openid: string; collections: Record<string, Record<string, unknown>[]> }];
  /** Erase the caller's personal data and replace their id by a tombstone; `confirm` must be 注销. */
  deleteAccount: [{ confirm: string }, { deleted: true }];
}

export interface InviteCard {
  inviteCode: string;
  /** Page path a share card opens (onShareAppMessage). */
  sharePath: string;
  /** Path a poster's code opens. */
  posterPath: string;
  /** The poster's QR code as a PNG data URL (local build; production uses a mini-program code for `posterPath`). */
  posterQr: string;
  title: string;
}

/** The poster's 小程序码 (wxacode.getUnlimited), kept in cloud storage: a temporary link to the image. */
export interface PosterCode {
  imageUrl: string;
  /** What the code carries (`i=<invite code>`), read at launch. */
  scene: string;
  /** The page it opens. */
  page: string;
}

export type InviteeStatus = 'bound' | 'bought' | 'confirmed';

export interface InviteeView {
  /** Masked: 小* / A***e. */
  nickname: string;
  avatarUrl: string;
  /** For the generated avatar when there is no picture (types/names avatarSeedOf). */
  avatarSeed: string;
  source: BindSource;
  status: InviteeStatus;
  boundAt: string;
}

export interface ReferralProgress {
  /** The everyN rule shown (highest priority active), or null when none is active. */
  ruleId: string | null;
  ruleName: string | null;
  n: number;
  /** Converted invitees counting toward the next reward (0 … n-1); n right after a group completed. */
  current: number;
  /** "2/3". */
  text: string;
  /** Completed groups so far (rewarded or capped, not voided). */
  groups: number;
  invitees: number;
  converted: number;
  rewardText: string | null;
}

export interface WalletSummary {
  cash: { availableFen: Fen; frozenFen: Fen; withdrawingFen: Fen; debtFen: Fen };
  points: { available: number; frozen: number; debt: number };
  /** Coupons usable now / held until a refund deadline. */
  coupons: { available: number; held: number };
  pointsPerYuan: number;
  /** transferConfirmHours: how long the shopper has to 确认收款 once a transfer starts (the merchant's setting, 1–24). */
  withdraw: { minFen: Fen; maxFen: Fen; dailyCount: number; usedToday: number; transferConfirmHours: number };
  /** When the earliest frozen cash reward becomes available (its refund window closes); null when none is dated yet. */
  nextUnfreezeAt: string | null;
}

export interface LedgerEntryView {
  id: string;
  asset: LedgerAsset;
  bucket: LedgerBucket;
  amount: number;
  /** Readable Chinese reason, e.g. "邀请奖励到账". */
  title: string;
  /** The bucket in Chinese: 可用 / 冻结 / 提现中 / 待抵扣. */
  bucketText: string;
  createdAt: string;
}

/**
 * One line of the wallet per business event (a reward, a withdrawal, a checkout spend, a credit), not per ledger leg:
 * 邀请奖励 +¥50 冻结中 → 可提现; 提现 −¥50 已到账. The legs are the bookkeeping, for the detail view.
 */
export interface WalletActivityView {
  id: string;
  kind: 'reward' | 'withdrawal' | 'spend' | 'credit' | 'other';
  asset: LedgerAsset;
  title: string;
  /** Signed, fen or points: + a reward or a credit, − a withdrawal or a spend. */
  amount: number;
  status: 'frozen' | 'available' | 'voided' | 'clawed_back' | 'processing' | 'paid' | 'returned' | 'spent' | 'done';
  statusText: string;
  /** The states it went through, e.g. ["冻结中", "可提现"]. */
  steps: string[];
  note: string | null;
  startedAt: string;
  updatedAt: string;
  /** The ledger legs, oldest first. */
  legs: LedgerEntryView[];
}

export interface WithdrawalView {
  id: string;
  amountFen: Fen;
  status: WithdrawalStatus;
  statusText: string;
  createdAt: string;
  reviewedAt: string | null;
  paidAt: string | null;
  failReason: string | null;
  /** While transferring: what the app passes to wx.requestMerchantTransfer (mchId, appId, package) and when it expires. */
  transfer: { provider: 'local' | 'wechat'; mchId: string; appId: string; packageInfo: string; expiresAt: string } | null;
}

export interface MerchantWithdrawalView extends WithdrawalView {
  userId: string;
  nickname: string;
  reviewNote: string | null;
  /** What the merchant weighs before paying out: the shopper's cash debt now, and their invitees' open refund requests. */
  debtFen: Fen;
  openRefunds: number;
}

export interface RewardView {
  id: string;
  userId: string;
  ruleId: string;
  ruleName: string;
  trigger: 'everyN' | 'eachOrder';
  form: RewardForm;
  amount: number;
  status: RewardStatus;
  orderId: string;
  memberOrderIds: string[];
  maturesAt: string | null;
  reason: string | null;
  createdAt: string;
}

export interface RebateRuleInput extends SentRev {
  /** Omit to create a rule. */
  id?: string;
  name: string;
  active: boolean;
  priority: number;
  reward: RebateRuleDoc['reward'];
  trigger: RebateRuleDoc['trigger'];
  caps: RebateRuleDoc['caps'];
  productIds: string[] | null;
  startsAt: string | null;
  endsAt: string | null;
}

export interface SavedRebateRule extends Omit<RebateRuleInput, 'id' | 'rev'>, AtRev {
  id: string;
  updatedAt: string;
}

/** The merchant's referral and wallet settings as the API shows them: the stored document without its bookkeeping. */
export type ReferralSettings = Omit<ReferralSettingsDoc, '_id' | 'updatedAt'>;

/** A coupon in the wallet (the shop module owns coupons; this is what the wallet lists). */
export interface WalletCouponView {
  id: string;
  title: string;
  amountFen: Fen;
  minSpendFen: Fen;
  /** held = a reward still inside its order's refund window. */
  status: string;
  expiresAt: string | null;
}

export interface ReferralActions {
  myInviteCard: [Record<string, never>, InviteCard];
  /** The poster's 小程序码, made once per user and kept in cloud storage. */
  posterCode: [Record<string, never>, PosterCode];
  myInvitees: [{ cursor?: number; pageSize?: number }, Page<InviteeView>];
  progress: [Record<string, never>, ReferralProgress];
}

export interface WalletActions {
  summary: [Record<string, never>, WalletSummary];
  entries: [{ cursor?: number; pageSize?: number; asset?: LedgerAsset }, Page<LedgerEntryView>];
  /** The wallet as business events, newest activity first (each with its ledger legs). */
  activity: [{ cursor?: number; pageSize?: number; asset?: LedgerAsset }, Page<WalletActivityView>];
  coupons: [{ status?: 'available' | 'held' | 'used' | 'expired' }, WalletCouponView[]];
  /** Made once per intent by the client: two taps with the same requestId withdraw once. */
  withdraw: [{ amountFen: number; requestId: string }, WithdrawalView];
  withdrawals: [{ cursor?: number; pageSize?: number }, Page<WithdrawalView>];
  /** 确认收款: after wx.requestMerchantTransfer, the server checks the transfer with the provider. */
  confirmTransfer: [{ withdrawalId: string }, WithdrawalView];
}

export interface MerchantReferralActions {
  saveRebateRule: [RebateRuleInput, SavedRebateRule];
  listRebateRules: [Record<string, never>, SavedRebateRule[]];
  /** The settings in force (defaults where the merchant set nothing). */
  getReferralSettings: [Record<string, never>, ReferralSettings & AtRev];
  saveReferralSettings: [Partial<ReferralSettings> & SentRev, ReferralSettings & AtRev];
  listWithdrawals: [{ status?: WithdrawalStatus; cursor?: number; pageSize?: number }, Page<MerchantWithdrawalView>];
  reviewWithdrawal: [{ withdrawalId: string; approve: boolean; note?: string }, MerchantWithdrawalView];
  listRewards: [{ userId?: string; status?: RewardStatus; cursor?: number; pageSize?: number }, Page<RewardView>];
  /** Fraud found later: a reversing entry with the reason (a debt if the reward was already paid out). */
  voidReward: [{ rewardId: string; reason: string }, RewardView];
}
