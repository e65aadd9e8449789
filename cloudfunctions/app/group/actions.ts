/** The group-buy module's actions: its part of `shop` (shoppers) and of `merchant` (access: 'merchant'). */
import { revSchema } from '../../infra/revisions';
import { z } from 'zod';
import type { Fen } from '../../../types/money';
import { action } from '../../infra/handler';
import { groupStats, listGroups } from './merchant';
import { getGroupOffer, groupOfferFor, saveGroupOffer } from './offers';
import { getGroup, listMyGroups } from './views';

const id = z.string().min(1).max(64).regex(/^[A-Za-z0-9_-]+$/);
const paging = { cursor: z.number().int().min(0).max(100_000).optional(), pageSize: z.number().int().min(1).max(50).optional() };
const fenAmount = z.number().int().min(1).max(100_000_000).transform((n) => n as Fen);
const fenMin = z.number().int().min(0).max(100_000_000).transform((n) => n as Fen);

/** The 团长 reward: a coupon or points only; there is no cash form to choose (DESIGN rule 12). */
const leaderReward = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('none') }).strict(),
  z.object({ kind: z.literal('coupon'), amountFen: fenAmount, minSpendFen: fenMin, validDays: z.number().int().min(1).max(365) }).strict(),
  z.object({ kind: z.literal('points'), points: z.number().int().min(1).max(100_000) }).strict(),
]);

export const saveGroupOfferSchema = z
  .object({
    productId: id,
    active: z.boolean(),
    groupSize: z.number().int().min(2).max(10),
    groupPriceFen: fenAmount,
    timeLimitHours: z.number().int().min(1).max(24 * 7),
    allowJoinAny: z.boolean(),
    newUsersOnly: z.boolean(),
    maxOpenPerShopper: z.number().int().min(1).max(10),
    leaderReward,
    minSizeAtDeadline: z.number().int().min(2).max(9).nullable(),
    rev: revSchema,
  })
  .strict();

const groupStatus = z.enum(['pending', 'open', 'succeeded', 'failed', 'cancelled']);


/** Shopper actions, served by the `shop` function. */
export const groupShopActions = {
  groupOffer: action({ schema: z.object({ productId: id }).strict(), access: 'user', run: (input, ctx) => groupOfferFor(ctx, input.productId) }),
  getGroup: action({ schema: z.object({ groupId: id }).strict(), access: 'user', run: (input, ctx) => getGroup(ctx, input) }),
  myGroups: action({ schema: z.object(paging).strict(), access: 'user', run: (input, ctx) => listMyGroups(ctx, input) }),
};

/** Merchant actions, served by the `merchant` function. */
export const groupMerchantActions = {
  getGroupOffer: action({ schema: z.object({ productId: id }).strict(), access: 'merchant', run: (input, ctx) => getGroupOffer(ctx, input.productId) }),
  saveGroupOffer: action({ schema: saveGroupOfferSchema, access: 'merchant', run: (input, ctx) => saveGroupOffer(ctx, input) }),
  listGroups: action({ schema: z.object({ status: groupStatus.optional(), ...paging }).strict(), access: 'merchant', run: (input, ctx) => listGroups(ctx, input) }),
  groupStats: action({ schema: z.object({}).strict(), access: 'merchant', run: (_input, ctx) => groupStats(ctx) }),
};
