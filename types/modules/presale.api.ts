/** Actions of the tiered pre-sale (阶梯预售) module: its part of `shop` (shoppers) and of `merchant`. Times are ISO strings. */
import type { AtRev, SentRev } from '../revision';
import type { PayView } from '../api';
import type { Fen } from '../money';
import type { DepositState, PresaleStatus, PresaleTier } from './presale.models';

export interface PresaleTermsInput {
  depositFen: Fen;
  basePriceFen: Fen;
  tiers: PresaleTier[];
  startsAt: string;
  endsAt: string;
  balanceEndsAt: string;
  forfeitUnpaid: boolean;
}

/** The pre-sale as the product page shows it: the rules, the current tier, the next one and how many more reach it. */
export interface PresaleView extends PresaleTermsInput {
  presaleId: string;
  productId: string;
  productTitle: string;
  status: PresaleStatus;
  /** open before startsAt shows 'upcoming'; open from endsAt on (before the timer prices it) shows 'pricing'. */
  phase: 'upcoming' | 'deposit' | 'pricing' | 'balance' | 'closed';
  depositCount: number;
  /** The price the count reaches now (the final price once priced). */
  currentPriceFen: Fen;
  finalPriceFen: Fen | null;
  nextTier: PresaleTier | null;
  /** Deposits still needed for the next tier (0 when none). */
  depositsToNext: number;
  rulesText: string[];
  /** The viewer's deposit in this round, if any. */
  mine: DepositView | null;
}

export interface DepositView {
  depositId: string;
  state: DepositState;
  depositFen: Fen;
  /** final − deposit once priced, else null. */
  balanceFen: Fen | null;
}

export interface PresalePayView extends Pick<PayView, 'local' | 'wechat'> {
  depositId: string;
  provider: 'local' | 'wechat';
  outTradeNo: string;
  payableFen: Fen;
}

export interface PresaleShopActions {
  /** The product's active pre-sale (null when none). */
  presale: [{ productId: string }, PresaleView | null];
  /** Make (or reuse) my deposit order and prepare its payment. */
  payDeposit: [{ productId: string }, PresalePayView];
  /** Take back a paid deposit before the pre-sale ends (refunded in full, no longer counted). */
  withdrawDeposit: [{ productId: string }, DepositView];
  /** Prepare the balance payment (final price − deposit), in the balance window. */
  payBalance: [{ productId: string }, PresalePayView];
}

export interface SavePresaleInput extends PresaleTermsInput, SentRev {
  productId: string;
  active: boolean;
}

export interface MerchantPresaleView extends PresaleView, AtRev {
  active: boolean;
  round: number;
  /** Deposits by state in this round. */
  byState: Partial<Record<DepositState, number>>;
}

export interface MerchantPresaleActions {
  getPresale: [{ productId: string }, MerchantPresaleView | null];
  savePresale: [SavePresaleInput, MerchantPresaleView];
}
