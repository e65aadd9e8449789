/** What shoppers see of the referral module: their invite card, invitees and progress (the wallet's pages: wallet/views.ts). */
import QRCode from 'qrcode';
import type { Page } from '../../../types/api';
import type { RebateRuleDoc } from '../../../types/models';
import type { InviteCard, InviteeStatus, InviteeView, ReferralProgress } from '../../../types/modules/referral.api';
import type { ReferralDoc } from '../../../types/modules/referral.models';
import { compareRules, isRuleActive } from '../../domain/rebateRules';
import { avatarSeedOf, maskNickname } from '../../../types/names';
import { progressText } from '../../domain/referralProgress';
import { collection } from '../../infra/collections';
import { AppError } from '../../infra/errors';
import type { Ctx } from '../../infra/handler';
import { rewardText } from '../wallet/notices';
import { normalizeWallet } from '../wallet/tx';
import { activeRules } from './rules';

const HOME = 'pages/index/index';

export async function myInviteCard(ctx: Ctx): Promise<InviteCard> {
  const user = (await collection(ctx.db, 'users').doc(ctx.openid).field({ inviteCode: true, nickname: true }).get()).data?.[0];
  if (!user) throw new AppError('UNAUTHENTICATED');
  const sharePath = `/${HOME}?inviteCode=${user.inviteCode}&source=card`;
  const posterPath = `/${HOME}?inviteCode=${user.inviteCode}&source=poster`;
  const posterQr = await QRCode.toDataURL(posterPath, { errorCorrectionLevel: 'M', margin: 1, width: 360 });
  return { inviteCode: user.inviteCode, sharePath, posterPath, posterQr, title: '好物一起买，邀请好友下单得返利' };
}

function inviteeStatus(r: ReferralDoc, now: Date): InviteeStatus {
  if (r.status !== 'converted' || !r.conversion) return 'bound';
  return r.conversion.refundDeadline && r.conversion.refundDeadline <= now ? 'confirmed' : 'bought';
}

export async function myInvitees(ctx: Ctx, input: { cursor?: number; pageSize?: number }): Promise<Page<InviteeView>> {
  const offset = input.cursor ?? 0;
  const size = input.pageSize ?? 20;
  const res = await collection(ctx.db, 'referrals').where({ inviterId: ctx.openid }).orderBy('boundAt', 'desc').skip(offset).limit(size + 1).get();
  const refs = res.data.slice(0, size);
  const _ = ctx.db.command;
  const users = refs.length ? (await collection(ctx.db, 'users').where({ _id: _.in(refs.map((r) => r._id)) }).field({ nickname: true, avatarUrl: true }).get()).data : [];
  const byId = new Map(users.map((u) => [u._id, u]));
  const now = ctx.clock.now();
  return {
    items: refs.map((r) => ({ nickname: maskNickname(byId.get(r._id)?.nickname ?? ''), avatarUrl: byId.get(r._id)?.avatarUrl ?? '', avatarSeed: avatarSeedOf(r._id), source: r.source, status: inviteeStatus(r, now), boundAt: r.boundAt.toISOString() })),
    next: res.data.length > size ? offset + size : null,
  };
}

export async function myProgress(ctx: Ctx): Promise<ReferralProgress> {
  const _ = ctx.db.command;
  const now = ctx.clock.now();
  const [rules, walletRes, invitees, converted] = await Promise.all([
    activeRules(ctx),
    collection(ctx.db, 'wallets').doc(ctx.openid).get(),
    collection(ctx.db, 'referrals').where({ inviterId: ctx.openid }).count(),
    collection(ctx.db, 'referrals').where({ inviterId: ctx.openid, status: _.eq('converted') }).count(),
  ]);
  const wallet = normalizeWallet(ctx.openid, walletRes.data?.[0], now);
  const rule = rules.filter((r) => r.trigger.kind === 'everyN' && isRuleActive(r, now)).sort(compareRules)[0] as (RebateRuleDoc & { trigger: { kind: 'everyN'; n: number } }) | undefined;
  const base = { invitees: invitees.total, converted: converted.total };
  if (!rule) return { ruleId: null, ruleName: null, n: 0, current: 0, text: '', groups: 0, rewardText: null, ...base };
  const p = wallet.progress[rule._id] ?? { pool: [], groups: 0 };
  const n = rule.trigger.n;
  const r = rule.reward;
  const reward = rewardText({ form: r.form, amount: r.form === 'points' ? r.points : r.amountFen });
  // A group just completed reads "3/3" until the next invitee converts (then "1/3").
  const current = p.pool.length === 0 && p.groups > 0 ? n : p.pool.length;
  return { ruleId: rule._id, ruleName: rule.name, n, current, text: progressText(current, n), groups: p.groups, rewardText: reward, ...base };
}
