/** The merchant tab's own actions (function `merchant`): the dashboard, products, users, blocking and merchants. */
import type { SentRev } from '../revision';
import type { Page, Role } from '../api';
import type { Fen } from '../money';
import type { LedgerAsset, LedgerBucket, LedgerReason, RewardForm } from './referral.models';
import type { RewardView } from './referral.api';

export type StatsRange = 'today' | '7d' | '30d';

/** One step of the referral funnel; `rateBp` is its count over the previous step's, in basis points (null: no base). */
export interface FunnelStep {
  key: 'cardOpens' | 'cardLogins' | 'bound' | 'converted' | 'confirmed';
  label: string;
  count: number;
  rateBp: number | null;
}

/** One reward form's rebates in the range: how many, their face value, their cost in fen (points at the wallet rate). */
export interface RebateFormTotals {
  count: number;
  /** fen for cash and coupons, points for points. */
  amount: number;
  costFen: Fen;
}

export interface DashboardView {
  range: StatsRange;
  /** Asia/Shanghai calendar days shown, oldest first. */
  days: string[];
  /** Daily series, one number per day of `days`. */
  series: {
    newUsers: number[];
    activeUsers: number[];
    invitedUsers: number[];
    orders: number[];
    gmvFen: number[];
    rebateCostFen: number[];
    assistStarted: number[];
    assistSucceeded: number[];
    assistExpired: number[];
  };
  totals: {
    newUsers: number;
    /** Daily active users, averaged over the days shown (one decimal). */
    activeUsersAvg: number;
    invitedUsers: number;
    orders: number;
    gmvFen: Fen;
    paidFen: Fen;
    refunds: number;
    refundFen: Fen;
    rebates: Record<RewardForm, RebateFormTotals> & { costFen: Fen };
    assist: { started: number; succeeded: number; expired: number };
    /** Subscribe messages: sent, held back by the one-a-day cap, failed attempts (retried), given up (dead letters). */
    messages: { sent: number; capped: number; failed: number; dead: number };
  };
  /** All time, as of now: rebates still frozen (inside a refund window) and those released to available. */
  rebateBalances: {
    frozen: { cashFen: Fen; couponFen: Fen; points: number };
    available: { cashFen: Fen; couponFen: Fen; points: number };
  };
  funnel: FunnelStep[];
  pointsPerYuan: number;
  /** When the numbers were read. */
  asOf: string;
}

export type AbuseFlag = 'burst_invites' | 'invitees_refund';

export interface MerchantUserRow {
  openid: string;
  nickname: string;
  /** The user's picture, '' when none (the app draws the generated avatar from the openid). */
  avatarUrl: string;
  inviteCode: string;
  roles: Role[];
  createdAt: string;
  inviterId: string | null;
  invitees: number;
  blocked: { at: string; reason: string } | null;
  flags: AbuseFlag[];
  /** The flags in plain words, one line each. */
  flagTexts: string[];
}

export type TreeInviteeStatus = 'bound' | 'bought' | 'confirmed' | 'reversed';

export interface TreeInvitee {
  openid: string;
  nickname: string;
  source: string;
  status: TreeInviteeStatus;
  boundAt: string;
  conversions: number;
  orderId: string | null;
}

export interface MerchantLedgerRow {
  id: string;
  asset: LedgerAsset;
  bucket: LedgerBucket;
  amount: number;
  reason: LedgerReason;
  title: string;
  note: string | null;
  createdAt: string;
}

export interface ReferralTreeView {
  user: MerchantUserRow;
  inviter: { openid: string; nickname: string } | null;
  invitees: TreeInvitee[];
  wallet: { cash: { availableFen: Fen; frozenFen: Fen; withdrawingFen: Fen; debtFen: Fen }; points: { available: number; frozen: number } };
  ledger: MerchantLedgerRow[];
  rewards: RewardView[];
}

