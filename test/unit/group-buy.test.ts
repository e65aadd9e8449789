/** The 拼团 rules as tables: offer checks, the state machine's decision at each moment, join refusals, the rules text. */
import { decision, leaderRewardVerdict, RELEASE_GRACE_MS, effectiveStatus, joinOrderExpiry, joinRefusal, lostSeatRefusal, minSizeOf, offerProblems, successRateBp } from '../../cloudfunctions/domain/groupBuy';
import { describeGroupRules } from '../../types/groupRules';
import type { Fen } from '../../types/money';
import type { GroupDoc, GroupTerms } from '../../types/modules/group.models';

const fen = (n: number) => n as Fen;
const T0 = new Date('2026-03-01T10:00:00+08:00');
const at = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);

const terms = (over: Partial<GroupTerms> = {}): GroupTerms => ({
  groupSize: 3,
  groupPriceFen: fen(6900),
  timeLimitHours: 24,
  allowJoinAny: true,
  newUsersOnly: false,
  maxOpenPerShopper: 1,
  leaderReward: { kind: 'none' },
  minSizeAtDeadline: null,
  ...over,
});

type Facts = Pick<GroupDoc, 'status' | 'size' | 'minSize' | 'seatsTaken' | 'paidCount' | 'deadline' | 'leaderId' | 'memberIds'> & { rules: { newUsersOnly: boolean } };
const group = (over: Partial<Facts> = {}): Facts => ({
  status: 'open',
  size: 3,
  minSize: 3,
  seatsTaken: 1,
  paidCount: 1,
  deadline: at(60),
  leaderId: 'A',
  memberIds: ['A'],
  rules: { newUsersOnly: false },
  ...over,
});

describe('offerProblems', () => {
  it.each([
    ['a fine offer', terms(), 9900, []],
    ['size 1', terms({ groupSize: 1 }), 9900, ['成团人数须为 2–10 人']],
    ['size 11', terms({ groupSize: 11 }), 9900, ['成团人数须为 2–10 人']],
    ['price at list', terms({ groupPriceFen: fen(9900) }), 9900, ['拼团价须低于商品原价']],
    ['price 0', terms({ groupPriceFen: fen(0) }), 9900, ['拼团价须至少 ¥0.01']],
    ['fewer at deadline = size', terms({ minSizeAtDeadline: 3 }), 9900, ['到期成团的最少人数须为 2 人到成团人数减 1']],
    ['fewer at deadline = 2 of 3', terms({ minSizeAtDeadline: 2 }), 9900, []],
    ['coupon worth the price', terms({ leaderReward: { kind: 'coupon', amountFen: fen(6900), minSpendFen: fen(0), validDays: 7 } }), 9900, ['团长优惠券面额须低于拼团价']],
    ['hours 0', terms({ timeLimitHours: 0 }), 9900, ['拼团时限须为 1–168 小时']],
  ])('%s', (_name, t, list, problems) => {
    expect(offerProblems(t, fen(list))).toEqual(problems);
  });

  it('minimum at the deadline is the size unless fewer is allowed', () => {
    expect(minSizeOf(terms())).toBe(3);
    expect(minSizeOf(terms({ minSizeAtDeadline: 2 }))).toBe(2);
  });
});

describe('decision: open → succeeded | failed, once, never both', () => {
  it.each([
    ['before the deadline, short', group({ paidCount: 2 }), at(30), null],
    ['full before the deadline', group({ paidCount: 3, seatsTaken: 3 }), at(30), 'succeeded'],
    ['full after the deadline (the last payment won the race)', group({ paidCount: 3, seatsTaken: 3 }), at(61), 'succeeded'],
    ['at the deadline, short', group({ paidCount: 2 }), at(60), 'failed'],
    ['after the deadline, only the leader', group(), at(120), 'failed'],
    ['after the deadline, fewer allowed and reached', group({ paidCount: 2, minSize: 2 }), at(61), 'succeeded'],
    ['after the deadline, fewer allowed, not reached', group({ paidCount: 1, minSize: 2 }), at(61), 'failed'],
    ['already succeeded', group({ status: 'succeeded', paidCount: 3 }), at(120), null],
    ['already failed', group({ status: 'failed' }), at(30), null],
    ['pending (leader unpaid)', group({ status: 'pending', paidCount: 0, deadline: null }), at(120), null],
  ])('%s', (_name, g, now, verdict) => {
    expect(decision(g, now)).toBe(verdict);
  });

  it('shows an open group past its deadline as decided before the timer runs', () => {
    expect(effectiveStatus(group(), at(61))).toBe('failed');
    expect(effectiveStatus(group(), at(59))).toBe('open');
  });
});

