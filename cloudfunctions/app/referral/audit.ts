/**
 * The ledger audit (read-only): recomputes every wallet from its entries and reports what does not hold —
 * a wallet that differs from its entries, a bucket below zero, an entry whose key is not its (op, asset, bucket),
 * two entries for the same (op, asset, bucket) (a duplicated credit), an internal move (post, withdrawal request or
 * return) that creates or destroys value, and withdrawals whose held amounts differ from the `withdrawing` buckets.
 * The books adding up is not enough, so it also checks the money rules (DESIGN rules 4, 10, 11):
 * - no wallet holds debt beside available money of the same asset (a clawback takes from available first);
 * - no withdrawal was requested beyond what was spendable, or approved while the wallet owed (debt > 0);
 * - every refunded order that a reward counted has taken that reward back (voided, with its reversing entry);
 * - the binding graph has no cycle and no chain longer than MAX_CHAIN_DEPTH.
 * Used by `npm run audit` and by the integration tests after each scenario.
 */
import type { Balances, LedgerAsset, LedgerBucket, LedgerEntryDoc, WalletDoc } from '../../../types/modules/referral.models';
import { MAX_CHAIN_DEPTH } from '../../domain/referralBinding';
import { rewardMarkers, wasReversed } from './rewards';
import { ASSETS, BUCKETS, compareBalances, emptyWalletBalances, legKey, WalletBalances } from '../../domain/ledger';
import { collection } from '../../infra/collections';
import type { Database } from '../../infra/db';

export type AuditProblemKind =
  | 'wallet_mismatch'
  | 'missing_wallet'
  | 'negative_balance'
  | 'bad_key'
  | 'duplicate_entry'
  | 'unbalanced_op'
  | 'withdrawals_mismatch'
  | 'debt_beside_available'
  | 'withdrawal_beyond_spendable'
  | 'withdrawal_approved_in_debt'
  | 'refund_not_reversed'
  | 'binding_cycle'
  | 'binding_chain_too_long';

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
/** Users audited per round: their entries come in one indexed query (`userId` in …). */
const CHUNK = 400;
const ENTRY_CAP = 200_000;

/** Net value of a change: what the user has (available, frozen, withdrawing) less what they owe (debt). */
const netValue = (bucket: LedgerBucket, amount: number) => (bucket === 'debt' ? -amount : amount);

/** Operations that only move value between a user's buckets (must net to zero per asset). */
const INTERNAL_OP = /^(reward:[^|]+:post|group-leader:[^|]+:post|withdraw:[^|]+:(request|return)|debt-offset:[^|]+)$/;

type EntryLite = Pick<LedgerEntryDoc, '_id' | 'sourceKey' | 'op' | 'userId' | 'asset' | 'bucket' | 'amount'>;
/** What the audit reads of a wallet (its balances and version). */
type AuditedWallet = Pick<WalletDoc, '_id' | 'cash' | 'points' | 'version'>;

export async function auditLedger(db: Database): Promise<AuditReport> {
  const _ = db.command;
  const $ = _.aggregate;
  const problems: AuditProblem[] = [];

  const wallets = new Map<string, AuditedWallet>();
  for (let skip = 0; ; skip += PAGE) {
    const res = await collection(db, 'wallets').field({ cash: true, points: true, version: true }).skip(skip).limit(PAGE).get();
    for (const w of res.data) wallets.set(w._id, w);
    if (res.data.length < PAGE) break;
  }
  // Users with entries (a wallet missing for one of them is a problem too).
  const users = new Set(wallets.keys());
  for (let skip = 0; ; skip += 10_000) {
    const res = await collection(db, 'ledger').aggregate().group({ _id: '$userId' }).sort({ _id: 1 }).skip(skip).limit(10_000).end();
    for (const d of (res as { data: { _id: string }[] }).data) users.add(d._id);
    if ((res as { data: unknown[] }).data.length < 10_000) break;
  }

  let entries = 0;
  const ledgerWithdrawing = new Map<string, number>();
  const ids = [...users];
  for (let i = 0; i < ids.length; i += CHUNK) {
    const chunk = ids.slice(i, i + CHUNK);
    const res = await collection(db, 'ledger')
      .aggregate()
      .match({ userId: _.in(chunk) })
      .project({ sourceKey: 1, op: 1, userId: 1, asset: 1, bucket: 1, amount: 1 })
      .limit(ENTRY_CAP)
      .end();
    const list = (res as { data: EntryLite[] }).data;
    if (list.length >= ENTRY_CAP) throw new Error('audit: too many entries in one round; lower CHUNK');
    entries += list.length;
    problems.push(...auditEntries(list, chunk, wallets));
    for (const e of list) if (e.asset === 'cash' && e.bucket === 'withdrawing') ledgerWithdrawing.set(e.userId, (ledgerWithdrawing.get(e.userId) ?? 0) + e.amount);
  }

  // The sums and the wallets were read at different moments: under live traffic a user may have moved money in
  // between. A mismatch counts only if it holds for that user alone, read consistently (wallet, entries, wallet).
  const confirmed: AuditProblem[] = [];
  for (const p of problems) {
    if ((p.kind !== 'wallet_mismatch' && p.kind !== 'missing_wallet') || !p.userId) confirmed.push(p);
    else if (!(await consistentNow(db, p.userId))) confirmed.push(p);
  }

  const held = await collection(db, 'withdrawals')
    .aggregate()
    .match({ status: _.in(['pending', 'approved', 'transferring']) })
    .group({ _id: '$userId', sum: $.sum('$amountFen') })
    .limit(ENTRY_CAP)
    .end();
  const heldBy = new Map(((held as { data: { _id: string; sum: number }[] }).data).map((h) => [h._id, h.sum]));
  for (const userId of new Set([...heldBy.keys(), ...ledgerWithdrawing.keys()])) {
    const a = heldBy.get(userId) ?? 0;
    const b = ledgerWithdrawing.get(userId) ?? 0;
    if (a !== b) confirmed.push({ kind: 'withdrawals_mismatch', userId, detail: `withdrawals hold ${a}, ledger withdrawing ${b}` });
  }

  for (const w of wallets.values()) {
    for (const asset of ASSETS) {
      const b = w[asset] as Balances | undefined;
      if (b && b.debt > 0 && b.available > 0) confirmed.push({ kind: 'debt_beside_available', userId: w._id, detail: `${asset}: available ${b.available} beside debt ${b.debt}` });
    }
  }
  confirmed.push(...(await auditWithdrawals(db)), ...(await auditRefundedRewards(db)), ...(await auditBindings(db)));

  return { ok: confirmed.length === 0, wallets: wallets.size, entries, users: users.size, problems: confirmed };
}

