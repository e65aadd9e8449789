/** The ledger: legs per operation, never a negative bucket, debt paid first, refund effects on rewards. */
import {
  applyLegs,
  clawback,
  compareBalances,
  creditAvailable,
  creditFrozen,
  debtCarriedIn,
  debtCarriedOut,
  emptyWalletBalances,
  LedgerError,
  legKey,
  postFrozen,
  spend,
  spendable,
  spendReturn,
  sumLegs,
  voidFrozen,
  WalletBalances,
  withdrawPaid,
  withdrawRequest,
  withdrawReturn,
} from '../../cloudfunctions/domain/ledger';
import { fateOf } from '../../cloudfunctions/domain/referralProgress';

const wallet = (cash: Partial<WalletBalances['cash']> = {}, points: Partial<WalletBalances['points']> = {}): WalletBalances => ({
  cash: { ...emptyWalletBalances().cash, ...cash },
  points: { ...emptyWalletBalances().points, ...points },
});

describe('operations and their legs', () => {
  it.each<[string, WalletBalances, () => ReturnType<typeof creditFrozen>, WalletBalances]>([
    ['a reward is frozen', wallet(), () => creditFrozen('cash', 5000), wallet({ frozen: 5000 })],
    ['posting moves frozen → available', wallet({ frozen: 5000 }), () => postFrozen(wallet({ frozen: 5000 }), 'cash', 5000), wallet({ available: 5000 })],
    ['posting pays a debt first', wallet({ frozen: 5000, debt: 3000 }), () => postFrozen(wallet({ debt: 3000 }), 'cash', 5000), wallet({ available: 2000 })],
    ['a debt larger than the reward takes it all', wallet({ frozen: 5000, debt: 8000 }), () => postFrozen(wallet({ debt: 8000 }), 'cash', 5000), wallet({ debt: 3000 })],
    ['void takes a frozen reward back', wallet({ frozen: 5000 }), () => voidFrozen('cash', 5000), wallet()],
    ['clawback takes what is available and books only the rest as debt', wallet({ available: 100 }), () => clawback(wallet({ available: 100 }), 'cash', 5000), wallet({ debt: 4900 })],
    ['clawback out of a larger available leaves no debt', wallet({ available: 8000 }), () => clawback(wallet({ available: 8000 }), 'cash', 5000), wallet({ available: 3000 })],
    ['clawback of a withdrawn reward is all debt', wallet({ withdrawing: 5000 }), () => clawback(wallet({ withdrawing: 5000 }), 'cash', 5000), wallet({ withdrawing: 5000, debt: 5000 })],
    ['points clawback the same way', wallet({}, { available: 30 }), () => clawback(wallet({}, { available: 30 }), 'points', 100), wallet({}, { debt: 70 })],
    ['points credit pays a points debt first', wallet({}, { debt: 30 }), () => creditAvailable(wallet({}, { debt: 30 }), 'points', 100, 'points_credit'), wallet({}, { available: 70 })],
    ['withdraw: available → withdrawing', wallet({ available: 1000 }), () => withdrawRequest(600), wallet({ available: 400, withdrawing: 600 })],
    ['a returned withdrawal comes back', wallet({ available: 400, withdrawing: 600 }), () => withdrawReturn(wallet({ available: 400 }), 600), wallet({ available: 1000 })],
    ['a returned withdrawal pays the debt first', wallet({ withdrawing: 5000, debt: 5000 }), () => withdrawReturn(wallet({ debt: 5000 }), 5000), wallet()],
    ['a partly owed return', wallet({ withdrawing: 5000, debt: 2000 }), () => withdrawReturn(wallet({ debt: 2000 }), 5000), wallet({ available: 3000 })],
    ['a paid withdrawal leaves', wallet({ available: 400, withdrawing: 600 }), () => withdrawPaid(600), wallet({ available: 400 })],
    ['checkout spends cash and points', wallet({ available: 1000 }, { available: 500 }), () => spend(300, 200), wallet({ available: 700 }, { available: 300 })],
    ['and gets them back', wallet({ available: 700 }, { available: 300 }), () => spendReturn(wallet({ available: 700 }, { available: 300 }), 300, 200), wallet({ available: 1000 }, { available: 500 })],
    ['a spend returned to an owing wallet pays the debt first', wallet({ debt: 200 }, { debt: 50 }), () => spendReturn(wallet({ debt: 200 }, { debt: 50 }), 300, 200), wallet({ available: 100 }, { available: 150 })],
    ['spending points only writes no cash leg', wallet({}, { available: 500 }), () => spend(0, 200), wallet({}, { available: 300 })],
    ['a deleted account’s debt leaves its wallet whole', wallet({ debt: 5000 }), () => debtCarriedOut('cash', 5000), wallet()],
    ['and arrives as debt in the new account', wallet(), () => debtCarriedIn(wallet(), 'cash', 5000), wallet({ debt: 5000 })],
    ['paid out of what the new account has first, never debt beside available', wallet({ available: 3000 }), () => debtCarriedIn(wallet({ available: 3000 }), 'cash', 5000), wallet({ debt: 2000 })],
    ['points the same way', wallet({}, { available: 80 }), () => debtCarriedIn(wallet({}, { available: 80 }), 'points', 50), wallet({}, { available: 30 })],
  ])('%s', (_name, before, legs, after) => {
    expect(applyLegs(before, legs())).toEqual(after);
  });

  it.each<[string, WalletBalances, () => ReturnType<typeof creditFrozen>]>([
    ['withdrawing more than available', wallet({ available: 599 }), () => withdrawRequest(600)],
    ['spending more points than there are', wallet({}, { available: 10 }), () => spend(0, 11)],
    ['voiding more than is frozen', wallet({ frozen: 10 }), () => voidFrozen('cash', 11)],
  ])('refuses %s (a bucket would go below zero)', (_name, before, legs) => {
    expect(() => applyLegs(before, legs())).toThrow(LedgerError);
  });

  it.each([0, -5, 1.5, Number.NaN])('refuses an amount of %p', (amount) => {
    expect(() => creditFrozen('cash', amount)).toThrow(LedgerError);
    expect(() => withdrawRequest(amount)).toThrow(LedgerError);
  });

  it('an operation touches a bucket once: its source keys are unique', () => {
    expect(() => applyLegs(wallet(), [...creditFrozen('cash', 1), ...creditFrozen('cash', 1)])).toThrow(LedgerError);
    expect(legKey('reward:r1:post', 'cash', 'frozen')).toBe('reward:r1:post|cash|frozen');
  });

  it('internal moves keep the value (available + frozen + withdrawing − debt)', () => {
    const value = (legs: ReturnType<typeof creditFrozen>) => legs.reduce((a, l) => a + (l.bucket === 'debt' ? -l.amount : l.amount), 0);
    expect(value(postFrozen(wallet({ debt: 3000 }), 'cash', 5000))).toBe(0);
    expect(value(withdrawRequest(600))).toBe(0);
    expect(value(withdrawReturn(wallet(), 600))).toBe(0);
    expect(value(withdrawReturn(wallet({ debt: 250 }), 600))).toBe(0);
  });

  it('a clawback takes the whole reward: available taken plus debt booked', () => {
    for (const available of [0, 1, 4999, 5000, 5001, 90000]) {
      const legs = clawback(wallet({ available }), 'cash', 5000);
      const taken = -(legs.find((l) => l.bucket === 'available')?.amount ?? 0);
      const owed = legs.find((l) => l.bucket === 'debt')?.amount ?? 0;
      expect(taken + owed).toBe(5000);
      const after = applyLegs(wallet({ available }), legs);
      expect(after.cash.available > 0 && after.cash.debt > 0).toBe(false);
    }
  });

  it('spendable is available less debt, never below zero', () => {
    expect(spendable(wallet({ available: 500, debt: 200 }), 'cash')).toBe(300);
    expect(spendable(wallet({ available: 100, debt: 200 }), 'cash')).toBe(0);
    expect(spendable(wallet({}, { available: 9 }), 'points')).toBe(9);
  });
});

