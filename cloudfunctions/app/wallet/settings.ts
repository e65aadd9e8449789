/**
 * The merchant's referral and wallet settings (`settings/referral`) with their defaults: binding validity, points rate
 * and cap, withdrawal limits. Here, in the wallet module, so the wallet reads them without depending on referral.
 */
import type { Fen } from '../../../types/money';
import type { ReferralSettingsDoc } from '../../../types/modules/referral.models';
import type { ReferralSettings } from '../../../types/modules/referral.api';
import { REFERRAL_SETTING_LIMITS } from '../../../types/settingsLimits';
import { collection } from '../../infra/collections';
import type { DbCtx } from './tx';

export const DEFAULT_SETTINGS: ReferralSettings = {
  bindingValidityDays: null,
  pointsPerYuan: 100,
  pointsMaxShareBp: 5000,
  withdrawMinFen: 100 as Fen,
  // WeChat asks for the payee's real name from ¥2,000 up; stay below it.
  withdrawMaxFen: 199_999 as Fen,
  withdrawDailyCount: 3,
  transferConfirmHours: 24,
};

export async function loadSettings(ctx: DbCtx): Promise<ReferralSettings> {
  return (await readSettingsDoc(ctx)).settings;
}

/** The settings with the stored document they came from (undefined: none saved), for the editor's revision. */
export async function readSettingsDoc(ctx: DbCtx): Promise<{ doc: (Partial<ReferralSettingsDoc> & { rev?: number }) | undefined; settings: ReferralSettings }> {
  // `settings` holds several documents of different shapes (LooseDoc): this one is the referral settings.
  const doc = (await collection(ctx.db, 'settings').doc('referral').get()).data?.[0] as (Partial<ReferralSettingsDoc> & { rev?: number }) | undefined;
  return { doc, settings: settingsFrom(doc) };
}

function settingsFrom(doc: Partial<ReferralSettingsDoc> | undefined): ReferralSettings {
  if (!doc) return { ...DEFAULT_SETTINGS };
  const out = { ...DEFAULT_SETTINGS };
  for (const k of Object.keys(DEFAULT_SETTINGS) as (keyof ReferralSettings)[]) {
    if (doc[k] !== undefined) (out as Record<string, unknown>)[k] = doc[k];
  }
  // Withdrawal limits stored before the ¥2,000 ceiling (REFERRAL_SETTING_LIMITS) are read within it: a larger transfer
  // would be refused by WeChat at approval, so it is refused when asked for.
  const [, ceiling] = REFERRAL_SETTING_LIMITS.withdrawMaxFen;
  out.withdrawMaxFen = Math.min(out.withdrawMaxFen, ceiling) as Fen;
  out.withdrawMinFen = Math.min(out.withdrawMinFen, out.withdrawMaxFen) as Fen;
  return out;
}
