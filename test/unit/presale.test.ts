import type { Fen } from '../../types/money';
import type { PresaleTerms } from '../../types/modules/presale.models';
import { balanceFen, depositsToNext, describePresaleRules, nextTier, phaseAt, presaleProblems, priceAt, unpaidOutcome } from '../../cloudfunctions/domain/presale';

const f = (n: number) => n as Fen;
const T0 = new Date('2030-01-01T00:00:00Z');
const at = (h: number) => new Date(T0.getTime() + h * 3600_000);
const terms = (over: Partial<PresaleTerms> = {}): PresaleTerms => ({
  depositFen: f(1000),
  basePriceFen: f(9900),
  tiers: [
    { minDeposits: 50, priceFen: f(8900) },
    { minDeposits: 200, priceFen: f(7900) },
  ],
  startsAt: at(0),
  endsAt: at(24),
  balanceEndsAt: at(48),
  forfeitUnpaid: false,
  ...over,
});

describe('the tier a count reaches', () => {
  it.each([
    [0, 9900, 50, 50],
    [1, 9900, 50, 49],
    [49, 9900, 50, 1],
    [50, 8900, 200, 150],
    [51, 8900, 200, 149],
    [199, 8900, 200, 1],
    [200, 7900, null, 0],
    [10_000, 7900, null, 0],
  ])('%i deposits → ¥%i fen, next at %p, %i more', (count, price, next, more) => {
    expect(priceAt(terms(), count)).toBe(price);
    expect(nextTier(terms(), count)?.minDeposits ?? null).toBe(next);
    expect(depositsToNext(terms(), count)).toBe(more);
  });
  it('a tier at 100: 99 and 101 land elsewhere than 100', () => {
    const t = terms({ tiers: [{ minDeposits: 100, priceFen: f(7900) }, { minDeposits: 101, priceFen: f(6900) }] });
    expect([priceAt(t, 99), priceAt(t, 100), priceAt(t, 101)]).toEqual([9900, 7900, 6900]);
  });
});

describe('the balance, to the fen', () => {
  it.each([
    [8900, 1000, 7900],
    [7900, 1000, 6900],
    [9901, 1, 9900],
    [500, 1000, 0],
  ])('final %i − deposit %i = %i', (final, dep, bal) => expect(balanceFen(f(final), f(dep))).toBe(bal));
});

describe('what a pre-sale may say', () => {
  it('accepts the example', () => expect(presaleProblems(terms())).toEqual([]));
  it.each<[string, Partial<PresaleTerms>, string]>([
    ['no tiers', { tiers: [] }, '价格阶梯'],
    ['tiers not ascending', { tiers: [{ minDeposits: 200, priceFen: f(8900) }, { minDeposits: 50, priceFen: f(7900) }] }, '逐档递增'],
    ['a tier not cheaper', { tiers: [{ minDeposits: 50, priceFen: f(9900) }] }, '逐档递减'],
    ['deposit at the lowest price', { depositFen: f(7900) }, '定金须低于'],
    ['ends before it starts', { endsAt: at(0) }, '结束时间'],
    ['balance before the end', { balanceEndsAt: at(24) }, '尾款截止'],
  ])('refuses %s', (_name, over, text) => expect(presaleProblems(terms(over)).join('；')).toContain(text));
});

describe('the phase at a moment', () => {
  it.each<[string, number, string]>([
    ['open', -1, 'upcoming'],
    ['open', 0, 'deposit'],
    ['open', 23.9, 'deposit'],
    ['open', 24, 'pricing'],
    ['priced', 30, 'balance'],
    ['priced', 48, 'closed'],
    ['closed', 30, 'closed'],
  ])('%s at +%ih → %s', (status, h, phase) => expect(phaseAt({ ...terms(), status: status as 'open' }, at(h))).toBe(phase));
});

describe('an unpaid balance and the rules text', () => {
  it('forfeits only when the rules said so', () => {
    expect(unpaidOutcome(true)).toBe('forfeited');
    expect(unpaidOutcome(false)).toBe('refunded');
  });
  it('states the deposit, every tier and the unpaid rule up front', () => {
    const text = describePresaleRules(terms()).join('\n');
    expect(text).toContain('定金 ¥10');
    expect(text).toContain('满 50 人付定金 ¥89');
    expect(text).toContain('满 200 人付定金 ¥79');
    expect(text).toContain('定金原路全额退还');
    expect(describePresaleRules(terms({ forfeitUnpaid: true })).join('\n')).toContain('定金不退');
  });
});