describe('the audit’s arithmetic', () => {
  it('sums entries into balances and names each difference', () => {
    const sums = sumLegs([...creditFrozen('cash', 5000), ...postFrozen(wallet(), 'cash', 5000), ...withdrawRequest(1000), ...creditFrozen('points', 30)]);
    expect(sums).toEqual(wallet({ available: 4000, withdrawing: 1000 }, { frozen: 30 }));
    expect(compareBalances(sums, sums)).toEqual([]);
    expect(compareBalances(wallet({ available: 4001, withdrawing: 1000 }, { frozen: 30 }), sums)).toEqual(['cash.available: wallet 4001, ledger 4000']);
  });
});

describe('refund effects on a reward (fateOf)', () => {
  it.each<[string, 'frozen' | 'available' | 'voided' | 'capped', { posted: boolean; reversed: boolean }, string]>([
    ['frozen, inside the window → void', 'frozen', { posted: false, reversed: false }, 'void'],
    ['posted after the window → debt', 'available', { posted: true, reversed: false }, 'clawback'],
    ['the ledger decides, not a stale status: frozen status but posted entry → debt', 'frozen', { posted: true, reversed: false }, 'clawback'],
    ['already voided → nothing', 'voided', { posted: false, reversed: true }, 'none'],
    ['already taken back in the ledger → nothing', 'frozen', { posted: true, reversed: true }, 'none'],
    ['a capped group paid nothing → nothing', 'capped', { posted: false, reversed: false }, 'none'],
  ])('%s', (_name, status, ledger, fate) => {
    expect(fateOf({ status }, ledger)).toBe(fate);
  });
});
