/**
 * The local cloud's HTTP face:
 *   POST /admin          the wire protocol @cloudbase/node-sdk speaks (signed), database and functions actions
 *   POST /fn/<name>      the function gateway for the browser build (identity from a signed dev session)
 *   /__dev/*             local-only: login, clock, reset, seed, timers, counters, the inbox, the dev bar script
 *   /__cos/*, /__storage/*  cloud storage: the SDK's uploads (PUT) and temp URLs (GET)
 *   POST /storage/upload, GET /storage/files/products/*  the browser build's picture upload (dev identity) and the
 *                        public product pictures it shows for cloud:// ids
 *   /assets/*            demo images;   /  the h5 build with the dev bar injected
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import type { Clock } from './clock';
import type { DatabaseEngine } from './database';
import { MAX_PAYLOAD_BYTES, payloadProblem } from '../types/payloadLimits';
import { ERRORS } from '../types/errors';
import { CloudError } from './errors';
import type { FunctionHost } from './functions';
import type { DatabaseHolds } from './holds';
import type { Sessions } from './sessions';
import type { KeyPair } from './signing';
import { verifySignature } from './signing';
import type { Timers } from './timers';
import { DEVBAR_SCRIPT } from './devbar';
import { demoImage } from './seed';
import { PayError } from './payments';
import type { LocalPayments } from './payments';
import type { LocalPayouts } from './payouts';
import { boundaryOf, parseMultipart } from './multipart';
import { GATEWAY_UPLOAD_PATH, LocalStorage, PUBLIC_PREFIX, readRaw, SERVE_PREFIX, UPLOAD_PREFIX } from './storage';
import { MAX_IMAGE_BYTES } from '../types/imageUpload';
import { LOST_ANSWER, type LocalWxOpenApi } from './wxopenapi';

const MAX_BODY = 16 * 1024 * 1024;

export interface ServerDeps {
  engine: DatabaseEngine;
  host: FunctionHost;
  clock: Clock;
  sessions: Sessions;
  timers: Timers;
  keys: KeyPair;
  envId: string;
  appDir: string | null;
  dev: {
    reset: () => Promise<void>;
    seed: () => void;
    identities: () => { openid: string; label: string; nickname?: string }[];
  };
  log: (msg: string) => void;
  /** The local payment system (`/__pay/*`), when the local cloud runs one. */
  payments?: LocalPayments;
  /** The local payout provider (WeChat Pay 商家转账 simulated, `/__payout/*`). */
  payouts?: LocalPayouts;
  /** Cloud storage (storage.* actions, uploads and temp URLs). */
  storage?: LocalStorage;
  /** WeChat open APIs (wx.api subscribeMessage.send with its inbox, wx.openApi wxacode.getUnlimited). */
  wx?: LocalWxOpenApi;
  /** Database requests a test holds back (`/__dev/db/hold`). */
  holds?: DatabaseHolds;
}

/** Request ids for answers and logs: unique per process, not secret (a counter after a random prefix). */
const REQUEST_PREFIX = crypto.randomBytes(4).toString('hex');
let requestSeq = 0;
const requestId = () => `${REQUEST_PREFIX}${(++requestSeq).toString(16).padStart(8, '0')}`;

function send(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, { 'content-type': typeof body === 'string' ? 'text/plain; charset=utf-8' : 'application/json; charset=utf-8', ...headers });
  res.end(text);
}

/** A body past the route's limit (the gateway tells it apart from a malformed one). */
class BodyTooLarge extends CloudError {
  constructor() {
    super('INVALID_PARAM', 'request body too large');
  }
}

function readBody(req: http.IncomingMessage, limit = MAX_BODY): Promise<string> {
  return readBytes(req, limit).then((b) => b.toString('utf8'));
}

/** Past the limit it keeps reading and discarding: destroying the socket dropped the connection with no answer. */
function readBytes(req: http.IncomingMessage, limit = MAX_BODY): Promise<Buffer> {
  return readRaw(req, limit).catch((e) => {
    throw e instanceof Error && e.message === 'body too large' ? new BodyTooLarge() : e;
  });
}

/** decodeURIComponent that answers null for a malformed escape instead of throwing (which became a 500). */
function safeDecode(s: string): string | null {
  try {
    return decodeURIComponent(s);
  } catch {
    return null;
  }
}

function parseJsonObject(text: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new CloudError('INVALID_PARAM', 'request body is not valid JSON');
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new CloudError('INVALID_PARAM', 'request body must be a JSON object');
  return value as Record<string, unknown>;
}

