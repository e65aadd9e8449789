/**
 * WeChat open APIs (云调用) on the local cloud, as @cloudbase/node-sdk 3.18 calls them (see README "WeChat open API"):
 *   /admin wx.api {apiName:'subscribeMessage.send', requestData:'<JSON>'} → {data:{responseData:'{"errcode":0,…}'}}
 *     Every message delivered is kept in the inbox of its user (GET /__dev/inbox?openid=, and the dev bar).
 *   /admin wx.openApi (multipart) {apiName:'wxacode.getUnlimited', requestData:<JSON bytes>} → the PNG itself
 *     A real QR code (not WeChat's round 小程序码) that encodes this local cloud's link to the page with the scene,
 *     `<base>/#/<page>?scene=<scene>`, so the browser build opens what WeChat would.
 * A dev switch (POST /__dev/inbox/fail) makes the next sends fail with an errcode, to exercise retries — or, with
 * `lostAnswer`, deliver and then drop the connection before answering (what a timeout looks like to the caller).
 */
import QRCode from 'qrcode';
import type { Clock } from './clock';
import { CloudError } from './errors';
import type { Store } from './store';

/** What the inbox knows of a template (from config/subscribeMessages.ts, by the ids the local cloud hands out). */
export interface LocalTemplate {
  title: string;
  fields: Record<string, string>;
}

export interface InboxMessage {
  seq: number;
  msgid: string;
  openid: string;
  templateId: string;
  title: string;
  page: string;
  fields: { key: string; label: string; value: string }[];
  state: string;
  at: string;
}

/** callApi's answer when the switch says the answer is lost: the server drops the connection instead of answering. */
export const LOST_ANSWER = Symbol('lost answer');

interface FailSwitch {
  /** Sends still to fail; null = every send until switched off. */
  remaining: number | null;
  /** Delivered, but the answer never reaches the caller (the connection drops). */
  lostAnswer: boolean;
  errcode: number;
  errmsg: string;
  openid: string | null;
}

