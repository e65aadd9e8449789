import { z } from 'zod';
import { action } from '../../infra/handler';
import { listOrders, shipOrder } from './orders';
import { listRefunds, reviewRefund } from './refunds';
import { merchantShopSettings, saveShopSettings } from './settings';
import { revSchema } from '../../infra/revisions';

const orderId = z.string().min(1).max(64).regex(/^[A-Za-z0-9_-]+$/);
const paging = { cursor: z.number().int().min(0).max(100_000).optional(), pageSize: z.number().int().min(1).max(50).optional() };
const orderStatus = z.enum(['pending_payment', 'paid', 'shipped', 'received', 'refunded', 'cancelled', 'expired']);

/** Merchant actions of the shop module, served by the `merchant` function (access: 'merchant'). */
export const shopMerchantActions = {
  listOrders: action({
    schema: z.object({ status: orderStatus.optional(), ...paging }).strict(),
    access: 'merchant',
    run: (input, ctx) => listOrders(ctx, input, null),
  }),
  shipOrder: action({
    schema: z.object({ orderId, carrier: z.string().trim().min(1).max(20), trackingNo: z.string().trim().regex(/^[A-Za-z0-9-]{4,40}$/) }).strict(),
    access: 'merchant',
    run: (input, ctx) => shipOrder(ctx, input),
  }),
  listRefunds: action({
    schema: z.object({ status: z.enum(['requested', 'approved', 'rejected', 'refunded']).optional(), ...paging }).strict(),
    access: 'merchant',
    run: (input, ctx) => listRefunds(ctx, input),
  }),
  reviewRefund: action({
    schema: z.object({ orderId, approve: z.boolean(), note: z.string().max(200).optional() }).strict(),
    access: 'merchant',
    run: (input, ctx) => reviewRefund(ctx, input),
  }),
  getShopSettings: action({
    schema: z.object({}).strict(),
    access: 'merchant',
    run: (_input, ctx) => merchantShopSettings(ctx),
  }),
  saveShopSettings: action({
    schema: z.object({ refundWindowDays: z.number().int(), autoConfirmDays: z.number().int(), rev: revSchema }).strict(),
    access: 'merchant',
    run: (input, ctx) => saveShopSettings(ctx, input),
  }),
};
