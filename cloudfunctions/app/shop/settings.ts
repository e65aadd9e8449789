/**
 * Shop settings: the refund window and auto-confirm delay are the merchant's (`shop_settings/default`); the unpaid
 * order timeout is configuration (env ORDER_PAY_TIMEOUT_MINUTES, 15 by default) so createOrder needs no read for it.
 */
import type { ShopSettingsView } from '../../../types/api';
import type { ShopSettingsDoc } from '../../../types/modules/shop.models';
import { SHOP_SETTING_LIMITS, withinLimit } from '../../../types/settingsLimits';
import { collection } from '../../infra/collections';
import { AppError } from '../../infra/errors';
import type { Ctx } from '../../infra/handler';
import { checkRev, revField, writeAtRev } from '../../infra/revisions';
import type { AtRev, SentRev } from '../../../types/revision';

function envInt(name: string, fallback: number, min: number, max: number): number {
  const v = Number(process.env[name]);
  return Number.isSafeInteger(v) && v >= min && v <= max ? v : fallback;
}

export function payTimeoutMinutes(): number {
  return envInt('ORDER_PAY_TIMEOUT_MINUTES', 15, 1, 24 * 60);
}

const defaults = () => ({
  refundWindowDays: envInt('SHOP_REFUND_WINDOW_DAYS', 7, ...SHOP_SETTING_LIMITS.refundWindowDays),
  autoConfirmDays: envInt('ORDER_AUTO_CONFIRM_DAYS', 10, ...SHOP_SETTING_LIMITS.autoConfirmDays),
});

export async function loadShopSettings(ctx: Pick<Ctx, 'db'>): Promise<ShopSettingsView> {
  const { rev: _rev, ...view } = await merchantShopSettings(ctx);
  return view;
}

/** The settings as the merchant's editor reads them, with the revision they are at. */
export async function merchantShopSettings(ctx: Pick<Ctx, 'db'>): Promise<ShopSettingsView & AtRev> {
  const doc = (await collection(ctx.db, 'shop_settings').doc('default').get()).data?.[0];
  const d = defaults();
  return {
    ...revField(doc),
    refundWindowDays: doc?.refundWindowDays ?? d.refundWindowDays,
    autoConfirmDays: doc?.autoConfirmDays ?? d.autoConfirmDays,
    payTimeoutMinutes: payTimeoutMinutes(),
  };
}

export async function saveShopSettings(ctx: Ctx, input: { refundWindowDays: number; autoConfirmDays: number } & SentRev): Promise<ShopSettingsView & AtRev> {
  if (!withinLimit(input.refundWindowDays, SHOP_SETTING_LIMITS.refundWindowDays) || !withinLimit(input.autoConfirmDays, SHOP_SETTING_LIMITS.autoConfirmDays)) throw new AppError('INVALID_ARGUMENT', '退款期 0–90 天，自动确认收货 1–60 天');
  const read = (await collection(ctx.db, 'shop_settings').doc('default').get()).data?.[0];
  checkRev(input.rev, read);
  const doc: Omit<ShopSettingsDoc, '_id' | 'rev'> = { refundWindowDays: input.refundWindowDays, autoConfirmDays: input.autoConfirmDays, updatedAt: ctx.clock.now() };
  const rev = await writeAtRev(ctx.db, 'shop_settings', 'default', read, doc, input.rev);
  return { refundWindowDays: doc.refundWindowDays, autoConfirmDays: doc.autoConfirmDays, payTimeoutMinutes: payTimeoutMinutes(), ...rev };
}