export interface MerchantProductView {
  id: string;
  title: string;
  description: string;
  images: string[];
  priceFen: Fen;
  stock: number;
  onSale: boolean;
  sort: number;
  /** 已归档: off sale, not in the shop, restorable. */
  archived: boolean;
  /** 商品分类, or null. Always set by the server. */
  categoryId?: string | null;
  /** 规格: empty for a product without options (then `priceFen` and `stock` are its one SKU's). Always set by the server. */
  options?: { name: string; values: string[] }[];
  /** Every SKU in option order; empty for a product without options. Always set by the server. */
  skus?: { skuId: string; spec: Record<string, string>; priceFen: Fen; stockQty: number }[];
  updatedAt: string;
  /**
   * The editor revision (types/revision.ts): counted up by saves that send one, and then by 上架/下架 and 归档 too (not
   * by orders reserving stock); absent until a save sent one.
   */
  rev?: number;
}

/** The merchant's product list filter: 在售, 已下架 (off sale, not archived), 已归档. */
export type ProductListStatus = 'onSale' | 'offSale' | 'archived';

export interface SaveProductInput extends SentRev {
  /** Omit to create. */
  id?: string;
  title: string;
  description: string;
  images: string[];
  priceFen: number;
  /**
   * The stock the merchant wants now (applied with a compare-and-set against concurrent orders). Omit it to leave the
   * stock alone: an edit of anything else must not write back a number read before orders reserved units meanwhile.
   * Required to create.
   */
  stock?: number;
  onSale: boolean;
  sort?: number;
  /** 商品分类: an id the shop has (CATEGORY_NOT_FOUND otherwise), null for none; omitted: kept as stored. */
  categoryId?: string | null;
  /**
   * 规格 (1–2 options) with one SKU per combination, each with its price and, when the merchant changed it, the stock
   * wanted now (applied with a compare-and-set on every SKU's stock). A SKU without `stockQty` keeps its stored stock,
   * read at write time (orders reserve units while the form is open); a new combination needs one. Then `priceFen` and
   * `stock` are ignored (derived: lowest, sum). `options: []` turns a product back into a single SKU (priceFen, stock).
   * Omitted: the product's SKUs are kept.
   */
  options?: { name: string; values: string[] }[];
  skus?: { spec: Record<string, string>; priceFen: number; stockQty?: number }[];
}

export interface MerchantAdminActions {
  stats: [{ range: StatsRange }, DashboardView];
  listProducts: [{ cursor?: number; pageSize?: number; onSale?: boolean; status?: ProductListStatus }, Page<MerchantProductView>];
  getProduct: [{ id: string }, MerchantProductView];
  saveProduct: [SaveProductInput, MerchantProductView];
  /** 归档 (archived: true; also takes it off sale) or 恢复 (archived: false; it stays off sale until put on sale). */
  /** 上架 / 下架 from the list: writes onSale only (PRODUCT_ARCHIVED for an archived product put on sale). */
  setProductOnSale: [{ id: string; onSale: boolean }, MerchantProductView];
  archiveProduct: [{ id: string; archived: boolean }, MerchantProductView];
  /** Deletes a product no order ever held; one with orders is refused with PRODUCT_HAS_ORDERS (archive it instead). */
  deleteProduct: [{ id: string }, { id: string; deleted: true }];
  /** Search by nickname, openid or invite code; `flagged` lists users with abuse flags instead. */
  users: [{ query?: string; flagged?: boolean; cursor?: number; pageSize?: number }, Page<MerchantUserRow>];
  referralTree: [{ openid: string }, ReferralTreeView];
  /** A blocked user can still buy but earns no rewards and cannot help or withdraw. */
  blockUser: [{ openid: string; blocked: boolean; reason?: string }, MerchantUserRow];
  /** Give another user the merchant role, found by their invite code. */
  addMerchant: [{ inviteCode: string }, MerchantUserRow];
  /** Owners only (MERCHANT_OPENIDS): the merchant role back from a user; an owner cannot be removed. */
  removeMerchant: [{ openid: string }, MerchantUserRow];
}
