/** Documents of the group-buy (拼团) module as stored. Times are Dates; money is integer fen. */
import type { Fen } from '../money';

/** The 团长 reward: a coupon or points, never cash per head, never for sharing (DESIGN rules 3, 12). */
export type LeaderReward = { kind: 'none' } | { kind: 'coupon'; amountFen: Fen; minSpendFen: Fen; validDays: number } | { kind: 'points'; points: number };

/** The terms of an offer: what a shopper agrees to, shown in full before anyone opens or joins a group. */
export interface GroupTerms {
  /** Members a group needs, the leader included (2–10). */
  groupSize: number;
  /** Price per unit in a group (fen), below the list price. */
  groupPriceFen: Fen;
  /** Hours a group stays open once the leader has paid. */
  timeLimitHours: number;
  /** 凑团: open groups are listed on the product page for anyone to join. */
  allowJoinAny: boolean;
  /** Joiners must be new: no paid order in the shop before. */
  newUsersOnly: boolean;
  /** Groups a shopper may lead at once (waiting for payment or open). */
  maxOpenPerShopper: number;
  leaderReward: LeaderReward;
  /** 成团 with fewer: at the deadline a group with at least this many paid members succeeds; null = exactly groupSize. */
  minSizeAtDeadline: number | null;
}

/** `group_offers/go-<productId>`: the merchant's group offer on one product. */
export interface GroupOfferDoc extends GroupTerms {
  /** The editor revision (infra/revisions.ts): counted up by every save from a merchant editor. */
  rev?: number;
  _id: string;
  productId: string;
  active: boolean;
  createdAt: Date;
  updatedAt: Date;
}

/**
 * pending: the leader's order is unpaid (friends cannot join yet); open: friends join until the deadline;
 * succeeded / failed: decided once, by one guarded update from open; cancelled: the leader never paid.
 */
export type GroupStatus = 'pending' | 'open' | 'succeeded' | 'failed' | 'cancelled';

/** The offer as it was when the group was opened: later edits by the merchant never change a running group. */
export interface GroupRules extends GroupTerms {
  listPriceFen: Fen;
  productTitle: string;
  productImage: string;
}

/**
 * One group. The hot document (DESIGN rule 5): seats are claimed, released and paid only by guarded `where`
 * updates, and its fate is decided by one guarded update (open → succeeded | failed).
 */
export interface GroupDoc {
  _id: string;
  offerId: string;
  productId: string;
  leaderId: string;
  leaderOrderId: string;
  /** The leader's n-th group on this product (with leader and product it makes the deterministic _id). */
  seq: number;
  size: number;
  /** Paid members needed at the deadline (size, or fewer if the offer allows it). */
  minSize: number;
  status: GroupStatus;
  /** Seats held by an order, paid or not (never above size). */
  seatsTaken: number;
  /** Who holds a seat, and by which order (same order of entry; pulled when an unpaid order closes). */
  memberIds: string[];
  seatOrderIds: string[];
  /** Members whose payment counted (never above size). */
  paidCount: number;
  paidOrderIds: string[];
  paidMemberIds: string[];
  rules: GroupRules;
  createdAt: Date;
  openedAt: Date | null;
  /** Set when the leader's payment opens the group. */
  deadline: Date | null;
  decidedAt: Date | null;
  /** First time someone outside the group opened its card (the funnel's "shared"). */
  sharedAt: Date | null;
  /** After the decision: each member order marked (succeeded) or refunded (failed); 'owed' until done. */
  fanout: 'none' | 'owed' | 'done';
  /**
   * The 团长 reward: owed at success, then held (coupon issued held, points frozen) until every kept member order is
   * past its refund window (paid), or taken back when refunds leave fewer than minSize kept orders (voided). Groups
   * decided before the hold existed were paid at success ('paid').
   */
  leaderRewardState: 'none' | 'owed' | 'held' | 'paid' | 'voided';
  /** While held: when the settle timer looks at the member orders again. */
  leaderRewardCheckAt?: Date | null;
  updatedAt: Date;
}

/** What a group order is waiting for: `waiting` until its group is decided; `refused` when its payment came too late. */
export type GroupOrderState = 'waiting' | 'succeeded' | 'failed' | 'refused';
