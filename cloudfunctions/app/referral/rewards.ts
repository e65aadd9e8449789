/**
 * Rewards inside the inviter's transaction: granting one (caps, frozen entry, document, notice), taking one back
 * (void while frozen, debt once posted), and keeping the shop's coupon in step with a coupon reward's status.
 */
import type { RebateRuleDoc } from '../../../types/models';
import type { Fen } from '../../../types/money';
import { yuanText } from '../../../types/money';
import type { GroupMember, LedgerAsset, RewardDoc } from '../../../types/modules/referral.models';
import { clawback, creditFrozen, legKey, voidFrozen } from '../../domain/ledger';
import { releaseCap, RewardAmount, shanghaiDay, takeCap } from '../../domain/rebateRules';
import { fateOf, maturityOf } from '../../domain/referralProgress';
import { collection, txCollection } from '../../infra/collections';
import { activateCoupon, issueCoupon, voidCoupon } from '../coupons/coupons';
import { notices } from '../wallet/notices';
import type { DbCtx, UserTx } from '../wallet/tx';

export const rewardAsset = (form: RewardDoc['form']): LedgerAsset | null => (form === 'cash' ? 'cash' : form === 'points' ? 'points' : null);

/** Ledger operations of a reward; each leaves one entry in the named bucket that marks it done. */
export const rewardOps = {
  frozen: (id: string) => `reward:${id}:frozen`,
  post: (id: string) => `reward:${id}:post`,
  void: (id: string) => `reward:${id}:void`,
  clawback: (id: string) => `reward:${id}:clawback`,
};

export interface RewardMarkers {
  posted: string;
  voided: string;
  /** A clawback leaves an entry in available (what was still there), in debt (the rest), or both. */
  clawedBack: [string, string];
}

export function rewardMarkers(r: Pick<RewardDoc, '_id' | 'form'>): RewardMarkers | null {
  const asset = rewardAsset(r.form);
  if (!asset) return null;
  const op = rewardOps.clawback(r._id);
  return { posted: legKey(rewardOps.post(r._id), asset, 'frozen'), voided: legKey(rewardOps.void(r._id), asset, 'frozen'), clawedBack: [legKey(op, asset, 'available'), legKey(op, asset, 'debt')] };
}

/** The reward was taken back (voided or clawed back), by the ledger's markers. */
export const wasReversed = (m: RewardMarkers, done: Set<string>) => done.has(m.voided) || m.clawedBack.some((k) => done.has(k));

/** The coupon a coupon reward issues (its idempotency key with the shop). */
export const couponSourceKey = (rewardId: string) => `rebate:${rewardId}`;

export interface RewardGrant {
  id: string;
  rule: RebateRuleDoc;
  amount: RewardAmount;
  orderId: string;
  members: GroupMember[];
}

/** Grant a reward to `u`'s user: counted against the rule's caps; over a cap it is recorded as capped, unpaid. */
export function grantReward(u: UserTx, g: RewardGrant): RewardDoc {
  const day = shanghaiDay(u.now);
  const cap = takeCap(u.wallet.caps[g.rule._id], g.rule.caps, day);
  const doc: RewardDoc = {
    _id: g.id,
    userId: u.userId,
    ruleId: g.rule._id,
    ruleName: g.rule.name,
    trigger: g.rule.trigger.kind,
    form: g.amount.form,
    amount: g.amount.amount,
    coupon: g.amount.coupon,
    orderId: g.orderId,
    members: g.members,
    status: cap.allowed ? 'frozen' : 'capped',
    maturesAt: maturityOf(g.members),
    day,
    couponSyncAt: cap.allowed && g.amount.form === 'coupon' ? u.now : null,
    reason: cap.allowed ? null : '已达奖励上限',
    createdAt: u.now,
    postedAt: null,
    voidedAt: null,
    updatedAt: u.now,
  };
  if (cap.allowed) {
    u.wallet.caps[g.rule._id] = cap.next;
    u.touch();
    const asset = rewardAsset(doc.form);
    if (asset) u.post(rewardOps.frozen(doc._id), creditFrozen(asset, doc.amount), { rewardId: doc._id, orderId: g.orderId });
    u.insert('notifications', notices.rewardFrozen(u.now, doc));
  }
  u.insert('rewards', doc);
  return doc;
}

