/**
 * The rebate engine at the order seams (app/orderSteps.ts):
 * - paid: convert the invitee (their first paid order), evaluate the rules, post rewards frozen — all in the
 *   inviter's one transaction, so a rerun or 50 concurrent runs credit once;
 * - received: the order's refund deadline is known — stamp it where the order holds rewards (their maturity);
 * - refunded: un-convert, take back what the order earned (void while frozen, debt once posted), dissolve a
 *   推三返一 group it completed (the others wait for the next conversion).
 * One level only: the buyer's direct inviter (referrals/<buyer>) is the only one rewarded.
 */
import type { OrderDoc, RebateRuleDoc } from '../../../types/models';
import type { GroupMember, ReferralDoc, RewardDoc } from '../../../types/modules/referral.models';
import { OrderFacts, pickRule, rewardAmount, RuleMatch } from '../../domain/rebateRules';
import { dissolveGroup, joinPool, leavePool, maturityOf, PoolChange, stampPool } from '../../domain/referralProgress';
import { collection, txCollection } from '../../infra/collections';
import { isDuplicateKey } from '../../infra/db';
import type { StepNotes } from '../kernel/orderSteps';
import { notices } from '../wallet/notices';
import { releaseIn, releaseRefundHold } from '../wallet/refundHolds';
import { grantReward, readMarkers, revokeReward, saveReward, syncCoupon } from './rewards';
import { DEFAULT_SETTINGS, loadSettings } from '../wallet/settings';
import { activeRules } from './rules';
import { DbCtx, UserTx, withUserTx } from '../wallet/tx';

const REFUND_REASON = '好友订单已退款';

async function readReferral(ctx: DbCtx, buyerId: string): Promise<ReferralDoc | null> {
  return (await collection(ctx.db, 'referrals').doc(buyerId).get()).data[0] ?? null;
}

export function orderFacts(order: OrderDoc, paidAt: Date): OrderFacts {
  return {
    items: order.items.map((i) => ({ productId: i.productId, subtotalFen: i.subtotalFen })),
    itemsTotalFen: order.itemsTotalFen,
    couponFen: order.discounts?.couponFen ?? 0,
    pointsFen: order.discounts?.pointsFen ?? 0,
    paidAt,
  };
}

const needsRate = (m: RuleMatch | null) => !!m && m.rule.reward.form === 'points' && m.rule.trigger.kind === 'eachOrder' && m.rule.trigger.ratioBp !== undefined;

/**
 * "order paid": the rebate part. Safe to rerun and to run concurrently: it credits once. The inviter is the order's
 * attribution (`inviterId`, the buyer's inviter when the order was made); the referral must still name them.
 * What it committed goes into `notes` for the later steps of the run (the dashboard's counters).
 */
export async function settlePaidOrder(ctx: DbCtx, order: OrderDoc, notes: StepNotes = {}): Promise<void> {
  if (order.status === 'refunded' || order.refundedAt) return;
  try {
    const settled = await settleOnce(ctx, order);
    if (!settled) return;
    notes.settled = settled;
    for (const r of settled.rewards) if (r.form === 'coupon' && r.status === 'frozen') await syncCoupon(ctx, r._id);
  } catch (e) {
    if (isDuplicateKey(e)) return; // a previous run committed this order's settlement
    throw e;
  }
}

type Settled = NonNullable<StepNotes['settled']>;

