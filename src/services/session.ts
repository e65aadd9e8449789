/**
 * The signed-in shopper: `user.login` runs once per launch and every page shares its promise. First open also asks
 * for privacy consent (`user.consent`): an inviter carried by the card is only bound once the user agrees.
 */
import Taro from '@tarojs/taro';
import type { LoginResult } from '../../types/api';
import { hasOwnNickname } from '../../types/names';
import { createStore } from '../utils/store';
import { callFunction, errorMessage } from './cloud';
import type { LoginParams } from './launch';

export type { LoginParams } from './launch';

/** Version of the privacy notice the user agrees to; bump it when the text changes to ask again. */
export const PRIVACY_VERSION = '2025-01';

/** The signed-in shopper with their consent and binding state (user.login's answer). */
export type Me = LoginResult;

let mePromise: Promise<Me> | null = null;
let launchParams: LoginParams = {};

/** The signed-in shopper, as the last call that returned it saw them. */
export const meStore = createStore<Me | null>(null);

/** Logs in on the first call (with the launch's invite params, if any); later calls share the same promise. */
export function getMe(params?: LoginParams): Promise<Me> {
  if (params) launchParams = params;
  if (!mePromise) {
    const attempt = callFunction('user', 'login', params ?? launchParams);
    mePromise = attempt;
    attempt.then(
      (me) => {
        meStore.set(me);
        if (needsConsent(me)) consentStore.set({ ...consentStore.get(), visible: true, reason: 'first-open', error: '' });
      },
      () => {
        // A failed login must not stick: the next caller (e.g. a 重试 button) tries again.
        if (mePromise === attempt) mePromise = null;
      },
    );
  }
  return mePromise;
}

/**
 * The app came back to the foreground. WeChat reuses a running app, so a share card or poster tapped while the app was
 * in the background arrives here, not at launch: an invite this session has not logged in with logs in again with
 * it (the server binds it by its rules and counts the card's open). The launch's own show, and a plain return to the
 * app (no invite, or the same one), change nothing.
 */
export function reopenedWith(params: LoginParams): void {
  if (!params.inviteCode && !params.taskId) return;
  if (params.inviteCode === launchParams.inviteCode && params.taskId === launchParams.taskId) return;
  mePromise = null;
  getMe(params).catch(() => undefined);
}

/** Forget the cached shopper (identity switched, or a retry after an error). */
export function resetSession(): void {
  mePromise = null;
}

/** After an action that changed the shopper (profile saved): share the new value with every page. */
export function updateMe(me: Me): void {
  mePromise = Promise.resolve(me);
  meStore.set(me);
}

// --- privacy consent --------------------------------------------------------------------------------------------

export interface ConsentState {
  visible: boolean;
  /** 'first-open': our notice on first launch; 'privacy': WeChat asked before a privacy API (chooseAddress, …). */
  reason: 'first-open' | 'privacy';
  busy: boolean;
  error: string;
  /** Set once after consent bound this user to the friend whose card opened the app: the note to show. */
  invitedBy: string | null;
}

export const consentStore = createStore<ConsentState>({ visible: false, reason: 'first-open', busy: false, error: '', invitedBy: null });

export function needsConsent(me: Me): boolean {
  return !me.consented;
}

// WeChat's own privacy gate (weapp): a privacy API waits on `resolve` until the user answers our sheet.
type PrivacyResolve = (result: { event: 'agree' | 'disagree'; buttonId?: string }) => void;
let pendingPrivacy: PrivacyResolve | null = null;

/** weapp: WeChat calls this before a privacy API when the user has not agreed yet; we show the same sheet. */
export function onNeedPrivacyAuthorization(resolve: PrivacyResolve): void {
  pendingPrivacy = resolve;
  consentStore.set({ ...consentStore.get(), visible: true, reason: 'privacy', error: '' });
}

// Personal data (an order's name, phone and address; a saved address) waits for consent: the server refuses it with
// PRIVACY_CONSENT_REQUIRED before. A page awaits `ensureConsent()` first; it settles when the user answers the sheet.
let consentWaiters: ((agreed: boolean) => void)[] = [];

function settleConsentWaiters(agreed: boolean): void {
  const waiters = consentWaiters;
  consentWaiters = [];
  waiters.forEach((resolve) => resolve(agreed));
}