/** No Origin (a tool, the SDK, a same-origin GET), or a page served from this machine (any port). */
function localOrigin(origin: string | undefined): boolean {
  if (origin === undefined) return true;
  try {
    const { protocol, hostname } = new URL(origin);
    return (protocol === 'http:' || protocol === 'https:') && ['localhost', '127.0.0.1', '[::1]'].includes(hostname);
  } catch {
    return false;
  }
}

const CORS = {
  'access-control-allow-origin': '*',
  'access-control-allow-headers': 'authorization, content-type',
  'access-control-allow-methods': 'GET, POST, OPTIONS',
};

export function createServer(deps: ServerDeps): http.Server {
  const server = http.createServer((req, res) => {
    handle(deps, req, res).catch((e) => {
      deps.log(`unexpected error: ${(e as Error).stack ?? e}`);
      if (!res.headersSent) send(res, 500, { code: 'INTERNAL', message: 'internal error' });
      else res.end();
    });
  });
  server.keepAliveTimeout = 5000;
  return server;
}

async function handle(deps: ServerDeps, req: http.IncomingMessage, res: http.ServerResponse) {
  let url: URL;
  try {
    url = new URL(req.url ?? '/', 'http://local');
  } catch {
    // An unparsable request target (e.g. "//[") used to throw here and answer 500.
    return send(res, 400, { code: 'INVALID_PARAM', message: 'bad request target' });
  }
  const p = url.pathname;
  // A page of another site the developer has open may send requests here (a plain POST needs no preflight, so CORS
  // alone would not stop one): only pages of this machine may (the app itself, a dev server on localhost). Tools and
  // the SDK send no Origin.
  if (!localOrigin(req.headers.origin)) return send(res, 403, { ok: false, code: 'FORBIDDEN', message: 'cross-site request refused' });
  if (req.method === 'OPTIONS') return send(res, 204, '', CORS);
  if (p === '/admin' || p.startsWith('/admin/')) return admin(deps, req, res, url);
  if (p.startsWith('/fn/')) return gateway(deps, req, res, safeDecode(p.slice(4)) ?? '');
  if (p.startsWith('/__dev/')) return dev(deps, req, res, p.slice(7), url.searchParams);
  if (p.startsWith('/__pay/') && deps.payments) return pay(deps.payments, req, res, p.slice(7));
  if (p.startsWith('/__payout/') && deps.payouts) return deps.payouts.handle(req, res, p.slice('/__payout'.length));
  if (p.startsWith(UPLOAD_PREFIX) && deps.storage) return deps.storage.upload(req, res, p.slice(UPLOAD_PREFIX.length));
  if (p.startsWith(SERVE_PREFIX) && deps.storage && (req.method === 'GET' || req.method === 'HEAD')) return deps.storage.serve(req, res, p.slice(SERVE_PREFIX.length), url.searchParams);
  if (p === GATEWAY_UPLOAD_PATH && deps.storage) return uploadImage(deps, deps.storage, req, res);
  if (p.startsWith(PUBLIC_PREFIX) && deps.storage && (req.method === 'GET' || req.method === 'HEAD')) return deps.storage.servePublic(req, res, p.slice(PUBLIC_PREFIX.length));
  if (p.startsWith('/assets/demo/')) {
    const svg = demoImage(path.basename(p, '.svg'));
    if (!svg) return send(res, 404, 'not found');
    res.writeHead(200, { 'content-type': 'image/svg+xml', 'cache-control': 'public, max-age=3600' });
    return res.end(svg);
  }
  return serveApp(deps, req, res, p);
}