/** Answers what it committed, or null when the order earns nothing (no inviter, or a blocked one). */
async function settleOnce(ctx: DbCtx, order: OrderDoc): Promise<Settled | null> {
  const inviterId = order.inviterId;
  if (!inviterId || inviterId === order.buyerId) return null;
  const paidAt = order.paidAt ?? ctx.clock.now();
  const rules = await activeRules(ctx);
  const facts = orderFacts(order, paidAt);
  const everyN = pickRule(rules, 'everyN', facts);
  const each = pickRule(rules, 'eachOrder', facts);
  const pointsPerYuan = needsRate(each) ? (await loadSettings(ctx)).pointsPerYuan : DEFAULT_SETTINGS.pointsPerYuan;
  const member: GroupMember = { inviteeId: order.buyerId, orderId: order._id, refundDeadline: order.refundDeadline ?? null };

  return withUserTx(ctx, inviterId, async (u): Promise<Settled | null> => {
    // A blocked inviter earns nothing (merchant tab). The flag is mirrored on the wallet this transaction reads
    // anyway (accounts/blocking.ts), and blocking writes the wallet, so a block during the settlement conflicts here.
    if (u.wallet.blocked) return null;
    const _ = u._;
    const out: RewardDoc[] = [];
    // The conversion gate, one guarded write: the buyer is bound to this inviter, the binding is still valid, and
    // not converted yet (bound, or reversed by a refund). A concurrent settlement of the same order conflicts here.
    const converted = await txCollection(u.t, 'referrals')
      .where({ _id: order.buyerId, inviterId, status: _.neq('converted'), expiresAt: _.eq(null).or(_.gt(paidAt)), refundedOrderIds: _.neq(order._id) })
      .updateAndReturn({
        status: 'converted',
        conversion: _.set({ orderId: order._id, at: paidAt, refundDeadline: member.refundDeadline, ruleId: everyN?.rule._id ?? null }),
        conversions: _.inc(1),
        updatedAt: u.now,
      });
    let referral = converted.doc;
    if (referral) {
      if (everyN) {
        const rule = everyN.rule as RebateRuleDoc & { trigger: { kind: 'everyN' } };
        const change = joinPool(u.wallet.progress[rule._id], member, rule.trigger.n);
        out.push(...applyPoolChange(u, rule, change, order._id, 'g', pointsPerYuan));
      }
    } else {
      // A later order: it counts only while the buyer is bound to this inviter and the binding is valid.
      referral = (await txCollection(u.t, 'referrals').doc(order.buyerId).get()).data;
      if (!referral || referral.inviterId !== inviterId || (referral.expiresAt && paidAt >= referral.expiresAt)) return { referral, rewards: out };
      // Refunded already (this settlement ran late, from a copy of the order read before the refund): nothing.
      if (referral.refundedOrderIds?.includes(order._id)) return null;
    }
    if (each) {
      const amount = rewardAmount(each.rule, each.baseFen, pointsPerYuan);
      if (amount) out.push(grantReward(u, { id: `rw_${order._id}_each`, rule: each.rule, amount, orderId: order._id, members: [member] }));
    }
    // Also the replay marker: a second settlement of this order collides here and changes nothing.
    u.insert('notifications', notices.inviteeBought(u.now, inviterId, order._id));
    return { referral, rewards: out };
  });
}

/** Record a pool change for an everyN rule; each completed group earns one reward (id `rw_<orderId>_<tag><i>`). */
function applyPoolChange(u: UserTx, rule: RebateRuleDoc, change: PoolChange, orderId: string, tag: string, pointsPerYuan: number): RewardDoc[] {
  u.wallet.progress[rule._id] = change.progress;
  u.touch();
  const out: RewardDoc[] = [];
  change.completed.forEach((group, i) => {
    const amount = rewardAmount(rule, 0, pointsPerYuan);
    if (amount) out.push(grantReward(u, { id: `rw_${orderId}_${tag}${i}`, rule, amount, orderId, members: group }));
  });
  return out;
}

/** "order received": its refund deadline is known — the rewards it holds can mature once it passes. */
export async function stampReceivedOrder(ctx: DbCtx, order: OrderDoc): Promise<void> {
  const deadline = order.refundDeadline;
  if (!deadline) return;
  const ref = await readReferral(ctx, order.buyerId);
  if (!ref) return;
  await withUserTx(ctx, ref.inviterId, async (u) => {
    for (const [ruleId, p] of Object.entries(u.wallet.progress)) {
      if (p.pool.some((m) => m.orderId === order._id && m.refundDeadline?.getTime() !== deadline.getTime())) {
        u.wallet.progress[ruleId] = stampPool(p, order._id, deadline)!;
        u.touch();
      }
    }
    const holding = (await txCollection(u.t, 'rewards').where({ userId: ref.inviterId, 'members.orderId': order._id }).get()).data;
    for (const r of holding) {
      const members = r.members.map((m) => (m.orderId === order._id ? { ...m, refundDeadline: deadline } : m));
      await txCollection(u.t, 'rewards').doc(r._id).update({ members, maturesAt: maturityOf(members), updatedAt: u.now });
    }
    if (ref.conversion?.orderId === order._id) await txCollection(u.t, 'referrals').doc(order.buyerId).update({ 'conversion.refundDeadline': deadline, updatedAt: u.now });
  });
}

