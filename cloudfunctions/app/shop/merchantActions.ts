import type { ActionDef } from '../../infra/handler';

/** Merchant actions of the shop module, served by the `merchant` function (access: 'merchant'). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const shopMerchantActions: Record<string, ActionDef<any, any>> = {};
