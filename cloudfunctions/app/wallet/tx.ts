/**
 * The per-user transaction every change of a user's money runs in (DESIGN rule 5): it reads the wallet, lets the
 * use case decide and post ledger legs, then writes the new entries, any other documents and the wallet in one
 * CloudBase transaction. The wallet document is written by every such transaction, so two of them for the same user
 * conflict and one retries with fresh data — the wallet is the user's lock. CloudBase gives a transaction up after
 * four conflicts; we try again a few times with a random pause before reporting CONFLICT.
 * The settle timer posts many users' matured rewards in one transaction (withWalletsTx): the same per-wallet
 * locking, fewer round trips; a batch that keeps conflicting falls back to one user at a time. A write other
 * transactions share (the settle job's counters) goes last (UserTx.atEnd), so it is held only until the commit.
 * A wallet an account deletion is moving (`closing`) refuses every transaction until the move is done: a
 * withdrawal that commits first makes the deletion refuse; one that comes after is refused (ACCOUNT_DELETING).
 */
import type { LedgerEntryDoc, WalletDoc } from '../../../types/modules/referral.models';
import { applyLegs, emptyBalances, Leg, LedgerError, legKey, newWallet, WalletBalances } from '../../domain/ledger';
import { CollectionName, DocTypes, TxHandle, txCollection } from '../../infra/collections';
import { isDuplicateKey } from '../../infra/db';
import { AppError } from '../../infra/errors';
import type { Ctx } from '../../infra/handler';

export type DbCtx = Pick<Ctx, 'db' | 'clock'>;

export type DbCommand = DbCtx['db']['command'];

export interface LegRefs {
  rewardId?: string | null;
  orderId?: string | null;
  withdrawalId?: string | null;
  valueFen?: number | null;
  note?: string | null;
}

/**
 * What a transaction writes besides the wallets: inserts by collection (one request each), ledger entries last;
 * and writes that go after the wallets, just before the commit (see UserTx.atEnd).
 */
class TxWrites {
  readonly inserts = new Map<CollectionName, DocTypes[CollectionName][]>();
  readonly entries: LedgerEntryDoc[] = [];
  readonly atEnd: ((t: TxHandle) => Promise<void>)[] = [];

  async flush(t: TxHandle) {
    for (const [name, docs] of this.inserts) await txCollection(t, name).add(docs.length === 1 ? docs[0] : docs);
    if (this.entries.length) await txCollection(t, 'ledger').add(this.entries.length === 1 ? this.entries[0] : this.entries);
  }

  async finish(t: TxHandle) {
    for (const write of this.atEnd) await write(t);
  }
}

export class UserTx {
  private changed = false;

  constructor(
    readonly t: TxHandle,
    /** The database's command object (`_.in`, `_.lte`, …): the transaction handle has none. */
    readonly _: DbCommand,
    /**
     * The database outside the transaction. Documents that only change together with this user's wallet (their
     * ledger entries, their rewards' states) may be read here once the transaction has read the wallet: whatever
     * changes them after that also writes the wallet, so one of the two transactions conflicts and retries. Such
     * reads use the indexes directly instead of a transaction's snapshot scan.
     */
    readonly db: DbCtx['db'],
    readonly userId: string,
    readonly wallet: WalletDoc,
    readonly now: Date,
    private readonly writes: TxWrites = new TxWrites(),
  ) {}

  get balances(): WalletBalances {
    return { cash: this.wallet.cash, points: this.wallet.points };
  }

  /** Post one operation's legs: the wallet changes now, the entries are written with the wallet. */
  post(op: string, legs: Leg[], refs: LegRefs = {}) {
    if (legs.length === 0) return;
    const after = applyLegs(this.balances, legs);
    this.wallet.cash = after.cash;
    this.wallet.points = after.points;
    for (const leg of legs) {
      const sourceKey = legKey(op, leg.asset, leg.bucket);
      this.writes.entries.push({
        _id: sourceKey,
        sourceKey,
        op,
        userId: this.userId,
        asset: leg.asset,
        bucket: leg.bucket,
        amount: leg.amount,
        reason: leg.reason,
        rewardId: refs.rewardId ?? null,
        orderId: refs.orderId ?? null,
        withdrawalId: refs.withdrawalId ?? null,
        valueFen: leg.asset === 'points' ? (refs.valueFen ?? null) : null,
        note: refs.note ?? null,
        createdAt: this.now,
      });
    }
    this.changed = true;
  }

  /** The wallet's progress, caps or counters changed (written at the end). */
  touch() {
    this.changed = true;
  }

  /** Insert a document with the rest (one request per collection). Inserting an existing _id aborts the whole. */
  insert<K extends CollectionName>(name: K, doc: DocTypes[K]) {
    const list = this.writes.inserts.get(name) ?? [];
    list.push(doc);
    this.writes.inserts.set(name, list);
  }

