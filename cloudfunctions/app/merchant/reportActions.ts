/** 用户详情's purchases and the 报表, served by the `merchant` function; each requires the merchant role (server side). */
import { z } from 'zod';
import { action } from '../../infra/handler';
import { salesReport, userPurchases } from './reports';

const openid = z.string().min(1).max(64).regex(/^[A-Za-z0-9_-]+$/);
const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

export const reportMerchantActions = {
  userPurchases: action({
    schema: z.object({ openid }).strict(),
    access: 'merchant',
    run: (input, ctx) => userPurchases(ctx, input),
  }),
  salesReport: action({
    schema: z.object({ startDay: day, endDay: day }).strict(),
    access: 'merchant',
    run: (input, ctx) => salesReport(ctx, input),
  }),
};
