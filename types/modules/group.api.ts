/** Actions of the group-buy (拼团) module: its part of `shop` (shoppers) and of `merchant`. Times are ISO strings. */
import type { AtRev, SentRev } from '../revision';
import type { Page } from '../api';
import type { ErrorCode } from '../errors';
import type { Fen } from '../money';
import type { GroupOrderState, GroupStatus, GroupTerms, LeaderReward } from './group.models';

/** A group others may join, as the product page lists it under 凑团. */
export interface OpenGroupCard {
  groupId: string;
  leader: GroupMemberView;
  size: number;
  paidCount: number;
  /** Seats nobody holds yet (an unpaid order holds its seat until it closes). */
  seatsLeft: number;
  deadline: string;
  msLeft: number;
}

/** The offer on a product as a shopper sees it before opening or joining: every rule in plain words. */
export interface GroupOfferView extends GroupTerms {
  offerId: string;
  productId: string;
  listPriceFen: Fen;
  rulesText: string[];
  /** Open groups with seats left (only when 凑团 is allowed), fewest seats left first, at most 5. */
  openGroups: OpenGroupCard[];
}

export interface GroupMemberView {
  /** Masked nickname, e.g. "小*". */
  name: string;
  avatarUrl: string;
  isLeader: boolean;
}

export type GroupViewerAction = 'join' | 'share' | 'pay' | 'openOwn' | 'viewOrder';

export interface GroupView {
  groupId: string;
  status: GroupStatus;
  product: { id: string; title: string; image: string; listPriceFen: Fen; groupPriceFen: Fen };
  size: number;
  paidCount: number;
  /** Paid members still needed (0 once decided). */
  remaining: number;
  seatsLeft: number;
  /** Paid members, leader first (masked). */
  members: GroupMemberView[];
  openedAt: string | null;
  deadline: string | null;
  /** Milliseconds until the deadline (0 unless open). */
  msLeft: number;
  decidedAt: string | null;
  rulesText: string[];
  viewer: {
    isMember: boolean;
    isLeader: boolean;
    /** The viewer's order in this group, if any, and what it is waiting for. */
    orderId: string | null;
    orderState: GroupOrderState | null;
    /** Why the viewer cannot join now (a catalogued code), or null when they can (or are a member). */
    cannotJoin: ErrorCode | null;
    actions: GroupViewerAction[];
  };
}

export interface GroupSummary {
  groupId: string;
  status: GroupStatus;
  productId: string;
  productTitle: string;
  size: number;
  paidCount: number;
  isLeader: boolean;
  deadline: string | null;
  createdAt: string;
}

export interface GroupShopActions {
  /** The product's active group offer (null when none), with open groups to join under 凑团. */
  groupOffer: [{ productId: string }, GroupOfferView | null];
  /** The group card a friend opens (or a member's own page). */
  getGroup: [{ groupId: string }, GroupView];
  /** Groups I lead or joined, newest first. */
  myGroups: [{ cursor?: number; pageSize?: number }, Page<GroupSummary>];
}

export interface SaveGroupOfferInput extends GroupTerms, SentRev {
  productId: string;
  active: boolean;
}

export interface SavedGroupOffer extends GroupOfferView, AtRev {
  active: boolean;
}

export interface MerchantGroupRow {
  groupId: string;
  status: GroupStatus;
  productId: string;
  productTitle: string;
  leaderName: string;
  size: number;
  paidCount: number;
  seatsTaken: number;
  createdAt: string;
  openedAt: string | null;
  deadline: string | null;
  decidedAt: string | null;
  shared: boolean;
}

export interface GroupStatsView {
  byStatus: Record<GroupStatus, number>;
  /** succeeded / (succeeded + failed), in basis points; null before any group is decided. */
  successRateBp: number | null;
  /** Groups: opened (the leader paid) → shared (a friend opened the card) → joined (a friend paid) → succeeded. */
  funnel: { opened: number; shared: number; joined: number; succeeded: number };
}

export interface MerchantGroupActions {
  getGroupOffer: [{ productId: string }, SavedGroupOffer | null];
  saveGroupOffer: [SaveGroupOfferInput, SavedGroupOffer];
  listGroups: [{ status?: GroupStatus; cursor?: number; pageSize?: number }, Page<MerchantGroupRow>];
  groupStats: [Record<string, never>, GroupStatsView];
}

export type { LeaderReward };
