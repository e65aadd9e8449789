/** The merchant's view of groups: the list by state, the success rate and the funnel (opened → shared → joined → succeeded). */
import type { Page } from '../../../types/api';
import type { GroupStatsView, MerchantGroupRow } from '../../../types/modules/group.api';
import type { GroupStatus } from '../../../types/modules/group.models';
import { successRateBp } from '../../domain/groupBuy';
import { collection } from '../../infra/collections';
import type { Ctx } from '../../infra/handler';
import { membersOf } from './people';
import { GROUPS } from './seats';
import { iso } from '../../../types/time';

const STATUSES: GroupStatus[] = ['pending', 'open', 'succeeded', 'failed', 'cancelled'];

export async function listGroups(ctx: Ctx, input: { status?: GroupStatus; cursor?: number; pageSize?: number }): Promise<Page<MerchantGroupRow>> {
  const offset = input.cursor ?? 0;
  const pageSize = input.pageSize ?? 20;
  const where = input.status ? { status: input.status } : {};
  const res = await collection(ctx.db, GROUPS).where(where).orderBy('createdAt', 'desc').skip(offset).limit(pageSize + 1).get();
  const docs = res.data.slice(0, pageSize);
  const people = await membersOf(ctx, docs.map((g) => g.leaderId));
  return {
    items: docs.map((g) => ({
      groupId: g._id,
      status: g.status,
      productId: g.productId,
      productTitle: g.rules.productTitle,
      leaderName: people(g.leaderId).name,
      size: g.size,
      paidCount: g.paidCount,
      seatsTaken: g.seatsTaken,
      createdAt: g.createdAt.toISOString(),
      openedAt: iso(g.openedAt),
      deadline: iso(g.deadline),
      decidedAt: iso(g.decidedAt),
      shared: !!g.sharedAt,
    })),
    next: res.data.length > pageSize ? offset + pageSize : null,
  };
}

/** Counts by status and the funnel, each one count query (indexed), all at once. */
export async function groupStats(ctx: Ctx): Promise<GroupStatsView> {
  const _ = ctx.db.command;
  const groups = collection(ctx.db, GROUPS);
  const opened = { status: _.in(['open', 'succeeded', 'failed']) };
  const counts = await Promise.all([
    ...STATUSES.map((status) => groups.where({ status }).count()),
    groups.where({ ...opened, sharedAt: _.neq(null) }).count(),
    groups.where({ ...opened, paidCount: _.gte(2) }).count(),
  ]);
  const n = counts.map((c) => c.total ?? 0);
  const byStatus = Object.fromEntries(STATUSES.map((s, i) => [s, n[i]])) as Record<GroupStatus, number>;
  return {
    byStatus,
    successRateBp: successRateBp(byStatus.succeeded, byStatus.failed),
    funnel: { opened: byStatus.open + byStatus.succeeded + byStatus.failed, shared: n[STATUSES.length], joined: n[STATUSES.length + 1], succeeded: byStatus.succeeded },
  };
}
