/**
 * Scheduled jobs of the referral module, run by `settle` (app/jobs.ts). Each works in batches within a time budget,
 * and is safe to rerun and safe if killed half way: money moves only in per-user transactions keyed by the reward or
 * withdrawal, and the status fields that steer the batches are repaired by the next run.
 */
import crypto from 'node:crypto';
import type { RewardDoc } from '../../../types/modules/referral.models';
import { offsetDebt, postFrozen } from '../../domain/ledger';
import { STATS_LANES } from '../../domain/stats';
import { collection, txCollection } from '../../infra/collections';
import { isDuplicateKey } from '../../infra/db';
import { AppError } from '../../infra/errors';
import type { Job } from '../kernel/jobs';
import { countRewardsPostedInTx } from '../stats/events';
import { notices } from '../wallet/notices';
import { payoutProvider } from '../../infra/payouts';
import { heldOrders, staleHoldsIn } from '../wallet/refundHolds';
import { readMarkers, rewardAsset, rewardMarkers, rewardOps, syncCoupon, wasReversed } from './rewards';
import { DbCtx, withUserTx, withWalletsTx } from '../wallet/tx';
import { checkTransfer, startTransfer } from '../wallet/withdrawals';

/**
 * A run stops taking new batches after this long: half of the settle function's 60 s timeout (cloudbaserc.json), the
 * rest left to the other jobs of the same firing. The timer fires once a minute, so a backlog of 100,000 matured
 * rewards is posted within three firings (npm run bench measures it).
 */
const BUDGET_MS = Number(process.env.REFERRAL_JOB_BUDGET_MS ?? 30_000);
const BATCH = 1000;
/** Transactions at once. Each counts on its own lane of counter documents, so they never conflict on a counter. */
const CONCURRENCY = 4;

/**
 * The counter lane a batch's transaction writes: each concurrent batch has its own lanes (k, k + CONCURRENCY, …) and
 * keeps the one that last worked; a retried transaction moves to the next. So a transaction a killed run left open,
 * which holds its lane until it expires, costs one retry, not a lane.
 */
const laneTurn: number[] = Array.from({ length: CONCURRENCY }, () => 0);
const counterLane = (lane: number) => (lane + (laneTurn[lane] % (STATS_LANES / CONCURRENCY)) * CONCURRENCY) % STATS_LANES;

async function inParallel<T>(items: T[], limit: number, fn: (item: T, lane: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async (_x, lane) => {
      while (next < items.length) await fn(items[next++], lane);
    }),
  );
}

/**
 * Users posted together in one transaction by the timer: at most this many, and fewer when a batch holds few users
 * (each with many rewards), so that every lane has work and the database is never left waiting for one transaction.
 */
const USERS_PER_TX = 100;
const MIN_USERS_PER_TX = 10;

/** Reward ids per status update after the commit (the update tests each document against the list). */
const IDS_PER_UPDATE = 100;

/**
 * Post these users' matured frozen rewards to available, all in one transaction (see withWalletsTx); a batch that
 * keeps conflicting with its users' own activity is split into one transaction per user. Answers rewards handled.
 * The dashboard's posted counters are counted in the same transaction, on a counter lane of batch `lane`
 * (0 … CONCURRENCY - 1): each reward once, with the posting itself. A coupon reward has no ledger entries, so its
 * status changes in the transaction too.
 */
