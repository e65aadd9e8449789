/**
 * The local payout provider: WeChat Pay v3 商家转账 (用户确认模式) simulated under `/__payout`, with the same paths,
 * request bodies, states and answers, so the functions' client is the one that talks to WeChat (minus signatures).
 *   POST /__payout/v3/fund-app/mch-transfer/transfer-bills                         create a bill (idempotent by out_bill_no)
 *   GET  /__payout/v3/fund-app/mch-transfer/transfer-bills/out-bill-no/<no>        query
 *   POST /__payout/v3/fund-app/mch-transfer/transfer-bills/out-bill-no/<no>/cancel cancel before the user confirms
 *   POST /__payout/bills/<no>/confirm   the user confirms receipt (what WeChat's page does after wx.requestMerchantTransfer)
 *   POST /__payout/bills/<no>/fail      make a transfer fail ({reason}), for tests
 *   GET  /__payout/bills                every bill
 * Bills live in the store's metadata (they survive a restart like the rest of the local data); a bill not confirmed
 * within 24 hours of the local clock closes (CANCELLED), as WeChat's do.
 */
import crypto from 'node:crypto';
import type http from 'node:http';
import type { Clock } from './clock';
import type { Store } from './store';

export type BillState = 'ACCEPTED' | 'PROCESSING' | 'WAIT_USER_CONFIRM' | 'TRANSFERING' | 'SUCCESS' | 'FAIL' | 'CANCELING' | 'CANCELLED';

export interface LocalBill {
  mch_id: string;
  appid: string;
  out_bill_no: string;
  transfer_bill_no: string;
  transfer_scene_id: string;
  openid: string;
  transfer_amount: number;
  transfer_remark: string;
  user_recv_perception: string | null;
  transfer_scene_report_infos: { info_type: string; info_content: string }[];
  state: BillState;
  fail_reason?: string;
  package_info: string;
  create_time: string;
  update_time: string;
}

const API = '/v3/fund-app/mch-transfer/transfer-bills';
const CONFIRM_WINDOW_MS = 24 * 3600_000;
const MCH_ID = '1900000001';
/** Report fields each scene requires (1005 佣金报酬; 1000 现金营销). */
const SCENE_REPORTS: Record<string, string[]> = { '1005': ['岗位类型', '报酬说明'], '1000': ['活动名称', '奖励说明'] };

/** RFC 3339 in Beijing time, as WeChat writes times. */
function rfc3339(ms: number): string {
  return `${new Date(ms + 8 * 3600_000).toISOString().slice(0, 19)}+08:00`;
}

