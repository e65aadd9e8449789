/**
 * The wallet ledger, TigerBeetle style: append-only entries, one per (operation, asset, bucket); a reward is posted
 * into `frozen` (pending), then moved to `available` (post) or taken back (void) by new entries; mistakes are fixed
 * by reversing entries. Balances are the sums of entries. A bucket never goes below zero: what a user owes after a
 * late refund is a positive `debt`, paid first by the next credits. Pure.
 *
 * Available means spendable (DESIGN rule 10): a clawback takes from `available` first and books only the rest as
 * debt, and every credit into `available` (a posted reward, a returned withdrawal, a returned checkout spend, a
 * points credit) pays the debt first. So an asset never holds debt and available at once, and whatever is available
 * may leave; `spendable` is the one figure the paths that move money out compare against.
 */
import type { Balances, LedgerAsset, LedgerBucket, LedgerReason, WalletDoc } from '../../types/modules/referral.models';

export const ASSETS: LedgerAsset[] = ['cash', 'points'];
export const BUCKETS: LedgerBucket[] = ['available', 'frozen', 'withdrawing', 'debt'];

export interface Leg {
  asset: LedgerAsset;
  bucket: LedgerBucket;
  amount: number;
  reason: LedgerReason;
}

export interface WalletBalances {
  cash: Balances;
  points: Balances;
}

export class LedgerError extends Error {
  constructor(
    readonly kind: 'negative_balance' | 'bad_amount',
    message: string,
  ) {
    super(message);
  }
}

/** The unique source key of one leg: an operation touches each bucket of each asset at most once. */
export function legKey(op: string, asset: LedgerAsset, bucket: LedgerBucket): string {
  return `${op}|${asset}|${bucket}`;
}

export function emptyBalances(): Balances {
  return { available: 0, frozen: 0, withdrawing: 0, debt: 0 };
}

/** A user's wallet before anything happened to it. */
export function newWallet(userId: string, now: Date): WalletDoc {
  return {
    _id: userId,
    cash: emptyBalances(),
    points: emptyBalances(),
    progress: {},
    caps: {},
    withdrawDay: { day: '', count: 0 },
    refundHolds: {},
    version: 0,
    createdAt: now,
    updatedAt: now,
  };
}

export function emptyWalletBalances(): WalletBalances {
  return { cash: emptyBalances(), points: emptyBalances() };
}

/** Balances after the legs; throws when a bucket would go below zero or a leg is not a whole amount. */
export function applyLegs(before: WalletBalances, legs: Leg[]): WalletBalances {
  const after: WalletBalances = { cash: { ...before.cash }, points: { ...before.points } };
  const seen = new Set<string>();
  for (const leg of legs) {
    if (!Number.isSafeInteger(leg.amount) || leg.amount === 0) throw new LedgerError('bad_amount', `leg amount must be a non-zero integer, got ${leg.amount}`);
    const key = `${leg.asset}|${leg.bucket}`;
    if (seen.has(key)) throw new LedgerError('bad_amount', `an operation touches ${key} twice`);
    seen.add(key);
    after[leg.asset][leg.bucket] += leg.amount;
  }
  for (const asset of ASSETS) {
    for (const bucket of BUCKETS) {
      if (after[asset][bucket] < 0) throw new LedgerError('negative_balance', `${asset}.${bucket} would be ${after[asset][bucket]}`);
    }
  }
  return after;
}

const leg = (asset: LedgerAsset, bucket: LedgerBucket, amount: number, reason: LedgerReason): Leg[] => (amount === 0 ? [] : [{ asset, bucket, amount, reason }]);

function positive(amount: number, what: string) {
  if (!Number.isSafeInteger(amount) || amount <= 0) throw new LedgerError('bad_amount', `${what} must be a positive integer, got ${amount}`);
}

/** A reward earned but held until its orders' refund deadlines pass. */
export function creditFrozen(asset: LedgerAsset, amount: number): Leg[] {
  positive(amount, 'reward');
  return leg(asset, 'frozen', amount, 'reward_frozen');
}

/** Credit into available, paying the asset's debt first. */
export function creditAvailable(balances: WalletBalances, asset: LedgerAsset, amount: number, reason: LedgerReason): Leg[] {
  positive(amount, 'credit');
  const repay = Math.min(balances[asset].debt, amount);
  return [...leg(asset, 'debt', -repay, 'debt_repaid'), ...leg(asset, 'available', amount - repay, reason)];
}

/** A matured reward: out of frozen, into available (after paying any debt). */
export function postFrozen(balances: WalletBalances, asset: LedgerAsset, amount: number): Leg[] {
  positive(amount, 'reward');
  return [...leg(asset, 'frozen', -amount, 'reward_posted'), ...creditAvailable(balances, asset, amount, 'reward_posted')];
}

