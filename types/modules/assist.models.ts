/** Documents of the assist (小助力) module as stored. Times are Dates; money is integer fen. */
import type { AssistCampaignDoc } from '../models';
import type { Fen } from '../money';

/** The campaign's rules as they were when the task started: later edits by the merchant never change an open task. */
export interface AssistRules {
  success: AssistCampaignDoc['success'];
  fallback: AssistCampaignDoc['fallback'];
  newUsersOnly: boolean;
  helperDailyCap: number;
  openTasksPerShopper: number;
  /** The product as it was at start, to show what the assist saves without another read. */
  listPriceFen: Fen;
  productTitle: string;
  productImage: string;
}

/** What an expired task pays its owner, already scaled by the helpers it reached. */
export type ExpiryFallback =
  | { kind: 'none' }
  | { kind: 'points'; points: number }
  | { kind: 'coupon'; amountFen: Fen; minSpendFen: Fen; validDays: number };

/** The right to buy the task's product once at the assist price, held by one order at a time. */
export interface AssistVoucher {
  productId: string;
  priceFen: Fen;
  validUntil: Date;
  /** The order holding it (pending or paid); null while it is free to use. */
  orderId: string | null;
  claimedAt: Date | null;
}

export type AssistTaskStatus = 'open' | 'succeeded' | 'expired';

/** One owner's attempt on one product. The hot document: friends change it only by guarded `where` updates. */
export interface AssistTaskDoc {
  _id: string;
  campaignId: string;
  productId: string;
  ownerId: string;
  /** n-th task of this owner on this product: with the owner and product it makes the deterministic _id. */
  seq: number;
  target: number;
  /** Helpers counted, never above target. */
  helpers: number;
  /** Who was counted, in order (at most target entries). */
  helperIds: string[];
  status: AssistTaskStatus;
  startedAt: Date;
  deadline: Date;
  rules: AssistRules;
  succeededAt: Date | null;
  /** Set when a price reward succeeds. */
  voucher: AssistVoucher | null;
  /** A coupon reward: 'owed' from success until the shop's coupon module issued it. */
  rewardState: 'none' | 'owed' | 'paid';
  rewardCouponId: string | null;
  /** Set by the success transition: the dashboard's success counter is owed (counted once by the settle timer). */
  statsOwed?: boolean;
  expiredAt: Date | null;
  /** Set when the task expires: what the fallback pays (scaled by helpers reached). */
  fallbackOwed: ExpiryFallback | null;
  /** 'owed' until paid through the points ledger / coupon module; the settle job retries. */
  fallbackState: 'none' | 'owed' | 'paid';
  fallbackPaidAt: Date | null;
  updatedAt: Date;
}

/** One friend's help on one task: `_id` = `${taskId}:${helperId}`, so a friend helps a task once. */
export interface AssistDoc {
  _id: string;
  taskId: string;
  helperId: string;
  ownerId: string;
  /** Calendar day in Asia/Shanghai, YYYY-MM-DD. */
  day: string;
  createdAt: Date;
}

/**
 * One per person who helps or arrives through an assist card (`_id` = openid): the task whose card first brought
 * them into the app, and their help counter for the day. One guarded update both claims a daily slot and returns
 * the arrival, so `help` pays one round trip for both.
 */
export interface AssistHelperDoc {
  _id: string;
  /** Written once (insert or guarded update): the card of this task is what first opened the app for this user. */
  firstArrival: { taskId: string; at: Date; via: 'login' | 'card' } | null;
  day: string | null;
  dayCount: number;
  /** Mirror of `users.blocked` (merchant/blocking.ts writes both), so the daily-slot claim also refuses a blocked helper. */
  blocked?: boolean;
  updatedAt: Date;
}