async function admin(deps: ServerDeps, req: http.IncomingMessage, res: http.ServerResponse, url: URL) {
  const rid = requestId();
  if (req.method !== 'POST') return send(res, 200, { code: 'INVALID_PARAM', message: 'use POST', requestId: rid });
  try {
    // JSON, except the open-API calls that carry bytes (wx.openApi, wx.wxPayApi …): multipart/form-data.
    const raw = await readBytes(req);
    const boundary = boundaryOf(req.headers['content-type']);
    const body: Record<string, unknown> = boundary ? parseMultipart(raw, boundary) : parseJsonObject(raw.toString('utf8'));
    const rawQuery = (req.url ?? '').includes('?') ? (req.url ?? '').slice((req.url ?? '').indexOf('?') + 1) : '';
    const verdict = verifySignature({
      keys: deps.keys,
      method: 'post',
      host: String(req.headers.host ?? ''),
      path: url.pathname,
      rawQuery,
      headers: req.headers,
      body,
      nowSeconds: Math.floor(Date.now() / 1000),
    });
    if (!verdict.ok) return send(res, 200, { code: 'SIGN_PARAM_INVALID', message: `[AuthFailure.SignatureFailure] ${verdict.reason}`, requestId: rid });
    const action = body.action;
    if (typeof action !== 'string') throw new CloudError('INVALID_PARAM', 'action is required');
    if (action.startsWith('database.')) {
      checkDatabaseParams(body);
      const held = deps.holds?.wait(action, body);
      if (held === 'fail' || (held && (await held) === 'fail')) throw new CloudError('DATABASE_REQUEST_FAILED', 'request failed (a failing /__dev/db/hold, or one a reset let go)');
      return send(res, 200, { requestId: rid, ...deps.engine.handle(action, body) });
    }
    if (action === 'functions.invokeFunction') {
      const name = body.function_name;
      if (typeof name !== 'string') throw new CloudError('INVALID_PARAM', 'function_name is required');
      let data: unknown = {};
      let raw: string | undefined;
      if (typeof body.request_data === 'string' && body.request_data !== '') {
        try {
          data = JSON.parse(body.request_data);
          raw = body.request_data;
        } catch {
          throw new CloudError('INVALID_PARAM', 'request_data must be JSON');
        }
      }
      // The function gets request_data as sent (however deep: its handler refuses what it cannot take, as in production).
      const result = await deps.host.invoke(name, data, { source: 'server' }, raw);
      return send(res, 200, { requestId: rid, data: { response_data: JSON.stringify(result ?? null) } });
    }
    if (action.startsWith('storage.') && deps.storage) return send(res, 200, { requestId: rid, ...deps.storage.handle(action, body) });
    if (action === 'wx.api' && deps.wx) {
      const responseData = deps.wx.callApi(body.apiName, body.requestData);
      // Delivered, and the answer lost on the way back (the dev switch): the caller sees the connection drop.
      if (responseData === LOST_ANSWER) return void res.socket?.destroy();
      return send(res, 200, { requestId: rid, data: { responseData } });
    }
    if (action === 'wx.openApi' && deps.wx) {
      // The raw answer: the SDK hands the bytes to the caller (and parses them only when typed as JSON).
      const out = await deps.wx.callOpenApi(body.apiName, body.requestData);
      res.writeHead(200, { 'content-type': out.contentType, 'content-length': String(out.body.length) });
      return res.end(out.body);
    }
    throw new CloudError('INVALID_PARAM', `action ${action} is not supported by the local cloud`);
  } catch (e) {
    if (e instanceof CloudError) return send(res, 200, { code: e.code, message: e.message, requestId: rid });
    deps.log(`admin error: ${(e as Error).stack ?? e}`);
    return send(res, 200, { code: 'SYS_ERR', message: (e as Error).message, requestId: rid });
  }
}

/**
 * The types the SDK always sends for the database parameters whose meaning depends on type. The signature hashes
 * `false` and `"false"` (and `5` and `"5"`) alike, so a replayed request could otherwise flip a flag such as `multi`.
 */
function checkDatabaseParams(body: Record<string, unknown>) {
  for (const k of ['multi', 'merge', 'upsert']) {
    if (body[k] !== undefined && typeof body[k] !== 'boolean') throw new CloudError('INVALID_PARAM', `${k} must be a boolean`);
  }
  for (const k of ['limit', 'offset']) {
    if (body[k] !== undefined && typeof body[k] !== 'number') throw new CloudError('INVALID_PARAM', `${k} must be a number`);
  }
  if (body.queryType !== undefined && body.queryType !== 'WHERE' && body.queryType !== 'DOC') {
    throw new CloudError('INVALID_PARAM', 'queryType must be WHERE or DOC');
  }
}

/** The caller's openid from `Authorization: Bearer <dev session token>`, or null. */
function bearerOpenid(deps: ServerDeps, req: http.IncomingMessage): string | null {
  const auth = String(req.headers.authorization ?? '');
  try {
    return deps.sessions.verify(auth.startsWith('Bearer ') ? auth.slice(7) : undefined);
  } catch {
    // Sessions.verify throws on a signature of the right length in characters but not in bytes (was a 500).
    return null;
  }
}

/**
 * POST /storage/upload: a product picture from the browser build (the body is the file), as the tab's dev identity,
 * like Taro.cloud.uploadFile in WeChat → {ok: true, data: {fileID}}. Refused with the catalogue's codes and the
 * picture rules' own messages: 401 UNAUTHENTICATED, 413 IMAGE_TOO_LARGE (over 2 MB), 415 IMAGE_TYPE_UNSUPPORTED
 * (the bytes are not a JPEG, PNG or WebP); nothing is stored then.
 */
