/** 推三返一 groups: every n conversions make a group; a refund dissolves the group and the reward returns with the next. */
import type { GroupMember } from '../../types/modules/referral.models';
import { dissolveGroup, joinPool, leavePool, maturityOf, progressText, stampPool } from '../../cloudfunctions/domain/referralProgress';
import { withdrawalIdFor, withdrawProblem, transferOutcome } from '../../cloudfunctions/domain/withdraw';

const m = (id: string, deadline: Date | null = null): GroupMember => ({ inviteeId: id, orderId: `o-${id}`, refundDeadline: deadline });

describe('groups of n', () => {
  it('A invites B, C, D; each buys → 3/3 makes one group', () => {
    let p = joinPool(undefined, m('B'), 3);
    expect(p.completed).toEqual([]);
    expect(progressText(p.progress.pool.length, 3)).toBe('1/3');
    p = joinPool(p.progress, m('C'), 3);
    expect(progressText(p.progress.pool.length, 3)).toBe('2/3');
    p = joinPool(p.progress, m('D'), 3);
    expect(p.completed).toEqual([[m('B'), m('C'), m('D')]]);
    expect(p.progress).toEqual({ pool: [], groups: 1 });
  });

  it('joining twice changes nothing', () => {
    const once = joinPool(undefined, m('B'), 3).progress;
    expect(joinPool(once, m('B'), 3)).toEqual({ progress: once, completed: [] });
  });

  it('C refunds: the group dissolves, B and D wait (2/3); E buys → the group forms again', () => {
    const group = [m('B'), m('C'), m('D')];
    const after = dissolveGroup({ pool: [], groups: 1 }, group, 'C', 3);
    expect(after.completed).toEqual([]);
    expect(after.progress).toEqual({ pool: [m('B'), m('D')], groups: 0 });
    const again = joinPool(after.progress, m('E'), 3);
    expect(again.completed).toEqual([[m('B'), m('D'), m('E')]]);
    expect(again.progress).toEqual({ pool: [], groups: 1 });
  });

  it('a dissolved group whose members meet a waiting pool re-forms at once', () => {
    const after = dissolveGroup({ pool: [m('F'), m('G')], groups: 2 }, [m('B'), m('C'), m('D')], 'C', 3);
    expect(after.completed).toEqual([[m('B'), m('D'), m('F')]]);
    expect(after.progress).toEqual({ pool: [m('G')], groups: 2 });
  });

  it('a member still waiting just leaves the pool', () => {
    expect(leavePool({ pool: [m('B'), m('C')], groups: 4 }, 'B')).toEqual({ pool: [m('C')], groups: 4 });
  });

  it('n = 1 rewards every conversion', () => {
    expect(joinPool(undefined, m('B'), 1).completed).toEqual([[m('B')]]);
  });
});

describe('maturity: the latest refund deadline, once all are known', () => {
  const d = (day: number) => new Date(Date.UTC(2026, 2, day));
  it.each<[string, GroupMember[], Date | null]>([
    ['one order', [m('B', d(8))], d(8)],
    ['a group waits for its last deadline', [m('B', d(8)), m('C', d(12)), m('D', d(9))], d(12)],
    ['an unknown deadline (not yet received) holds it', [m('B', d(8)), m('C', null)], null],
    ['no members', [], null],
  ])('%s', (_name, members, expected) => {
    expect(maturityOf(members)).toEqual(expected);
  });

  it('stamps a deadline on the pool member of that order', () => {
    expect(stampPool({ pool: [m('B'), m('C')], groups: 0 }, 'o-C', d(9))).toEqual({ pool: [m('B'), m('C', d(9))], groups: 0 });
  });
});

describe('withdrawals', () => {
  const limits = { withdrawMinFen: 100, withdrawMaxFen: 200_000, withdrawDailyCount: 3 };
  it.each<[string, number, number, number, string | null]>([
    ['a normal withdrawal', 5000, 5000, 0, null],
    ['below the minimum', 99, 5000, 0, 'WITHDRAW_BELOW_MIN'],
    ['above the maximum', 200_001, 999_999, 0, 'WITHDRAW_ABOVE_MAX'],
    ['the daily count used up', 5000, 5000, 3, 'WITHDRAW_DAILY_LIMIT'],
    ['more than available', 5001, 5000, 0, 'INSUFFICIENT_BALANCE'],
    ['not a whole fen', 100.5, 5000, 0, 'INVALID_ARGUMENT'],
  ])('%s', (_name, amount, available, used, problem) => {
    expect(withdrawProblem(amount, available, used, limits)).toBe(problem);
  });

  it('one id per (user, requestId): alphanumeric, 32 characters (a valid out_bill_no)', () => {
    const a = withdrawalIdFor('u1', 'req-1');
    expect(a).toMatch(/^[A-Za-z0-9]{32}$/);
    expect(withdrawalIdFor('u1', 'req-1')).toBe(a);
    expect(withdrawalIdFor('u2', 'req-1')).not.toBe(a);
    expect(withdrawalIdFor('u1', 'req-2')).not.toBe(a);
  });

  it.each([
    ['WAIT_USER_CONFIRM', 'wait'],
    ['TRANSFERING', 'wait'],
    ['ACCEPTED', 'wait'],
    ['PROCESSING', 'wait'],
    ['CANCELING', 'wait'],
    ['SUCCESS', 'paid'],
    ['FAIL', 'returned'],
    ['CANCELLED', 'returned'],
  ] as const)('a %s bill means %s', (state, outcome) => {
    expect(transferOutcome(state)).toBe(outcome);
  });
});
