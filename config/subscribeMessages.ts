/**
 * THE manifest of WeChat subscribe messages (订阅消息): which outbox kinds are sent, with which template (its id
 * comes from an environment variable), which page the message opens, how the template's fields are filled, and at
 * which moment the app asks the user to subscribe. The sender (app/messages/sender.ts), the app's subscribe
 * requests (config/index.ts → src/services/subscribe.ts) and the local cloud's inbox all read this one table.
 *
 * Setting up a real mini-program: in 小程序后台 → 订阅消息, pick for each template below one from the public library
 * whose fields have these keys (a different key means editing `fields` here), and put its id in the environment
 * variable — for the `settle` function (which sends) and for `npm run build:weapp` (which asks). A kind whose
 * variable is empty is not sent (its outbox document ends `skipped`) and not asked for.
 *
 * Here in config/ because the app's build (config/index.ts, whose loader compiles only this folder: no runtime import
 * from outside it), the functions and the local cloud all read it. Pure: the environment is passed in.
 */
import type { SubscribeMoment } from '../types/subscribe';

export type { SubscribeMoment };

/** What the manifest reads of an outbox document. */
export interface MessageSource {
  kind: string;
  title: string;
  body: string;
  createdAt: Date;
  /** Structured details the enqueuer recorded for the template's fields (strings only). */
  facts?: Record<string, string> | null;
}

export interface SubscribeTemplate {
  /** Environment variable holding the template id (小程序后台 → 订阅消息 → 我的模板). */
  envVar: string;
  /** The template's title in the public library, for whoever configures it. */
  title: string;
  moment: SubscribeMoment;
  /** Field key → what it holds (the keys the template must have). */
  fields: Record<string, string>;
}

export const TEMPLATES = {
  assistProgress: {
    envVar: 'SUBSCRIBE_TMPL_ASSIST_PROGRESS',
    title: '助力进度通知',
    moment: 'assist',
    fields: { thing1: '活动商品', thing2: '助力进度', time3: '助力时间' },
  },
  assistResult: {
    envVar: 'SUBSCRIBE_TMPL_ASSIST_RESULT',
    title: '助力结果通知',
    moment: 'assist',
    fields: { thing1: '活动商品', phrase2: '助力结果', thing3: '温馨提示' },
  },
  rewardAvailable: {
    envVar: 'SUBSCRIBE_TMPL_REWARD_AVAILABLE',
    title: '奖励到账通知',
    moment: 'invite',
    fields: { thing1: '奖励内容', thing2: '奖励说明', time3: '到账时间' },
  },
  refundResult: {
    envVar: 'SUBSCRIBE_TMPL_REFUND_RESULT',
    title: '退款结果通知',
    moment: 'refund',
    fields: { character_string1: '订单编号', phrase2: '审核结果', amount3: '退款金额', thing4: '备注' },
  },
  transferConfirm: {
    envVar: 'SUBSCRIBE_TMPL_TRANSFER_CONFIRM',
    title: '待确认收款提醒',
    moment: 'withdraw',
    fields: { amount1: '提现金额', thing2: '温馨提示', time3: '确认截止时间' },
  },
} as const satisfies Record<string, SubscribeTemplate>;

export type TemplateName = keyof typeof TEMPLATES;

export interface MessageKindSpec {
  template: TemplateName;
  /** Page the message opens (path and query, no leading slash). */
  page(n: MessageSource): string;
  /** The template's fields; values are fitted to WeChat's limits by `messageData`. */
  data(n: MessageSource): Record<string, string>;
}

const fact = (n: MessageSource, k: string): string => n.facts?.[k] ?? '';
const fenFact = (n: MessageSource, k: string): number | null => (/^\d+$/.test(fact(n, k)) ? Number(fact(n, k)) : null);
const assistPage = (n: MessageSource) => (fact(n, 'taskId') ? `packages/assist/task/index?taskId=${encodeURIComponent(fact(n, 'taskId'))}` : 'packages/assist/mine/index');

