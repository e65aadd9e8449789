/**
 * The checkout pricing shared by shop.createOrder and shop.quote, as tables: items and coupon before the wallet, the
 * wallet spend (points capped by the merchant's share, at least 1 fen left), refusals when balances fall short, the
 * notes a quote shows, the whole bill, and a coupon's own state.
 */
import {
  checkoutTotals,
  couponStateRefusal,
  NO_WALLET_SPEND,
  planWalletSpend,
  priceBeforeWallet,
  walletSpendNotes,
  walletSpendRefusal,
  type BeforeWallet,
} from '../../cloudfunctions/domain/shopPricing';
import type { Fen } from '../../types/money';

const f = (n: number) => n as Fen;
const DEFAULT_TERMS = { pointsPerYuan: 100, pointsMaxShareBp: 5000 };

describe('priceBeforeWallet', () => {
  const tea = { productId: 'tea', quantity: 1, listPriceFen: f(16800), assistPriceFen: null };
  const rice = { productId: 'rice', quantity: 2, listPriceFen: f(8990), assistPriceFen: null };

  it('prices list prices and an assisted line at its assist price', () => {
    expect(priceBeforeWallet([{ ...tea, assistPriceFen: f(9900) }, rice], null)).toEqual({
      ok: true,
      lines: [
        { productId: 'tea', quantity: 1, unitPriceFen: 9900, subtotalFen: 9900, assisted: true },
        { productId: 'rice', quantity: 2, unitPriceFen: 8990, subtotalFen: 17980, assisted: false },
      ],
      itemsTotalFen: 27880,
      couponFen: 0,
      dueFen: 27880,
    });
  });

  it.each([
    ['a coupon at its minimum spend', [tea], { amountFen: f(1000), minSpendFen: f(16800) }, { itemsTotalFen: 16800, couponFen: 1000, dueFen: 15800 }],
    ['a coupon bigger than the order leaves 1 fen', [{ ...tea, listPriceFen: f(300) }], { amountFen: f(500), minSpendFen: f(0) }, { itemsTotalFen: 300, couponFen: 299, dueFen: 1 }],
    ['the assist price counts toward the minimum spend', [{ ...tea, assistPriceFen: f(9900) }], { amountFen: f(500), minSpendFen: f(9900) }, { itemsTotalFen: 9900, couponFen: 500, dueFen: 9400 }],
  ])('%s', (_n, lines, coupon, expected) => {
    expect(priceBeforeWallet(lines, coupon)).toMatchObject({ ok: true, ...expected });
  });

  it('never charges a special price above the list price (the list price was lowered after the campaign was set)', () => {
    expect(priceBeforeWallet([{ ...tea, listPriceFen: f(5000), assistPriceFen: f(6000) }], null)).toMatchObject({
      ok: true,
      lines: [{ productId: 'tea', unitPriceFen: 5000, subtotalFen: 5000, assisted: true }],
      itemsTotalFen: 5000,
    });
  });

  it('refuses a coupon under its minimum spend (at the assist price, not the list price)', () => {
    expect(priceBeforeWallet([{ ...tea, assistPriceFen: f(9900) }], { amountFen: f(1000), minSpendFen: f(10000) })).toEqual({ ok: false, reason: 'COUPON_MIN_SPEND' });
  });
});

describe('planWalletSpend', () => {
  it.each([
    // [name, ask, due, terms, spend]
    ['nothing asked', { cashFen: 0, points: 0 }, 10000, DEFAULT_TERMS, NO_WALLET_SPEND],
    ['cash and points under every limit', { cashFen: 1500, points: 300 }, 10000, DEFAULT_TERMS, { cashFen: 1500, points: 300, pointsFen: 300 }],
    ['points capped at the merchant’s 50%', { cashFen: 0, points: 9000 }, 10000, DEFAULT_TERMS, { cashFen: 0, points: 5000, pointsFen: 5000 }],
    ['points first, then cash, leaving 1 fen', { cashFen: 50_000, points: 9000 }, 10000, DEFAULT_TERMS, { cashFen: 4999, points: 5000, pointsFen: 5000 }],
    ['odd points buy nothing and are not taken', { cashFen: 50_000, points: 1005 }, 10000, { pointsPerYuan: 1000, pointsMaxShareBp: 10_000 }, { cashFen: 9899, points: 1000, pointsFen: 100 }],
    ['a 100% cap still leaves 1 fen', { cashFen: 0, points: 1_000_000 }, 10000, { pointsPerYuan: 100, pointsMaxShareBp: 10_000 }, { cashFen: 0, points: 9999, pointsFen: 9999 }],
    ['the cap floors (1 fen of a 3 fen order at 50%)', { cashFen: 0, points: 100 }, 3, DEFAULT_TERMS, { cashFen: 0, points: 1, pointsFen: 1 }],
    ['an order of 1 fen takes nothing', { cashFen: 500, points: 500 }, 1, DEFAULT_TERMS, { cashFen: 0, points: 0, pointsFen: 0 }],
    ['a cap of 0 takes no points', { cashFen: 100, points: 500 }, 10000, { pointsPerYuan: 100, pointsMaxShareBp: 0 }, { cashFen: 100, points: 0, pointsFen: 0 }],
  ])('%s', (_n, ask, due, terms, expected) => {
    const spend = planWalletSpend(ask, f(due), terms);
    expect(spend).toEqual(expected);
    expect(Number.isSafeInteger(spend.cashFen) && Number.isSafeInteger(spend.pointsFen) && Number.isSafeInteger(spend.points)).toBe(true);
    if (due > 0) expect(due - spend.cashFen - spend.pointsFen).toBeGreaterThanOrEqual(1);
  });
});

