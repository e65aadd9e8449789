/** Rule evaluation: which rule applies (priority, no stacking), how much it pays, the paid base, caps, the day. */
import type { RebateRuleDoc } from '../../types/models';
import type { Fen } from '../../types/money';
import { OrderFacts, paidAmountFor, pickRule, releaseCap, rewardAmount, ruleProblems, shanghaiDay, takeCap } from '../../cloudfunctions/domain/rebateRules';

const T0 = new Date('2026-03-01T00:00:00Z');
const f = (n: number) => n as Fen;

function rule(id: string, patch: Partial<RebateRuleDoc> = {}): RebateRuleDoc {
  return {
    _id: id,
    name: id,
    active: true,
    priority: 0,
    reward: { form: 'cash', amountFen: f(5000) },
    trigger: { kind: 'everyN', n: 3, minOrderFen: f(0) },
    caps: { perInviterPerDay: null, perInviterTotal: null },
    productIds: null,
    startsAt: null,
    endsAt: null,
    createdAt: T0,
    updatedAt: T0,
    ...patch,
  };
}

const order = (patch: Partial<OrderFacts> = {}): OrderFacts => ({
  items: [
    { productId: 'p-tea', subtotalFen: 16800 },
    { productId: 'p-towel', subtotalFen: 4990 },
  ],
  itemsTotalFen: 21790,
  couponFen: 0,
  pointsFen: 0,
  paidAt: new Date('2026-03-02T00:00:00Z'),
  ...patch,
});

describe('paidAmountFor: the buyer’s own money for the rule’s products', () => {
  it.each<[string, Partial<OrderFacts>, string[] | null, number]>([
    ['whole order', {}, null, 21790],
    ['one product of two', {}, ['p-tea'], 16800],
    ['no listed product in the order', {}, ['p-rice'], 0],
    ['a coupon is split over the items in proportion', { couponFen: 1000 }, ['p-tea'], 16800 - 771],
    ['the other item takes the rest of the coupon', { couponFen: 1000 }, ['p-towel'], 4990 - 229],
    ['coupon and points together, whole order', { couponFen: 1000, pointsFen: 500 }, null, 20290],
    ['a discount larger than the order leaves nothing', { couponFen: 30000 }, null, 0],
  ])('%s', (_name, patch, products, expected) => {
    expect(paidAmountFor(order(patch), products)).toBe(expected);
  });
});

describe('pickRule: the highest-priority active rule that matches; rules never stack', () => {
  const tenDays = new Date('2026-03-10T00:00:00Z');
  it.each<[string, RebateRuleDoc[], 'everyN' | 'eachOrder', Partial<OrderFacts>, string | null]>([
    ['the only rule', [rule('r1')], 'everyN', {}, 'r1'],
    ['higher priority wins', [rule('low', { priority: 1 }), rule('high', { priority: 9 })], 'everyN', {}, 'high'],
    ['equal priority: the older rule', [rule('new', { createdAt: new Date('2026-02-02') }), rule('old', { createdAt: new Date('2026-02-01') })], 'everyN', {}, 'old'],
    ['an inactive rule never applies', [rule('off', { active: false, priority: 9 }), rule('on')], 'everyN', {}, 'on'],
    ['not before its start', [rule('later', { startsAt: tenDays, priority: 9 }), rule('now')], 'everyN', {}, 'now'],
    ['not at or after its end', [rule('ended', { endsAt: new Date('2026-03-02T00:00:00Z'), priority: 9 }), rule('now')], 'everyN', {}, 'now'],
    ['the other trigger kind does not count', [rule('each', { trigger: { kind: 'eachOrder', minOrderFen: f(0) } })], 'everyN', {}, null],
    ['a product list must meet the order', [rule('rice', { productIds: ['p-rice'], priority: 9 }), rule('all')], 'everyN', {}, 'all'],
    ['a minimum the order misses passes to the next rule', [rule('big', { trigger: { kind: 'everyN', n: 3, minOrderFen: f(30000) }, priority: 9 }), rule('any')], 'everyN', {}, 'any'],
    ['the minimum counts the rule’s products only', [rule('tea', { productIds: ['p-tea'], trigger: { kind: 'eachOrder', minOrderFen: f(17000) } })], 'eachOrder', {}, null],
    ['nothing matches', [rule('big', { trigger: { kind: 'everyN', n: 3, minOrderFen: f(30000) } })], 'everyN', {}, null],
  ])('%s', (_name, rules, kind, patch, expected) => {
    expect(pickRule(rules, kind, order(patch))?.rule._id ?? null).toBe(expected);
  });

  it('answers the base it measured', () => {
    const m = pickRule([rule('tea', { productIds: ['p-tea'] })], 'everyN', order({ couponFen: 1000 }));
    expect(m?.baseFen).toBe(16800 - 771);
  });
});