/** Outbox kinds that are sent as subscribe messages. Other kinds stay in the outbox only (status `skipped`). */
export const MESSAGE_KINDS: Record<string, MessageKindSpec> = {
  'assist.helped': {
    template: 'assistProgress',
    page: assistPage,
    data: (n) => ({
      thing1: fact(n, 'product') || n.title,
      thing2: fact(n, 'target') ? `已有${fact(n, 'helpers')}位好友助力，还差${Number(fact(n, 'target')) - Number(fact(n, 'helpers'))}位` : n.body,
      time3: shanghaiMinute(n.createdAt),
    }),
  },
  'assist.succeeded': {
    template: 'assistResult',
    page: assistPage,
    data: (n) => ({ thing1: fact(n, 'product') || n.title, phrase2: '助力成功', thing3: fact(n, 'reward') || n.body }),
  },
  'assist.expired': {
    template: 'assistResult',
    page: assistPage,
    data: (n) => ({ thing1: fact(n, 'product') || n.title, phrase2: '未完成', thing3: fact(n, 'consolation') || n.body }),
  },
  'reward.available': {
    template: 'rewardAvailable',
    page: () => 'packages/wallet/index',
    data: (n) => ({ thing1: fact(n, 'reward') || n.title, thing2: '好友订单已过退款期，奖励可以使用了', time3: shanghaiMinute(n.createdAt) }),
  },
  'refund.decided': {
    template: 'refundResult',
    page: (n) => (fact(n, 'orderId') ? `packages/shop/order/index?id=${encodeURIComponent(fact(n, 'orderId'))}` : 'packages/shop/orders/index'),
    data: (n) => {
      const approved = fact(n, 'approved') === '1';
      const fen = fenFact(n, 'amountFen');
      return {
        character_string1: fact(n, 'orderId'),
        phrase2: approved ? '已同意' : '未通过',
        amount3: fen === null ? '' : yuan(fen),
        thing4: approved ? '款项将原路退回' : fact(n, 'note') || '可查看订单详情',
      };
    },
  },
  'withdrawal.transferring': {
    template: 'transferConfirm',
    page: () => 'packages/wallet/withdraw/index',
    data: (n) => {
      const fen = fenFact(n, 'amountFen');
      const expires = fact(n, 'expiresAt');
      return {
        amount1: fen === null ? '' : yuan(fen),
        thing2: '请尽快确认收款，逾期未确认将退回余额',
        time3: expires ? shanghaiMinute(new Date(expires)) : '',
      };
    },
  },
};

/** The template (and its id from `env`) a kind is sent with; null when the kind is not sent or not configured. */
export function templateFor(kind: string, env: Record<string, string | undefined>): { name: TemplateName; id: string; spec: MessageKindSpec } | null {
  const spec = MESSAGE_KINDS[kind];
  if (!spec) return null;
  const id = (env[TEMPLATES[spec.template].envVar] ?? '').trim();
  return id ? { name: spec.template, id, spec } : null;
}

/** The template ids the app asks for at each moment (deduplicated; WeChat takes at most 3 per request). */
export function templateIdsByMoment(env: Record<string, string | undefined>): Partial<Record<SubscribeMoment, string[]>> {
  const out: Partial<Record<SubscribeMoment, string[]>> = {};
  for (const t of Object.values(TEMPLATES)) {
    const id = (env[t.envVar] ?? '').trim();
    if (!id) continue;
    const list = out[t.moment] ?? [];
    if (!list.includes(id) && list.length < 3) list.push(id);
    out[t.moment] = list;
  }
  return out;
}

/** The fields of a message as subscribeMessage.send wants them: `{ key: { value } }`, each fitted to its type. */
export function messageData(spec: MessageKindSpec, n: MessageSource): Record<string, { value: string }> {
  const out: Record<string, { value: string }> = {};
  for (const [key, value] of Object.entries(spec.data(n))) out[key] = { value: fitField(key, value) };
  return out;
}

/**
 * WeChat's limits per field type (the key's letters): thing 20 characters, phrase 5, name 10, character_string 32
 * (letters, digits and symbols), number / letter 32. Longer text is cut with an ellipsis rather than refused
 * (a refused field fails the whole message with errcode 47003).
 */
export function fitField(key: string, value: string): string {
  const type = key.replace(/\d+$/, '');
  const chars = Array.from(value.replace(/\s+/g, ' ').trim());
  const cut = (max: number) => (chars.length <= max ? chars.join('') : `${chars.slice(0, max - 1).join('')}…`);
  switch (type) {
    case 'thing':
      return cut(20);
    case 'phrase':
      return chars.slice(0, 5).join('');
    case 'name':
      return cut(10);
    case 'character_string':
      return chars.filter((c) => /^[\x21-\x7e]$/.test(c)).slice(0, 32).join('');
    case 'number':
    case 'letter':
      return chars.slice(0, 32).join('');
    default:
      return chars.join('');
  }
}

/** 5000 → "50.00元" (WeChat's amount field: digits with at most one currency sign or 元). */
function yuan(fen: number): string {
  return `${Math.floor(fen / 100)}.${String(fen % 100).padStart(2, '0')}元`;
}

/** "2026-03-15 14:05" on the shop's clock (UTC+8 all year). */
export function shanghaiMinute(at: Date): string {
  return new Date(at.getTime() + 8 * 3600_000).toISOString().slice(0, 16).replace('T', ' ');
}
