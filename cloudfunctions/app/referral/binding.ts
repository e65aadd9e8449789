/**
 * Binding an invitee to their inviter (DESIGN rule 1). PLACEHOLDER written by the assist issue so a new helper can
 * be bound to the task owner; the referral module owns this file and replaces the body (keep the signature): the
 * real rules (consent pending, no paid order, no cycle, validity, referrals doc, events) live there.
 * Minimal rule here: set `users/<invitee>.inviterId` only when absent and invitee ≠ inviter, by a guarded update.
 */
import type { Ctx } from '../../infra/handler';

export async function bindInviter(
  ctx: Pick<Ctx, 'db' | 'clock'>,
  input: { inviteeId: string; inviterId: string; source: 'card' | 'poster' | 'code' | 'assist' },
): Promise<{ bound: boolean; pending?: boolean; reason?: string }> {
  if (!input.inviteeId || !input.inviterId || input.inviteeId === input.inviterId) return { bound: false, reason: 'SELF_INVITE' };
  const now = ctx.clock.now();
  const res = await ctx.db
    .collection('users')
    .where({ _id: input.inviteeId, inviterId: null })
    .update({ inviterId: input.inviterId, inviterSource: input.source, boundAt: now });
  return res.updated === 1 ? { bound: true } : { bound: false, reason: 'ALREADY_BOUND' };
}
