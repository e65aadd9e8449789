/**
 * Subscribe messages, asked at natural moments (after starting an assist, when inviting, when withdrawing, when asking
 * for a refund) and never as a gate: whatever the answer, the action goes on. WeChat only allows it inside a tap, so
 * callers call it from their tap handler without awaiting. The template ids per moment are baked in at build time
 * from the one manifest, config/subscribeMessages.ts, and the SUBSCRIBE_TMPL_* variables the settle function sends
 * with (config/index.ts); none configured = skip.
 */
import Taro from '@tarojs/taro';
import type { SubscribeMoment } from '../../types/subscribe';

export type { SubscribeMoment };

function templates(): Partial<Record<SubscribeMoment, string[]>> {
  const raw = process.env.TARO_APP_SUBSCRIBE_TEMPLATES;
  if (!raw) return {};
  try {
    const parsed = JSON.parse(raw) as Partial<Record<SubscribeMoment, string[]>>;
    return parsed && typeof parsed === 'object' ? parsed : {};
  } catch {
    return {};
  }
}

export function askSubscribe(moment: SubscribeMoment): void {
  if (process.env.TARO_ENV !== 'weapp') return;
  const ids = (templates()[moment] ?? []).filter((id) => typeof id === 'string' && id);
  if (ids.length === 0) return;
  // The answer changes nothing here: the server's outbox sends only what the user accepted.
  Promise.resolve(Taro.requestSubscribeMessage({ tmplIds: ids } as Parameters<typeof Taro.requestSubscribeMessage>[0])).catch(() => undefined);
}
