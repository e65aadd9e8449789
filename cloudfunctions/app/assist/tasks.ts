/** Assist tasks: start one, view one (the card a friend opens), list mine. */
import { isTombstone } from '../../domain/tombstone';
import crypto from 'node:crypto';
import type { Page } from '../../../types/api';
import type { ErrorCode } from '../../../types/errors';
import { avatarSeedOf, maskNickname } from '../../../types/names';
import type { AssistHelperView, AssistTaskSummary, AssistTaskView, AssistViewerAction } from '../../../types/modules/assist.api';
import type { AssistHelperDoc, AssistTaskDoc } from '../../../types/modules/assist.models';
import {
  campaignRulesText,
  effectiveStatus,
  helperRefusal,
  isNewHelper,
  shanghaiDay,
  taskRefusal,
  voucherState,
} from '../../domain/assistPolicy';
import { isDuplicateKey } from '../../infra/db';
import { collection } from '../../infra/collections';
import { AppError } from '../../infra/errors';
import type { Ctx } from '../../infra/handler';
import { assertNotBlocked } from '../accounts/blocking';
import { statsOnAssistStarted } from '../stats/events';
import { liveCampaignFor, loadProduct } from './campaigns';
import { hasPaidOrder, isRegistered, loadHelper, noteCardView } from './helpers';
import { completeTask } from './rewards';

const TASKS = 'assist_tasks';
const HOUR = 3600 * 1000;

export async function loadTask(ctx: Ctx, taskId: string): Promise<AssistTaskDoc | null> {
  return (await collection(ctx.db, TASKS).doc(taskId).get()).data?.[0] ?? null;
}

/** Deterministic, opaque task id: the owner's n-th task on a product (the openid never shows in a share card). */
export function taskIdFor(ownerId: string, productId: string, seq: number): string {
  return `at-${crypto.createHash('sha256').update(`${ownerId}\n${productId}\n${seq}`).digest('hex').slice(0, 24)}`;
}

/**
 * Start a task on a product with a running campaign, or get the open one back when the shopper already holds as
 * many open tasks on it as the campaign allows. Two taps at once make one task: both aim at the same next `seq`,
 * whose deterministic _id only one insert can take; the other reads again and gets it back.
 */
export async function startAssistTask(ctx: Ctx, input: { productId: string }): Promise<AssistTaskView> {
  const now = ctx.clock.now();
  const [product, campaign] = await Promise.all([loadProduct(ctx, input.productId), liveCampaignFor(ctx, input.productId)]);
  if (!product) throw new AppError('PRODUCT_NOT_FOUND');
  if (!product.onSale) throw new AppError('PRODUCT_OFF_SALE');
  if (!campaign) throw new AppError('ASSIST_CAMPAIGN_NOT_FOUND');
  await assertNotBlocked(ctx, ctx.openid);
  const tasks = collection(ctx.db, TASKS);
  for (let attempt = 0; attempt < 5; attempt++) {
    const res = await tasks.where({ ownerId: ctx.openid, productId: input.productId }).orderBy('seq', 'desc').limit(100).get();
    const mine = res.data;
    const open = mine.filter((t) => effectiveStatus(t, now) === 'open');
    if (open.length >= campaign.openTasksPerShopper) return taskView(ctx, open[0], null);
    const seq = (mine[0]?.seq ?? 0) + 1;
    const task: AssistTaskDoc = {
      _id: taskIdFor(ctx.openid, input.productId, seq),
      campaignId: campaign._id,
      productId: input.productId,
      ownerId: ctx.openid,
      seq,
      target: campaign.helpersNeeded,
      helpers: 0,
      helperIds: [],
      status: 'open',
      startedAt: now,
      deadline: new Date(now.getTime() + campaign.durationHours * HOUR),
      rules: {
        success: campaign.success,
        fallback: campaign.fallback,
        newUsersOnly: campaign.newUsersOnly,
        helperDailyCap: campaign.helperDailyCap,
        openTasksPerShopper: campaign.openTasksPerShopper,
        listPriceFen: product.priceFen,
        productTitle: product.title,
        productImage: product.images[0] ?? '',
      },
      succeededAt: null,
      voucher: null,
      rewardState: 'none',
      rewardCouponId: null,
      expiredAt: null,
      fallbackOwed: null,
      fallbackState: 'none',
      fallbackPaidAt: null,
      updatedAt: now,
    };
    try {
      // Made owing its "started" count: counted here, and the flag cleared; a count that fails (or a run that dies
      // before the clear) is counted by the settle timer instead (assist.countOwedStats), never lost.
      await tasks.add({ ...task, statsOwed: true });
      if (await statsOnAssistStarted(ctx, task, now)) await tasks.where({ _id: task._id, status: 'open', statsOwed: true }).update({ statsOwed: false });
      return taskView(ctx, task, null);
    } catch (e) {
      if (!isDuplicateKey(e)) throw e;
    }
  }
  throw new AppError('CONFLICT');
}