describe('joinRefusal', () => {
  it.each([
    ['open with seats', group(), 'B', null, at(10), null],
    ['the leader', group(), 'A', null, at(10), 'GROUP_ALREADY_MEMBER'],
    ['already holding a seat', group({ memberIds: ['A', 'B'], seatsTaken: 2 }), 'B', null, at(10), 'GROUP_ALREADY_MEMBER'],
    ['leader has not paid', group({ status: 'pending', deadline: null, paidCount: 0 }), 'B', null, at(10), 'GROUP_NOT_OPEN'],
    ['every seat held (some unpaid)', group({ seatsTaken: 3, paidCount: 2 }), 'B', null, at(10), 'GROUP_FULL'],
    ['past the deadline', group(), 'B', null, at(60), 'GROUP_CLOSED'],
    ['succeeded', group({ status: 'succeeded', paidCount: 3, seatsTaken: 3 }), 'B', null, at(10), 'GROUP_CLOSED'],
    ['new users only, not new', group({ rules: { newUsersOnly: true } }), 'B', false, at(10), 'GROUP_NEW_USERS_ONLY'],
    ['new users only, new', group({ rules: { newUsersOnly: true } }), 'B', true, at(10), null],
  ])('%s', (_name, g, user, isNew, now, refusal) => {
    expect(joinRefusal(g, user as string, isNew as boolean | null, now)).toBe(refusal);
  });

  it('a lost seat race before the deadline is a full group, after it a closed one', () => {
    expect(lostSeatRefusal({ deadline: at(60) }, at(10))).toBe('GROUP_FULL');
    expect(lostSeatRefusal({ deadline: at(60) }, at(60))).toBe('GROUP_CLOSED');
  });

  it('a joiner’s unpaid order never outlives the group', () => {
    expect(joinOrderExpiry(at(15), at(60))).toEqual(at(15));
    expect(joinOrderExpiry(at(15), at(5))).toEqual(at(5));
    expect(joinOrderExpiry(at(15), null)).toEqual(at(15));
  });
});

it('success rate in basis points', () => {
  expect(successRateBp(0, 0)).toBeNull();
  expect(successRateBp(1, 2)).toBe(3333);
  expect(successRateBp(3, 0)).toBe(10_000);
});

describe('describeGroupRules', () => {
  it('states price, size, time, money back and who may join, up front', () => {
    const text = describeGroupRules(terms({ newUsersOnly: true, leaderReward: { kind: 'points', points: 200 } }), 9900);
    expect(text[0]).toBe('3 人成团，拼团价 ¥69.00（单买 ¥99.00），每单限购 1 件。');
    expect(text.join('\n')).toContain('24 小时内凑满 3 位已付款成员即成团');
    expect(text.join('\n')).toContain('自动全额退款');
    expect(text.join('\n')).toContain('仅限新用户参团');
    expect(text.join('\n')).toContain('成团后团长获得 200 积分；奖励先冻结，成员确认收货且退款期结束后到账，成员退款使成团人数不足的奖励作废；奖励只看成团结果，与分享次数无关。');
  });

  it('says when fewer members succeed at the deadline', () => {
    expect(describeGroupRules(terms({ minSizeAtDeadline: 2 }), null).join('\n')).toContain('到期时已付款成员达到 2 位的，也按成团处理');
  });

  it('never mentions a cash reward', () => {
    for (const r of [{ kind: 'none' }, { kind: 'points', points: 1 }, { kind: 'coupon', amountFen: fen(500), minSpendFen: fen(0), validDays: 7 }] as GroupTerms['leaderReward'][]) {
      expect(describeGroupRules(terms({ leaderReward: r }), 9900).join('')).not.toMatch(/现金|返现/);
    }
  });
});

describe('leaderRewardVerdict: when a held 团长 reward is released, taken back, or looked at again', () => {
  const now = new Date('2027-03-01T00:00:00Z');
  const at = (minutes: number) => new Date(now.getTime() + minutes * 60_000);
  const order = (id: string, over: Partial<{ status: string; refundDeadline: Date | null; refundStatus: string | null }> = {}) => ({ _id: id, status: 'received', refundDeadline: at(-60), refundStatus: null, ...over }) as never;
  const group = { minSize: 2, paidOrderIds: ['a', 'b'] };
  it.each([
    ['both received, windows and grace passed', [order('a'), order('b')], [], { action: 'release' }],
    ['the last window closed a minute ago (inside the grace)', [order('a'), order('b', { refundDeadline: at(-1) })], [], { action: 'wait', checkAt: new Date(at(-1).getTime() + RELEASE_GRACE_MS) }],
    ['a refund request written, the order not told yet', [order('a'), order('b')], ['b'], { action: 'wait', checkAt: at(6 * 60) }],
    ['one not received yet', [order('a'), order('b', { status: 'paid', refundDeadline: null })], [], { action: 'wait', checkAt: at(6 * 60) }],
    ['one refunded: fewer kept than the minimum', [order('a'), order('b', { status: 'refunded' })], [], { action: 'void' }],
  ])('%s', (_name, orders, open, expected) => {
    expect(leaderRewardVerdict(group, orders as never[], new Set(open as string[]), now)).toEqual(expected);
  });
});
