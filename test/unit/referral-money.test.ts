/** Money in whole fen: ratios in basis points, splits that never lose or invent a fen, points at the wallet's rate. */
import { applyBp, fenToPoints, pointsToFen, splitByWeights } from '../../cloudfunctions/domain/money';

describe('splitByWeights: floor each share, leftover fen one by one (largest remainder, earlier on ties)', () => {
  it.each([
    [100, [1, 1, 1], [34, 33, 33]],
    [101, [1, 1, 1], [34, 34, 33]],
    [2, [1, 1, 1], [1, 1, 0]],
    [0, [5, 7], [0, 0]],
    [1000, [1], [1000]],
    [999, [4990, 16800], [229, 770]],
    [10, [3, 3, 4], [3, 3, 4]],
    [7, [0, 1, 0], [0, 7, 0]],
    [5, [0, 0], [3, 2]],
    [1, [1, 1], [1, 0]],
    [3, [1, 2], [1, 2]],
    [17, [70, 20, 10], [12, 3, 2]],
  ])('splits %i by %j into %j', (total, weights, expected) => {
    const shares = splitByWeights(total, weights);
    expect(shares).toEqual(expected);
    expect(shares.reduce((a, b) => a + b, 0)).toBe(total);
  });

  it('keeps the sum exact on large amounts and odd weights', () => {
    const weights = [1, 3, 7, 11, 13, 17, 19];
    for (const total of [1, 99, 12_345, 9_007_199_254_740]) {
      const shares = splitByWeights(total, weights);
      expect(shares.reduce((a, b) => a + b, 0)).toBe(total);
      // each share is within one fen of its exact proportion
      const sum = weights.reduce((a, b) => a + b, 0);
      shares.forEach((s, i) => expect(Math.abs(s - (total * weights[i]) / sum)).toBeLessThan(1));
    }
  });

  it.each([[-1, [1]], [1.5, [1]], [1, []], [1, [-1, 2]], [1, [0.5]]])('refuses %p by %p', (total, weights) => {
    expect(() => splitByWeights(total, weights)).toThrow(RangeError);
  });
});

describe('applyBp: floor(amount × bp / 10 000)', () => {
  it.each([
    [10000, 500, 500],
    [9990, 500, 499],
    [1, 9999, 0],
    [12345, 10000, 12345],
    [0, 300, 0],
    [9_007_199_254_740_991, 1, 900_719_925_474],
  ])('%i × %i bp = %i', (amount, bp, expected) => {
    expect(applyBp(amount, bp)).toBe(expected);
  });

  it('refuses fractions and negatives', () => {
    expect(() => applyBp(1.5, 10)).toThrow(RangeError);
    expect(() => applyBp(-1, 10)).toThrow(RangeError);
  });
});

describe('points at the wallet rate', () => {
  it.each([
    [100, 100, 100],
    [150, 100, 150],
    [99, 1000, 9],
    [1, 1000, 0],
    [1000, 50, 2000],
  ])('%i points at %i per ¥1 = %i fen', (points, rate, fen) => {
    expect(pointsToFen(points, rate)).toBe(fen);
  });

  it.each([
    [100, 100, 100],
    [9, 1000, 90],
    [2000, 50, 1000],
  ])('%i fen takes %i per ¥1 → %i points', (fen, rate, points) => {
    expect(fenToPoints(fen, rate)).toBe(points);
    expect(pointsToFen(points, rate)).toBe(fen);
  });
});
