/**
 * The ledger audit (read-only): recomputes every wallet from its entries and reports what does not hold —
 * a wallet that differs from its entries, a bucket below zero, an entry whose key is not its (op, asset, bucket),
 * two entries for the same (op, asset, bucket) (a duplicated credit), an internal move (post, withdrawal request or
 * return) that creates or destroys value, and withdrawals whose held amounts differ from the `withdrawing` buckets.
 * Used by `npm run audit` (emulator/audit.ts) and by the integration tests after each scenario.
 */
import type { Balances, LedgerAsset, LedgerBucket, WalletDoc } from '../../../types/modules/referral.models';
import { ASSETS, BUCKETS, compareBalances, emptyWalletBalances, WalletBalances } from '../../domain/ledger';
import type { Database } from '../../infra/db';

export type AuditProblemKind = 'wallet_mismatch' | 'missing_wallet' | 'negative_balance' | 'bad_key' | 'duplicate_entry' | 'unbalanced_op' | 'withdrawals_mismatch';

export interface AuditProblem {
  kind: AuditProblemKind;
  userId: string | null;
  detail: string;
}

export interface AuditReport {
  ok: boolean;
  wallets: number;
  entries: number;
  users: number;
  problems: AuditProblem[];
}

const PAGE = 1000;

/* eslint-disable @typescript-eslint/no-explicit-any */
async function aggregateAll(db: Database, collection: string, build: (agg: any) => any): Promise<any[]> {
  const out: any[] = [];
  for (let skip = 0; ; skip += PAGE) {
    const res = await build(db.collection(collection).aggregate()).sort({ _id: 1 }).skip(skip).limit(PAGE).end();
    const list = (res as { data: any[] }).data;
    out.push(...list);
    if (list.length < PAGE) return out;
  }
}

/** Net value of a change: what the user has (available, frozen, withdrawing) less what they owe (debt). */
const netValue = (bucket: LedgerBucket, amount: number) => (bucket === 'debt' ? -amount : amount);

/** Operations that only move value between a user's buckets (must net to zero per asset). */
const INTERNAL_OP = /^(reward:[^|]+:post|withdraw:[^|]+:(request|return))$/;

