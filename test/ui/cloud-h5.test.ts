/**
 * The browser transport of src/services/cloud.ts (the h5 build against the local cloud): dev login, bearer token,
 * one retry on 401, error mapping. Runs the source module with a mocked `fetch`.
 */
import { ERRORS } from '../../types/errors';

// @tarojs/taro ships ESM that jest cannot require; the h5 transport never touches it.
jest.mock('@tarojs/taro', () => ({ __esModule: true, default: {} }));

type Reply = { status: number; body: unknown } | Error;
type Sent = { url: string; headers: Record<string, string>; body: any };

let sent: Sent[];
let replies: Record<string, Reply[]>;

function reply(url: string): Reply {
  const path = url.replace(/^https?:\/\/[^/]+/, '');
  const queue = replies[path];
  if (!queue || queue.length === 0) throw new Error(`unexpected fetch ${path}`);
  return queue.length > 1 ? queue.shift()! : queue[0];
}

const fetchMock = jest.fn(async (url: string, init: { headers: Record<string, string>; body: string }) => {
  sent.push({ url, headers: init.headers, body: JSON.parse(init.body) });
  await new Promise((resolve) => setTimeout(resolve, 1));
  const r = reply(url);
  if (r instanceof Error) throw r;
  return { ok: r.status >= 200 && r.status < 300, status: r.status, json: async () => r.body };
});

function loadCloud(): typeof import('../../src/services/cloud') {
  let mod: typeof import('../../src/services/cloud') | undefined;
  jest.isolateModules(() => {
    mod = require('../../src/services/cloud');
  });
  return mod!;
}

beforeAll(() => {
  process.env.TARO_ENV = 'h5';
  (globalThis as any).fetch = fetchMock;
});

beforeEach(() => {
  sent = [];
  replies = {};
  sessionStorage.clear();
  delete process.env.TARO_APP_CLOUD_URL;
});

const products = { ok: true, data: { items: [], next: null } };

test('a fresh tab logs in as a new guest once, then calls the function with its token', async () => {
  replies['/__dev/login'] = [{ status: 200, body: { token: 'tok-1' } }];
  replies['/fn/shop'] = [{ status: 200, body: products }];
  const { callFunction } = loadCloud();

  const results = await Promise.all([
    callFunction('shop', 'listProducts', { pageSize: 5 }),
    callFunction('shop', 'listProducts', { cursor: 5, pageSize: 5 }),
  ]);
  expect(results).toEqual([products.data, products.data]);

  const logins = sent.filter((s) => s.url.endsWith('/__dev/login'));
  expect(logins).toHaveLength(1);
  expect(logins[0].body.openid).toMatch(/^guest-[a-z0-9]{10}$/);
  expect(sessionStorage.getItem('tsfy.devToken')).toBe('tok-1');
  expect(sessionStorage.getItem('tsfy.devOpenid')).toBe(logins[0].body.openid);

  const calls = sent.filter((s) => s.url.endsWith('/fn/shop'));
  expect(calls.map((c) => c.body)).toEqual([
    { action: 'listProducts', pageSize: 5 },
    { action: 'listProducts', cursor: 5, pageSize: 5 },
  ]);
  expect(calls.every((c) => c.headers.Authorization === 'Bearer tok-1')).toBe(true);
});

test('uses the token already in this tab and the configured base URL', async () => {
  process.env.TARO_APP_CLOUD_URL = 'http://127.0.0.1:9000/';
  sessionStorage.setItem('tsfy.devToken', 'tok-switched');
  replies['/fn/user'] = [{ status: 200, body: { ok: true, data: { openid: 'merchant-1' } } }];
  const { callFunction } = loadCloud();

  await callFunction('user', 'login', {});
  expect(sent).toHaveLength(1);
  expect(sent[0].url).toBe('http://127.0.0.1:9000/fn/user');
  expect(sent[0].headers.Authorization).toBe('Bearer tok-switched');
});