export class LocalPayouts {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
  ) {}

  private key(no: string) {
    return `payout:bill:${no}`;
  }

  get(no: string): LocalBill | null {
    const raw = this.store.meta(this.key(no));
    if (!raw) return null;
    const bill = JSON.parse(raw) as LocalBill;
    if ((bill.state === 'WAIT_USER_CONFIRM' || bill.state === 'TRANSFERING') && this.clock.now() - Date.parse(bill.create_time) >= CONFIRM_WINDOW_MS) {
      return this.save({ ...bill, state: 'CANCELLED', fail_reason: 'OVERDUE_CLOSE' });
    }
    return bill;
  }

  list(): LocalBill[] {
    const index = JSON.parse(this.store.meta('payout:index') ?? '[]') as string[];
    return index.map((no) => this.get(no)).filter((b): b is LocalBill => b !== null);
  }

  private save(bill: LocalBill): LocalBill {
    const next = { ...bill, update_time: rfc3339(this.clock.now()) };
    const isNew = !this.store.meta(this.key(bill.out_bill_no));
    this.store.atomic(() => {
      this.store.setMeta(this.key(bill.out_bill_no), JSON.stringify(next));
      if (isNew) this.store.setMeta('payout:index', JSON.stringify([...(JSON.parse(this.store.meta('payout:index') ?? '[]') as string[]), bill.out_bill_no]));
    });
    return next;
  }

  /** Answers [http status, body]. */
  create(body: Record<string, unknown>): [number, object] {
    const problem = createProblem(body);
    if (problem) return [400, { code: 'PARAM_ERROR', message: problem }];
    const no = String(body.out_bill_no);
    const existing = this.get(no);
    if (existing) {
      if (existing.transfer_amount !== body.transfer_amount || existing.openid !== body.openid) return [400, { code: 'INVALID_REQUEST', message: '商户单号重复，且与原单内容不一致' }];
      return [200, createAnswer(existing)];
    }
    const now = this.clock.now();
    const bill = this.save({
      mch_id: MCH_ID,
      appid: String(body.appid),
      out_bill_no: no,
      transfer_bill_no: `1330${Date.now()}${crypto.randomBytes(6).toString('hex')}`,
      transfer_scene_id: String(body.transfer_scene_id),
      openid: String(body.openid),
      transfer_amount: body.transfer_amount as number,
      transfer_remark: String(body.transfer_remark),
      user_recv_perception: typeof body.user_recv_perception === 'string' ? body.user_recv_perception : null,
      transfer_scene_report_infos: body.transfer_scene_report_infos as LocalBill['transfer_scene_report_infos'],
      state: 'WAIT_USER_CONFIRM',
      package_info: `local:${crypto.randomBytes(12).toString('base64url')}`,
      create_time: rfc3339(now),
      update_time: rfc3339(now),
    });
    return [200, createAnswer(bill)];
  }

  query(no: string): [number, object] {
    const bill = this.get(no);
    if (!bill) return [404, { code: 'NOT_FOUND', message: '记录不存在' }];
    const { package_info: _p, transfer_scene_id: _s, user_recv_perception: _u, transfer_scene_report_infos: _r, ...answer } = bill;
    return [200, answer];
  }

  cancel(no: string): [number, object] {
    const bill = this.get(no);
    if (!bill) return [404, { code: 'NOT_FOUND', message: '记录不存在' }];
    if (bill.state !== 'WAIT_USER_CONFIRM' && bill.state !== 'TRANSFERING' && bill.state !== 'ACCEPTED' && bill.state !== 'PROCESSING') {
      return [400, { code: 'INVALID_REQUEST', message: '当前单据状态不支持撤销' }];
    }
    const saved = this.save({ ...bill, state: 'CANCELLED' });
    // WeChat answers CANCELING and completes asynchronously; the query shows the outcome.
    return [200, { out_bill_no: saved.out_bill_no, transfer_bill_no: saved.transfer_bill_no, state: 'CANCELING', update_time: saved.update_time }];
  }

  confirm(no: string): [number, object] {
    const bill = this.get(no);
    if (!bill) return [404, { code: 'NOT_FOUND', message: '记录不存在' }];
    if (bill.state === 'SUCCESS') return [200, { state: bill.state }];
    if (bill.state !== 'WAIT_USER_CONFIRM' && bill.state !== 'TRANSFERING') return [400, { code: 'INVALID_REQUEST', message: `单据状态 ${bill.state} 不能确认收款` }];
    return [200, { state: this.save({ ...bill, state: 'SUCCESS' }).state }];
  }

  fail(no: string, reason: string): [number, object] {
    const bill = this.get(no);
    if (!bill) return [404, { code: 'NOT_FOUND', message: '记录不存在' }];
    if (bill.state === 'SUCCESS') return [400, { code: 'INVALID_REQUEST', message: '已成功的转账不能失败' }];
    return [200, { state: this.save({ ...bill, state: 'FAIL', fail_reason: reason }).state }];
  }

  async handle(req: http.IncomingMessage, res: http.ServerResponse, route: string): Promise<void> {
    const body = req.method === 'POST' ? await readJson(req) : {};
    if (body === null) return send(res, 400, { code: 'PARAM_ERROR', message: '请求体不是 JSON 对象' });
    const m = (re: RegExp) => re.exec(route);
    let out: [number, object] | null = null;
    let hit: RegExpExecArray | null;
    if (req.method === 'POST' && route === API) out = this.create(body);
    else if (req.method === 'GET' && (hit = m(/^\/v3\/fund-app\/mch-transfer\/transfer-bills\/out-bill-no\/([A-Za-z0-9]{1,32})$/))) out = this.query(hit[1]);
    else if (req.method === 'POST' && (hit = m(/^\/v3\/fund-app\/mch-transfer\/transfer-bills\/out-bill-no\/([A-Za-z0-9]{1,32})\/cancel$/))) out = this.cancel(hit[1]);
    else if (req.method === 'POST' && (hit = m(/^\/bills\/([A-Za-z0-9]{1,32})\/confirm$/))) out = this.confirm(hit[1]);
    else if (req.method === 'POST' && (hit = m(/^\/bills\/([A-Za-z0-9]{1,32})\/fail$/))) out = this.fail(hit[1], typeof body.reason === 'string' ? body.reason.slice(0, 64) : 'TRANSFER_RISK');
    else if (req.method === 'GET' && route === '/bills') out = [200, { bills: this.list() }];
    if (!out) return send(res, 404, { code: 'NOT_FOUND', message: `no payout endpoint ${req.method} ${route}` });
    return send(res, out[0], out[1]);
  }
}

