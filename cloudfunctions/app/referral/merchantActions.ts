/**
 * Merchant actions of the referral module, served by the `merchant` function (access: 'merchant'): rebate rules,
 * referral settings, withdrawal review and voiding a reward (fraud found later).
 */
import crypto from 'node:crypto';
import { z } from 'zod';
import type { Page } from '../../../types/api';
import type { RebateRuleDoc } from '../../../types/models';
import type { MerchantWithdrawalView, RebateRuleInput, ReferralSettings, RewardView, SavedRebateRule } from '../../../types/modules/referral.api';
import type { ReferralSettingsDoc, RewardDoc, WithdrawalDoc } from '../../../types/modules/referral.models';
import { fen } from '../../../types/money';
import { REFERRAL_SETTING_LIMITS, type SettingLimit } from '../../../types/settingsLimits';
import { ruleProblems } from '../../domain/rebateRules';
import { collection, txCollection } from '../../infra/collections';
import { AppError } from '../../infra/errors';
import { action, Ctx } from '../../infra/handler';
import { checkRev, revField, revSchema, writeAtRev } from '../../infra/revisions';
import type { AtRev, SentRev } from '../../../types/revision';
import { statsOnRewardVoided } from '../stats/events';
import { readMarkers, revokeReward, saveReward, syncCoupon } from './rewards';
import { readSettingsDoc } from '../wallet/settings';
import { withUserTx } from '../wallet/tx';
import { merchantWithdrawalView, reviewWithdrawal, withdrawalRisks } from '../wallet/withdrawals';

const id = z.string().min(1).max(64).regex(/^[A-Za-z0-9_-]+$/);
/** Integer fen, branded: the rule's amounts reach the contract (RebateRuleInput) as Fen. */
const fenAmount = z.number().int().min(0).max(100_000_000).transform(fen);
const count = z.number().int().min(0).max(1_000_000);
const isoDate = z.string().datetime({ offset: true });
const bounded = ([min, max]: SettingLimit) => z.number().int().min(min).max(max);
const page = { cursor: z.number().int().min(0).max(100_000).optional(), pageSize: z.number().int().min(1).max(100).optional() };

const rewardSchema = z.discriminatedUnion('form', [
  z.object({ form: z.literal('cash'), amountFen: fenAmount }).strict(),
  z.object({ form: z.literal('coupon'), amountFen: fenAmount, minSpendFen: fenAmount, validDays: z.number().int().min(1).max(365) }).strict(),
  z.object({ form: z.literal('points'), points: count }).strict(),
]);
const triggerSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('everyN'), n: z.number().int().min(1).max(100), minOrderFen: fenAmount }).strict(),
  z.object({ kind: z.literal('eachOrder'), minOrderFen: fenAmount, fixedFen: fenAmount.optional(), ratioBp: z.number().int().min(1).max(10_000).optional() }).strict(),
]);

export const ruleInputSchema = z
  .object({
    id: id.optional(),
    name: z.string().min(1).max(40),
    active: z.boolean(),
    priority: z.number().int().min(-1000).max(1000),
    reward: rewardSchema,
    trigger: triggerSchema,
    caps: z.object({ perInviterPerDay: count.nullable(), perInviterTotal: count.nullable() }).strict(),
    productIds: z.array(id).max(200).nullable(),
    startsAt: isoDate.nullable(),
    endsAt: isoDate.nullable(),
    rev: revSchema,
  })
  .strict();

function savedRule(r: RebateRuleDoc): SavedRebateRule {
  return {
    id: r._id,
    name: r.name,
    active: r.active,
    priority: r.priority,
    reward: r.reward,
    trigger: r.trigger,
    caps: r.caps,
    productIds: r.productIds,
    startsAt: r.startsAt?.toISOString() ?? null,
    endsAt: r.endsAt?.toISOString() ?? null,
    updatedAt: r.updatedAt.toISOString(),
    ...revField(r),
  };
}

