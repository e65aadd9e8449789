/**
 * The bounds of the merchant's settings, in one place: the functions' schemas refuse what lies outside them and the
 * settings page checks the same numbers next to each field before it sends anything. Inclusive [min, max].
 */
export const SHOP_SETTING_LIMITS = {
  /** Days after receipt a shopper may ask for a refund (rewards stay frozen until then); 0 = no refunds after receipt. */
  refundWindowDays: [0, 90],
  /** Days after shipping until receipt confirms itself. */
  autoConfirmDays: [1, 60],
} as const;

export const REFERRAL_SETTING_LIMITS = {
  /** Days a binding lasts (null = permanent). */
  bindingValidityDays: [1, 3650],
  /** Points worth ¥1. */
  pointsPerYuan: [1, 100_000],
  /** Share of an order points may pay, in basis points (10_000 = 100 %). */
  pointsMaxShareBp: [0, 10_000],
  /**
   * WeChat Pay's 商家转账 moves at least ¥0.30, and from ¥2,000 it needs the payee's real name, which the app does not
   * collect: a larger transfer would be refused by WeChat on every try (PARAM_ERROR), so a withdrawal stays below it.
   */
  withdrawMinFen: [30, 199_999],
  withdrawMaxFen: [30, 199_999],
  withdrawDailyCount: [1, 100],
  /** WeChat cancels an unconfirmed transfer after 24 h. */
  transferConfirmHours: [1, 24],
} as const;

export type SettingLimit = readonly [min: number, max: number];

/** Whether `value` is a whole number inside `limit`. */
export function withinLimit(value: number, [min, max]: SettingLimit): boolean {
  return Number.isSafeInteger(value) && value >= min && value <= max;
}
