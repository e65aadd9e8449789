/**
 * WeChat open APIs through CloudBase's 云调用, via @cloudbase/node-sdk (the same calls on CloudBase and on the local
 * cloud, which answers them itself):
 * - subscribeMessage.send with `app.callWxOpenApi` (JSON in, JSON out: `{ errcode, errmsg, msgid }`);
 * - wxacode.getUnlimited with `app.callCompatibleWxOpenApi` (the JSON request as a Buffer; the answer is the image's
 *   raw bytes, or a JSON error body).
 * Not verified against the real service: whether 云调用 wants wxacode.getUnlimited's request as JSON bytes (what
 * this sends, as the shop's cloudPay calls do) and which content type its errors carry (both are handled).
 */
import { cloud } from './db';

export interface SubscribeMessageRequest {
  touser: string;
  template_id: string;
  page?: string;
  data: Record<string, { value: string }>;
  miniprogram_state?: 'developer' | 'trial' | 'formal';
  lang?: 'zh_CN' | 'en_US' | 'zh_HK' | 'zh_TW';
}

/** WeChat's verdict, or errcode -1 with the SDK's message when the call itself failed (network, timeout, gateway). */
/**
 * `noAnswer`: the call failed without WeChat's answer (a timeout, a dropped connection): the message may have been
 * delivered, so it must not be sent again. A connection that never opened (refused, no such host) sent nothing.
 */
export type SendOutcome = { ok: true; msgid: string | null } | { ok: false; errcode: number; errmsg: string; noAnswer?: boolean };

export interface UnlimitedCodeRequest {
  /** At most 32 visible characters; the app reads it at launch (src/services/launch.ts). */
  scene: string;
  /** A published page, no leading slash, no query. */
  page: string;
  check_path?: boolean;
  env_version?: 'release' | 'trial' | 'develop';
  width?: number;
}

export interface WxOpenApi {
  sendSubscribeMessage(req: SubscribeMessageRequest): Promise<SendOutcome>;
  /** The 小程序码 image (PNG or JPEG bytes); throws WxApiError when WeChat answers an error. */
  getUnlimitedCode(req: UnlimitedCodeRequest): Promise<Buffer>;
}

export class WxApiError extends Error {
  constructor(
    readonly errcode: number,
    readonly errmsg: string,
  ) {
    super(`WeChat open API error ${errcode}: ${errmsg}`);
  }
}

const TIMEOUT_MS = 10_000;
/** Failures before the request left: nothing can have been delivered. */
const NEVER_SENT = /ECONNREFUSED|ENOTFOUND|EAI_AGAIN/;

const isImage = (b: Buffer) => (b.length > 4 && b.readUInt32BE(0) === 0x89504e47) || (b.length > 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff);

export const cloudbaseWxOpenApi: WxOpenApi = {
  async sendSubscribeMessage(req) {
    try {
      const res = await cloud().callWxOpenApi({ apiName: 'subscribeMessage.send', requestData: req }, { timeout: TIMEOUT_MS });
      const result = (res.result ?? {}) as { errcode?: number; errmsg?: string; msgid?: string | number };
      const errcode = Number(result.errcode ?? 0);
      if (errcode !== 0) return { ok: false, errcode, errmsg: String(result.errmsg ?? '') };
      return { ok: true, msgid: result.msgid === undefined ? null : String(result.msgid) };
    } catch (e) {
      const err = e as { code?: unknown; message?: string };
      const errmsg = `${err.code ?? 'ERROR'}: ${err.message ?? String(e)}`.slice(0, 300);
      return { ok: false, errcode: -1, errmsg, noAnswer: !NEVER_SENT.test(errmsg) };
    }
  },

  async getUnlimitedCode(req) {
    const res: unknown = await cloud().callCompatibleWxOpenApi({ apiName: 'wxacode.getUnlimited', requestData: Buffer.from(JSON.stringify(req)) }, { timeout: TIMEOUT_MS });
    const buf = Buffer.isBuffer(res) ? res : null;
    if (buf && isImage(buf)) return buf;
    // An error arrives as JSON: parsed by the SDK when typed application/json, raw bytes otherwise.
    let body: { errcode?: number; errmsg?: string } = {};
    try {
      body = buf ? JSON.parse(buf.toString('utf8')) : ((res ?? {}) as typeof body);
    } catch {
      body = { errcode: -1, errmsg: 'not an image' };
    }
    throw new WxApiError(Number(body.errcode ?? -1), String(body.errmsg ?? 'no image in the answer'));
  },
};

export function wxOpenApi(): WxOpenApi {
  return cloudbaseWxOpenApi;
}
