/**
 * Payout providers for withdrawals: WeChat Pay API v3 商家转账 (用户确认模式, scene 1005 佣金报酬) in production, and
 * the local cloud's simulated provider (`/__payout/...`, emulator/payouts.ts), which answers the same paths and
 * bodies. The user confirms receipt in WeChat (wx.requestMerchantTransfer with `package_info`); an unconfirmed bill
 * is cancelled and the money returns. Every call reuses the withdrawal's id as `out_bill_no`, so a retry after a
 * lost answer never pays twice (WeChat: never change the bill number to retry).
 *
 * Production configuration (function environment, from secrets — never in the repo):
 *   PAYOUT_PROVIDER=wechat, WECHATPAY_MCHID, WECHATPAY_APPID, WECHATPAY_CERT_SERIAL (merchant API certificate
 *   serial), WECHATPAY_PRIVATE_KEY (PEM, merchant API private key), WECHATPAY_PUBLIC_KEY_ID + WECHATPAY_PUBLIC_KEY
 *   (微信支付公钥, to verify answers); optional WECHATPAY_TRANSFER_NOTIFY_URL, WECHATPAY_BASE_URL.
 */
import crypto from 'node:crypto';
import type { TransferState } from '../domain/withdraw';

export interface TransferRequest {
  outBillNo: string;
  openid: string;
  amountFen: number;
  /** Shown to the user in WeChat, at most 32 characters. */
  remark: string;
}

export interface TransferBill {
  outBillNo: string;
  transferBillNo: string;
  state: TransferState;
  packageInfo: string | null;
  failReason: string | null;
}

export interface PayoutProvider {
  name: 'local' | 'wechat';
  /** The merchant id and the mini-program appid the bills are made for: wx.requestMerchantTransfer needs both. */
  mchId: string;
  appId: string;
  create(req: TransferRequest): Promise<TransferBill>;
  /** null when the provider has no such bill. */
  query(outBillNo: string): Promise<TransferBill | null>;
  cancel(outBillNo: string): Promise<void>;
  /** After the app's wx.requestMerchantTransfer succeeded: the local provider plays WeChat's confirm page here. */
  afterUserConfirm(outBillNo: string): Promise<void>;
}

/** The provider answered with an error ({code, message}); `status` is the HTTP status. */
export class PayoutError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(`${status} ${code}: ${message}`);
  }
}

export type Fetch = (url: string, init: { method: string; headers: Record<string, string>; body?: string }) => Promise<{ status: number; headers: { get(name: string): string | null }; text(): Promise<string> }>;

const PATH = '/v3/fund-app/mch-transfer/transfer-bills';

export interface TransferScene {
  sceneId: string;
  /** 用户收款感知 shown on the confirm page. */
  userRecvPerception: string;
  /** 转账场景报备信息 required by the scene (1005: 岗位类型 and 报酬说明). */
  reportInfos: { info_type: string; info_content: string }[];
}

export const COMMISSION_SCENE: TransferScene = {
  sceneId: '1005',
  userRecvPerception: '劳务报酬',
  reportInfos: [
    { info_type: '岗位类型', info_content: '推广员' },
    { info_type: '报酬说明', info_content: '邀请好友下单返利' },
  ],
};

interface ClientOptions {
  name: 'local' | 'wechat';
  baseUrl: string;
  mchid: string;
  appid: string;
  scene: TransferScene;
  notifyUrl?: string;
  fetch: Fetch;
  /** Headers that authenticate a request (WeChat: the Authorization signature). */
  sign?: (method: string, pathWithQuery: string, body: string) => Record<string, string>;
  /** Checks an answer really comes from the provider (WeChat: the Wechatpay-Signature). */
  verify?: (headers: { get(name: string): string | null }, body: string) => void;
  /** Local only: the confirm page's path. */
  confirmPath?: (outBillNo: string) => string;
}

/** The 商家转账 API (create, query by out_bill_no, cancel) over one transport: WeChat's or the local cloud's. */
export class TransferBillsClient implements PayoutProvider {
  readonly name: 'local' | 'wechat';
  readonly mchId: string;
  readonly appId: string;
  constructor(private readonly o: ClientOptions) {
    this.name = o.name;
    this.mchId = o.mchid;
    this.appId = o.appid;
  }

