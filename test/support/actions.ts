/**
 * Every function action with a valid example payload and who may call it. The fuzzer mutates these examples; the
 * authorization matrix calls each one as its owner, another shopper, a merchant and with no identity.
 * Modules add their actions here as they land.
 */
import type { Json } from './fuzz';

export type Caller = 'owner' | 'other' | 'merchant' | 'anonymous';

export interface ActionExample {
  fn: string;
  action: string;
  /** A payload that passes validation (ids refer to the demo data or to state the test creates). */
  payload: Record<string, Json>;
  /** Who the example runs as by default. */
  as: string;
  access: 'user' | 'merchant' | 'platformOrMerchant';
}

export const SHOPPER = 'demo-shopper-a';
export const OTHER_SHOPPER = 'demo-friend-b';
export const MERCHANT = 'demo-merchant';

export const ACTIONS: ActionExample[] = [
  { fn: 'user', action: 'login', payload: {}, as: SHOPPER, access: 'user' },
  { fn: 'shop', action: 'listProducts', payload: { pageSize: 5 }, as: SHOPPER, access: 'user' },
  { fn: 'shop', action: 'getProduct', payload: { productId: 'p-tea' }, as: SHOPPER, access: 'user' },
  { fn: 'settle', action: 'run', payload: {}, as: MERCHANT, access: 'platformOrMerchant' },
];

/** Real ids that belong to other users or objects, for "someone else's" mutations. */
export const OTHER_IDS = [OTHER_SHOPPER, MERCHANT, 'p-tea', 'p-cup', 'rule-tuisanfanyi', 'campaign-tea', 'DEMO02'];
