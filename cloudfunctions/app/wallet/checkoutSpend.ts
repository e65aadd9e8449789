/**
 * Seam between the shop's createOrder and the wallet: spending available cash and points at checkout, and giving
 * them back when the order is cancelled, expires unpaid or is refunded. Each is one ledger operation keyed by the
 * order, in the buyer's wallet transaction: replaying either changes nothing.
 */
import type { Fen } from '../../../types/money';
import { fen } from '../../../types/money';
import type { LedgerEntryDoc } from '../../../types/modules/referral.models';
import { legKey, spend, spendable, spendReturn } from '../../domain/ledger';
import type { PointsTerms } from '../../domain/shopPricing';
import { planWalletSpend, walletSpendRefusal } from '../../domain/shopPricing';
import { collection } from '../../infra/collections';
import { AppError } from '../../infra/errors';
import { carryDebtOver } from './carryOver';
import { loadSettings } from './settings';
import type { DbCtx, UserTx } from './tx';
import { normalizeWallet, withUserTx } from './tx';

/**
 * An order's spend and its return are one operation each per attempt. The order id comes from the buyer's requestId,
 * so a create that failed after spending (and gave the spend back) is retried under the same order id: that retry
 * spends anew as attempt 2 (`spend:<order>#2`), instead of reading attempt 1's spend as its own and paying nothing.
 */
const attemptSuffix = (attempt: number) => (attempt === 1 ? '' : `#${attempt}`);
const spendOp = (orderId: string, attempt = 1) => `spend:${orderId}${attemptSuffix(attempt)}`;
const returnOp = (orderId: string, attempt = 1) => `spend-return:${orderId}${attemptSuffix(attempt)}`;
/** Creates that failed after spending, under one requestId, before it is refused (the app then asks for a new one). */
const MAX_ATTEMPTS = 10;

/** An operation's entries (a return that paid a debt first has debt legs too). */
async function legsOf(u: UserTx, op: string): Promise<LedgerEntryDoc[]> {
  const keys = (['cash', 'points'] as const).flatMap((asset) => [legKey(op, asset, 'available'), legKey(op, asset, 'debt')]);
  return (await collection(u.db, 'ledger').where({ _id: u._.in(keys) }).limit(4).get()).data;
}

interface Attempt {
  attempt: number;
  spent: LedgerEntryDoc[];
  returned: boolean;
}

/**
 * The order's spend attempts in order, up to the first that was not given back (only the last can be outstanding).
 * One read when the order never spent, two per attempt otherwise.
 */
async function attemptsOf(u: UserTx, orderId: string): Promise<Attempt[]> {
  const out: Attempt[] = [];
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    const spent = await legsOf(u, spendOp(orderId, attempt));
    if (!spent.length) break;
    const returned = (await legsOf(u, returnOp(orderId, attempt))).length > 0;
    out.push({ attempt, spent, returned });
    if (!returned) break;
  }
  return out;
}

/**
 * Spend up to `cashFen` of wallet cash and `points` for `orderId`, against `orderTotalFen` (the total after the
 * coupon): points pay at most the merchant's share of the order (100 points = ¥1 by default), and together they
 * leave at least 1 fen to pay — planWalletSpend (domain/shopPricing), the same arithmetic the shop's quote uses.
 * Answers what was actually spent; a repeat for the same order answers the first.
 * Asking for more than is available is refused (INSUFFICIENT_BALANCE / INSUFFICIENT_POINTS), writing nothing.
 */
export async function spendWalletAtCheckout(
  ctx: DbCtx,
  input: { buyerId: string; orderId: string; cashFen: Fen; points: number; orderTotalFen: Fen },
): Promise<{ cashFen: Fen; points: number; pointsFen: Fen }> {
  const { cashFen, points, orderTotalFen } = input;
  if (![cashFen, points, orderTotalFen].every((v) => Number.isSafeInteger(v) && v >= 0)) throw new AppError('INVALID_ARGUMENT');
  if (cashFen === 0 && points === 0) return { cashFen: fen(0), points: 0, pointsFen: fen(0) };
  // What a deleted earlier account of this buyer still owes is owed here before anything is spent (one read by id).
  await carryDebtOver(ctx, input.buyerId);
  const settings = await loadSettings(ctx);
  const plan = planWalletSpend({ cashFen, points }, orderTotalFen, settings);

  return withUserTx(ctx, input.buyerId, async (u) => {
    const attempts = await attemptsOf(u, input.orderId);
    const last = attempts[attempts.length - 1];
    if (last && !last.returned) {
      // A repeat of this attempt (its spend stands): the same answer, nothing spent twice.
      const cash = last.spent.find((e) => e.asset === 'cash');
      const pts = last.spent.find((e) => e.asset === 'points');
      return { cashFen: fen(-(cash?.amount ?? 0)), points: -(pts?.amount ?? 0), pointsFen: fen(pts?.valueFen ?? 0) };
    }
    if (attempts.length >= MAX_ATTEMPTS) throw new AppError('REQUEST_ID_REUSED');
    const refused = walletSpendRefusal(plan, { cashFen: spendable(u.balances, 'cash'), points: spendable(u.balances, 'points') });
    if (refused) throw new AppError(refused);
    u.post(spendOp(input.orderId, attempts.length + 1), spend(plan.cashFen, plan.points), { orderId: input.orderId, valueFen: plan.pointsFen });
    return plan;
  });
}

/** Give back what `orderId` spent (cancelled, expired unpaid or refunded). Idempotent; nothing spent, nothing done. */
export async function returnWalletSpend(ctx: DbCtx, input: { orderId: string; buyerId: string }): Promise<void> {
  await withUserTx(ctx, input.buyerId, async (u) => {
    const last = (await attemptsOf(u, input.orderId)).pop();
    if (!last || last.returned) return;
    const cash = -(last.spent.find((e) => e.asset === 'cash')?.amount ?? 0);
    const pts = last.spent.find((e) => e.asset === 'points');
    u.post(returnOp(input.orderId, last.attempt), spendReturn(u.balances, cash, -(pts?.amount ?? 0)), { orderId: input.orderId, valueFen: pts?.valueFen ?? null });
  });
}

/**
 * What a checkout quote needs to plan a spend without making it: the merchant's points terms and the buyer's
 * available cash and points, read as they are now (no transaction, nothing written). Two reads, made together.
 */
export async function walletForQuote(ctx: DbCtx, buyerId: string): Promise<{ terms: PointsTerms; available: { cashFen: Fen; points: number } }> {
  const [settings, walletRes] = await Promise.all([loadSettings(ctx), collection(ctx.db, 'wallets').doc(buyerId).get()]);
  const wallet = normalizeWallet(buyerId, walletRes.data?.[0], new Date(0));
  return {
    terms: { pointsPerYuan: settings.pointsPerYuan, pointsMaxShareBp: settings.pointsMaxShareBp },
    available: { cashFen: fen(spendable(wallet, 'cash')), points: spendable(wallet, 'points') },
  };
}