  private async call(method: 'GET' | 'POST', path: string, payload?: object): Promise<{ status: number; json: Record<string, unknown> }> {
    const body = payload === undefined ? '' : JSON.stringify(payload);
    const headers: Record<string, string> = { accept: 'application/json', ...(payload === undefined ? {} : { 'content-type': 'application/json' }), ...(this.o.sign?.(method, path, body) ?? {}) };
    const res = await this.o.fetch(`${this.o.baseUrl}${path}`, { method, headers, ...(payload === undefined ? {} : { body }) });
    const text = await res.text();
    if (res.status >= 200 && res.status < 300) this.o.verify?.(res.headers, text);
    let json: Record<string, unknown> = {};
    try {
      json = text ? (JSON.parse(text) as Record<string, unknown>) : {};
    } catch {
      throw new PayoutError(res.status, 'BAD_RESPONSE', text.slice(0, 200));
    }
    if (res.status >= 300) throw new PayoutError(res.status, String(json.code ?? 'HTTP_ERROR'), String(json.message ?? ''));
    return { status: res.status, json };
  }

  async create(req: TransferRequest): Promise<TransferBill> {
    const body = {
      appid: this.o.appid,
      out_bill_no: req.outBillNo,
      transfer_scene_id: this.o.scene.sceneId,
      openid: req.openid,
      transfer_amount: req.amountFen,
      transfer_remark: [...req.remark].slice(0, 32).join(''),
      ...(this.o.notifyUrl ? { notify_url: this.o.notifyUrl } : {}),
      user_recv_perception: this.o.scene.userRecvPerception,
      transfer_scene_report_infos: this.o.scene.reportInfos,
    };
    const { json } = await this.call('POST', PATH, body);
    return toBill(json);
  }

  async query(outBillNo: string): Promise<TransferBill | null> {
    try {
      const { json } = await this.call('GET', `${PATH}/out-bill-no/${encodeURIComponent(outBillNo)}`);
      return toBill(json);
    } catch (e) {
      if (e instanceof PayoutError && e.status === 404) return null;
      throw e;
    }
  }

  async cancel(outBillNo: string): Promise<void> {
    try {
      await this.call('POST', `${PATH}/out-bill-no/${encodeURIComponent(outBillNo)}/cancel`);
    } catch (e) {
      // Already final (paid, failed or cancelled): the query that follows tells which.
      if (e instanceof PayoutError && e.status < 500) return;
      throw e;
    }
  }

