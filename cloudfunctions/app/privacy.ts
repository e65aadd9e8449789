/**
 * Personal information (a name, a phone number, an address) is collected only from a user who has agreed to the
 * privacy notice (`user.consent` records it on `users/<openid>`): WeChat's privacy review requires it, and so does
 * PIPL. A user without a record (never logged in) has not agreed either.
 */
import type { UserDoc } from '../../types/models';
import { collection } from '../infra/collections';
import { AppError } from '../infra/errors';
import type { Ctx } from '../infra/handler';

export function hasConsented(user: Pick<UserDoc, 'consent'> | null | undefined): boolean {
  return !!user?.consent;
}

/** Refuses with PRIVACY_CONSENT_REQUIRED unless the caller has agreed to the privacy notice (one read). */
export async function assertConsented(ctx: Ctx): Promise<void> {
  const res = await collection(ctx.db, 'users').doc(ctx.openid).field({ consent: true }).get();
  if (!hasConsented(res.data?.[0])) throw new AppError('PRIVACY_CONSENT_REQUIRED');
}
