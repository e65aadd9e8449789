/**
 * Scheduled jobs of the referral module, run by `settle` (app/jobs.ts). Each works in batches within a time budget,
 * and is safe to rerun and safe if killed half way: money moves only in per-user transactions keyed by the reward or
 * withdrawal, and the status fields that steer the batches are repaired by the next run.
 */
import type { RewardDoc, WithdrawalDoc } from '../../../types/modules/referral.models';
import { postFrozen } from '../../domain/ledger';
import { isDuplicateKey } from '../../infra/db';
import type { Job } from '../jobs';
import { statsOnRewardsPosted } from '../merchant/statsEvents';
import { notices } from './notices';
import { payoutProvider } from './payouts';
import { readMarkers, rewardAsset, rewardMarkers, rewardOps, syncCoupon } from './rewards';
import { DbCtx, withUserTx } from './walletTx';
import { checkTransfer, startTransfer } from './withdrawals';

/** A run stops taking new batches after this long (the settle function's timeout is longer). */
const BUDGET_MS = Number(process.env.REFERRAL_JOB_BUDGET_MS ?? 8000);
const BATCH = 1000;
const CONCURRENCY = 8;

async function inParallel<T>(items: T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) await fn(items[next++]);
    }),
  );
}

/** Post one user's matured frozen rewards to available in one transaction. Answers how many rewards it handled. */
export async function postMaturedForUser(ctx: DbCtx, userId: string, now: Date): Promise<number> {
  let careful = false;
  for (;;) {
    let handled: RewardDoc[];
    try {
      handled = await withUserTx(ctx, userId, async (u) => {
        // Read after the wallet (see UserTx.db): a reward voided meanwhile shows here, or its void conflicts with us.
        const res = await u.db.collection('rewards').where({ userId, status: 'frozen', maturesAt: u._.lte(now) }).limit(BATCH).get();
        const rewards = res.data as RewardDoc[];
        // Normally nothing here was posted yet. After a crash between the commit and the status update some were:
        // then the frozen buckets hold less than these rewards (or an insert collides) and the ledger is read first.
        const frozenNeeded = { cash: 0, points: 0 };
        for (const r of rewards) {
          const asset = rewardAsset(r.form);
          if (asset) frozenNeeded[asset] += r.amount;
        }
        const short = frozenNeeded.cash > u.wallet.cash.frozen || frozenNeeded.points > u.wallet.points.frozen;
        const done = careful || short ? await readMarkers(u, rewards) : new Set<string>();
        for (const r of rewards) {
          const m = rewardMarkers(r);
          if (m && (done.has(m.posted) || done.has(m.voided) || done.has(m.clawedBack))) continue;
          const asset = rewardAsset(r.form);
          if (asset) u.post(rewardOps.post(r._id), postFrozen(u.balances, asset, r.amount), { rewardId: r._id, orderId: r.orderId });
          u.insert('notifications', notices.rewardAvailable(u.now, r));
        }
        return rewards;
      });
    } catch (e) {
      if (isDuplicateKey(e) && !careful) {
        careful = true;
        continue;
      }
      throw e;
    }
    if (!handled.length) return 0;
    const _ = ctx.db.command;
    const coupons = handled.filter((r) => r.form === 'coupon').map((r) => r._id);
    const others = handled.filter((r) => r.form !== 'coupon').map((r) => r._id);
    if (others.length) await ctx.db.collection('rewards').where({ _id: _.in(others), status: 'frozen' }).update({ status: 'available', postedAt: now, updatedAt: now });
    if (coupons.length) {
      await ctx.db.collection('rewards').where({ _id: _.in(coupons), status: 'frozen' }).update({ status: 'available', postedAt: now, couponSyncAt: now, updatedAt: now });
      for (const id of coupons) await syncCoupon(ctx, id);
    }
    await statsOnRewardsPosted(ctx, handled, now);
    return handled.length;
  }
}

/** Matured frozen rewards (their orders' refund deadlines passed) → available, user by user. */
export async function postMaturedRewards(ctx: DbCtx): Promise<number> {
  const started = Date.now();
  const now = ctx.clock.now();
  const _ = ctx.db.command;
  let handled = 0;
  // A user whose wallet is busy (e.g. a transaction left open by a killed run, until it expires) waits for the next run.
  const failed = new Set<string>();
  while (Date.now() - started < BUDGET_MS) {
    const batch = await ctx.db.collection('rewards').where({ status: 'frozen', maturesAt: _.lte(now) }).field({ userId: true }).limit(BATCH).get();
    const users = [...new Set((batch.data as { userId: string }[]).map((r) => r.userId))].filter((u) => !failed.has(u));
    if (!users.length) break;
    await inParallel(users, CONCURRENCY, async (userId) => {
      try {
        const n = await postMaturedForUser(ctx, userId, now);
        handled += n;
      } catch (e) {
        failed.add(userId);
        console.error(`[referral] posting matured rewards of ${userId} failed; retried next run`, e);
      }
    });
    if (batch.data.length < BATCH) break;
  }
  return handled;
}

/** Coupon rewards whose coupon operation is still owed (a crash after the reward changed). */
export async function syncOwedCoupons(ctx: DbCtx): Promise<number> {
  const _ = ctx.db.command;
  const owed = await ctx.db.collection('rewards').where({ couponSyncAt: _.lte(ctx.clock.now()) }).field({ _id: true }).limit(200).get();
  for (const r of owed.data as { _id: string }[]) await syncCoupon(ctx, r._id);
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
  const withdrawals = ctx.db.collection('withdrawals');
  const stale = new Date(now.getTime() - 60_000);
  const approved = (await withdrawals.where({ status: 'approved', updatedAt: _.lte(stale) }).limit(50).get()).data as WithdrawalDoc[];
  const expired = (await withdrawals.where({ status: 'transferring', transferExpiresAt: _.lte(now) }).limit(50).get()).data as WithdrawalDoc[];
  let handled = 0;
  for (const w of approved) {
    await startTransfer(ctx, w, provider);
    handled++;
  }
  for (const w of expired) {
    try {
      await checkTransfer(ctx, w, provider, true);
      handled++;
    } catch (e) {
      console.error(`[referral] expiring transfer ${w._id} failed; retried next run`, e);
    }
  }
  return handled;
}

export const referralJobs: Job[] = [
  { name: 'referral.postMatured', run: postMaturedRewards },
  { name: 'referral.syncCoupons', run: syncOwedCoupons },
  { name: 'referral.transfers', run: settleTransfers },
];
