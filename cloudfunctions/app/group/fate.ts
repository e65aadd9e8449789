/**
 * A group's fate, decided once by ONE guarded update from open: → succeeded (N paid; or, past the deadline, at least
 * the offer's minimum) or → failed (past the deadline, short). The last payment, a viewer and the timer may all try
 * at the same moment; the guards exclude each other (a failure needs paidCount < minSize, a success ≥), so whoever
 * loses reads the group again and follows the winner. Then every member order follows it (the fan-out):
 * - succeeded: each paid order becomes shippable and runs its "grouped" steps (referral settlement, the dashboard's
 *   conversions), the leader's reward is issued held once (group/leaderReward.ts releases it), members hear it;
 * - failed: each paid order is refunded in full through the shop's refund path, exactly once, members hear it.
 * The fan-out is owed (`fanout: 'owed'`) until every paid order has followed; the settle timer finishes it after a
 * crash. Each part is idempotent: an order moves by a guarded update, a refund is made by one insert, the reward and
 * the notices are keyed.
 */
import type { OrderDoc } from '../../../types/models';
import type { GroupDoc } from '../../../types/modules/group.models';
import { decision } from '../../domain/groupBuy';
import { collection } from '../../infra/collections';
import type { Ctx } from '../../infra/handler';
import { enqueueNotification } from '../../infra/notifications';
import { leaderRewardText } from '../../../types/groupRules';
import { runOwedSteps, transitionOrder } from '../shop/outbox';
import { refundOrderAutomatically } from '../shop/refunds';
import { holdLeaderReward } from './leaderReward';
import { GROUPS, loadGroup } from './seats';

export const FAILED_REFUND_REASON = '拼团未成团，自动全额退款';

const page = (groupId: string) => `packages/shop/group/index?groupId=${encodeURIComponent(groupId)}`;

/** Try to decide the group now; answers the group as it stands afterwards (decided by us or by whoever won). */
export async function decide(ctx: Ctx, group: GroupDoc): Promise<GroupDoc> {
  const now = ctx.clock.now();
  const verdict = decision(group, now);
  if (!verdict) return group;
  const _ = ctx.db.command;
  const guard =
    verdict === 'failed'
      ? { status: 'open', deadline: _.lte(now), paidCount: _.lt(group.minSize) }
      : group.paidCount >= group.size
        ? { status: 'open', paidCount: _.gte(group.size) }
        : { status: 'open', deadline: _.lte(now), paidCount: _.gte(group.minSize) };
  const reward = verdict === 'succeeded' && group.rules.leaderReward.kind !== 'none' ? 'owed' : 'none';
  const res = await collection(ctx.db, GROUPS)
    .where({ _id: group._id, ...guard })
    .updateAndReturn({ status: verdict, decidedAt: now, fanout: 'owed', leaderRewardState: reward, updatedAt: now });
  return res.doc ?? ((await loadGroup(ctx, group._id)) as GroupDoc);
}

async function readOrders(ctx: Ctx, ids: string[]): Promise<OrderDoc[]> {
  if (!ids.length) return [];
  const _ = ctx.db.command;
  return (await collection(ctx.db, 'orders').where({ _id: _.in(ids) }).limit(ids.length).get()).data;
}

/** One paid member order of a succeeded group becomes shippable; its "grouped" steps run. True once it has followed. */
async function succeedOrder(ctx: Ctx, order: OrderDoc): Promise<boolean> {
  if (order.status === 'pending_payment') return false; // its payment is being recorded right now; it follows after
  if (order.groupState !== 'waiting') return true;
  const moved = await transitionOrder(ctx, order._id, ['paid'], { groupState: 'succeeded' }, 'grouped', { groupState: 'waiting' });
  if (moved) await runOwedSteps(ctx, moved);
  return true;
}

/** One paid member order of a failed group: marked failed (never shippable), then refunded in full once. */
async function failOrder(ctx: Ctx, order: OrderDoc): Promise<boolean> {
  if (order.status === 'pending_payment') return false;
  if (order.status === 'refunded') return true;
  if (order.groupState === 'waiting') {
    await collection(ctx.db, 'orders').where({ _id: order._id, status: 'paid', groupState: 'waiting' }).update({ groupState: 'failed', updatedAt: ctx.clock.now() });
  }
  try {
    const refund = await refundOrderAutomatically(ctx, { ...order, groupState: 'failed' }, FAILED_REFUND_REASON);
    return refund?.status === 'refunded';
  } catch (e) {
    // The provider was down: the request stays approved and the timer's retry of approved refunds pays it.
    console.error(`[group] refund of ${order._id} failed; retried by the timer`, e);
    return false;
  }
}

function noticeMembers(ctx: Ctx, group: GroupDoc): Promise<unknown> {
  const ok = group.status === 'succeeded';
  const reward = ok ? leaderRewardText(group.rules.leaderReward) : null;
  return Promise.all(
    group.paidMemberIds.map((userId) =>
      enqueueNotification(ctx, {
        sourceKey: `group:${group.status}:${group._id}:${userId}`,
        userId,
        kind: ok ? 'group.succeeded' : 'group.failed',
        title: ok ? '拼团成功' : '拼团未成团',
        body: ok
          ? `「${group.rules.productTitle}」${group.paidCount} 人拼团成功，商家将尽快发货。${userId === group.leaderId && reward ? `团长奖励 ${reward} 已发放（冻结中），成员确认收货且退款期结束后到账。` : ''}`
          : `「${group.rules.productTitle}」到期未凑满 ${group.size} 人，订单已自动全额退款，优惠券、余额和积分已退回。`,
        page: page(group._id),
        facts: { groupId: group._id, product: group.rules.productTitle, paidCount: String(group.paidCount), size: String(group.size) },
      }),
    ),
  );
}

/** Every paid member order follows the decided group; `fanout` is marked done once they all have. */
export async function fanOut(ctx: Ctx, group: GroupDoc): Promise<boolean> {
  if (group.fanout !== 'owed' || (group.status !== 'succeeded' && group.status !== 'failed')) return group.fanout === 'done';
  const orders = await readOrders(ctx, group.paidOrderIds);
  let all = orders.length === group.paidOrderIds.length;
  for (const order of orders) {
    try {
      if (!(await (group.status === 'succeeded' ? succeedOrder(ctx, order) : failOrder(ctx, order)))) all = false;
    } catch (e) {
      console.error(`[group] order ${order._id} could not follow group ${group._id}`, e);
      all = false;
    }
  }
  if (group.status === 'succeeded' && group.leaderRewardState === 'owed') await holdLeaderReward(ctx, group);
  await noticeMembers(ctx, group);
  if (!all) return false;
  await collection(ctx.db, GROUPS).where({ _id: group._id, fanout: 'owed' }).update({ fanout: 'done', updatedAt: ctx.clock.now() });
  return true;
}

/** Decide the group if its time has come, then make its orders follow. Safe to call from anywhere, any number of times. */
export async function settleGroup(ctx: Ctx, groupId: string): Promise<GroupDoc | null> {
  const read = await loadGroup(ctx, groupId);
  if (!read) return null;
  const group = await decide(ctx, read);
  if (group.fanout === 'owed') await fanOut(ctx, group);
  return group;
}