export async function saveRebateRule(ctx: Ctx, input: RebateRuleInput): Promise<SavedRebateRule> {
  const now = ctx.clock.now();
  const fields = {
    name: input.name.trim(),
    active: input.active,
    priority: input.priority,
    reward: input.reward,
    trigger: input.trigger,
    caps: input.caps,
    productIds: input.productIds,
    startsAt: input.startsAt ? new Date(input.startsAt) : null,
    endsAt: input.endsAt ? new Date(input.endsAt) : null,
  };
  const problems = ruleProblems(fields);
  if (problems.length) throw new AppError('REBATE_RULE_INVALID', `返利规则设置不正确：${problems[0]}`);
  const rules = collection(ctx.db, 'rebate_rules');
  if (input.id) {
    const existing = (await rules.doc(input.id).get()).data?.[0];
    if (!existing) throw new AppError('REBATE_RULE_NOT_FOUND');
    checkRev(input.rev, existing);
    // The trigger kind and N define the groups counted so far: a change of either starts a new rule instead.
    if (existing.trigger.kind !== fields.trigger.kind || (existing.trigger.kind === 'everyN' && fields.trigger.kind === 'everyN' && existing.trigger.n !== fields.trigger.n)) {
      throw new AppError('REBATE_RULE_INVALID', '返利规则设置不正确：已有规则不能修改触发方式或人数，请停用后新建一条');
    }
    // Whole objects are replaced (writeAtRev sets objects and lists whole), guarded on the revision read; the answer is
    // what this save wrote (a read now could be a later save's).
    const rev = await writeAtRev(ctx.db, 'rebate_rules', input.id, existing, { ...fields, updatedAt: now }, input.rev);
    return savedRule({ ...existing, ...fields, updatedAt: now, ...rev });
  }
  // A new rule: a form sent with a revision read "none" (0); one that sent one is created at revision 1.
  checkRev(input.rev, null);
  const doc: RebateRuleDoc = { _id: `rule-${crypto.randomBytes(6).toString('hex')}`, ...fields, createdAt: now, updatedAt: now, ...(input.rev === undefined ? {} : { rev: 1 }) };
  await rules.add(doc);
  return savedRule(doc);
}

export async function listRebateRules(ctx: Ctx): Promise<SavedRebateRule[]> {
  const res = await collection(ctx.db, 'rebate_rules').orderBy('priority', 'desc').limit(200).get();
  return res.data.map(savedRule);
}

/** The settings in force with the revision the editor reads them at. */
export async function merchantReferralSettings(ctx: Ctx): Promise<ReferralSettings & AtRev> {
  const { doc, settings } = await readSettingsDoc(ctx);
  return { ...settings, ...revField(doc) };
}

export async function saveReferralSettings(ctx: Ctx, input: Partial<ReferralSettings> & SentRev): Promise<ReferralSettings & AtRev> {
  const { rev: sent, ...changes } = input;
  const { doc: read, settings } = await readSettingsDoc(ctx);
  checkRev(sent, read);
  const next = { ...settings, ...changes };
  if (next.withdrawMaxFen < next.withdrawMinFen) throw new AppError('INVALID_ARGUMENT', '单笔提现上限须不低于最低提现金额');
  const rev = await writeAtRev(ctx.db, 'settings', 'referral', read, { ...next, updatedAt: ctx.clock.now() }, sent);
  return { ...next, ...rev };
}

async function nicknames(ctx: Ctx, ids: string[]): Promise<Map<string, string>> {
  if (!ids.length) return new Map();
  const _ = ctx.db.command;
  const res = await collection(ctx.db, 'users').where({ _id: _.in([...new Set(ids)]) }).field({ nickname: true }).get();
  return new Map(res.data.map((u) => [u._id, u.nickname]));
}

export async function listWithdrawals(ctx: Ctx, input: { status?: WithdrawalDoc['status']; cursor?: number; pageSize?: number }): Promise<Page<MerchantWithdrawalView>> {
  const offset = input.cursor ?? 0;
  const size = input.pageSize ?? 20;
  const where = input.status ? { status: input.status } : {};
  const res = await collection(ctx.db, 'withdrawals').where(where).orderBy('createdAt', 'desc').skip(offset).limit(size + 1).get();
  const docs = res.data.slice(0, size);
  const [names, risks] = await Promise.all([nicknames(ctx, docs.map((d) => d.userId)), withdrawalRisks(ctx, docs.map((d) => d.userId))]);
  return { items: docs.map((d) => merchantWithdrawalView(d, names.get(d.userId) ?? '', risks.get(d.userId)!)), next: res.data.length > size ? offset + size : null };
}

export function rewardView(r: RewardDoc): RewardView {
  return {
    id: r._id,
    userId: r.userId,
    ruleId: r.ruleId,
    ruleName: r.ruleName,
    trigger: r.trigger,
    form: r.form,
    amount: r.amount,
    status: r.status,
    orderId: r.orderId,
    memberOrderIds: r.members.map((m) => m.orderId),
    maturesAt: r.maturesAt?.toISOString() ?? null,
    reason: r.reason,
    createdAt: r.createdAt.toISOString(),
  };
}

export async function listRewards(ctx: Ctx, input: { userId?: string; status?: RewardDoc['status']; cursor?: number; pageSize?: number }): Promise<Page<RewardView>> {
  const offset = input.cursor ?? 0;
  const size = input.pageSize ?? 20;
  const where: Record<string, unknown> = {};
  if (input.userId) where.userId = input.userId;
  if (input.status) where.status = input.status;
  const res = await collection(ctx.db, 'rewards').where(where).orderBy('createdAt', 'desc').skip(offset).limit(size + 1).get();
  const docs = res.data;
  return { items: docs.slice(0, size).map(rewardView), next: docs.length > size ? offset + size : null };
}

