/**
 * The contract between the app and the cloud functions. Every function takes `{ action, ...payload }` and answers
 * an envelope. The client sends ids and quantities, never prices.
 */
import type { ErrorCode } from './errors';
import type { AssistActions, MerchantAssistActions } from './modules/assist.api';
import type { GroupShopActions, MerchantGroupActions } from './modules/group.api';
import type { MerchantAdminActions } from './modules/merchant.api';
import type { MerchantReportActions } from './modules/merchantReports.api';
import type { MerchantPresaleActions, PresaleShopActions } from './modules/presale.api';
import type { MerchantReferralActions, ReferralActions, UserActions, WalletActions } from './modules/referral.api';
import type { MerchantShopActions, ShopActions } from './modules/shop.api';
import type { MerchantStoreActions, StoreShopActions } from './modules/store.api';

export type Ok<T> = { ok: true; data: T };
export type Failure = { ok: false; code: ErrorCode; message: string };
export type Envelope<T> = Ok<T> | Failure;

export interface Page<T> {
  items: T[];
  /** Opaque cursor for the next page, null at the end. */
  next: number | null;
}

export type Role = 'shopper' | 'merchant';

export interface Me {
  openid: string;
  inviteCode: string;
  nickname: string;
  avatarUrl: string;
  roles: Role[];
  isNew: boolean;
}

export * from './modules/shop.api';
export * from './modules/referral.api';
export * from './modules/assist.api';
export * from './modules/merchant.api';
export * from './modules/merchantReports.api';
export * from './modules/group.api';
export * from './modules/presale.api';

/** What a scheduled `settle` run did: items handled per job. */
export interface JobsReport {
  ranAt: string;
  runs: number;
  jobs: Record<string, number>;
}

/** action name → [payload, result] per function. Each module declares its actions in types/modules/<module>.api.ts. */
export interface Api {
  user: UserActions;
  shop: ShopActions & GroupShopActions & PresaleShopActions & StoreShopActions;
  referral: ReferralActions;
  wallet: WalletActions;
  assist: AssistActions;
  merchant: MerchantShopActions & MerchantReferralActions & MerchantAssistActions & MerchantAdminActions & MerchantGroupActions & MerchantPresaleActions & MerchantStoreActions & MerchantReportActions;
  settle: { run: [Record<string, never>, JobsReport] };
}

export type FunctionName = keyof Api;
export type ActionName<F extends FunctionName> = keyof Api[F] & string;
export type PayloadOf<F extends FunctionName, A extends ActionName<F>> = Api[F][A] extends [infer P, unknown] ? P : never;
export type ResultOf<F extends FunctionName, A extends ActionName<F>> = Api[F][A] extends [unknown, infer R] ? R : never;
