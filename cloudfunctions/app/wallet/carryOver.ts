/**
 * What a deleted account still owed follows the same person to their new account. A clawed-back reward that was
 * already withdrawn leaves a debt the next rewards pay (domain/ledger.ts); an account deletion moves the wallet, debt
 * and all, onto the tombstone's, and without this the same openid coming back would start clean and be paid its next
 * rewards in full. Checked at that openid's first open since (app/users.ts, before its user document exists), and
 * again wherever it matters later for an account marked `formerAccount` (every open, a withdrawal, a checkout that
 * spends the wallet): a reward of the deleted account clawed back after the person came back lands on the tombstone.
 * One transaction over both wallets moves the debt (entries on both sides, so the audit adds up) — only what the
 * tombstone's own frozen rewards will not pay when they post, so the outcome does not depend on when the person came
 * back. Two runs at once: the second reads no debt left and writes nothing.
 */
import crypto from 'node:crypto';
import type { Balances } from '../../../types/modules/referral.models';
import { ASSETS, debtCarriedIn, debtCarriedOut, Leg } from '../../domain/ledger';
import { collection } from '../../infra/collections';
import { tombstoneOf } from '../../domain/tombstone';
import { DbCtx, withWalletsTx } from './tx';

/** What the tombstone owes beyond what its frozen rewards will pay. */
const carryable = (b: Partial<Balances> | undefined) => Math.max(0, (b?.debt ?? 0) - (b?.frozen ?? 0));

/** One read by id; the transaction only when the deleted account owes something to carry. */
export async function carryDebtOver(ctx: DbCtx, openid: string): Promise<void> {
  const tomb = tombstoneOf(openid);
  const theirs = (await collection(ctx.db, 'wallets').doc(tomb).field({ cash: true, points: true }).get()).data?.[0];
  if (!theirs || ASSETS.every((asset) => carryable(theirs[asset]) === 0)) return;
  await withWalletsTx(ctx, [tomb, openid], async (wallets) => {
    const from = wallets.get(tomb)!;
    const to = wallets.get(openid)!;
    const out: Leg[] = [];
    const into: Leg[] = [];
    for (const asset of ASSETS) {
      const owed = carryable(from.balances[asset]);
      if (owed <= 0) continue;
      out.push(...debtCarriedOut(asset, owed));
      into.push(...debtCarriedIn(to.balances, asset, owed));
    }
    if (!out.length) return;
    // Neither side's entries name the other account: the operation id is random (the transaction reads the debt
    // afresh on every attempt, so a rerun after a commit finds none and posts nothing).
    const op = `debt-carry:${crypto.randomUUID()}`;
    from.post(`${op}:out`, out);
    to.post(`${op}:in`, into);
  });
}