function rulesTextOf(task: AssistTaskDoc): string[] {
  const r = task.rules;
  return campaignRulesText(
    {
      helpersNeeded: task.target,
      durationHours: Math.round((task.deadline.getTime() - task.startedAt.getTime()) / HOUR),
      success: r.success,
      fallback: r.fallback,
      newUsersOnly: r.newUsersOnly,
      helperDailyCap: r.helperDailyCap,
      openTasksPerShopper: r.openTasksPerShopper,
      startsAt: null,
      endsAt: null,
    },
    r.listPriceFen,
  );
}

/** The owner and the helpers as others see them (masked), in one read of their user documents. */
async function peopleOf(ctx: Ctx, task: AssistTaskDoc): Promise<{ owner: AssistHelperView; helpers: AssistHelperView[] }> {
  const _ = ctx.db.command;
  const res = await collection(ctx.db, 'users')
    .where({ _id: _.in([task.ownerId, ...task.helperIds]) })
    .field({ nickname: true, avatarUrl: true })
    .limit(1000)
    .get();
  const byId = new Map(res.data.map((u) => [u._id, u]));
  const view = (id: string): AssistHelperView => ({ name: maskNickname(byId.get(id)?.nickname ?? ''), avatarUrl: byId.get(id)?.avatarUrl ?? '', avatarSeed: avatarSeedOf(id) });
  return { owner: view(task.ownerId), helpers: task.helperIds.map(view) };
}

/** What a friend (not the owner) could do with this task now, predicted with the same policy `help` applies. */
async function friendStanding(ctx: Ctx, task: AssistTaskDoc, helper: AssistHelperDoc | null): Promise<ErrorCode | null> {
  const now = ctx.clock.now();
  const fromTask = taskRefusal(task, ctx.openid, now);
  if (fromTask) return fromTask;
  const today = shanghaiDay(now);
  const helpsToday = helper && helper.day === today ? helper.dayCount : 0;
  const arrival = helper?.firstArrival ?? null;
  const mayBeNew = !!arrival && arrival.taskId === task._id && task.rules.newUsersOnly;
  let isNew = false;
  if (mayBeNew) {
    const [registered, paid] = await Promise.all([isRegistered(ctx, ctx.openid), hasPaidOrder(ctx, ctx.openid)]);
    isNew = isNewHelper({ taskId: task._id, taskStartedAt: task.startedAt, arrival, hasPaidOrder: paid, registered });
  }
  return helperRefusal({ helpsToday, dailyCap: task.rules.helperDailyCap, newUsersOnly: task.rules.newUsersOnly, isNew });
}