function createAnswer(b: LocalBill) {
  return { out_bill_no: b.out_bill_no, transfer_bill_no: b.transfer_bill_no, create_time: b.create_time, state: b.state, ...(b.state === 'WAIT_USER_CONFIRM' ? { package_info: b.package_info } : {}) };
}

/** The request checks WeChat documents for 发起转账, in its words. */
function createProblem(b: Record<string, unknown>): string | null {
  const str = (k: string, max: number) => typeof b[k] === 'string' && (b[k] as string).length > 0 && [...(b[k] as string)].length <= max;
  if (!str('appid', 32)) return '参数 appid 不合法';
  if (typeof b.out_bill_no !== 'string' || !/^[A-Za-z0-9]{1,32}$/.test(b.out_bill_no)) return '商户单号只能由数字、大小写字母组成，最长 32 位';
  if (!str('transfer_scene_id', 36)) return '参数 transfer_scene_id 不合法';
  if (!str('openid', 64)) return '参数 openid 不合法';
  if (typeof b.transfer_amount !== 'number' || !Number.isSafeInteger(b.transfer_amount) || b.transfer_amount <= 0) return '转账金额须为正整数（分）';
  if (b.transfer_amount >= 200_000 && typeof b.user_name !== 'string') return '转账金额 >= 2,000元时，收款用户姓名必填';
  if (!str('transfer_remark', 32)) return '转账备注必填，最多 32 个字符';
  const required = SCENE_REPORTS[String(b.transfer_scene_id)] ?? [];
  const infos = Array.isArray(b.transfer_scene_report_infos) ? (b.transfer_scene_report_infos as { info_type?: unknown; info_content?: unknown }[]) : [];
  if (required.some((t) => !infos.some((i) => i?.info_type === t && typeof i.info_content === 'string' && i.info_content.length > 0))) return '未传入完整且对应的转账场景报备信息，请根据接口文档检查';
  return null;
}

function send(res: http.ServerResponse, status: number, body: object) {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'access-control-allow-origin': '*' });
  res.end(JSON.stringify(body));
}

function readJson(req: http.IncomingMessage): Promise<Record<string, unknown> | null> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= 64 * 1024) chunks.push(c);
    });
    req.on('end', () => {
      if (size > 64 * 1024) return resolve(null);
      const text = Buffer.concat(chunks).toString('utf8');
      if (!text) return resolve({});
      try {
        const v = JSON.parse(text);
        resolve(v && typeof v === 'object' && !Array.isArray(v) ? v : null);
      } catch {
        resolve(null);
      }
    });
    req.on('error', () => resolve(null));
  });
}