/** "order refunded": take back what it earned and un-convert the invitee (they can convert again later). */
export async function settleRefundedOrder(ctx: DbCtx, order: OrderDoc): Promise<void> {
  const ref = await readReferral(ctx, order.buyerId);
  if (!ref) return;
  const touched = await withUserTx(ctx, ref.inviterId, async (u) => {
    const fresh = (await txCollection(u.t, 'referrals').doc(order.buyerId).get()).data;
    const holding = (await txCollection(u.t, 'rewards').where({ userId: ref.inviterId, 'members.orderId': order._id }).get()).data;
    const markers = await readMarkers(u, holding);
    const statusBefore = new Map(holding.map((r) => [r._id, r.status]));
    const changed = holding.filter((r) => revokeReward(u, r, markers, REFUND_REASON));
    for (const r of changed) await saveReward(u, r);
    releaseIn(u, order._id); // decided: what it held is taken back now

    // The refund is marked on the referral, so a settlement of this order that runs after it (from a copy of the order
    // read before the refund: a timer's retry of a step that failed) earns nothing. Both write this document, so one
    // running at the same moment conflicts and reruns after the mark.
    const mark = fresh && !fresh.refundedOrderIds?.includes(order._id) ? { refundedOrderIds: u._.push(order._id) } : null;
    const conversion = fresh?.status === 'converted' && fresh.conversion?.orderId === order._id ? fresh.conversion : null;
    if (!conversion) {
      if (mark) await txCollection(u.t, 'referrals').doc(order.buyerId).update({ ...mark, updatedAt: u.now });
      return changed;
    }
    await txCollection(u.t, 'referrals').doc(order.buyerId).update({ status: 'reversed', conversion: null, ...mark, updatedAt: u.now });
    const ruleId = conversion.ruleId;
    if (!ruleId) return changed;
    const progress = u.wallet.progress[ruleId];
    if (progress?.pool.some((m) => m.inviteeId === order.buyerId)) {
      u.wallet.progress[ruleId] = leavePool(progress, order.buyerId);
      u.touch();
      return changed;
    }
    // The standing group this conversion completed. One already voided (an earlier refund dissolved it, or the
    // merchant voided it for fraud, which leaves its members spent) is not dissolved again.
    const group = holding.find(
      (r) => r.trigger === 'everyN' && r.ruleId === ruleId && statusBefore.get(r._id) !== 'voided' && r.members.some((m) => m.inviteeId === order.buyerId && m.orderId === order._id),
    );
    if (!group) return changed;
    const rule = (await txCollection(u.t, 'rebate_rules').doc(ruleId).get()).data;
    // A blocked inviter earns nothing, as on a purchase: the group's other members go back to the pool and no group
    // re-forms from it (one can once the block is lifted and another friend buys).
    const n = u.wallet.blocked ? Number.POSITIVE_INFINITY : rule?.trigger.kind === 'everyN' ? rule.trigger.n : group.members.length;
    const change = dissolveGroup(progress, group.members, order.buyerId, n);
    if (rule && change.completed.length) {
      const created = applyPoolChange(u, rule, change, order._id, 'rg', DEFAULT_SETTINGS.pointsPerYuan);
      return [...changed, ...created];
    }
    u.wallet.progress[ruleId] = change.progress;
    u.touch();
    return changed;
  });
  for (const r of touched) if (r.form === 'coupon' && r.couponSyncAt) await syncCoupon(ctx, r._id);
  if (order.inviterId && order.inviterId !== ref.inviterId) await releaseRefundHold(ctx, order);
}