/** Characters WeChat allows in a scene (at most 32). */
const SCENE = /^[0-9A-Za-z!#$&'()*+,/:;=?@\-._~]{1,32}$/;

export class LocalWxOpenApi {
  private failing: FailSwitch | null = null;
  private failed = 0;

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly baseUrl: () => string,
    private readonly templates: Record<string, LocalTemplate>,
  ) {
    store.db.exec(`CREATE TABLE IF NOT EXISTS __inbox (seq INTEGER PRIMARY KEY AUTOINCREMENT, openid TEXT NOT NULL, template_id TEXT NOT NULL,
      page TEXT NOT NULL, data TEXT NOT NULL, state TEXT NOT NULL, at INTEGER NOT NULL);
      CREATE INDEX IF NOT EXISTS __inbox_openid ON __inbox (openid, seq)`);
  }

  wipe() {
    this.store.db.exec('DELETE FROM __inbox');
    this.failing = null;
    this.failed = 0;
  }

  /** wx.api: answers the `responseData` string the SDK parses (or LOST_ANSWER: deliver and drop the connection). */
  callApi(apiName: unknown, requestData: unknown): string | typeof LOST_ANSWER {
    if (apiName !== 'subscribeMessage.send') throw new CloudError('INVALID_PARAM', `open API ${String(apiName)} is not supported by the local cloud`);
    let req: Record<string, unknown>;
    try {
      req = typeof requestData === 'string' && requestData ? JSON.parse(requestData) : {};
    } catch {
      return answer(47001, 'data format error');
    }
    return this.sendSubscribeMessage(req);
  }

  private sendSubscribeMessage(req: Record<string, unknown>): string | typeof LOST_ANSWER {
    const openid = typeof req.touser === 'string' ? req.touser : '';
    if (!/^[A-Za-z0-9_-]{1,64}$/.test(openid)) return answer(40003, 'invalid openid');
    if (typeof req.template_id !== 'string' || !req.template_id) return answer(40037, 'invalid template_id');
    const data = req.data as Record<string, { value?: unknown }> | undefined;
    if (!data || typeof data !== 'object' || !Object.keys(data).length || Object.values(data).some((f) => typeof f?.value !== 'string')) {
      return answer(47003, 'argument invalid! data.value invalid');
    }
    const page = typeof req.page === 'string' ? req.page : '';
    if (page.startsWith('/')) return answer(41030, 'invalid page');
    const f = this.failing;
    const failing = f && (!f.openid || f.openid === openid) ? f : null;
    if (failing) {
      if (failing.remaining !== null && --failing.remaining <= 0) this.failing = null;
      this.failed++;
      if (!failing.lostAnswer) return answer(failing.errcode, failing.errmsg);
    }
    const values = Object.fromEntries(Object.entries(data).map(([k, v]) => [k, String(v.value)]));
    const state = typeof req.miniprogram_state === 'string' ? req.miniprogram_state : 'formal';
    const row = this.store.db
      .prepare('INSERT INTO __inbox (openid, template_id, page, data, state, at) VALUES (?, ?, ?, ?, ?, ?)')
      .run(openid, req.template_id, page, JSON.stringify(values), state, this.clock.now());
    if (failing) return LOST_ANSWER;
    return JSON.stringify({ errcode: 0, errmsg: 'ok', msgid: Number(row.lastInsertRowid) + 3_000_000_000 });
  }

  /** wx.openApi: the raw answer (an image, or WeChat's JSON error). */
  async callOpenApi(apiName: unknown, requestData: unknown): Promise<{ contentType: string; body: Buffer }> {
    if (apiName !== 'wxacode.getUnlimited') throw new CloudError('INVALID_PARAM', `open API ${String(apiName)} is not supported by the local cloud`);
    let req: { scene?: unknown; page?: unknown; width?: unknown };
    try {
      req = JSON.parse(Buffer.isBuffer(requestData) ? requestData.toString('utf8') : String(requestData ?? ''));
    } catch {
      return jsonError(47001, 'data format error');
    }
    if (typeof req.scene !== 'string' || !SCENE.test(req.scene)) return jsonError(40169, 'invalid length for scene, or the data is not json string');
    const page = req.page === undefined || req.page === '' ? 'pages/index/index' : req.page;
    if (typeof page !== 'string' || !/^[A-Za-z0-9_\-/]+$/.test(page) || page.startsWith('/')) return jsonError(41030, 'invalid page');
    const width = typeof req.width === 'number' ? Math.min(Math.max(Math.round(req.width), 280), 1280) : 430;
    const link = this.landingLink(page, req.scene);
    const body = await QRCode.toBuffer(link, { type: 'png', errorCorrectionLevel: 'M', margin: 2, width });
    return { contentType: 'image/png', body };
  }

  /** The browser build's link for a page opened with a scene, as a scan of the 小程序码 would open it. */
  landingLink(page: string, scene: string): string {
    return `${this.baseUrl()}/#/${page}?scene=${encodeURIComponent(scene)}`;
  }

  /** Messages delivered, oldest first (one user's, or everyone's). */
  inbox(openid?: string | null): InboxMessage[] {
    const rows = (openid
      ? this.store.db.prepare('SELECT * FROM __inbox WHERE openid = ? ORDER BY seq').all(openid)
      : this.store.db.prepare('SELECT * FROM __inbox ORDER BY seq').all()) as { seq: number; openid: string; template_id: string; page: string; data: string; state: string; at: number }[];
    return rows.map((r) => {
      const t = this.templates[r.template_id];
      const data = JSON.parse(r.data) as Record<string, string>;
      return {
        seq: r.seq,
        msgid: String(r.seq + 3_000_000_000),
        openid: r.openid,
        templateId: r.template_id,
        title: t?.title ?? r.template_id,
        page: r.page,
        fields: Object.entries(data).map(([key, value]) => ({ key, label: t?.fields[key] ?? key, value })),
        state: r.state,
        at: new Date(r.at).toISOString(),
      };
    });
  }

  /** The failure switch: the next `count` sends (null: all, 0: none) answer `errcode` (or, `lostAnswer`, no answer). */
  setFailure(input: { count?: unknown; errcode?: unknown; errmsg?: unknown; openid?: unknown; lostAnswer?: unknown }): { failing: FailSwitch | null; failed: number } {
    const count = input.count === undefined || input.count === null ? null : Number(input.count);
    if (count !== null && (!Number.isInteger(count) || count < 0)) throw new CloudError('INVALID_PARAM', 'count must be a whole number, or null for every send');
    this.failing =
      count === 0
        ? null
        : {
            remaining: count,
            lostAnswer: input.lostAnswer === true,
            errcode: typeof input.errcode === 'number' && input.errcode !== 0 ? input.errcode : -1,
            errmsg: typeof input.errmsg === 'string' ? input.errmsg : 'system error',
            openid: typeof input.openid === 'string' && input.openid ? input.openid : null,
          };
    return this.failureState();
  }

  failureState() {
    return { failing: this.failing, failed: this.failed };
  }
}

const answer = (errcode: number, errmsg: string) => JSON.stringify({ errcode, errmsg });

/** An open API error as 云调用 answers it: JSON, typed so the SDK parses it. */
const jsonError = (errcode: number, errmsg: string) => ({ contentType: 'application/json; charset=utf-8', body: Buffer.from(answer(errcode, errmsg)) });
