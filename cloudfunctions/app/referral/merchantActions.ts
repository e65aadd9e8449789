import type { ActionDef } from '../../infra/handler';

/** Merchant actions of the referral module, served by the `merchant` function (access: 'merchant'). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const referralMerchantActions: Record<string, ActionDef<any, any>> = {};
