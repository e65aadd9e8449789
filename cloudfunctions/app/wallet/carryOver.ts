/**
 * What a deleted account still owed follows the same person to their new account. A clawed-back reward that was
 * already withdrawn leaves a debt the next rewards pay (domain/ledger.ts); an account deletion moves the wallet, debt
 * and all, onto the tombstone's, and without this the same openid coming back would start clean and be paid its next
 * rewards in full. Run at that openid's first open since (app/users.ts), before its user document exists: one
 * transaction over both wallets moves the whole debt (entries on both sides, so the audit adds up). Two first opens
 * at once both run it; the second reads no debt left and writes nothing.
 */
import crypto from 'node:crypto';
import { ASSETS, debtCarriedIn, debtCarriedOut, Leg } from '../../domain/ledger';
import { tombstoneOf } from '../../domain/tombstone';
import { DbCtx, withWalletsTx } from './tx';

export async function carryDebtOver(ctx: DbCtx, openid: string): Promise<void> {
  const tomb = tombstoneOf(openid);
  await withWalletsTx(ctx, [tomb, openid], async (wallets) => {
    const from = wallets.get(tomb)!;
    const to = wallets.get(openid)!;
    const out: Leg[] = [];
    const into: Leg[] = [];
    for (const asset of ASSETS) {
      const owed = from.balances[asset].debt;
      if (owed <= 0) continue;
      out.push(...debtCarriedOut(from.balances, asset));
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
