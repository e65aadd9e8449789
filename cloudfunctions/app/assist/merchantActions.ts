import { z } from 'zod';
import { revSchema } from '../../infra/revisions';
import type { Fen } from '../../../types/money';
import { action } from '../../infra/handler';
import { merchantCampaignFor, saveAssistCampaign } from './campaigns';

const id = z.string().min(1).max(64).regex(/^[A-Za-z0-9_-]+$/);
const fenAmount = z.number().int().min(1).max(100_000_000).transform((n) => n as Fen);
const fenMin = z.number().int().min(0).max(100_000_000).transform((n) => n as Fen);
const isoDate = z.string().datetime({ offset: true });

const success = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('price'), priceFen: fenAmount, validHours: z.number().int().min(1).max(24 * 90) }).strict(),
  z.object({ kind: z.literal('coupon'), amountFen: fenAmount, minSpendFen: fenMin, validDays: z.number().int().min(1).max(365) }).strict(),
]);

const fallback = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('none') }).strict(),
  z.object({ kind: z.literal('points'), pointsPerHelper: z.number().int().min(1).max(100_000) }).strict(),
  z.object({ kind: z.literal('coupon'), amountFenPerHelper: fenAmount, minSpendFen: fenMin, validDays: z.number().int().min(1).max(365) }).strict(),
]);

export const saveAssistCampaignSchema = z
  .object({
    campaignId: id.optional(),
    productId: id,
    active: z.boolean(),
    helpersNeeded: z.number().int().min(1).max(50),
    durationHours: z.number().int().min(1).max(24 * 30),
    success,
    fallback,
    newUsersOnly: z.boolean(),
    helperDailyCap: z.number().int().min(1).max(100),
    openTasksPerShopper: z.number().int().min(1).max(10),
    startsAt: isoDate.nullable(),
    endsAt: isoDate.nullable(),
    rev: revSchema,
  })
  .strict();

/** Merchant actions of the assist module, served by the `merchant` function (access: 'merchant'). */
export const assistMerchantActions = {
  getAssistCampaign: action({
    schema: z.object({ productId: id }).strict(),
    access: 'merchant',
    run: (input, ctx) => merchantCampaignFor(ctx, input.productId),
  }),
  saveAssistCampaign: action({
    schema: saveAssistCampaignSchema,
    access: 'merchant',
    run: (input, ctx) => saveAssistCampaign(ctx, input),
  }),
};