/** Money out against debt: each withdrawal as its request and its approval saw the wallet (in its transaction). */
async function auditWithdrawals(db: Database): Promise<AuditProblem[]> {
  const problems: AuditProblem[] = [];
  const _ = db.command;
  for (let skip = 0; ; skip += PAGE) {
    const res = await collection(db, 'withdrawals').where({ _id: _.exists(true) }).field({ userId: true, amountFen: true, walletAtRequest: true, walletAtApproval: true }).orderBy('_id', 'asc').skip(skip).limit(PAGE).get();
    for (const w of res.data) {
      const req = w.walletAtRequest;
      if (req && w.amountFen > req.availableFen - req.debtFen) problems.push({ kind: 'withdrawal_beyond_spendable', userId: w.userId, detail: `withdrawal ${w._id} of ${w.amountFen} with available ${req.availableFen}, debt ${req.debtFen}` });
      const appr = w.walletAtApproval;
      if (appr && appr.debtFen > 0) problems.push({ kind: 'withdrawal_approved_in_debt', userId: w.userId, detail: `withdrawal ${w._id} approved while the wallet owed ${appr.debtFen} (available ${appr.availableFen})` });
    }
    if (res.data.length < PAGE) break;
  }
  return problems;
}

/**
 * Every reward that counted an order now refunded was taken back: voided, and (cash, points) with its void or
 * clawback entry. Orders whose refund steps are still owed (in flight) are left for the next audit.
 */
async function auditRefundedRewards(db: Database): Promise<AuditProblem[]> {
  const problems: AuditProblem[] = [];
  const _ = db.command;
  for (let skip = 0; ; skip += PAGE) {
    const res = await collection(db, 'orders').where({ status: 'refunded' }).field({ pendingSteps: true }).orderBy('_id', 'asc').skip(skip).limit(PAGE).get();
    const settled = res.data.filter((o) => !(o.pendingSteps ?? []).length).map((o) => o._id);
    for (let i = 0; i < settled.length; i += 100) {
      const ids = settled.slice(i, i + 100);
      const rewards = (await collection(db, 'rewards').where({ 'members.orderId': _.in(ids), status: _.neq('capped') }).limit(PAGE).get()).data;
      const markers = rewards.flatMap((r) => {
        const m = rewardMarkers(r);
        return m ? [m.voided, ...m.clawedBack] : [];
      });
      const found = new Set<string>();
      for (let k = 0; k < markers.length; k += PAGE) {
        const got = await collection(db, 'ledger').where({ _id: _.in(markers.slice(k, k + PAGE)) }).field({ _id: true }).limit(PAGE).get();
        for (const d of got.data) found.add(d._id);
      }
      for (const r of rewards) {
        const refunded = r.members.filter((m) => ids.includes(m.orderId)).map((m) => m.orderId);
        const m = rewardMarkers(r);
        if (r.status !== 'voided' || (m && !wasReversed(m, found))) {
          problems.push({ kind: 'refund_not_reversed', userId: r.userId, detail: `reward ${r._id} (${r.status}) still counts refunded order ${refunded.join(', ')}` });
        }
      }
    }
    if (res.data.length < PAGE) break;
  }
  return problems;
}

