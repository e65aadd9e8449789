/** Actions of the assist (小助力) module (function `assist` and its part of `merchant`). Times are ISO strings. */
import type { Page } from '../api';
import type { AtRev, SentRev } from '../revision';
import type { ErrorCode } from '../errors';
import type { AssistCampaignDoc } from '../models';
import type { Fen } from '../money';
import type { AssistTaskStatus, ExpiryFallback } from './assist.models';

/** A campaign as the shop shows it before anyone starts: the full rules in plain words. */
export interface AssistOffer {
  campaignId: string;
  productId: string;
  helpersNeeded: number;
  durationHours: number;
  success: AssistCampaignDoc['success'];
  fallback: AssistCampaignDoc['fallback'];
  newUsersOnly: boolean;
  helperDailyCap: number;
  /** The rules in plain language, one line each (简体中文). */
  rulesText: string[];
}

export interface AssistHelperView {
  /** Masked nickname, e.g. "小*". */
  name: string;
  avatarUrl: string;
  /** For the generated avatar when there is no picture (types/names avatarSeedOf): distinct per user. */
  avatarSeed: string;
}

/** What the viewer of a task can do now. */
export type AssistViewerAction = 'help' | 'share' | 'buy' | 'startOwn';

export interface AssistTaskView {
  taskId: string;
  status: AssistTaskStatus;
  product: { id: string; title: string; image: string; priceFen: Fen };
  target: number;
  helpers: number;
  /** Friends still needed (0 once succeeded). */
  remaining: number;
  helpersList: AssistHelperView[];
  /** Whose task it is (masked), so a friend knows who asked. */
  owner: AssistHelperView;
  startedAt: string;
  deadline: string;
  /** Milliseconds until the deadline (0 when closed). */
  msLeft: number;
  rulesText: string[];
  viewer: {
    isOwner: boolean;
    /** The viewer already helped this task. */
    helped: boolean;
    /** Why the viewer cannot help now (a catalogued code), or null when they can (or are the owner). */
    cannotHelp: ErrorCode | null;
    actions: AssistViewerAction[];
  };
  /** The owner's reward, shown to the owner only. */
  voucher: { priceFen: Fen; validUntil: string; state: 'available' | 'used' | 'expired' } | null;
  /** What expiry paid (owner only). */
  fallback: ExpiryFallback | null;
}

export interface AssistHelpResult {
  taskId: string;
  /** Helpers counted after this help. */
  helpers: number;
  target: number;
  /** This help completed the task. */
  completed: boolean;
  /**
   * This helper first opened the app through this card, so the task owner was offered as their inviter: 'bound',
   * 'pending' (held until the helper accepts the privacy notice), 'refused' (the referral rules said no: already
   * bound, has a paid order, …); null when the helper did not arrive through this card.
   */
  inviterBinding: 'bound' | 'pending' | 'refused' | null;
}

export interface AssistTaskSummary {
  taskId: string;
  status: AssistTaskStatus;
  productId: string;
  productTitle: string;
  target: number;
  helpers: number;
  startedAt: string;
  deadline: string;
  voucherState: 'available' | 'used' | 'expired' | null;
}

export interface AssistActions {
  /** The rules of the product's active campaign (null when none), to show before starting. */
  campaign: [{ productId: string }, AssistOffer | null];
  start: [{ productId: string }, AssistTaskView];
  help: [{ taskId: string }, AssistHelpResult];
  get: [{ taskId: string }, AssistTaskView];
  mine: [{ cursor?: number; pageSize?: number }, Page<AssistTaskSummary>];
}

export interface SaveAssistCampaignInput extends SentRev {
  /** Omit to create (or update) the product's campaign. */
  campaignId?: string;
  productId: string;
  active: boolean;
  helpersNeeded: number;
  durationHours: number;
  success: AssistCampaignDoc['success'];
  fallback: AssistCampaignDoc['fallback'];
  newUsersOnly: boolean;
  helperDailyCap: number;
  openTasksPerShopper: number;
  startsAt: string | null;
  endsAt: string | null;
}

/** A product's campaign as stored, every field, for the merchant's editor (saving it back unchanged changes nothing). */
export interface MerchantAssistCampaign extends Omit<SaveAssistCampaignInput, 'rev'>, AtRev {
  campaignId: string;
  updatedAt: string;
}

export interface MerchantAssistActions {
  /** The product's campaign to edit: the running one, else the latest saved (off or outside its window too); null when none. */
  getAssistCampaign: [{ productId: string }, MerchantAssistCampaign | null];
  saveAssistCampaign: [SaveAssistCampaignInput, AssistOffer & AtRev & { active: boolean; startsAt: string | null; endsAt: string | null; openTasksPerShopper: number }];
}
