/**
 * The 团长 reward, frozen until the refund window closes like every reward (DESIGN rule 4). At success it is held: a
 * coupon issued held (not usable), points credited frozen. The settle timer then looks at the group's paid member
 * orders: once refunds leave fewer kept orders than the group needed (minSize), the reward is taken back; once every
 * kept order is received and past its refund deadline with no refund open, it is released (the coupon becomes
 * usable, the points available). Before release nothing of it can be spent, so a group of second accounts that all
 * refund gains nothing.
 *
 * Each step is idempotent: the coupon moves by guarded updates, the points by ledger operations keyed by the group
 * (`group-leader:<groupId>:frozen|post|void`, each checked before it is written, in the leader's wallet
 * transaction), and the group's state by a guarded update from 'owed' / 'held'.
 */
import { formatFen } from '../../../types/money';
import type { OrderDoc } from '../../../types/models';
import type { GroupDoc } from '../../../types/modules/group.models';
import { leaderRewardVerdict, OPEN_REFUND } from '../../domain/groupBuy';
import { leaderRewardText } from '../../../types/groupRules';
import { creditFrozen, legKey, postFrozen, voidFrozen } from '../../domain/ledger';
import { collection } from '../../infra/collections';
import type { Ctx } from '../../infra/handler';
import { enqueueNotification } from '../../infra/notifications';
import { activateCoupon, issueCoupon, voidCoupon } from '../coupons/coupons';
import { type UserTx, withUserTx } from '../wallet/tx';
import { GROUPS } from './seats';

/** The reward's id: the coupon's source key, and the `rewardId` of its ledger legs (one line in the wallet). */
export const leaderRewardId = (groupId: string) => `group-leader:${groupId}`;
/** Ledger operations of the reward's points. */
export const leaderRewardOps = {
  frozen: (groupId: string) => `${leaderRewardId(groupId)}:frozen`,
  post: (groupId: string) => `${leaderRewardId(groupId)}:post`,
  void: (groupId: string) => `${leaderRewardId(groupId)}:void`,
};
export { RELEASE_GRACE_MS } from '../../domain/groupBuy';
export const LEADER_REWARD_NOTE = '拼团团长奖励';
const VOID_NOTE = '成员退款后成团人数不足';

const page = (groupId: string) => `packages/shop/group/index?groupId=${encodeURIComponent(groupId)}`;

/** Which of the points' operations are in the ledger already. */
async function pointsDone(u: UserTx, groupId: string): Promise<{ frozen: boolean; posted: boolean; voided: boolean }> {
  const keys = {
    frozen: legKey(leaderRewardOps.frozen(groupId), 'points', 'frozen'),
    posted: legKey(leaderRewardOps.post(groupId), 'points', 'frozen'),
    voided: legKey(leaderRewardOps.void(groupId), 'points', 'frozen'),
  };
  const res = await collection(u.db, 'ledger').where({ _id: u._.in(Object.values(keys)) }).field({ _id: true }).limit(3).get();
  const found = new Set(res.data.map((d) => d._id));
  return { frozen: found.has(keys.frozen), posted: found.has(keys.posted), voided: found.has(keys.voided) };
}

/** At success: the reward is issued held (once), and the group's reward state moves owed → held. */
export async function holdLeaderReward(ctx: Ctx, group: GroupDoc): Promise<void> {
  const r = group.rules.leaderReward;
  const id = leaderRewardId(group._id);
  if (r.kind === 'coupon') {
    await issueCoupon(ctx, { sourceKey: id, ownerId: group.leaderId, amountFen: r.amountFen, minSpendFen: r.minSpendFen, validDays: r.validDays, held: true, title: `团长奖励 ${formatFen(r.amountFen)} 优惠券` });
  } else if (r.kind === 'points') {
    await withUserTx(ctx, group.leaderId, async (u) => {
      if ((await pointsDone(u, group._id)).frozen) return;
      u.post(leaderRewardOps.frozen(group._id), creditFrozen('points', r.points), { rewardId: id, note: LEADER_REWARD_NOTE });
    });
  }
  const now = ctx.clock.now();
  await collection(ctx.db, GROUPS).where({ _id: group._id, leaderRewardState: 'owed' }).update({ leaderRewardState: 'held', leaderRewardCheckAt: now, updatedAt: now });
}

/** The settle timer's look at one held reward. True when it was released or taken back. */
export async function settleLeaderReward(ctx: Ctx, group: GroupDoc): Promise<boolean> {
  if (group.leaderRewardState !== 'held') return false;
  const _ = ctx.db.command;
  // A succeeded group has its paid members' orders (at least one); the open requests are read beside them.
  const ids = group.paidOrderIds;
  const [orders, requests] = await Promise.all([
    collection(ctx.db, 'orders').where({ _id: _.in(ids) }).limit(ids.length).get(),
    collection(ctx.db, 'refunds').where({ _id: _.in(ids), status: _.in([...OPEN_REFUND]) }).field({ _id: true }).limit(ids.length).get(),
  ]);
  const now = ctx.clock.now();
  const verdict = leaderRewardVerdict(group, orders.data as OrderDoc[], new Set(requests.data.map((d) => d._id)), now);
  const groups = collection(ctx.db, GROUPS);
  if (verdict.action === 'wait') {
    await groups.where({ _id: group._id, leaderRewardState: 'held' }).update({ leaderRewardCheckAt: verdict.checkAt, updatedAt: now });
    return false;
  }
  const r = group.rules.leaderReward;
  const id = leaderRewardId(group._id);
  const release = verdict.action === 'release';
  if (r.kind === 'coupon') {
    if (release) await activateCoupon(ctx, id);
    else await voidCoupon(ctx, id);
  } else if (r.kind === 'points') {
    await withUserTx(ctx, group.leaderId, async (u) => {
      const done = await pointsDone(u, group._id);
      if (!done.frozen || done.posted || done.voided) return;
      if (release) u.post(leaderRewardOps.post(group._id), postFrozen(u.balances, 'points', r.points), { rewardId: id, note: LEADER_REWARD_NOTE });
      else u.post(leaderRewardOps.void(group._id), voidFrozen('points', r.points), { rewardId: id, note: VOID_NOTE });
    });
  }
  const state = release ? 'paid' : 'voided';
  const moved = await groups.where({ _id: group._id, leaderRewardState: 'held' }).update({ leaderRewardState: state, leaderRewardCheckAt: null, updatedAt: now });
  if (moved.updated === 1) {
    const reward = leaderRewardText(r) ?? '';
    await enqueueNotification(ctx, {
      sourceKey: `group:leader-reward:${state}:${group._id}`,
      userId: group.leaderId,
      kind: release ? 'group.leaderReward' : 'group.leaderRewardVoided',
      title: release ? '团长奖励已到账' : '团长奖励已作废',
      body: release
        ? `「${group.rules.productTitle}」拼团的成员退款期已结束，团长奖励 ${reward} 已到账。`
        : `「${group.rules.productTitle}」拼团有成员退款，成团人数不足 ${group.minSize} 人，团长奖励 ${reward} 已作废。`,
      page: page(group._id),
      facts: { groupId: group._id, product: group.rules.productTitle },
    });
  }
  return true;
}
