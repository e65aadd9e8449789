/** The group card (what a friend opens from a share, or a member's own page) and my groups. */
import type { Page } from '../../../types/api';
import type { ErrorCode } from '../../../types/errors';
import type { GroupSummary, GroupView, GroupViewerAction } from '../../../types/modules/group.api';
import type { GroupDoc, GroupOrderState } from '../../../types/modules/group.models';
import type { OrderDoc } from '../../../types/models';
import { describeGroupRules } from '../../../types/groupRules';
import { effectiveStatus, joinRefusal, seatsLeft } from '../../domain/groupBuy';
import { collection } from '../../infra/collections';
import { AppError } from '../../infra/errors';
import type { Ctx } from '../../infra/handler';
import { hasPaidOrder } from '../assist/helpers';
import { settleGroup } from './fate';
import { loadOffer } from './offers';
import { membersOf } from './people';
import { GROUPS, loadGroup } from './seats';

async function viewerOrder(ctx: Ctx, group: GroupDoc): Promise<OrderDoc | null> {
  if (!group.memberIds.includes(ctx.openid) && !group.paidMemberIds.includes(ctx.openid)) return null;
  const _ = ctx.db.command;
  const res = await collection(ctx.db, 'orders').where({ buyerId: ctx.openid, groupId: group._id, status: _.nin(['cancelled', 'expired']) }).limit(1).get();
  return res.data[0] ?? null;
}

export async function groupView(ctx: Ctx, group: GroupDoc): Promise<GroupView> {
  const now = ctx.clock.now();
  const status = effectiveStatus(group, now);
  const isMember = group.memberIds.includes(ctx.openid) || group.paidMemberIds.includes(ctx.openid);
  const isLeader = group.leaderId === ctx.openid;
  const mayBeNew = !isMember && status === 'open' && group.rules.newUsersOnly;
  const [people, order, paidBefore, offer] = await Promise.all([
    membersOf(ctx, [group.leaderId, ...group.paidMemberIds]),
    isMember ? viewerOrder(ctx, group) : Promise.resolve(null),
    mayBeNew ? hasPaidOrder(ctx, ctx.openid) : Promise.resolve(false),
    status !== 'open' || !isMember ? loadOffer(ctx, group.productId) : Promise.resolve(null),
  ]);
  const cannotJoin: ErrorCode | null = isMember ? null : joinRefusal(group, ctx.openid, mayBeNew ? !paidBefore : null, now);
  const canOpenOwn = !!offer?.active;
  const orderState = (order?.groupState ?? null) as GroupOrderState | null;
  const actions: GroupViewerAction[] = [];
  if (isMember) {
    if (order?.status === 'pending_payment' && status !== 'failed' && status !== 'succeeded') actions.push('pay');
    if (status === 'open') actions.push('share');
    if (order) actions.push('viewOrder');
  } else if (cannotJoin === null) {
    actions.push('join');
  }
  if ((status !== 'open' || !isMember) && canOpenOwn) actions.push('openOwn');
  const paidMembers = group.paidMemberIds.length ? group.paidMemberIds : [group.leaderId];
  return {
    groupId: group._id,
    status,
    product: { id: group.productId, title: group.rules.productTitle, image: group.rules.productImage, listPriceFen: group.rules.listPriceFen, groupPriceFen: group.rules.groupPriceFen },
    size: group.size,
    paidCount: group.paidCount,
    remaining: status === 'open' || status === 'pending' ? Math.max(group.size - group.paidCount, 0) : 0,
    seatsLeft: seatsLeft(group),
    members: paidMembers.map((id) => ({ ...people(id), isLeader: id === group.leaderId })),
    openedAt: group.openedAt ? group.openedAt.toISOString() : null,
    deadline: group.deadline ? group.deadline.toISOString() : null,
    msLeft: status === 'open' && group.deadline ? Math.max(group.deadline.getTime() - now.getTime(), 0) : 0,
    decidedAt: group.decidedAt ? group.decidedAt.toISOString() : null,
    rulesText: describeGroupRules(group.rules, group.rules.listPriceFen),
    viewer: { isMember, isLeader, orderId: order?._id ?? null, orderState, cannotJoin, actions },
  };
}

/**
 * The card a friend opened. A group whose time has come is decided here too (guarded, once), so nobody sees an open
 * group past its deadline. The first view by someone outside the group marks it shared (the merchant's funnel).
 */
export async function getGroup(ctx: Ctx, input: { groupId: string }): Promise<GroupView> {
  let group = await loadGroup(ctx, input.groupId);
  if (!group) throw new AppError('GROUP_NOT_FOUND');
  const now = ctx.clock.now();
  if (effectiveStatus(group, now) !== group.status || group.fanout === 'owed') group = (await settleGroup(ctx, group._id)) ?? group;
  const outsider = !group.memberIds.includes(ctx.openid) && !group.paidMemberIds.includes(ctx.openid);
  if (outsider && !group.sharedAt && group.status !== 'pending') {
    await collection(ctx.db, GROUPS).where({ _id: group._id, sharedAt: null }).update({ sharedAt: now });
  }
  return groupView(ctx, group);
}

export async function listMyGroups(ctx: Ctx, input: { cursor?: number; pageSize?: number }): Promise<Page<GroupSummary>> {
  const now = ctx.clock.now();
  const offset = input.cursor ?? 0;
  const pageSize = input.pageSize ?? 10;
  const res = await collection(ctx.db, GROUPS).where({ memberIds: ctx.openid }).orderBy('createdAt', 'desc').skip(offset).limit(pageSize + 1).get();
  const docs = res.data;
  return {
    items: docs.slice(0, pageSize).map((g) => ({
      groupId: g._id,
      status: effectiveStatus(g, now),
      productId: g.productId,
      productTitle: g.rules.productTitle,
      size: g.size,
      paidCount: g.paidCount,
      isLeader: g.leaderId === ctx.openid,
      deadline: g.deadline ? g.deadline.toISOString() : null,
      createdAt: g.createdAt.toISOString(),
    })),
    next: docs.length > pageSize ? offset + pageSize : null,
  };
}