/** Fraud found later: take the reward back with a reason (void while frozen, a debt once paid out). */
export async function voidRewardByMerchant(ctx: Ctx, input: { rewardId: string; reason: string }): Promise<RewardView> {
  const found = (await collection(ctx.db, 'rewards').doc(input.rewardId).get()).data?.[0];
  if (!found) throw new AppError('REWARD_NOT_FOUND');
  const why = `商家作废：${input.reason.trim()}`;
  const r = await withUserTx(ctx, found.userId, async (u) => {
    const reward = (await txCollection(u.t, 'rewards').doc(input.rewardId).get()).data!;
    const markers = await readMarkers(u, [reward]);
    if (!revokeReward(u, reward, markers, why)) return reward;
    await saveReward(u, reward);
    // A 推三返一 group voided for fraud no longer stands: it leaves the inviter's count of groups (its members stay
    // spent, so a later refund of one of them does not dissolve it again: settleRefundedOrder skips a voided group).
    const progress = reward.trigger === 'everyN' ? u.wallet.progress[reward.ruleId] : undefined;
    if (progress && progress.groups > 0) {
      u.wallet.progress[reward.ruleId] = { ...progress, groups: progress.groups - 1 };
      u.touch();
    }
    return reward;
  });
  if (r.form === 'coupon' && r.couponSyncAt) await syncCoupon(ctx, r._id);
  await statsOnRewardVoided(ctx, [r]);
  return rewardView(r);
}

export const referralMerchantActions = {
  saveRebateRule: action({ schema: ruleInputSchema, access: 'merchant', run: (input, ctx) => saveRebateRule(ctx, input as RebateRuleInput) }),
  listRebateRules: action({ schema: z.object({}).strict(), access: 'merchant', run: (_input, ctx) => listRebateRules(ctx) }),
  getReferralSettings: action({ schema: z.object({}).strict(), access: 'merchant', run: (_input, ctx) => merchantReferralSettings(ctx) }),
  saveReferralSettings: action({
    schema: z
      .object({
        bindingValidityDays: bounded(REFERRAL_SETTING_LIMITS.bindingValidityDays).nullable().optional(),
        pointsPerYuan: bounded(REFERRAL_SETTING_LIMITS.pointsPerYuan).optional(),
        pointsMaxShareBp: bounded(REFERRAL_SETTING_LIMITS.pointsMaxShareBp).optional(),
        withdrawMinFen: bounded(REFERRAL_SETTING_LIMITS.withdrawMinFen).transform(fen).optional(),
        withdrawMaxFen: bounded(REFERRAL_SETTING_LIMITS.withdrawMaxFen).transform(fen).optional(),
        withdrawDailyCount: bounded(REFERRAL_SETTING_LIMITS.withdrawDailyCount).optional(),
        transferConfirmHours: bounded(REFERRAL_SETTING_LIMITS.transferConfirmHours).optional(),
        rev: revSchema,
      })
      .strict(),
    access: 'merchant',
    run: (input, ctx) => saveReferralSettings(ctx, input),
  }),
  listWithdrawals: action({
    schema: z.object({ status: z.enum(['pending', 'approved', 'transferring', 'paid', 'rejected', 'failed', 'expired']).optional(), ...page }).strict(),
    access: 'merchant',
    run: (input, ctx) => listWithdrawals(ctx, input),
  }),
  reviewWithdrawal: action({
    schema: z.object({ withdrawalId: id, approve: z.boolean(), note: z.string().max(100).optional() }).strict(),
    access: 'merchant',
    run: async (input, ctx) => {
      const w = await reviewWithdrawal(ctx, input);
      const [names, risks] = await Promise.all([nicknames(ctx, [w.userId]), withdrawalRisks(ctx, [w.userId])]);
      return merchantWithdrawalView(w, names.get(w.userId) ?? '', risks.get(w.userId)!);
    },
  }),
  listRewards: action({
    schema: z.object({ userId: id.optional(), status: z.enum(['frozen', 'available', 'voided', 'capped']).optional(), ...page }).strict(),
    access: 'merchant',
    run: (input, ctx) => listRewards(ctx, input),
  }),
  voidReward: action({
    schema: z.object({ rewardId: z.string().min(1).max(160).regex(/^[A-Za-z0-9_.:-]+$/), reason: z.string().trim().min(1).max(100) }).strict(),
    access: 'merchant',
    run: (input, ctx) => voidRewardByMerchant(ctx, input),
  }),
};