export async function auditLedger(db: Database): Promise<AuditReport> {
  const $ = db.command.aggregate;
  const problems: AuditProblem[] = [];

  const sums = await aggregateAll(db, 'ledger', (a) => a.group({ _id: { u: '$userId', a: '$asset', b: '$bucket' }, sum: $.sum('$amount'), n: $.sum(1) }));
  const fromLedger = new Map<string, WalletBalances>();
  let entries = 0;
  for (const s of sums) {
    const userId = s._id.u as string;
    const bal = fromLedger.get(userId) ?? emptyWalletBalances();
    bal[s._id.a as LedgerAsset][s._id.b as LedgerBucket] += s.sum;
    fromLedger.set(userId, bal);
    entries += s.n;
  }

  const dups = await aggregateAll(db, 'ledger', (a) => a.group({ _id: { op: '$op', a: '$asset', b: '$bucket' }, n: $.sum(1), u: $.first('$userId'), ids: $.push('$_id') }).match({ n: db.command.gt(1) }));
  for (const d of dups) problems.push({ kind: 'duplicate_entry', userId: d.u, detail: `${d.n} entries for ${d._id.op} ${d._id.a}.${d._id.b}: ${(d.ids as string[]).join(', ')}` });

  const badKeys = await aggregateAll(db, 'ledger', (a) =>
    a
      .project({ userId: 1, sourceKey: 1, key: $.concat(['$op', '|', '$asset', '|', '$bucket']), sameId: $.eq(['$_id', '$sourceKey']) })
      .project({ userId: 1, sourceKey: 1, key: 1, bad: $.or([$.neq(['$sourceKey', '$key']), $.not(['$sameId'])]) })
      .match({ bad: true }),
  );
  for (const b of badKeys) problems.push({ kind: 'bad_key', userId: b.userId, detail: `entry ${b._id}: sourceKey ${b.sourceKey} is not ${b.key}` });

  const ops = await aggregateAll(db, 'ledger', (a) => a.group({ _id: { op: '$op', a: '$asset' }, u: $.first('$userId'), legs: $.push({ b: '$bucket', amount: '$amount' }) }));
  for (const o of ops) {
    if (!INTERNAL_OP.test(o._id.op)) continue;
    const net = (o.legs as { b: LedgerBucket; amount: number }[]).reduce((acc, l) => acc + netValue(l.b, l.amount), 0);
    if (net !== 0) problems.push({ kind: 'unbalanced_op', userId: o.u, detail: `${o._id.op} ${o._id.a} nets ${net}` });
  }

  const wallets = new Map<string, WalletDoc>();
  for (let skip = 0; ; skip += PAGE) {
    const res = await db.collection('wallets').field({ cash: true, points: true }).skip(skip).limit(PAGE).get();
    for (const w of res.data as WalletDoc[]) wallets.set(w._id, w);
    if (res.data.length < PAGE) break;
  }

  const users = new Set([...wallets.keys(), ...fromLedger.keys()]);
  for (const userId of users) {
    const ledger = fromLedger.get(userId) ?? emptyWalletBalances();
    const w = wallets.get(userId);
    for (const asset of ASSETS) {
      for (const bucket of BUCKETS) {
        if (ledger[asset][bucket] < 0) problems.push({ kind: 'negative_balance', userId, detail: `ledger ${asset}.${bucket} = ${ledger[asset][bucket]}` });
        const stored = (w?.[asset] as Balances | undefined)?.[bucket] ?? 0;
        if (stored < 0) problems.push({ kind: 'negative_balance', userId, detail: `wallet ${asset}.${bucket} = ${stored}` });
      }
    }
    if (!w) {
      if (compareBalances(emptyWalletBalances(), ledger).length) problems.push({ kind: 'missing_wallet', userId, detail: 'entries without a wallet' });
      continue;
    }
    const diff = compareBalances({ cash: w.cash, points: w.points }, ledger);
    if (diff.length) problems.push({ kind: 'wallet_mismatch', userId, detail: diff.join('; ') });
  }

  // The sums and the wallets were read at different moments: under live traffic a user may have moved money in
  // between. A mismatch counts only if it holds for that user alone, read consistently (wallet, entries, wallet).
  const confirmed: AuditProblem[] = [];
  for (const p of problems) {
    if ((p.kind !== 'wallet_mismatch' && p.kind !== 'missing_wallet') || !p.userId) confirmed.push(p);
    else if (!(await consistentNow(db, p.userId))) confirmed.push(p);
  }
  problems.splice(0, problems.length, ...confirmed);

  const held = await aggregateAll(db, 'withdrawals', (a) => a.match({ status: db.command.in(['pending', 'approved', 'transferring']) }).group({ _id: '$userId', sum: $.sum('$amountFen') }));
  const heldBy = new Map(held.map((h) => [h._id as string, h.sum as number]));
  for (const userId of new Set([...heldBy.keys(), ...fromLedger.keys()])) {
    const a = heldBy.get(userId) ?? 0;
    const b = fromLedger.get(userId)?.cash.withdrawing ?? 0;
    if (a !== b) problems.push({ kind: 'withdrawals_mismatch', userId, detail: `withdrawals hold ${a}, ledger withdrawing ${b}` });
  }

  return { ok: problems.length === 0, wallets: wallets.size, entries, users: users.size, problems };
}

/** One user's wallet against their entries, read so that no transaction of theirs committed in between. */
async function consistentNow(db: Database, userId: string): Promise<boolean> {
  const version = async () => ((await db.collection('wallets').doc(userId).get()).data?.[0] as WalletDoc | undefined) ?? null;
  for (let attempt = 0; attempt < 3; attempt++) {
    const before = await version();
    const entries: { asset: LedgerAsset; bucket: LedgerBucket; amount: number }[] = [];
    for (let skip = 0; ; skip += PAGE) {
      const res = await db.collection('ledger').where({ userId }).field({ asset: true, bucket: true, amount: true }).skip(skip).limit(PAGE).get();
      entries.push(...(res.data as typeof entries));
      if (res.data.length < PAGE) break;
    }
    const after = await version();
    if ((before?.version ?? -1) !== (after?.version ?? -1)) continue;
    const sums = emptyWalletBalances();
    for (const e of entries) sums[e.asset][e.bucket] += e.amount;
    return compareBalances(after ? { cash: after.cash, points: after.points } : emptyWalletBalances(), sums).length === 0;
  }
  return false;
}