/** The binding graph (users' inviterId): a forest, no chain longer than MAX_CHAIN_DEPTH. */
async function auditBindings(db: Database): Promise<AuditProblem[]> {
  const _ = db.command;
  const inviterOf = new Map<string, string>();
  for (let skip = 0; ; skip += PAGE) {
    const res = await collection(db, 'users').where({ inviterId: _.exists(true).and(_.neq(null)) }).field({ inviterId: true }).orderBy('_id', 'asc').skip(skip).limit(PAGE).get();
    // The query asks for users with an inviter: inviterId is a string here.
    for (const u of res.data) inviterOf.set(u._id, u.inviterId!);
    if (res.data.length < PAGE) break;
  }
  return bindingProblems(inviterOf);
}

/** Cycles and over-long chains in an invitee → inviter map (pure; each user's depth is computed once). */
export function bindingProblems(inviterOf: Map<string, string>): AuditProblem[] {
  const problems: AuditProblem[] = [];
  /** Inviters above a user, up to one with no inviter. */
  const depth = new Map<string, number>();
  /** On a cycle, or below one. */
  const endless = new Set<string>();
  for (const start of inviterOf.keys()) {
    if (depth.has(start) || endless.has(start)) continue;
    const path: string[] = [];
    const index = new Map<string, number>();
    let node = start;
    let known: number;
    for (;;) {
      if (!inviterOf.has(node)) {
        known = 0;
        break;
      }
      if (depth.has(node)) {
        known = depth.get(node)!;
        break;
      }
      if (endless.has(node)) {
        known = Infinity;
        break;
      }
      if (index.has(node)) {
        const ring = path.slice(index.get(node)!);
        ring.forEach((u) => endless.add(u));
        problems.push({ kind: 'binding_cycle', userId: node, detail: `inviters form a cycle: ${[...ring, node].join(' → ')}` });
        path.length = index.get(node)!;
        known = Infinity;
        break;
      }
      index.set(node, path.length);
      path.push(node);
      node = inviterOf.get(node)!;
    }
    for (let i = path.length - 1; i >= 0; i--) {
      known += 1;
      if (known === Infinity) endless.add(path[i]);
      else depth.set(path[i], known);
    }
  }
  for (const [user, d] of depth) {
    if (d > MAX_CHAIN_DEPTH) problems.push({ kind: 'binding_chain_too_long', userId: user, detail: `${d} inviters above this user (at most ${MAX_CHAIN_DEPTH})` });
  }
  return problems;
}

/** Everything checkable from a set of users' entries and wallets. */
export function auditEntries(list: EntryLite[], userIds: string[], wallets: Map<string, AuditedWallet>): AuditProblem[] {
  const problems: AuditProblem[] = [];
  const sums = new Map<string, WalletBalances>();
  const legs = new Map<string, EntryLite[]>();
  const ops = new Map<string, { userId: string; net: number }>();
  for (const e of list) {
    const bal = sums.get(e.userId) ?? emptyWalletBalances();
    bal[e.asset][e.bucket] += e.amount;
    sums.set(e.userId, bal);
    const key = legKey(e.op, e.asset, e.bucket);
    if (e.sourceKey !== key || e._id !== e.sourceKey) problems.push({ kind: 'bad_key', userId: e.userId, detail: `entry ${e._id}: sourceKey ${e.sourceKey} is not ${key}` });
    legs.set(key, [...(legs.get(key) ?? []), e]);
    if (INTERNAL_OP.test(e.op)) {
      const o = ops.get(`${e.op}|${e.asset}`) ?? { userId: e.userId, net: 0 };
      o.net += netValue(e.bucket, e.amount);
      ops.set(`${e.op}|${e.asset}`, o);
    }
  }
  for (const [key, same] of legs) {
    if (same.length > 1) problems.push({ kind: 'duplicate_entry', userId: same[0].userId, detail: `${same.length} entries for ${key}: ${same.map((e) => e._id).join(', ')}` });
  }
  for (const [key, o] of ops) if (o.net !== 0) problems.push({ kind: 'unbalanced_op', userId: o.userId, detail: `${key} nets ${o.net}` });
  for (const userId of userIds) {
    const ledger = sums.get(userId) ?? emptyWalletBalances();
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
  return problems;
}

/** One user's wallet against their entries, read so that no transaction of theirs committed in between. */
async function consistentNow(db: Database, userId: string): Promise<boolean> {
  const version = async () => (await collection(db, 'wallets').doc(userId).get()).data?.[0] ?? null;
  for (let attempt = 0; attempt < 3; attempt++) {
    const before = await version();
    const entries: { asset: LedgerAsset; bucket: LedgerBucket; amount: number }[] = [];
    for (let skip = 0; ; skip += PAGE) {
      const res = await collection(db, 'ledger').where({ userId }).field({ asset: true, bucket: true, amount: true }).skip(skip).limit(PAGE).get();
      entries.push(...res.data);
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