export async function postMaturedForUsers(ctx: DbCtx, userIds: string[], now: Date, failed: Set<string> = new Set(), deadline = Infinity, lane = 0): Promise<number> {
  let careful = false;
  let retried = false;
  let handled: RewardDoc[];
  let heldNow: RewardDoc[] = [];
  for (;;) {
    try {
      handled = await withWalletsTx(
        ctx,
        userIds,
        async (users) => {
          if (retried) laneTurn[lane]++;
          retried = true;
          const countOn = counterLane(lane);
          // Read after the wallets (see UserTx.db): a reward voided meanwhile shows here, or its void conflicts with us.
          const _ = ctx.db.command;
          const res = await collection(ctx.db, 'rewards').where({ userId: _.in(userIds), status: 'frozen', maturesAt: _.lte(now) }).limit(BATCH).get();
          const rewards = res.data;
          // Normally nothing here was posted yet. After a crash between the commit and the status update some were:
          // then a frozen bucket holds less than its rewards (or an insert collides) and the ledger is read first.
          const needed = new Map<string, { cash: number; points: number }>();
          for (const r of rewards) {
            const asset = rewardAsset(r.form);
            const n = needed.get(r.userId) ?? { cash: 0, points: 0 };
            if (asset) n[asset] += r.amount;
            needed.set(r.userId, n);
          }
          const suspect = rewards.filter((r) => {
            const u = users.get(r.userId)!;
            const n = needed.get(r.userId)!;
            return careful || n.cash > u.wallet.cash.frozen || n.points > u.wallet.points.frozen;
          });
          const done = suspect.length ? await readMarkers(users.get(suspect[0].userId)!, suspect) : new Set<string>();
          const postedBy = new Map<string, RewardDoc[]>();
          const posted: RewardDoc[] = [];
          const held = new Set<string>();
          for (const r of rewards) {
            const u = users.get(r.userId)!;
            const m = rewardMarkers(r);
            if (m && (done.has(m.posted) || wasReversed(m, done))) continue; // posted (and counted) before
            // A refund request on one of its orders is open: it waits for the merchant's decision.
            const holding = heldOrders(u, r);
            if (holding.length && (await staleHoldsIn(u, holding)).length) {
              held.add(r._id);
              continue;
            }
            const asset = rewardAsset(r.form);
            if (asset) u.post(rewardOps.post(r._id), postFrozen(u.balances, asset, r.amount), { rewardId: r._id, orderId: r.orderId });
            else {
              const set = await txCollection(u.t, 'rewards').doc(r._id).update({ status: 'available', postedAt: u.now, couponSyncAt: u.now, updatedAt: u.now });
              // The SDK answers a failed write as a result with a `code` (it does not throw): WriteResult does not say so.
              if ((set as { code?: string } | undefined)?.code) throw set;
              // The wallet is written too (as a cash posting writes it), so a refund request whose hold lands in this
              // wallet meanwhile conflicts with this posting, which reruns and sees the hold.
              u.touch();
            }
            posted.push(r);
            postedBy.set(r.userId, [...(postedBy.get(r.userId) ?? []), r]);
          }
          // One message per user for what this run unfroze, not one per reward.
          for (const [userId, rs] of postedBy) users.get(userId)!.insert('notifications', notices.rewardsAvailable(users.get(userId)!.now, userId, rs));
          // Counted with the posting, in the same commit (see countRewardsPostedInTx).
          const any = users.values().next().value!;
          if (posted.length) any.atEnd((t) => countRewardsPostedInTx(t, any._, countOn, any.now, posted));
          heldNow = rewards.filter((r) => held.has(r._id));
          return rewards.filter((r) => !held.has(r._id));
        },
        2,
      );
    } catch (e) {
      if (isDuplicateKey(e) && !careful) {
        careful = true;
        continue;
      }
      if (e instanceof AppError && e.code === 'CONFLICT' && userIds.length > 1) {
        // One user at a time: a wallet held elsewhere (even a transaction a killed run left open) stops only its user.
        let n = 0;
        for (const id of userIds) {
          if (Date.now() > deadline) {
            failed.add(id); // out of time: the next run takes it
            continue;
          }
          try {
            n += await postMaturedForUsers(ctx, [id], now, failed, Infinity, lane);
          } catch (err) {
            failed.add(id);
            console.error(`[referral] posting matured rewards of ${id} failed; retried next run`, err);
          }
        }
        return n;
      }
      throw e;
    }
    break;
  }
  // Held users are left for the next run (their held rewards would fill this run's batches again).
  for (const r of heldNow) failed.add(r.userId);
  if (!handled.length) return 0;
  // Cash and points: their status follows the commit (a crash before it is repaired by the next run, which finds the
  // posting in the ledger). Coupons changed in the transaction; their coupon is issued now (or by syncOwedCoupons).
  const _ = ctx.db.command;
  const others = handled.filter((r) => r.form !== 'coupon').map((r) => r._id);
  for (let i = 0; i < others.length; i += IDS_PER_UPDATE) {
    await collection(ctx.db, 'rewards').where({ _id: _.in(others.slice(i, i + IDS_PER_UPDATE)), status: 'frozen' }).update({ status: 'available', postedAt: now, updatedAt: now });
  }
  for (const r of handled) if (r.form === 'coupon') await syncCoupon(ctx, r._id);
  return handled.length;
}

