/**
 * Money arithmetic in whole fen: ratios in basis points, splits that never lose or invent a fen (floor each share,
 * then hand the leftover out one fen at a time, largest remainder first, ties to the earlier share — dinero.js
 * `distribute` style). Pure.
 */
import type { Fen } from '../../types/money';
import { fen, fenToPoints, pointsToFen } from '../../types/money';

export const BP = 10_000;

/** floor(amount × bp / 10 000), exact for any safe amount (BigInt avoids float rounding). */
export function applyBp(amount: number, bp: number): number {
  assertInt(amount, 'amount');
  assertInt(bp, 'bp');
  if (amount < 0 || bp < 0) throw new RangeError('applyBp takes non-negative amounts and ratios');
  return Number((BigInt(amount) * BigInt(bp)) / BigInt(BP));
}

/**
 * Split `total` in proportion to `weights`: each share is floored, and the fen left over go one by one to the
 * shares with the largest remainders (the earlier share on ties). Shares sum to `total` exactly.
 */
export function splitByWeights(total: number, weights: number[]): number[] {
  assertInt(total, 'total');
  if (total < 0) throw new RangeError('cannot split a negative amount');
  if (weights.length === 0) throw new RangeError('need at least one weight');
  weights.forEach((w) => assertInt(w, 'weight'));
  if (weights.some((w) => w < 0)) throw new RangeError('weights must not be negative');
  const sum = weights.reduce((a, b) => a + b, 0);
  if (sum === 0) {
    // Nothing to weigh by: an even split.
    return splitByWeights(total, weights.map(() => 1));
  }
  const big = BigInt(total);
  const bigSum = BigInt(sum);
  const shares = weights.map((w) => Number((big * BigInt(w)) / bigSum));
  const remainders = weights.map((w, i) => ({ i, r: (big * BigInt(w)) % bigSum }));
  // The leftover is the sum of the remainders ÷ sum: fewer fen than shares with a remainder, one each at most.
  const left = total - shares.reduce((a, b) => a + b, 0);
  remainders.sort((a, b) => (a.r === b.r ? a.i - b.i : a.r > b.r ? -1 : 1));
  for (let k = 0; k < left; k++) shares[remainders[k].i]++;
  return shares;
}

/** Points ↔ fen live with the rest of the money text and parsing (types/money.ts). */
export { fenToPoints, pointsToFen };

export function isFen(v: unknown): v is Fen {
  return typeof v === 'number' && Number.isSafeInteger(v);
}

function assertInt(v: number, what: string) {
  if (!Number.isSafeInteger(v)) throw new RangeError(`${what} must be a safe integer, got ${v}`);
}
