/**
 * The other modules' functions createOrder calls, gathered in one object so a test can see every call the shop makes
 * across a module boundary (assist price redemption, wallet spend; the quote's read of the wallet).
 */
import { claimAssistPrice, releaseAssistPrice } from '../assist/redemption';
import { returnWalletSpend, spendWalletAtCheckout, walletForQuote } from '../wallet/checkoutSpend';
import { settleGroup } from '../group/fate';
import {
  assertGroupLine,
  assertGroupPayable,
  claimSeat,
  groupOrderExpiry,
  openGroupForOrder,
  payGroupSeat,
  prepareGroupCheckout,
  releaseAbandonedGroupHolds,
  releaseGroupSeat,
} from '../group/seats';

export const checkoutSeams = { claimAssistPrice, releaseAssistPrice, spendWalletAtCheckout, returnWalletSpend, walletForQuote };

/** The group-buy (拼团) module's seats, which orders hold, pay and give back (app/group/seats.ts, fate.ts). */
export const groupSeams = {
  assertGroupLine,
  prepareGroupCheckout,
  openGroupForOrder,
  claimSeat,
  groupOrderExpiry,
  releaseGroupSeat,
  releaseAbandonedGroupHolds,
  assertGroupPayable,
  payGroupSeat,
  settleGroup,
};