test('a 401 gets a fresh token for the same identity and retries once', async () => {
  sessionStorage.setItem('tsfy.devToken', 'tok-stale');
  sessionStorage.setItem('tsfy.devOpenid', 'guest-keepme0001');
  replies['/__dev/login'] = [{ status: 200, body: { token: 'tok-new' } }];
  replies['/fn/shop'] = [
    { status: 401, body: { ok: false, code: 'UNAUTHENTICATED', message: '' } },
    { status: 200, body: products },
  ];
  const { callFunction } = loadCloud();

  await expect(callFunction('shop', 'listProducts', {})).resolves.toEqual(products.data);
  expect(sent.map((s) => s.url)).toEqual(['/fn/shop', '/__dev/login', '/fn/shop']);
  expect(sent[1].body).toEqual({ openid: 'guest-keepme0001' });
  expect(sent[2].headers.Authorization).toBe('Bearer tok-new');
  expect(sessionStorage.getItem('tsfy.devToken')).toBe('tok-new');
});

test('a second 401 is reported, not retried forever', async () => {
  sessionStorage.setItem('tsfy.devToken', 'tok-stale');
  replies['/__dev/login'] = [{ status: 200, body: { token: 'tok-new' } }];
  replies['/fn/shop'] = [{ status: 401, body: { ok: false, code: 'UNAUTHENTICATED', message: '' } }];
  const { callFunction, CloudError } = loadCloud();

  const err = await callFunction('shop', 'listProducts', {}).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(CloudError);
  expect(err).toMatchObject({ code: 'UNAUTHENTICATED', message: ERRORS.UNAUTHENTICATED });
  expect(sent.filter((s) => s.url === '/fn/shop')).toHaveLength(2);
});

test('a 401 without an envelope (a proxy in front) still gets one retry', async () => {
  sessionStorage.setItem('tsfy.devToken', 'tok-stale');
  replies['/__dev/login'] = [{ status: 200, body: { token: 'tok-new' } }];
  replies['/fn/shop'] = [{ status: 401, body: 'Unauthorized' }, { status: 200, body: products }];
  const { callFunction } = loadCloud();
  await expect(callFunction('shop', 'listProducts', {})).resolves.toEqual(products.data);
});

test('domain errors carry the function message or the catalogue message; transport failures are NETWORK', async () => {
  sessionStorage.setItem('tsfy.devToken', 'tok');
  replies['/fn/shop'] = [
    { status: 200, body: { ok: false, code: 'PRODUCT_OFF_SALE', message: '这件商品刚刚下架了' } },
    { status: 200, body: { ok: false, code: 'PRODUCT_NOT_FOUND', message: '' } },
    { status: 502, body: 'Bad Gateway' },
    new TypeError('Failed to fetch'),
  ];
  const { callFunction } = loadCloud();
  const attempt = () => callFunction('shop', 'getProduct', { productId: 'p1' }).catch((e: { code: string; message: string }) => e);

  expect(await attempt()).toMatchObject({ code: 'PRODUCT_OFF_SALE', message: '这件商品刚刚下架了' });
  expect(await attempt()).toMatchObject({ code: 'PRODUCT_NOT_FOUND', message: ERRORS.PRODUCT_NOT_FOUND });
  expect(await attempt()).toMatchObject({ code: 'NETWORK', message: ERRORS.NETWORK });
  expect(await attempt()).toMatchObject({ code: 'NETWORK', message: ERRORS.NETWORK });
});

test('setTransport swaps the delivery for unit tests and null restores it', async () => {
  const { callFunction, setTransport } = loadCloud();
  setTransport(async (fn, body) => ({ ok: true, data: { fn, body } }));
  await expect(callFunction('shop', 'getProduct', { productId: 'p9' })).resolves.toEqual({
    fn: 'shop',
    body: { action: 'getProduct', productId: 'p9' },
  });
  setTransport(null);
  sessionStorage.setItem('tsfy.devToken', 'tok');
  replies['/fn/shop'] = [{ status: 200, body: products }];
  await expect(callFunction('shop', 'listProducts', {})).resolves.toEqual(products.data);
});