/** The view of a task; `helper` is the viewer's helper record when the viewer is a friend. */
export async function taskView(ctx: Ctx, task: AssistTaskDoc, helper: AssistHelperDoc | null): Promise<AssistTaskView> {
  const now = ctx.clock.now();
  const isOwner = task.ownerId === ctx.openid;
  const status = effectiveStatus(task, now);
  const [people, cannotHelp, liveCampaign] = await Promise.all([
    peopleOf(ctx, task),
    isOwner ? Promise.resolve(null) : friendStanding(ctx, task, helper),
    status === 'open' && isOwner ? Promise.resolve(null) : liveCampaignFor(ctx, task.productId),
  ]);
  const vState = task.voucher ? voucherState(task.voucher, now) : null;
  const actions: AssistViewerAction[] = [];
  if (isOwner) {
    if (status === 'open') actions.push('share');
    if (status === 'succeeded' && vState === 'available') actions.push('buy');
    if ((status === 'expired' || (status === 'succeeded' && vState !== 'available')) && liveCampaign) actions.push('startOwn');
  } else {
    if (cannotHelp === null) actions.push('help');
    if (liveCampaign) actions.push('startOwn');
  }
  return {
    taskId: task._id,
    status,
    product: { id: task.productId, title: task.rules.productTitle, image: task.rules.productImage, priceFen: task.rules.listPriceFen },
    target: task.target,
    helpers: Math.min(task.helpers, task.target),
    remaining: Math.max(task.target - task.helpers, 0),
    helpersList: people.helpers,
    owner: people.owner,
    startedAt: task.startedAt.toISOString(),
    deadline: task.deadline.toISOString(),
    msLeft: status === 'open' ? Math.max(task.deadline.getTime() - now.getTime(), 0) : 0,
    rulesText: rulesTextOf(task),
    viewer: { isOwner, helped: task.helperIds.includes(ctx.openid), cannotHelp, actions },
    voucher: isOwner && task.voucher ? { priceFen: task.voucher.priceFen, validUntil: task.voucher.validUntil.toISOString(), state: vState! } : null,
    fallback: isOwner ? task.fallbackOwed : null,
  };
}

/**
 * The card a friend opened (or the owner's own page). A friend's first view records their arrival (see helpers.ts)
 * and makes sure they have a helper record. A full task left open by a crash is completed here (guarded, once).
 */
export async function getAssistTask(ctx: Ctx, input: { taskId: string }): Promise<AssistTaskView> {
  let task = await loadTask(ctx, input.taskId);
  // A deleted owner's task (kept under the tombstone) is no card anyone can open.
  if (!task || isTombstone(task.ownerId)) throw new AppError('ASSIST_TASK_NOT_FOUND');
  if (task.status === 'open' && task.helpers >= task.target) {
    await completeTask(ctx, task);
    task = (await loadTask(ctx, input.taskId)) ?? task;
  }
  if (task.ownerId === ctx.openid) return taskView(ctx, task, null);
  const helper = await noteCardView(ctx, task._id, await loadHelper(ctx, ctx.openid));
  return taskView(ctx, task, helper);
}

export async function listMyTasks(ctx: Ctx, input: { cursor?: number; pageSize?: number }): Promise<Page<AssistTaskSummary>> {
  const now = ctx.clock.now();
  const offset = input.cursor ?? 0;
  const pageSize = input.pageSize ?? 10;
  const res = await collection(ctx.db, TASKS).where({ ownerId: ctx.openid }).orderBy('startedAt', 'desc').skip(offset).limit(pageSize + 1).get();
  const docs = res.data;
  return {
    items: docs.slice(0, pageSize).map((t) => ({
      taskId: t._id,
      status: effectiveStatus(t, now),
      productId: t.productId,
      productTitle: t.rules.productTitle,
      target: t.target,
      helpers: Math.min(t.helpers, t.target),
      startedAt: t.startedAt.toISOString(),
      deadline: t.deadline.toISOString(),
      voucherState: t.voucher ? voucherState(t.voucher, now) : null,
    })),
    next: docs.length > pageSize ? offset + pageSize : null,
  };
}
