/**
 * What the assist module needs from other modules that are written in parallel: the points ledger (referral) and
 * coupons (shop). Each is loaded only if its module exports it; until then what is owed stays recorded on the task
 * (`fallbackOwed` / `rewardState: 'owed'`) and the settle job pays it once the module lands. A `require` inside
 * `try` is left alone by esbuild when the file is absent and bundled when it is present.
 */
import type { Fen } from '../../../types/money';
import type { Ctx } from '../../infra/handler';

export type CreditPoints = (ctx: Ctx, input: { userId: string; points: number; sourceKey: string; reason: string }) => Promise<void>;

/** A coupon for a user, issued once per source key (the shop's `issueCoupon`). */
export type IssueAssistCoupon = (
  ctx: Ctx,
  input: { sourceKey: string; ownerId: string; amountFen: Fen; minSpendFen: Fen; validDays: number; held: boolean; title?: string },
) => Promise<{ couponId: string; created?: boolean }>;

function isMissingModule(e: unknown): boolean {
  const code = (e as { code?: string })?.code;
  return code === 'MODULE_NOT_FOUND' || code === 'ERR_MODULE_NOT_FOUND';
}

function exported<T>(mod: unknown, name: string): T | null {
  const fn = (mod as Record<string, unknown> | null)?.[name];
  return typeof fn === 'function' ? (fn as T) : null;
}

// Each require sits directly inside its own `try`: that is what lets esbuild leave an absent file alone.

/** The referral module's ledger credit, or null while it does not export one. */
export function creditPointsSeam(): CreditPoints | null {
  try {
    return exported<CreditPoints>(require('../referral/ledgerApi'), 'creditPoints');
  } catch (e) {
    if (isMissingModule(e)) return null;
    throw e;
  }
}

/** The shop module's coupon issue, or null while it does not export one. */
export function issueCouponSeam(): IssueAssistCoupon | null {
  try {
    return exported<IssueAssistCoupon>(require('../shop/coupons'), 'issueCoupon');
  } catch (e) {
    if (isMissingModule(e)) return null;
    throw e;
  }
}