  async afterUserConfirm(outBillNo: string): Promise<void> {
    if (!this.o.confirmPath) return;
    await this.o.fetch(`${this.o.baseUrl}${this.o.confirmPath(outBillNo)}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
  }
}

const STATES: TransferState[] = ['ACCEPTED', 'PROCESSING', 'WAIT_USER_CONFIRM', 'TRANSFERING', 'SUCCESS', 'FAIL', 'CANCELING', 'CANCELLED'];

function toBill(json: Record<string, unknown>): TransferBill {
  const state = String(json.state ?? '');
  if (!STATES.includes(state as TransferState)) throw new PayoutError(200, 'BAD_RESPONSE', `unknown transfer state ${state}`);
  return {
    outBillNo: String(json.out_bill_no ?? ''),
    transferBillNo: String(json.transfer_bill_no ?? ''),
    state: state as TransferState,
    packageInfo: typeof json.package_info === 'string' ? json.package_info : null,
    failReason: typeof json.fail_reason === 'string' ? json.fail_reason : null,
  };
}

// ------------------------------------------------------------------------------------------ WeChat Pay v3 signing

export interface WechatPayKeys {
  mchid: string;
  /** Serial number of the merchant API certificate (证书序列号). */
  certSerial: string;
  privateKeyPem: string;
  /** 微信支付公钥 ID (answers carry it in Wechatpay-Serial) and the key. */
  publicKeyId: string;
  publicKeyPem: string;
}

/** `Authorization: WECHATPAY2-SHA256-RSA2048 mchid=…,nonce_str=…,signature=…,timestamp=…,serial_no=…` over `METHOD\nPATH\nTS\nNONCE\nBODY\n`. */
export function wechatAuthorization(keys: Pick<WechatPayKeys, 'mchid' | 'certSerial' | 'privateKeyPem'>, method: string, pathWithQuery: string, body: string, timestamp: string, nonce: string): string {
  const message = `${method}\n${pathWithQuery}\n${timestamp}\n${nonce}\n${body}\n`;
  const signature = crypto.createSign('RSA-SHA256').update(message).sign(keys.privateKeyPem, 'base64');
  return `WECHATPAY2-SHA256-RSA2048 mchid="${keys.mchid}",nonce_str="${nonce}",signature="${signature}",timestamp="${timestamp}",serial_no="${keys.certSerial}"`;
}

/** Checks an answer: Wechatpay-Serial names our public key, the time is within 5 minutes, the signature holds. */
export function verifyWechatAnswer(keys: Pick<WechatPayKeys, 'publicKeyId' | 'publicKeyPem'>, headers: { get(name: string): string | null }, body: string, nowSeconds: number): void {
  const serial = headers.get('wechatpay-serial');
  const timestamp = headers.get('wechatpay-timestamp');
  const nonce = headers.get('wechatpay-nonce');
  const signature = headers.get('wechatpay-signature');
  if (!serial || !timestamp || !nonce || !signature) throw new PayoutError(200, 'SIGN_MISSING', 'answer is not signed');
  if (serial !== keys.publicKeyId) throw new PayoutError(200, 'SIGN_SERIAL', `answer signed by ${serial}`);
  if (Math.abs(nowSeconds - Number(timestamp)) > 300) throw new PayoutError(200, 'SIGN_EXPIRED', 'answer timestamp out of range');
  const ok = crypto.createVerify('RSA-SHA256').update(`${timestamp}\n${nonce}\n${body}\n`).verify(keys.publicKeyPem, signature, 'base64');
  if (!ok) throw new PayoutError(200, 'SIGN_INVALID', 'answer signature does not verify');
}

export function wechatProvider(opts: { keys: WechatPayKeys; appid: string; fetch: Fetch; baseUrl?: string; notifyUrl?: string; scene?: TransferScene; now?: () => number }): TransferBillsClient {
  const now = opts.now ?? Date.now;
  return new TransferBillsClient({
    name: 'wechat',
    baseUrl: opts.baseUrl ?? 'https://api.mch.weixin.qq.com',
    mchid: opts.keys.mchid,
    appid: opts.appid,
    scene: opts.scene ?? COMMISSION_SCENE,
    notifyUrl: opts.notifyUrl,
    fetch: opts.fetch,
    sign: (method, path, body) => ({
      authorization: wechatAuthorization(opts.keys, method, path, body, String(Math.floor(now() / 1000)), crypto.randomBytes(16).toString('hex')),
      'wechatpay-serial': opts.keys.publicKeyId,
    }),
    verify: (headers, body) => verifyWechatAnswer(opts.keys, headers, body, Math.floor(now() / 1000)),
  });
}

/** The local cloud's simulated provider, reached at the origin the SDK talks to. */
export function localProvider(origin: string, fetchImpl: Fetch): TransferBillsClient {
  return new TransferBillsClient({
    name: 'local',
    baseUrl: `${origin}/__payout`,
    mchid: 'local-mch',
    appid: 'wx-local-app',
    scene: COMMISSION_SCENE,
    fetch: fetchImpl,
    confirmPath: (no) => `/bills/${encodeURIComponent(no)}/confirm`,
  });
}

/** The provider this instance uses: WeChat when configured, else the local cloud's; null when neither is there. */
export function payoutProvider(env: NodeJS.ProcessEnv = process.env): PayoutProvider | null {
  const f = globalThis.fetch as unknown as Fetch;
  if (env.PAYOUT_PROVIDER === 'wechat') {
    const need = ['WECHATPAY_MCHID', 'WECHATPAY_APPID', 'WECHATPAY_CERT_SERIAL', 'WECHATPAY_PRIVATE_KEY', 'WECHATPAY_PUBLIC_KEY_ID', 'WECHATPAY_PUBLIC_KEY'];
    if (need.some((k) => !env[k])) return null;
    return wechatProvider({
      keys: { mchid: env.WECHATPAY_MCHID!, certSerial: env.WECHATPAY_CERT_SERIAL!, privateKeyPem: pem(env.WECHATPAY_PRIVATE_KEY!), publicKeyId: env.WECHATPAY_PUBLIC_KEY_ID!, publicKeyPem: pem(env.WECHATPAY_PUBLIC_KEY!) },
      appid: env.WECHATPAY_APPID!,
      fetch: f,
      baseUrl: env.WECHATPAY_BASE_URL,
      notifyUrl: env.WECHATPAY_TRANSFER_NOTIFY_URL,
    });
  }
  if (env.LOCAL_CLOUD === '1' && env.TCB_CONTEXT_CNFG) {
    try {
      return localProvider(new URL(JSON.parse(env.TCB_CONTEXT_CNFG).URL).origin, f);
    } catch {
      return null;
    }
  }
  return null;
}

/** Keys kept in an environment variable often lose their newlines: accept `\n` escapes. */
function pem(v: string): string {
  return v.includes('\\n') ? v.replace(/\\n/g, '\n') : v;
}