async function uploadImage(deps: ServerDeps, storage: LocalStorage, req: http.IncomingMessage, res: http.ServerResponse) {
  if (req.method !== 'POST') return send(res, 405, { ok: false, code: 'INVALID_ARGUMENT', message: '请使用 POST' }, CORS);
  const openid = bearerOpenid(deps, req);
  if (!openid) return send(res, 401, { ok: false, code: 'UNAUTHENTICATED', message: ERRORS.UNAUTHENTICATED }, CORS);
  // Past the limit the rest is read and dropped (readRaw), so the client gets the answer rather than a reset.
  const body = await readRaw(req, MAX_IMAGE_BYTES).catch((e: Error) => {
    if (e.message === 'body too large') return null;
    throw e;
  });
  const out = storage.storeImage(body);
  if (!out.ok) return send(res, out.status, { ok: false, code: out.code, message: out.message }, CORS);
  deps.log(`upload ${out.path} (${body?.length ?? 0} bytes) by ${openid}`);
  return send(res, 200, { ok: true, data: { fileID: out.fileID } }, CORS);
}

async function gateway(deps: ServerDeps, req: http.IncomingMessage, res: http.ServerResponse, name: string) {
  if (req.method !== 'POST') return send(res, 405, { ok: false, code: 'INVALID_ARGUMENT', message: '请使用 POST' }, CORS);
  const openid = bearerOpenid(deps, req);
  if (!openid) return send(res, 401, { ok: false, code: 'UNAUTHENTICATED', message: '请先登录' }, CORS);
  if (!deps.host.has(name)) return send(res, 404, { ok: false, code: 'UNKNOWN_ACTION', message: '不支持的操作' }, CORS);
  let event: Record<string, unknown>;
  let text: string;
  try {
    text = await readBody(req, MAX_PAYLOAD_BYTES);
    event = parseJsonObject(text);
  } catch (e) {
    const code = e instanceof BodyTooLarge ? 'REQUEST_TOO_LARGE' : 'INVALID_ARGUMENT';
    return send(res, 400, { ok: false, code, message: ERRORS[code] }, CORS);
  }
  // JSON.parse takes any depth; what comes after it (the worker's message, the function) must not get a body nested
  // thousands deep (the same check the function's handler makes on every event).
  const tooMuch = payloadProblem(event);
  if (tooMuch) return send(res, 400, { ok: false, code: tooMuch, message: ERRORS[tooMuch] }, CORS);
  try {
    const result = await deps.host.invoke(name, event, { openid, source: 'wx_client' }, text);
    return send(res, 200, result ?? null, CORS);
  } catch (e) {
    deps.log(`function ${name} failed: ${(e as Error).message}`);
    return send(res, 502, { ok: false, code: 'INTERNAL', message: '服务开小差了，请稍后重试' }, CORS);
  }
}

