/** Documents of the tiered pre-sale (阶梯预售) module. Money in fen; dates as Date in documents. */
import type { Fen } from '../money';

/** A price tier: from this many paid deposits on, the final price is priceFen. */
export interface PresaleTier {
  minDeposits: number;
  priceFen: Fen;
}

/** What the merchant states up front. */
export interface PresaleTerms {
  depositFen: Fen;
  /** The price below the first tier. */
  basePriceFen: Fen;
  /** Ascending by minDeposits, prices descending. */
  tiers: PresaleTier[];
  startsAt: Date;
  endsAt: Date;
  balanceEndsAt: Date;
  /** An unpaid balance forfeits the deposit (true), or the deposit is refunded (false). */
  forfeitUnpaid: boolean;
}

/**
 * open: deposits are taken (until endsAt) → priced: the final price is set once by the timer (balance window until
 * balanceEndsAt) → closed: unpaid balances were forfeited or refunded.
 */
export type PresaleStatus = 'open' | 'priced' | 'closed';

/** presales/ps-<productId>: one per product; `round` grows when a closed pre-sale is replaced by a new one. */
export interface PresaleDoc extends PresaleTerms {
  _id: string;
  productId: string;
  productTitle: string;
  round: number;
  active: boolean;
  /**
   * Grows with every change of the terms or of `active` within a round (a pre-sale saved before it existed has
   * none). A deposit records the version it was offered under and is counted only under it (deposits.ts).
   */
  termsVersion?: number;
  /** The editor revision (infra/revisions.ts): counted up by every save from the merchant's editor. */
  rev?: number;
  status: PresaleStatus;
  /** Paid deposits counted, always countedIds.length (each count is a guarded update keyed by the deposit). */
  depositCount: number;
  countedIds: string[];
  finalPriceFen: Fen | null;
  pricedAt: Date | null;
  closedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

/**
 * pending (deposit unpaid) → paid (counted) → completed (balance paid) | forfeited | refunded (after balanceEndsAt);
 * pending → cancelled (closed unpaid); paid → withdrawn (the shopper took the deposit back before endsAt, uncounted);
 * pending → refused (paid after the pre-sale was priced, switched off or changed: refunded at once).
 */
export type DepositState = 'pending' | 'paid' | 'completed' | 'forfeited' | 'refunded' | 'cancelled' | 'withdrawn' | 'refused';

/** presale_deposits/<id>: one per shopper per pre-sale round (a deterministic id). */
export interface DepositDoc {
  _id: string;
  presaleId: string;
  round: number;
  productId: string;
  buyerId: string;
  depositFen: Fen;
  /** The pre-sale's termsVersion when this attempt was offered (null: the pre-sale had none). */
  termsVersion?: number | null;
  state: DepositState;
  /** Trades: the deposit `D<id>`, the balance `B<id>`. */
  depositTradeNo: string;
  balanceTradeNo: string;
  depositExpiresAt: Date;
  balanceFen: Fen | null;
  /** A provider refund still owed (withdrawn, refunded, refused), retried by the timer; outRefundNo `R<id>`. */
  refundOwed: boolean;
  createdAt: Date;
  paidAt: Date | null;
  balancePaidAt: Date | null;
  decidedAt: Date | null;
}
