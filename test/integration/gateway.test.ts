/**
 * The browser gateway `POST /fn/<name>`: identity comes only from a signed dev session (Bearer token), never from the
 * body; every refusal is an envelope `{ok:false, code, message}` with the right HTTP status.
 */
import crypto from 'node:crypto';
import { startTestCloud, TestCloud } from '../support/cloud';
import { databaseHash } from '../support/fuzz';
import { rawPost, signRequest } from '../support/sign';

/* eslint-disable @typescript-eslint/no-explicit-any */
let t: TestCloud;
beforeAll(async () => {
  t = await startTestCloud();
});
afterAll(() => t.close());

async function call(fn: string, body: string, headers: Record<string, string> = {}) {
  const res = await fetch(`${t.cloud.url}/fn/${fn}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
  const text = await res.text();
  let json: any;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, json, text };
}
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const LOGIN = JSON.stringify({ action: 'login' });

function expectEnvelope(r: { status: number; json: any }, status: number, code: string) {
  expect(r.status).toBe(status);
  expect(r.json).toEqual({ ok: false, code, message: expect.any(String) });
}

/** A token signed with the cloud's real session secret (read from its store), so only the expiry is wrong. */
function tokenWith(openid: string, expires: number): string {
  const secret = Buffer.from(t.cloud.store.meta('sessionSecret')!, 'hex');
  const payload = `${Buffer.from(openid).toString('base64url')}.${expires}`;
  return `${payload}.${crypto.createHmac('sha256', secret).update(payload).digest('base64url')}`;
}

describe('who may call', () => {
  it('no token → 401 UNAUTHENTICATED', async () => {
    expectEnvelope(await call('user', LOGIN), 401, 'UNAUTHENTICATED');
    expectEnvelope(await call('user', LOGIN, { authorization: '' }), 401, 'UNAUTHENTICATED');
    expectEnvelope(await call('user', LOGIN, { authorization: 'Bearer' }), 401, 'UNAUTHENTICATED');
    expectEnvelope(await call('user', LOGIN, { authorization: 'Bearer ' }), 401, 'UNAUTHENTICATED');
  });

  it('forged tokens → 401 UNAUTHENTICATED', async () => {
    const real = await t.login('demo-shopper-a');
    const [, exp, sig] = real.split('.');
    const forgedOpenid = `${Buffer.from('demo-merchant').toString('base64url')}.${exp}.${sig}`;
    for (const token of [
      'garbage',
      'a.b.c',
      forgedOpenid, // someone else's openid under my signature
      `${real.split('.')[0]}.${Number(exp) + 1000}.${sig}`, // extended expiry
      `${real}x`,
      real.slice(0, -1),
      `${real}.extra`,
      `${forgedOpenid.split('.').slice(0, 2).join('.')}.${crypto.createHmac('sha256', 'guess').update('x').digest('base64url')}`,
      `${Buffer.from('demo-merchant').toString('base64url')}.${exp}.${'é'.repeat(43)}`,
    ]) {
      expectEnvelope(await call('user', LOGIN, bearer(token)), 401, 'UNAUTHENTICATED');
    }
    expectEnvelope(await call('user', LOGIN, { authorization: real }), 401, 'UNAUTHENTICATED'); // no "Bearer "
    expectEnvelope(await call('user', LOGIN, { authorization: `Basic ${real}` }), 401, 'UNAUTHENTICATED');
  });

  it('an expired token (correctly signed) → 401 UNAUTHENTICATED; the same token unexpired → accepted', async () => {
    expectEnvelope(await call('user', LOGIN, bearer(tokenWith('demo-shopper-a', Date.now() - 1000))), 401, 'UNAUTHENTICATED');
    expectEnvelope(await call('user', LOGIN, bearer(tokenWith('demo-shopper-a', 0))), 401, 'UNAUTHENTICATED');
    expectEnvelope(await call('user', LOGIN, bearer(tokenWith('demo-shopper-a', NaN))), 401, 'UNAUTHENTICATED');
    const ok = await call('user', LOGIN, bearer(tokenWith('demo-shopper-a', Date.now() + 60_000)));
    expect(ok.status).toBe(200);
    expect(ok.json).toMatchObject({ ok: true, data: { openid: 'demo-shopper-a' } });
  });

  it('a correctly signed token naming an invalid openid → 401', async () => {
    expectEnvelope(await call('user', LOGIN, bearer(tokenWith('bad openid!', Date.now() + 60_000))), 401, 'UNAUTHENTICATED');
    expectEnvelope(await call('user', LOGIN, bearer(tokenWith('', Date.now() + 60_000))), 401, 'UNAUTHENTICATED');
  });
});

describe('bad requests with a valid token', () => {
  let token: string;
  beforeAll(async () => {
    token = await t.login('gw-user-1');
  });

  it('unknown function → 404 envelope', async () => {
    for (const fn of ['nope', 'USER', '..%2Fuser', 'user%00', 'user%2F', 'a'.repeat(100), '%E0%A4%A', '%ZZ', 'constructor', '__proto__']) {
      expectEnvelope(await call(fn, LOGIN, bearer(token)), 404, 'UNKNOWN_ACTION');
    }
  });

  it('an unknown function without a token is still 401 (no probing which functions exist)', async () => {
    expectEnvelope(await call('nope', LOGIN), 401, 'UNAUTHENTICATED');
  });

  it('malformed JSON → 400 envelope', async () => {
    for (const body of ['{', '', 'null', '[]', '"login"', '42', '{"action":"login"']) {
      expectEnvelope(await call('user', body, bearer(token)), 400, 'INVALID_ARGUMENT');
    }
  });

  it('a body over 16 MB → 400 REQUEST_TOO_LARGE, not a dropped connection', async () => {
    const r = await call('user', JSON.stringify({ action: 'login', pad: 'x'.repeat(17 * 1024 * 1024) }), bearer(token));
    expectEnvelope(r, 400, 'REQUEST_TOO_LARGE');
  });

  it('non-POST → 405 envelope', async () => {
    const res = await fetch(`${t.cloud.url}/fn/user`, { headers: bearer(token) });
    expect(res.status).toBe(405);
    expect(await res.json()).toMatchObject({ ok: false, code: 'INVALID_ARGUMENT' });
  });

  it('unknown action / bad payload → envelopes from the function', async () => {
    const r1 = await call('user', JSON.stringify({ action: 'dropAll' }), bearer(token));
    expect(r1.status).toBe(200);
    expect(r1.json).toMatchObject({ ok: false, code: 'UNKNOWN_ACTION' });
    const r2 = await call('user', JSON.stringify({ action: 'login', inviteCode: 5 }), bearer(token));
    expect(r2.json).toMatchObject({ ok: false, code: 'INVALID_ARGUMENT' });
    const r3 = await call('user', JSON.stringify({ action: 'login', source: 'nope' }), bearer(token));
    expect(r3.json).toMatchObject({ ok: false, code: 'INVALID_ARGUMENT' });
  });
});

describe('deep and oversized bodies: a 400 with a clear message, nothing written, the function still answers', () => {
  let token: string;
  beforeAll(async () => {
    token = await t.login('gw-deep');
  });
  const nested = (open: string, close: string, depth: number, inner = '1') => open.repeat(depth) + inner + close.repeat(depth);
  const noLatin = (message: string) => expect(message).not.toMatch(/[A-Za-z]/);

  async function expectRefused(fn: string, body: string, code: string) {
    const hash = databaseHash(t.cloud.store);
    const seq = t.cloud.store.seq;
    const r = await call(fn, body, bearer(token));
    expectEnvelope(r, 400, code);
    noLatin(r.json.message);
    expect(t.cloud.store.seq).toBe(seq);
    expect(databaseHash(t.cloud.store)).toBe(hash);
    return r.json.message as string;
  }

  it('arrays nested 10,000 and 100,000 deep → 400 REQUEST_TOO_DEEP (was a 502 INTERNAL: Maximum call stack)', async () => {
    for (const depth of [10_000, 100_000]) {
      const message = await expectRefused('shop', `{"action":"createOrder","items":${nested('[', ']', depth)}}`, 'REQUEST_TOO_DEEP');
      expect(message).toContain('64');
    }
  });

  it('objects nested deep, in any field and for any function → 400 REQUEST_TOO_DEEP', async () => {
    await expectRefused('user', `{"action":"login","inviteCode":${nested('{"a":', '}', 20_000)}}`, 'REQUEST_TOO_DEEP');
    await expectRefused('wallet', `{"action":"withdraw","amountFen":1,"requestId":"deep-0001","x":${nested('[{"b":', '}]', 5_000)}}`, 'REQUEST_TOO_DEEP');
  });

  it('64 levels pass the gate (the function answers); 65 do not', async () => {
    // The body object itself is level 1.
    const at = (levels: number) => `{"action":"login","pad":${nested('[', ']', levels - 1)}}`;
    const passed = await call('user', at(64), bearer(token));
    expect(passed.status).toBe(200);
    expect(passed.json).toMatchObject({ ok: false, code: 'INVALID_ARGUMENT' });
    await expectRefused('user', at(65), 'REQUEST_TOO_DEEP');
  });

  it('a body over 1 MB → 400 REQUEST_TOO_LARGE', async () => {
    // 400,000 characters of Chinese are 1.2 MB of UTF-8.
    await expectRefused('shop', JSON.stringify({ action: 'saveAddress', detail: '路'.repeat(400_000) }), 'REQUEST_TOO_LARGE');
    await expectRefused('user', JSON.stringify({ action: 'login', pad: Array.from({ length: 600_000 }, () => 1) }), 'REQUEST_TOO_LARGE');
  });

  it('after all that the same instance still answers', async () => {
    const r = await call('user', LOGIN, bearer(token));
    expect(r.json).toMatchObject({ ok: true, data: { openid: 'gw-deep' } });
  });

  it('the handler refuses a too-deep event itself (production gets events from CloudBase, not this gateway)', async () => {
    // functions.invokeFunction through /admin, signed as the SDK signs it: request_data reaches the function as sent.
    const hash = databaseHash(t.cloud.store);
    for (const [requestData, code] of [
      [`{"action":"createOrder","items":${nested('[', ']', 10_000)}}`, 'REQUEST_TOO_DEEP'],
      [`{"action":"paymentNotify","outTradeNo":${nested('{"a":', '}', 10_000)}}`, 'REQUEST_TOO_DEEP'],
      [JSON.stringify({ action: 'run', pad: 'x'.repeat(1_100_000) }), 'REQUEST_TOO_LARGE'],
    ] as const) {
      const fn = requestData.includes('"run"') ? 'settle' : 'shop';
      const body = { action: 'functions.invokeFunction', function_name: fn, request_data: requestData };
      const host = `127.0.0.1:${t.cloud.port}`;
      const headers = signRequest({ secretId: t.cloud.keys.secretId, secretKey: t.cloud.keys.secretKey, host, path: '/admin', query: 'env=local', body });
      const r = await rawPost(t.cloud.port, '/admin?env=local', headers, JSON.stringify(body));
      expect(r.status).toBe(200);
      expect(r.json.code).toBeUndefined();
      const result = JSON.parse(r.json.data.response_data);
      expect(result).toEqual({ ok: false, code, message: expect.any(String) });
      noLatin(result.message);
    }
    expect(databaseHash(t.cloud.store)).toBe(hash);
  });
});

describe('identity cannot be spoofed through the body', () => {
  it('a login with an extra openid field → INVALID_ARGUMENT, and nobody is created or touched', async () => {
    const token = await t.login('gw-spoofer');
    const before = t.cloud.store.get('users', 'someone-else');
    for (const extra of [{ openid: 'someone-else' }, { _openid: 'someone-else' }, { WX_OPENID: 'someone-else' }]) {
      const r = await call('user', JSON.stringify({ action: 'login', ...extra }), bearer(token));
      expect(r.status).toBe(200);
      expect(r.json).toMatchObject({ ok: false, code: 'INVALID_ARGUMENT' });
    }
    expect(t.cloud.store.get('users', 'someone-else')).toEqual(before);
    expect(t.cloud.store.get('users', 'gw-spoofer')).toBeUndefined();
  });

  it('userInfo, which WeChat injects into every call from the mini-program, is neither refused nor believed', async () => {
    // The platform's own userInfo rides along with every call (the local cloud injects it as WeChat does): accepted.
    const token = await t.login('gw-userinfo');
    const plain = await call('user', LOGIN, bearer(token));
    expect(plain.json).toMatchObject({ ok: true, data: { openid: 'gw-userinfo' } });
    // One the client wrote itself is replaced by the platform's, and identity comes from the context either way.
    const before = t.cloud.store.get('users', 'someone-else');
    const forged = await call('user', JSON.stringify({ action: 'login', userInfo: { openId: 'someone-else', appId: 'wx-forged' } }), bearer(token));
    expect(forged.json).toMatchObject({ ok: true, data: { openid: 'gw-userinfo', isNew: false } });
    expect(t.cloud.store.get('users', 'someone-else')).toEqual(before);
  });

  it('a valid login returns the openid of the token', async () => {
    const token = await t.login('gw-real-user');
    const r = await call('user', LOGIN, bearer(token));
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ ok: true, data: { openid: 'gw-real-user', isNew: true } });
    const again = await call('user', LOGIN, bearer(token));
    expect(again.json).toMatchObject({ ok: true, data: { openid: 'gw-real-user', isNew: false } });
    expect(t.cloud.store.get('users', 'gw-real-user')).toBeDefined();
  });

  it('a merchant-looking body does not make a shopper a merchant', async () => {
    const token = await t.login('gw-shopper-2');
    const r = await call('user', LOGIN, { ...bearer(token), 'x-wx-openid': 'demo-merchant', 'x-openid': 'demo-merchant' });
    expect(r.json).toMatchObject({ ok: true, data: { openid: 'gw-shopper-2' } });
    expect(r.json.data.roles).not.toContain('merchant');
  });
});

describe('requests from another site\'s page', () => {
  it('are refused before anything runs: a merchant token, a reset, a payment confirmation, a function call', async () => {
    const host = `127.0.0.1:${t.cloud.port}`;
    const evil = { host, origin: 'https://evil.example', 'content-type': 'text/plain' };
    const users = t.cloud.store.count('users');
    for (const [path, body] of [['/__dev/login', '{"openid":"demo-merchant"}'], ['/__dev/reset', '{}'], ['/__pay/confirm', '{"outTradeNo":"o-none"}'], ['/fn/user', LOGIN]] as const) {
      const res = await rawPost(t.cloud.port, path, evil, body);
      expect([path, res.status]).toEqual([path, 403]);
    }
    expect(t.cloud.store.count('users')).toBe(users);
    // A page of this machine (the app itself, a dev server on another port) may.
    for (const origin of [t.cloud.url, 'http://localhost:10086']) {
      const res = await rawPost(t.cloud.port, '/__dev/login', { host, origin }, '{"openid":"gw-local-page"}');
      expect([origin, res.status]).toEqual([origin, 200]);
    }
  });
});

describe('/__dev/login', () => {
  const login = (body: string) => fetch(`${t.cloud.url}/__dev/login`, { method: 'POST', body });

  it.each([
    ['missing openid', '{}'],
    ['empty openid', '{"openid":""}'],
    ['openid with spaces', '{"openid":"a b"}'],
    ['openid with a dot (token separator)', '{"openid":"a.b"}'],
    ['openid too long', JSON.stringify({ openid: 'a'.repeat(65) })],
    ['openid a number', '{"openid":42}'],
    ['openid an object', '{"openid":{"$ne":null}}'],
    ['openid an array', '{"openid":["demo-merchant"]}'],
    ['openid with unicode', '{"openid":"小安"}'],
    ['malformed JSON', '{"openid":'],
    ['JSON array', '["demo-merchant"]'],
  ])('%s → 400', async (_n, body) => {
    const res = await login(body);
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: expect.any(String) });
  });

  it('a body over 16 MB → 400, not a 500', async () => {
    const r = await rawPost(t.cloud.port, '/__dev/login', { host: `127.0.0.1:${t.cloud.port}` }, JSON.stringify({ openid: 'x', pad: 'y'.repeat(17 * 1024 * 1024) }));
    expect(r.status).toBe(400);
  });

  it('a valid openid → a token that works', async () => {
    const res = await login('{"openid":"gw_ok-1"}');
    expect(res.status).toBe(200);
    const { token } = (await res.json()) as { token: string };
    const r = await call('user', LOGIN, bearer(token));
    expect(r.json).toMatchObject({ ok: true, data: { openid: 'gw_ok-1' } });
  });
});