describe('rewardAmount', () => {
  const each = (t: Partial<{ fixedFen: Fen; ratioBp: number }>, reward: RebateRuleDoc['reward'] = { form: 'cash', amountFen: f(300) }) => rule('e', { trigger: { kind: 'eachOrder', minOrderFen: f(0), ...t }, reward });
  it.each<[string, RebateRuleDoc, number, number, { form: string; amount: number } | null]>([
    ['everyN cash pays the fixed amount', rule('n'), 99999, 100, { form: 'cash', amount: 5000 }],
    ['eachOrder without ratio pays the reward amount', each({}), 10000, 100, { form: 'cash', amount: 300 }],
    ['eachOrder fixed amount', each({ fixedFen: f(888) }), 10000, 100, { form: 'cash', amount: 888 }],
    ['eachOrder ratio of the paid base, floored', each({ ratioBp: 500 }), 9990, 100, { form: 'cash', amount: 499 }],
    ['a ratio that rounds to nothing pays nothing', each({ ratioBp: 1 }), 99, 100, null],
    ['points by ratio at the wallet rate', each({ ratioBp: 1000 }, { form: 'points', points: 0 }), 12345, 100, { form: 'points', amount: 1234 }],
    ['points by ratio at 10 points per ¥1', each({ ratioBp: 1000 }, { form: 'points', points: 0 }), 12345, 10, { form: 'points', amount: 123 }],
    ['fixed points', rule('p', { reward: { form: 'points', points: 200 } }), 1, 100, { form: 'points', amount: 200 }],
    ['a coupon', rule('c', { reward: { form: 'coupon', amountFen: f(1000), minSpendFen: f(5000), validDays: 30 } }), 1, 100, { form: 'coupon', amount: 1000 }],
  ])('%s', (_name, r, base, rate, expected) => {
    const got = rewardAmount(r, base, rate);
    expect(got ? { form: got.form, amount: got.amount } : null).toEqual(expected);
  });
});

describe('caps per inviter: per Asia/Shanghai day and in total', () => {
  const caps = (perInviterPerDay: number | null, perInviterTotal: number | null) => ({ perInviterPerDay, perInviterTotal });
  it.each<[string, Parameters<typeof takeCap>[0], ReturnType<typeof caps>, string, boolean, { total: number; dayCount: number }]>([
    ['no caps', undefined, caps(null, null), '2026-03-01', true, { total: 1, dayCount: 1 }],
    ['under the daily cap', { total: 1, day: '2026-03-01', dayCount: 1 }, caps(2, null), '2026-03-01', true, { total: 2, dayCount: 2 }],
    ['at the daily cap', { total: 2, day: '2026-03-01', dayCount: 2 }, caps(2, null), '2026-03-01', false, { total: 2, dayCount: 2 }],
    ['the next day starts again', { total: 2, day: '2026-03-01', dayCount: 2 }, caps(2, null), '2026-03-02', true, { total: 3, dayCount: 1 }],
    ['at the total cap', { total: 5, day: '2026-03-01', dayCount: 0 }, caps(null, 5), '2026-03-02', false, { total: 5, dayCount: 0 }],
    ['a zero cap pays nothing', undefined, caps(0, null), '2026-03-01', false, { total: 0, dayCount: 0 }],
  ])('%s', (_name, state, c, day, allowed, next) => {
    const got = takeCap(state, c, day);
    expect(got.allowed).toBe(allowed);
    expect({ total: got.next.total, dayCount: got.next.dayCount }).toEqual(next);
  });

  it('a voided reward frees its place (that day’s count only if earned that day)', () => {
    expect(releaseCap({ total: 3, day: '2026-03-02', dayCount: 2 }, '2026-03-02')).toEqual({ total: 2, day: '2026-03-02', dayCount: 1 });
    expect(releaseCap({ total: 3, day: '2026-03-02', dayCount: 2 }, '2026-03-01')).toEqual({ total: 2, day: '2026-03-02', dayCount: 2 });
    expect(releaseCap({ total: 0, day: '2026-03-02', dayCount: 0 }, '2026-03-02')).toEqual({ total: 0, day: '2026-03-02', dayCount: 0 });
  });
});

describe('shanghaiDay', () => {
  it.each([
    ['2026-03-01T15:59:59.999Z', '2026-03-01'],
    ['2026-03-01T16:00:00.000Z', '2026-03-02'],
    ['2026-12-31T16:30:00.000Z', '2027-01-01'],
    ['2026-03-01T00:00:00.000Z', '2026-03-01'],
  ])('%s is %s in Shanghai', (iso, day) => {
    expect(shanghaiDay(new Date(iso))).toBe(day);
  });
});

describe('ruleProblems', () => {
  it('accepts the demo rule', () => {
    expect(ruleProblems(rule('ok'))).toEqual([]);
  });
  it.each<[string, Partial<RebateRuleDoc>]>([
    ['no name', { name: ' ' }],
    ['N of 0', { trigger: { kind: 'everyN', n: 0, minOrderFen: f(0) } }],
    ['ratio and fixed together', { trigger: { kind: 'eachOrder', minOrderFen: f(0), ratioBp: 100, fixedFen: f(100) } }],
    ['a ratio over 100 %', { trigger: { kind: 'eachOrder', minOrderFen: f(0), ratioBp: 10_001 } }],
    ['a coupon by ratio', { reward: { form: 'coupon', amountFen: f(100), minSpendFen: f(0), validDays: 7 }, trigger: { kind: 'eachOrder', minOrderFen: f(0), ratioBp: 100 } }],
    ['a zero reward', { reward: { form: 'cash', amountFen: f(0) } }],
    ['an empty product list', { productIds: [] }],
    ['an end before the start', { startsAt: new Date('2026-03-02'), endsAt: new Date('2026-03-01') }],
    ['a negative cap', { caps: { perInviterPerDay: -1, perInviterTotal: null } }],
  ])('refuses %s', (_name, patch) => {
    expect(ruleProblems(rule('bad', patch)).length).toBeGreaterThan(0);
  });
});