  /**
   * Write this last, after the entries and the wallets, just before the commit: for a document other transactions
   * also write (a counter), so that it is held for the shortest time. Runs once per attempt that gets that far.
   */
  atEnd(write: (t: TxHandle) => Promise<void>) {
    this.writes.atEnd.push(write);
  }

  /** Write the wallet if it changed (after the shared inserts and entries). */
  async saveWallet() {
    if (!this.changed) return;
    const { _id, ...rest } = this.wallet;
    await txCollection(this.t, 'wallets').doc(_id).set({ ...rest, version: this.wallet.version + 1, updatedAt: this.now });
  }

  async flush() {
    await this.writes.flush(this.t);
    await this.saveWallet();
    await this.writes.finish(this.t);
  }
}

/** A stored wallet with every field present (older or partial documents read as zeros). */
export function normalizeWallet(userId: string, doc: Partial<WalletDoc> | null | undefined, now: Date): WalletDoc {
  const base = newWallet(userId, now);
  if (!doc) return base;
  return {
    ...base,
    ...doc,
    _id: userId,
    cash: { ...emptyBalances(), ...(doc.cash ?? {}) },
    points: { ...emptyBalances(), ...(doc.points ?? {}) },
    progress: doc.progress ?? {},
    caps: doc.caps ?? {},
    withdrawDay: doc.withdrawDay ?? base.withdrawDay,
    refundHolds: doc.refundHolds ?? {},
    version: doc.version ?? 0,
  };
}

const isConflict = (e: unknown) => (e as { code?: string })?.code === 'DATABASE_TRANSACTION_CONFLICT';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Tried this many times after CloudBase's own four attempts each: a busy wallet (50 settlements at once) still gets through. */
const ROUNDS = 8;

/**
 * Run `work` in one transaction on `userId`'s wallet and write what it posted. `work` may run several times (a
 * conflict restarts it with fresh reads), so it must only read and decide through `u`; side effects go after.
 */
export async function withUserTx<T>(ctx: DbCtx, userId: string, work: (u: UserTx) => Promise<T>): Promise<T> {
  return retrying(ROUNDS, () =>
    ctx.db.runTransaction(async (t: TxHandle) => {
      const now = ctx.clock.now();
      const got = await txCollection(t, 'wallets').doc(userId).get();
      const wallet = normalizeWallet(userId, got.data, now);
      if (wallet.closing) throw new AppError('ACCOUNT_DELETING');
      const u = new UserTx(t, ctx.db.command, ctx.db, userId, wallet, now);
      const result = await work(u);
      await u.flush();
      return result;
    }),
  );
}

/**
 * The same for several users' wallets in one transaction (the settle timer's batches): one read for the wallets,
 * one insert per collection, one write per changed wallet. `rounds` bounds the retries: a batch that keeps meeting
 * its users' own activity is better split by the caller.
 */
export async function withWalletsTx<T>(ctx: DbCtx, userIds: string[], work: (users: Map<string, UserTx>) => Promise<T>, rounds = ROUNDS): Promise<T> {
  return retrying(rounds, () =>
    ctx.db.runTransaction(async (t: TxHandle) => {
      const now = ctx.clock.now();
      const got = (await txCollection(t, 'wallets').where({ _id: ctx.db.command.in(userIds) }).limit(1000).get()).data;
      const byId = new Map(got.map((w) => [w._id, w]));
      // A wallet an account deletion is moving: the batch goes one user at a time, and that user waits (CONFLICT).
      if (got.some((w) => w.closing)) throw new AppError('CONFLICT');
      const writes = new TxWrites();
      const users = new Map(userIds.map((id) => [id, new UserTx(t, ctx.db.command, ctx.db, id, normalizeWallet(id, byId.get(id), now), now, writes)]));
      const result = await work(users);
      await writes.flush(t);
      for (const u of users.values()) await u.saveWallet();
      await writes.finish(t);
      return result;
    }),
  );
}

/** Run a transaction again (with a random pause) when it keeps conflicting; CONFLICT after `rounds`. */
export async function retrying<T>(rounds: number, attempt: () => Promise<T>): Promise<T> {
  for (let round = 1; ; round++) {
    try {
      return await attempt();
    } catch (e) {
      if (e instanceof LedgerError && e.kind === 'negative_balance') throw new AppError('INSUFFICIENT_BALANCE');
      if (!isConflict(e)) throw e;
      if (round >= rounds) throw new AppError('CONFLICT');
      await sleep(5 + Math.random() * 20 * round);
    }
  }
}

/** True when a transaction failed because something it inserted (a ledger entry, a marker) already exists. */
export { isDuplicateKey };