/**
 * True once the user has agreed to the privacy notice: at once if they had, else after they agree on the sheet this
 * shows; false if they decline. `ask: true` shows the sheet even when the last login said they had agreed (the server
 * just said otherwise).
 */
export async function ensureConsent(ask = false): Promise<boolean> {
  const me = meStore.get() ?? (await getMe());
  if (me.consented && !ask) return true;
  return new Promise<boolean>((resolve) => {
    consentWaiters.push(resolve);
    consentStore.set({ ...consentStore.get(), visible: true, reason: 'privacy', error: '' });
  });
}

/** The user agreed: answer WeChat's gate, record consent on the server (binds a pending inviter), say who invited. */
export async function agreeToPrivacy(buttonId?: string): Promise<void> {
  pendingPrivacy?.({ event: 'agree', buttonId });
  pendingPrivacy = null;
  consentStore.set({ ...consentStore.get(), busy: true, error: '' });
  try {
    const before = await getMe();
    const after = await callFunction('user', 'consent', { version: PRIVACY_VERSION });
    updateMe(after);
    // The card's inviter was held until now: tell the user once that they joined through a friend.
    const justBound = before.binding?.pending === true && after.hasInviter;
    // The inviter's masked name (user.consent returns it when it bound them and they agreed to the notice).
    const name = after.inviter?.nickname;
    const note = name ? `你已接受 ${name} 的邀请` : '你已接受好友的邀请';
    consentStore.set({ visible: false, reason: 'first-open', busy: false, error: '', invitedBy: justBound ? note : null });
    settleConsentWaiters(true);
  } catch (err) {
    consentStore.set({ ...consentStore.get(), busy: false, error: errorMessage(err) });
  }
}

/** The user declined: they may still browse; nothing is bound and WeChat's privacy APIs stay closed. */
export function declinePrivacy(): void {
  pendingPrivacy?.({ event: 'disagree' });
  pendingPrivacy = null;
  consentStore.set({ ...consentStore.get(), visible: false, busy: false, error: '' });
  settleConsentWaiters(false);
}

export function dismissInvitedBy(): void {
  consentStore.set({ ...consentStore.get(), invitedBy: null });
}

// --- avatar and nickname (头像昵称填写) --------------------------------------------------------------------------
// Asked once, at the first natural moment after consent: before helping a friend or sharing one's own assist. Skippable;
// a skip (or a save) is remembered per user on this device. Pages that ask render <ProfileSheet /> (a subpackage
// component, kept out of the main package).

export interface ProfileAskState {
  visible: boolean;
  /** What the user is about to do: the sheet says why a name helps. */
  reason: 'help' | 'share';
}

export const profileAskStore = createStore<ProfileAskState>({ visible: false, reason: 'share' });
let profileWaiters: (() => void)[] = [];
const profileAskedKey = (openid: string) => `tsfy.profileAsked.${openid}`;
/** Asked in this launch (also when storage is unavailable). */
const profileAsked = new Set<string>();

/** Ask now? Only after consent, only someone without a name of their own, only once per user on this device. */
export function shouldAskProfile(me: Me | null): boolean {
  if (!me || !me.consented || hasOwnNickname(me.nickname) || profileAsked.has(me.openid)) return false;
  try {
    return !Taro.getStorageSync(profileAskedKey(me.openid));
  } catch {
    return false;
  }
}

/** Shows the sheet if it is the moment (else settles at once); settles when the user saves or skips. */
export function askProfile(reason: ProfileAskState['reason']): Promise<void> {
  if (!shouldAskProfile(meStore.get())) return Promise.resolve();
  return new Promise<void>((resolve) => {
    profileWaiters.push(resolve);
    profileAskStore.set({ visible: true, reason });
  });
}

/** Saved or skipped: not asked again on this device, and whoever waited carries on. */
export function finishProfileAsk(): void {
  const me = meStore.get();
  if (me) {
    profileAsked.add(me.openid);
    try {
      Taro.setStorageSync(profileAskedKey(me.openid), '1');
    } catch {
      // Storage full or unavailable: at worst the sheet asks once more next time.
    }
  }
  profileAskStore.set({ ...profileAskStore.get(), visible: false });
  const waiters = profileWaiters;
  profileWaiters = [];
  waiters.forEach((resolve) => resolve());
}
