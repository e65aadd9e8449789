/** Actions of the referral module (functions `user`, `referral`, `wallet`, and its part of `merchant`). */
import type { Me } from '../api';

export interface UserActions {
  login: [{ inviteCode?: string; source?: 'card' | 'poster' | 'code'; taskId?: string }, Me];
}

// eslint-disable-next-line @typescript-eslint/no-empty-interface
export interface ReferralActions {}
// eslint-disable-next-line @typescript-eslint/no-empty-interface
export interface WalletActions {}
// eslint-disable-next-line @typescript-eslint/no-empty-interface
export interface MerchantReferralActions {}
