/**
 * What a share card, poster or assist link opened the app with. Cards carry `inviter` (the sharer's invite code),
 * `source` and on an assist `taskId` in the page query; a mini-program code (poster) packs them into `scene`
 * (`i=CODE&s=poster&t=TASK`, 32 characters at most), which WeChat hands over URL-encoded.
 */
import type { PayloadOf } from '../../types/api';

export type LoginParams = PayloadOf<'user', 'login'>;
type Source = NonNullable<LoginParams['source']>;

const SOURCES: readonly Source[] = ['card', 'poster', 'code'];
const CODE = /^[A-Za-z0-9]{1,32}$/;
const TASK = /^[A-Za-z0-9_:-]{1,128}$/;

function decodeScene(scene: string): Record<string, string> {
  let text = scene;
  try {
    text = decodeURIComponent(scene);
  } catch {
    // keep it raw
  }
  const out: Record<string, string> = {};
  for (const part of text.split('&')) {
    const [k, v] = part.split('=');
    if (k && v) out[k] = v;
  }
  return { inviter: out.i ?? '', source: out.s === 'c' ? 'card' : 'poster', taskId: out.t ?? '' };
}

/** A poster QR scanned in WeChat (扫普通链接二维码打开小程序) hands the whole link over as `q`: read its query. */
function decodeLink(q: string): Record<string, string> {
  let link = q;
  try {
    link = decodeURIComponent(q);
  } catch {
    // keep it raw
  }
  const out: Record<string, string> = {};
  const search = link.slice(link.lastIndexOf('?') + 1);
  if (search === link) return out;
  for (const part of search.split('&')) {
    const [k, v] = part.split('=');
    if (!k || v === undefined) continue;
    try {
      out[k] = decodeURIComponent(v);
    } catch {
      out[k] = v;
    }
  }
  return out;
}

/** Login params from a launch query; anything malformed is dropped rather than sent. */
export function loginParamsFrom(query: Record<string, string | undefined> | undefined): LoginParams {
  const params: LoginParams = {};
  if (!query) return params;
  let q: Record<string, string | undefined> = query;
  if (typeof query.scene === 'string' && query.scene) q = { ...q, ...decodeScene(query.scene) };
  if (typeof query.q === 'string' && query.q) q = { ...q, ...decodeLink(query.q) };
  const code = q.inviter || q.inviteCode;
  if (code && CODE.test(code)) params.inviteCode = code;
  if (q.taskId && TASK.test(q.taskId)) params.taskId = q.taskId;
  const source = q.source as Source | undefined;
  if (source && SOURCES.includes(source)) params.source = source;
  else if (params.inviteCode || params.taskId) params.source = 'card';
  return params;
}

/** The scene string of a mini-program code for a poster (WeChat caps it at 32 visible characters). */
export function posterScene(inviteCode: string, taskId?: string): string {
  const scene = taskId ? `i=${inviteCode}&t=${taskId}` : `i=${inviteCode}`;
  return scene.length <= 32 ? scene : `i=${inviteCode}`;
}