/** Matured frozen rewards (their orders' refund deadlines passed) → available, up to a hundred users per transaction. */
export async function postMaturedRewards(ctx: DbCtx): Promise<number> {
  const started = Date.now();
  const now = ctx.clock.now();
  const _ = ctx.db.command;
  let handled = 0;
  // A user whose wallet is busy (e.g. a transaction left open by a killed run, until it expires) waits for the next run.
  const failed = new Set<string>();
  while (Date.now() - started < BUDGET_MS) {
    // Users left for the next run are left out of the query: a thousand rewards of held users (open refund requests
    // the merchant has not decided) would otherwise fill every batch, and nobody after them would ever post.
    const skip = failed.size ? { userId: _.nin([...failed]) } : {};
    const batch = await collection(ctx.db, 'rewards').where({ status: 'frozen', maturesAt: _.lte(now), ...skip }).field({ userId: true }).limit(BATCH).get();
    const users = [...new Set(batch.data.map((r) => r.userId))].filter((u) => !failed.has(u));
    if (!users.length) break;
    const size = Math.min(USERS_PER_TX, Math.max(MIN_USERS_PER_TX, Math.ceil(users.length / CONCURRENCY)));
    const groups: string[][] = [];
    for (let i = 0; i < users.length; i += size) groups.push(users.slice(i, i + size));
    await inParallel(groups, CONCURRENCY, async (group, lane) => {
      try {
        const n = await postMaturedForUsers(ctx, group, now, failed, started + BUDGET_MS, lane);
        handled += n;
      } catch (e) {
        group.forEach((u) => failed.add(u));
        console.error(`[referral] posting matured rewards of ${group.join(',')} failed; retried next run`, e);
      }
    });
    if (batch.data.length < BATCH) break;
  }
  return handled;
}

/**
 * Wallets holding debt beside available money — written before a clawback took from available first — settle the
 * debt out of available (one operation per wallet version), so that available is spendable everywhere.
 */
export async function offsetOldDebts(ctx: DbCtx): Promise<number> {
  const _ = ctx.db.command;
  let n = 0;
  for (const asset of ['cash', 'points'] as const) {
    const res = await collection(ctx.db, 'wallets').where({ [`${asset}.debt`]: _.gt(0), [`${asset}.available`]: _.gt(0) }).field({ _id: true }).limit(200).get();
    for (const w of res.data) {
      await withUserTx(ctx, w._id, async (u) => {
        // A random id, not the user's: an operation id must not carry personal identifiers (account deletion).
        u.post(`debt-offset:${crypto.randomBytes(8).toString('hex')}:${asset}`, offsetDebt(u.balances, asset));
      });
      n++;
    }
  }
  return n;
}

/** Coupon rewards whose coupon operation is still owed (a crash after the reward changed). */
export async function syncOwedCoupons(ctx: DbCtx): Promise<number> {
  const _ = ctx.db.command;
  const owed = await collection(ctx.db, 'rewards').where({ couponSyncAt: _.lte(ctx.clock.now()) }).field({ _id: true }).limit(200).get();
  for (const r of owed.data) await syncCoupon(ctx, r._id);
  return owed.data.length;
}

/**
 * Transfers: approved ones whose start was lost are started again (same bill number); transferring ones past the
 * confirmation time are cancelled and closed by what the provider finally says (paid, or the money returns).
 */
export async function settleTransfers(ctx: DbCtx): Promise<number> {
  const provider = payoutProvider();
  if (!provider) return 0;
  const _ = ctx.db.command;
  const now = ctx.clock.now();
  const withdrawals = collection(ctx.db, 'withdrawals');
  const stale = new Date(now.getTime() - 60_000);
  // Least recently tried first: a failed start moves its withdrawal to the back (startTransfer), so a batch of ones the
  // provider keeps failing cannot hold the rest back.
  const approved = (await withdrawals.where({ status: 'approved', updatedAt: _.lte(stale) }).orderBy('updatedAt', 'asc').limit(50).get()).data;
  const expired = (await withdrawals.where({ status: 'transferring', transferExpiresAt: _.lte(now) }).orderBy('transferExpiresAt', 'asc').limit(50).get()).data;
  let handled = 0;
  for (const w of approved) {
    try {
      await startTransfer(ctx, w, provider);
      handled++;
    } catch (e) {
      // One that cannot be started or closed now (its account being deleted, conflicts) must not stop the rest.
      console.error(`[referral] starting transfer ${w._id} failed; retried next run`, e);
    }
  }
  for (const w of expired) {
    try {
      await checkTransfer(ctx, w, provider, true);
      handled++;
    } catch (e) {
      console.error(`[referral] expiring transfer ${w._id} failed; retried next run`, e);
      // To the back of the line (ordered by transferExpiresAt): ones that keep failing cannot hold the rest back.
      await withdrawals.where({ _id: w._id, status: 'transferring' }).update({ transferExpiresAt: new Date(now.getTime() + 60_000), updatedAt: now }).catch(() => undefined);
    }
  }
  return handled;
}

export const referralJobs: Job[] = [
  { name: 'referral.offsetOldDebts', run: offsetOldDebts },
  { name: 'referral.postMatured', run: postMaturedRewards },
  { name: 'referral.syncCoupons', run: syncOwedCoupons },
  { name: 'referral.transfers', run: settleTransfers },
];
