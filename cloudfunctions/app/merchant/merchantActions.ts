import type { ActionDef } from '../../infra/handler';

/** The merchant tab's own actions (stats, products, users, …), served by the `merchant` function. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const adminMerchantActions: Record<string, ActionDef<any, any>> = {};