describe('walletSpendRefusal', () => {
  it.each([
    ['enough of both', { cashFen: f(100), points: 50, pointsFen: f(50) }, { cashFen: 100, points: 50 }, null],
    ['more cash than available', { cashFen: f(101), points: 0, pointsFen: f(0) }, { cashFen: 100, points: 50 }, 'INSUFFICIENT_BALANCE'],
    ['more points than available', { cashFen: f(0), points: 51, pointsFen: f(51) }, { cashFen: 100, points: 50 }, 'INSUFFICIENT_POINTS'],
    ['both short: cash is named first', { cashFen: f(101), points: 51, pointsFen: f(51) }, { cashFen: 100, points: 50 }, 'INSUFFICIENT_BALANCE'],
  ])('%s', (_n, spend, available, expected) => {
    expect(walletSpendRefusal(spend, available)).toBe(expected);
  });
});

describe('walletSpendNotes', () => {
  const notesFor = (ask: { cashFen: number; points: number }, due: number, terms = DEFAULT_TERMS) => walletSpendNotes(ask, f(due), terms, planWalletSpend(ask, f(due), terms));

  it.each([
    ['nothing trimmed', { cashFen: 1500, points: 300 }, 10000, []],
    ['points capped', { cashFen: 0, points: 9000 }, 10000, ['积分最多抵扣订单金额的 50%，本单使用 5000 积分']],
    ['cash trimmed to leave 1 fen', { cashFen: 50_000, points: 0 }, 10000, ['抵扣后至少需支付 ¥0.01']],
    ['both', { cashFen: 50_000, points: 9000 }, 10000, ['积分最多抵扣订单金额的 50%，本单使用 5000 积分', '抵扣后至少需支付 ¥0.01']],
    ['cash exactly to 1 fen is not trimmed', { cashFen: 9999, points: 0 }, 10000, []],
  ])('%s', (_n, ask, due, expected) => {
    expect(notesFor(ask, due)).toEqual(expected);
  });

  it('names a cap that is not a whole percent', () => {
    expect(notesFor({ cashFen: 0, points: 9000 }, 10000, { pointsPerYuan: 100, pointsMaxShareBp: 3350 })).toEqual(['积分最多抵扣订单金额的 33.5%，本单使用 3350 积分']);
  });
});

describe('checkoutTotals', () => {
  const before = priceBeforeWallet([{ productId: 'a', quantity: 1, listPriceFen: f(10000), assistPriceFen: null }], { amountFen: f(1000), minSpendFen: f(0) }) as Extract<BeforeWallet, { ok: true }>;

  it('is the items less coupon, cash and points', () => {
    expect(checkoutTotals(before, { cashFen: f(1500), points: 300, pointsFen: f(300) })).toEqual({
      ok: true,
      totals: { lines: before.lines, itemsTotalFen: 10000, couponFen: 1000, walletCashFen: 1500, pointsFen: 300, pointsUsed: 300, payableFen: 7200 },
    });
  });

  it('refuses a bill under 1 fen', () => {
    expect(checkoutTotals(before, { cashFen: f(9000), points: 0, pointsFen: f(0) })).toEqual({ ok: false, reason: 'ORDER_AMOUNT_INVALID' });
  });
});

describe('couponStateRefusal', () => {
  const now = new Date('2025-03-01T00:00:00Z');
  const later = new Date('2025-03-02T00:00:00Z');
  const earlier = new Date('2025-02-28T00:00:00Z');
  it.each([
    ['available, within its validity', 'available', later, null],
    ['available but past its time (the timer has not run)', 'available', earlier, 'COUPON_EXPIRED'],
    ['available at exactly its time', 'available', now, 'COUPON_EXPIRED'],
    ['marked expired', 'expired', earlier, 'COUPON_EXPIRED'],
    ['locked in another order', 'locked', later, 'COUPON_UNAVAILABLE'],
    ['used', 'used', later, 'COUPON_UNAVAILABLE'],
    ['held (a frozen reward)', 'held', null, 'COUPON_UNAVAILABLE'],
    ['void', 'void', later, 'COUPON_UNAVAILABLE'],
  ])('%s', (_n, status, expiresAt, expected) => {
    expect(couponStateRefusal({ status, expiresAt }, now)).toBe(expected);
  });
});
