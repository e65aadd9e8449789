import type { ActionDef } from '../../infra/handler';

/** Merchant actions of the assist module, served by the `merchant` function (access: 'merchant'). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const assistMerchantActions: Record<string, ActionDef<any, any>> = {};