/** Which of these rewards' ledger markers exist (the ledger is the truth; read as UserTx.db explains). */
export async function readMarkers(u: UserTx, rewards: RewardDoc[]): Promise<Set<string>> {
  const keys = rewards.flatMap((r) => {
    const m = rewardMarkers(r);
    return m ? [m.posted, m.voided, ...m.clawedBack] : [];
  });
  if (!keys.length) return new Set();
  const res = await collection(u.db, 'ledger').where({ _id: u._.in(keys) }).field({ _id: true }).limit(1000).get();
  return new Set(res.data.map((d) => d._id));
}

/**
 * Take a reward back inside `u`: while frozen its money is voided; once posted it is taken from available, and only
 * what is no longer there becomes a debt (the next credits pay it first); a coupon is voided with the shop. Frees its place under the caps. Answers false when there was
 * nothing to take (already voided).
 */
export function revokeReward(u: UserTx, r: RewardDoc, markers: Set<string>, why: string): boolean {
  if (r.status === 'voided') return false;
  const m = rewardMarkers(r);
  const fate = fateOf(r, { posted: m ? markers.has(m.posted) : r.status === 'available', reversed: m ? wasReversed(m, markers) : false });
  const asset = rewardAsset(r.form);
  if (asset && fate === 'void') u.post(rewardOps.void(r._id), voidFrozen(asset, r.amount), { rewardId: r._id, orderId: r.orderId, note: why });
  if (asset && fate === 'clawback') {
    u.post(rewardOps.clawback(r._id), clawback(u.balances, asset, r.amount), { rewardId: r._id, orderId: r.orderId, note: why });
    // Posted, even when the posting run's status update (after its commit) has not landed yet: the dashboard counts
    // a clawback, not a void, by postedAt.
    r.postedAt ??= u.now;
  }
  const paid = r.status === 'frozen' || r.status === 'available';
  if (paid) {
    u.wallet.caps[r.ruleId] = releaseCap(u.wallet.caps[r.ruleId], r.day) ?? u.wallet.caps[r.ruleId];
    u.touch();
    u.insert('notifications', notices.rewardVoided(u.now, r, why));
  }
  r.voidedFrom = r.status === 'frozen' || r.status === 'available' ? r.status : 'capped';
  r.status = 'voided';
  r.reason = why;
  r.voidedAt = u.now;
  r.updatedAt = u.now;
  if (r.form === 'coupon' && paid) r.couponSyncAt = u.now;
  return true;
}

/** Write a reward's changed fields inside the transaction. */
export async function saveReward(u: UserTx, r: RewardDoc) {
  const { _id, ...rest } = r;
  await txCollection(u.t, 'rewards').doc(_id).set(rest);
}

/**
 * Make the shop's coupon follow a coupon reward: frozen → issued held; available → issued and activated; voided →
 * voided. Idempotent (the shop keys coupons by source key); the flag clears only if the reward did not change
 * meanwhile, else the next run (or the settle job) applies the newer status.
 */
export async function syncCoupon(ctx: DbCtx, rewardId: string): Promise<void> {
  for (let i = 0; i < 3; i++) {
    const r = (await collection(ctx.db, 'rewards').doc(rewardId).get()).data?.[0];
    // Nothing owed on the first look: done. On a later look the status changed while this call applied an older
    // one, and the sync that changed it may have cleared the flag before this call's coupon existed (a merchant's
    // void racing the timer's posting): the newest status is applied once more.
    if (!r || r.form !== 'coupon' || (!r.couponSyncAt && i === 0)) return;
    const sourceKey = couponSourceKey(r._id);
    if (r.status === 'voided' || r.status === 'capped') {
      await voidCoupon(ctx, sourceKey);
    } else {
      await issueCoupon(ctx, { sourceKey, ownerId: r.userId, amountFen: r.amount as Fen, minSpendFen: (r.coupon?.minSpendFen ?? 0) as Fen, validDays: r.coupon?.validDays ?? 30, held: true, title: `邀请奖励 ${yuanText(r.amount)} 元券` });
      if (r.status === 'available') await activateCoupon(ctx, sourceKey);
    }
    if (!r.couponSyncAt) return;
    const done = await collection(ctx.db, 'rewards').where({ _id: r._id, couponSyncAt: r.couponSyncAt }).update({ couponSyncAt: null });
    if (done.updated === 1) return;
  }
}
