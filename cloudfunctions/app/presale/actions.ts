/** The tiered pre-sale (阶梯预售) module's actions: its part of `shop` (shoppers) and of `merchant` (access: 'merchant'). */
import { revSchema } from '../../infra/revisions';
import { z } from 'zod';
import type { Fen } from '../../../types/money';
import { action } from '../../infra/handler';
import { payBalance, payDeposit, withdrawDeposit } from './deposits';
import { getPresale, presaleFor, savePresale } from './presales';

const id = z.string().min(1).max(64).regex(/^[A-Za-z0-9_-]+$/);
const fenAmount = z.number().int().min(1).max(100_000_000).transform((n) => n as Fen);
const isoTime = z.string().max(40).refine((s) => !Number.isNaN(Date.parse(s)), { message: '时间格式不正确' });

export const savePresaleSchema = z
  .object({
    productId: id,
    active: z.boolean(),
    depositFen: fenAmount,
    basePriceFen: fenAmount,
    tiers: z.array(z.object({ minDeposits: z.number().int().min(1).max(1_000_000), priceFen: fenAmount }).strict()).min(1).max(5),
    startsAt: isoTime,
    endsAt: isoTime,
    balanceEndsAt: isoTime,
    forfeitUnpaid: z.boolean(),
    rev: revSchema,
  })
  .strict();

const byProduct = z.object({ productId: id }).strict();

/** Shopper actions, served by the `shop` function. */
export const presaleShopActions = {
  presale: action({ schema: byProduct, access: 'user', run: (input, ctx) => presaleFor(ctx, input.productId) }),
  payDeposit: action({ schema: byProduct, access: 'user', run: (input, ctx) => payDeposit(ctx, input.productId) }),
  withdrawDeposit: action({ schema: byProduct, access: 'user', run: (input, ctx) => withdrawDeposit(ctx, input.productId) }),
  payBalance: action({ schema: byProduct, access: 'user', run: (input, ctx) => payBalance(ctx, input.productId) }),
};

/** Merchant actions, served by the `merchant` function. */
export const presaleMerchantActions = {
  getPresale: action({ schema: byProduct, access: 'merchant', run: (input, ctx) => getPresale(ctx, input.productId) }),
  savePresale: action({ schema: savePresaleSchema, access: 'merchant', run: (input, ctx) => savePresale(ctx, input) }),
};