/** A reward taken back while still frozen (its order refunded inside the window, or voided by the merchant). */
export function voidFrozen(asset: LedgerAsset, amount: number): Leg[] {
  positive(amount, 'reward');
  return leg(asset, 'frozen', -amount, 'reward_voided');
}

/**
 * A reward taken back after it was posted: out of available first, and only what is no longer there (withdrawn or
 * spent) is booked as debt — never a negative available balance, never debt beside spendable money.
 */
export function clawback(balances: WalletBalances, asset: LedgerAsset, amount: number): Leg[] {
  positive(amount, 'reward');
  return owe(balances, asset, amount, 'reward_clawback');
}

/** `amount` the user owes: out of available first, the rest booked as debt (never debt beside spendable money). */
function owe(balances: WalletBalances, asset: LedgerAsset, amount: number, reason: LedgerReason): Leg[] {
  const take = Math.min(Math.max(balances[asset].available, 0), amount);
  return [...leg(asset, 'available', -take, reason), ...leg(asset, 'debt', amount - take, reason)];
}

/**
 * Debt beside available money (wallets from before the rule): settle it out of available. Internal: the value
 * (available − debt) does not change.
 */
export function offsetDebt(balances: WalletBalances, asset: LedgerAsset): Leg[] {
  const amount = Math.min(balances[asset].available, balances[asset].debt);
  if (amount <= 0) return [];
  return [...leg(asset, 'available', -amount, 'debt_repaid'), ...leg(asset, 'debt', -amount, 'debt_repaid')];
}

/**
 * A deleted account's debt, carried to the same person's new account when they come back: out of the tombstone's
 * wallet (what its frozen rewards will not pay) …
 */
export function debtCarriedOut(asset: LedgerAsset, amount: number): Leg[] {
  positive(amount, 'debt');
  return leg(asset, 'debt', -amount, 'debt_carried');
}

/** … and into the new account's: paid out of its available money first, the rest owed (never debt beside available). */
export function debtCarriedIn(balances: WalletBalances, asset: LedgerAsset, amount: number): Leg[] {
  positive(amount, 'debt');
  return owe(balances, asset, amount, 'debt_carried');
}

/** What may leave the wallet now (withdrawal, checkout spend): available less what is owed. */
export function spendable(balances: WalletBalances, asset: LedgerAsset): number {
  return Math.max(0, balances[asset].available - balances[asset].debt);
}

export function withdrawRequest(amountFen: number): Leg[] {
  positive(amountFen, 'withdrawal');
  return [...leg('cash', 'available', -amountFen, 'withdraw_requested'), ...leg('cash', 'withdrawing', amountFen, 'withdraw_requested')];
}

/** A rejected, failed or expired withdrawal: the money goes back to available (paying any debt first). */
export function withdrawReturn(balances: WalletBalances, amountFen: number): Leg[] {
  positive(amountFen, 'withdrawal');
  return [...leg('cash', 'withdrawing', -amountFen, 'withdraw_returned'), ...creditAvailable(balances, 'cash', amountFen, 'withdraw_returned')];
}

/** The transfer succeeded: the money left the wallet. */
export function withdrawPaid(amountFen: number): Leg[] {
  positive(amountFen, 'withdrawal');
  return leg('cash', 'withdrawing', -amountFen, 'withdraw_paid');
}

/** Wallet cash and points spent on an order at checkout. */
export function spend(cashFen: number, points: number): Leg[] {
  return [...leg('cash', 'available', -cashFen, 'order_spend'), ...leg('points', 'available', -points, 'order_spend')];
}

/** The order was cancelled, expired or refunded: what it spent comes back to available (paying any debt first). */
export function spendReturn(balances: WalletBalances, cashFen: number, points: number): Leg[] {
  return [...(cashFen > 0 ? creditAvailable(balances, 'cash', cashFen, 'order_spend_return') : []), ...(points > 0 ? creditAvailable(balances, 'points', points, 'order_spend_return') : [])];
}

/** Sum entries into balances (what the audit recomputes). */
export function sumLegs(entries: { asset: LedgerAsset; bucket: LedgerBucket; amount: number }[]): WalletBalances {
  const out = emptyWalletBalances();
  for (const e of entries) out[e.asset][e.bucket] += e.amount;
  return out;
}

/** Mismatches between a stored wallet and the sums of its entries, as "cash.available: wallet 100, ledger 90". */
export function compareBalances(stored: WalletBalances, fromLedger: WalletBalances): string[] {
  const out: string[] = [];
  for (const asset of ASSETS) {
    for (const bucket of BUCKETS) {
      const a = stored[asset]?.[bucket] ?? 0;
      const b = fromLedger[asset][bucket];
      if (a !== b) out.push(`${asset}.${bucket}: wallet ${a}, ledger ${b}`);
    }
  }
  return out;
}