async function dev(deps: ServerDeps, req: http.IncomingMessage, res: http.ServerResponse, route: string, query: URLSearchParams) {
  // A body over the limit is a bad request like any other bad body (it used to escape as a 500).
  const body = req.method === 'POST' ? await readBody(req).then((t) => (t ? safeJson(t) : {}), () => null) : {};
  if (body === null) return send(res, 400, { error: 'body must be a JSON object' }, CORS);
  switch (`${req.method} ${route}`) {
    case 'GET devbar.js':
      res.writeHead(200, { 'content-type': 'application/javascript; charset=utf-8', 'cache-control': 'no-store' });
      return res.end(DEVBAR_SCRIPT);
    case 'POST login': {
      const { Sessions } = await import('./sessions');
      if (!Sessions.validOpenid(body.openid)) return send(res, 400, { error: 'openid must match [A-Za-z0-9_-]{1,64}' }, CORS);
      return send(res, 200, { token: deps.sessions.issue(body.openid) }, CORS);
    }
    case 'GET identities':
      return send(res, 200, { identities: deps.dev.identities() }, CORS);
    case 'GET clock':
      return send(res, 200, clockState(deps), CORS);
    case 'POST clock': {
      const before = deps.clock.now();
      if (body.reset === true) deps.clock.reset();
      else if (typeof body.advanceMs === 'number' && Number.isFinite(body.advanceMs)) deps.clock.advance(body.advanceMs);
      else if (typeof body.setMs === 'number' && Number.isFinite(body.setMs)) deps.clock.set(body.setMs);
      else return send(res, 400, { error: 'give advanceMs, setMs or reset: true' }, CORS);
      if (deps.clock.now() < before) deps.timers.replan();
      await deps.timers.fireDue();
      return send(res, 200, clockState(deps), CORS);
    }
    case 'GET timers':
      return send(res, 200, { timers: deps.timers.list() }, CORS);
    case 'POST timers/fire': {
      const ok = await deps.timers.fireNow(String(body.name ?? ''));
      return send(res, ok ? 200 : 404, { fired: ok, timers: deps.timers.list() }, CORS);
    }
    case 'POST reset':
      await deps.dev.reset();
      return send(res, 200, { reset: true }, CORS);
    case 'POST seed':
      deps.dev.seed();
      return send(res, 200, { seeded: true }, CORS);
    case 'GET stats':
      return send(res, 200, { database: deps.engine.stats, invocations: deps.host.invocations, functions: deps.host.load() }, CORS);
    case 'GET inbox':
      if (!deps.wx) break;
      return send(res, 200, { messages: deps.wx.inbox(query.get('openid')), ...deps.wx.failureState() }, CORS);
    case 'POST inbox/fail':
      if (!deps.wx) break;
      try {
        return send(res, 200, deps.wx.setFailure(body), CORS);
      } catch (e) {
        return send(res, 400, { error: (e as Error).message }, CORS);
      }
    case 'POST db/hold':
      if (!deps.holds) break;
      try {
        return send(res, 200, deps.holds.arm(body), CORS);
      } catch (e) {
        return send(res, 400, { error: (e as Error).message }, CORS);
      }
    case 'GET db/hold':
      if (!deps.holds) break;
      return send(res, 200, deps.holds.state(query.get('id') ?? ''), CORS);
    case 'POST db/release':
      if (!deps.holds) break;
      return send(res, 200, deps.holds.release(String(body.id ?? '')), CORS);
    case 'GET files':
      if (!deps.storage) break;
      return send(res, 200, { files: deps.storage.list() }, CORS);
  }
  return send(res, 404, { error: `no dev endpoint ${req.method} /__dev/${route}` }, CORS);
}

/** The local payment system: the shop function's provider calls it, and the app's confirmation sheet confirms. */
async function pay(payments: LocalPayments, req: http.IncomingMessage, res: http.ServerResponse, route: string) {
  const body = req.method === 'POST' ? await readBody(req).then((t) => (t ? safeJson(t) : {}), () => null) : {};
  if (body === null) return send(res, 400, { code: 'PARAM_ERROR', message: 'body must be a JSON object' }, CORS);
  try {
    return send(res, 200, await payments.handle(req.method ?? 'GET', route, body), CORS);
  } catch (e) {
    if (e instanceof PayError) return send(res, e.status, { code: e.code, message: e.message }, CORS);
    throw e;
  }
}

function clockState(deps: ServerDeps) {
  const now = deps.clock.now();
  return { now, iso: new Date(now).toISOString(), offsetMs: deps.clock.offset() };
}

function safeJson(text: string): Record<string, unknown> | null {
  try {
    const v = JSON.parse(text);
    return v && typeof v === 'object' && !Array.isArray(v) ? v : null;
  } catch {
    return null;
  }
}

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'application/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.svg': 'image/svg+xml',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
};

function serveApp(deps: ServerDeps, req: http.IncomingMessage, res: http.ServerResponse, p: string) {
  if (!deps.appDir || !fs.existsSync(path.join(deps.appDir, 'index.html'))) {
    return send(res, 404, 'The app is not built. Run `npm start` (or `npm run build:h5`) to serve it here.');
  }
  const root = path.resolve(deps.appDir);
  const decoded = safeDecode(p);
  if (decoded === null) return send(res, 400, 'bad path');
  let file = path.resolve(root, `.${decoded}`);
  if (!file.startsWith(root)) return send(res, 403, 'forbidden');
  if (!fs.existsSync(file) || fs.statSync(file).isDirectory()) file = path.join(root, 'index.html');
  const ext = path.extname(file);
  if (file.endsWith('index.html')) {
    const html = fs.readFileSync(file, 'utf8').replace('</body>', '<script src="/__dev/devbar.js"></script></body>');
    res.writeHead(200, { 'content-type': MIME['.html'], 'cache-control': 'no-store' });
    return res.end(html);
  }
  res.writeHead(200, { 'content-type': MIME[ext] ?? 'application/octet-stream', 'cache-control': 'public, max-age=300' });
  fs.createReadStream(file).pipe(res);
}
