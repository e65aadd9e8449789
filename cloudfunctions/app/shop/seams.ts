/**
 * The other modules' functions createOrder calls, gathered in one object so a test can see every call the shop makes
 * across a module boundary (assist price redemption, wallet spend; the quote's read of the wallet).
 */
import { claimAssistPrice, releaseAssistPrice } from '../assist/redemption';
import { returnWalletSpend, spendWalletAtCheckout, walletForQuote } from '../referral/checkoutSpend';

export const checkoutSeams = { claimAssistPrice, releaseAssistPrice, spendWalletAtCheckout, returnWalletSpend, walletForQuote };
