/**
 * The browser build's picture upload from the page's side (src/services/images.ts, ImageManager's check): the file
 * goes to POST /storage/upload with the tab's dev token (one retry with a fresh token on a 401), the fileID comes
 * back, a refusal is a CloudError carrying the local cloud's message; a cloud:// id is shown through the public link;
 * a chosen file is checked by its MIME type when the browser gives one, else by its name. Source modules with a
 * mocked `fetch` (the whole flow in Chromium is test/e2e/merchant-loop.test.ts).
 */
import { IMAGE_SIZE_MESSAGE, IMAGE_TYPE_MESSAGE, MAX_IMAGE_BYTES } from '../../types/imageUpload';

jest.mock('@tarojs/taro', () => ({ __esModule: true, default: {} }));
jest.mock('@tarojs/components', () => ({ __esModule: true, Image: 'image', Text: 'text', View: 'view' }));
jest.mock('../../src/packages/merchant/components/ImageManager.css', () => ({}));

type Sent = { url: string; method: string; headers: Record<string, string>; body: unknown };
let sent: Sent[];
let replies: { status: number; body: unknown }[];

const fetchMock = jest.fn(async (url: string, init: { method: string; headers: Record<string, string>; body: unknown }) => {
  sent.push({ url, method: init.method, headers: init.headers, body: init.body });
  if (url.endsWith('/__dev/login')) return { ok: true, status: 200, json: async () => ({ token: 'tok-fresh' }) };
  const r = replies.shift();
  if (!r) throw new Error(`unexpected fetch ${url}`);
  return { ok: r.status < 300, status: r.status, json: async () => r.body };
});

function load() {
  let images!: typeof import('../../src/services/images');
  let cloud!: typeof import('../../src/services/cloud');
  let manager!: typeof import('../../src/packages/merchant/components/ImageManager');
  jest.isolateModules(() => {
    images = require('../../src/services/images');
    cloud = require('../../src/services/cloud');
    manager = require('../../src/packages/merchant/components/ImageManager');
  });
  return { ...images, CloudError: cloud.CloudError, imageFileProblem: manager.imageFileProblem };
}

beforeAll(() => {
  process.env.TARO_ENV = 'h5';
  (globalThis as any).fetch = fetchMock;
});

beforeEach(() => {
  sent = [];
  replies = [];
  sessionStorage.clear();
  process.env.TARO_APP_CLOUD_URL = 'http://127.0.0.1:9000';
});

test('the File goes to /storage/upload with the tab token and its type; the fileID comes back', async () => {
  sessionStorage.setItem('tsfy.devToken', 'tok-tab');
  replies = [{ status: 200, body: { ok: true, data: { fileID: 'cloud://local.local-local-1300000000/products/1-ab.png' } } }];
  const { uploadPicture } = load();
  const file = new Blob([new Uint8Array([0x89, 0x50])], { type: 'image/png' });
  await expect(uploadPicture(file)).resolves.toBe('cloud://local.local-local-1300000000/products/1-ab.png');
  expect(sent).toEqual([{ url: 'http://127.0.0.1:9000/storage/upload', method: 'POST', headers: { 'Content-Type': 'image/png', Authorization: 'Bearer tok-tab' }, body: file }]);
});

test('a stale token gets one fresh login and the same file again', async () => {
  sessionStorage.setItem('tsfy.devToken', 'tok-stale');
  sessionStorage.setItem('tsfy.devOpenid', 'demo-merchant');
  replies = [
    { status: 401, body: { ok: false, code: 'UNAUTHENTICATED', message: '请先登录' } },
    { status: 200, body: { ok: true, data: { fileID: 'cloud://x/products/2.png' } } },
  ];
  const { uploadPicture } = load();
  const file = new Blob(['x'], { type: 'image/png' });
  await expect(uploadPicture(file)).resolves.toBe('cloud://x/products/2.png');
  expect(sent.map((s) => [s.url.replace('http://127.0.0.1:9000', ''), s.headers.Authorization])).toEqual([
    ['/storage/upload', 'Bearer tok-stale'],
    ['/__dev/login', undefined],
    ['/storage/upload', 'Bearer tok-fresh'],
  ]);
  expect(sent[2].body).toBe(file);
});

test("the local cloud's refusal is a CloudError with its message; no answer is NETWORK", async () => {
  sessionStorage.setItem('tsfy.devToken', 'tok');
  replies = [
    { status: 415, body: { ok: false, code: 'IMAGE_TYPE_UNSUPPORTED', message: IMAGE_TYPE_MESSAGE } },
    { status: 413, body: { ok: false, code: 'IMAGE_TOO_LARGE', message: IMAGE_SIZE_MESSAGE } },
    { status: 502, body: undefined },
  ];
  const { uploadPicture, CloudError } = load();
  const file = new Blob(['x'], { type: 'image/png' });
  await expect(uploadPicture(file)).rejects.toEqual(expect.objectContaining({ code: 'IMAGE_TYPE_UNSUPPORTED', message: IMAGE_TYPE_MESSAGE }));
  await expect(uploadPicture(file)).rejects.toEqual(expect.objectContaining({ code: 'IMAGE_TOO_LARGE', message: IMAGE_SIZE_MESSAGE }));
  const err = await uploadPicture(file).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(CloudError);
  expect(err).toMatchObject({ code: 'NETWORK' });
});

test('a cloud:// id is shown through the public link; links and paths pass through', () => {
  const { pictureSrc } = load();
  expect(pictureSrc('cloud://local.local-local-1300000000/products/1-ab 图.png')).toBe('http://127.0.0.1:9000/storage/files/products/1-ab%20%E5%9B%BE.png');
  expect(pictureSrc('https://img.example.com/a.png')).toBe('https://img.example.com/a.png');
  expect(pictureSrc('/assets/demo/p-tea.svg')).toBe('/assets/demo/p-tea.svg');
  expect(pictureSrc('')).toBe('');
  expect(pictureSrc(null)).toBeNull();
});

test('a chosen file is checked by its MIME type when it has one (a blob: path has no name), else by its name', () => {
  const { imageFileProblem } = load();
  const blob = 'blob:http://127.0.0.1:9000/0b6f';
  expect(imageFileProblem({ path: blob, size: 1000, type: 'image/png', name: 'a.png' })).toBeNull();
  expect(imageFileProblem({ path: blob, size: 1000, type: 'image/webp' })).toBeNull();
  expect(imageFileProblem({ path: blob, size: 1000, type: 'image/jpeg', name: 'IMG_0001.JPG' })).toBeNull();
  expect(imageFileProblem({ path: blob, size: 1000, type: 'image/gif', name: 'a.png' })).toBe(IMAGE_TYPE_MESSAGE);
  expect(imageFileProblem({ path: blob, size: 1000, type: 'image/heic', name: 'a.heic' })).toBe(IMAGE_TYPE_MESSAGE);
  expect(imageFileProblem({ path: blob, size: 1000, type: '', name: 'photo.webp' })).toBeNull();
  expect(imageFileProblem({ path: blob, size: 1000, type: '', name: 'notes.txt' })).toBe(IMAGE_TYPE_MESSAGE);
  expect(imageFileProblem({ path: blob, size: MAX_IMAGE_BYTES, type: 'image/png' })).toBeNull();
  expect(imageFileProblem({ path: blob, size: MAX_IMAGE_BYTES + 1, type: 'image/png' })).toBe(IMAGE_SIZE_MESSAGE);
  // weapp: a path with an extension and no type, as before.
  expect(imageFileProblem({ path: 'wxfile://tmp/a.jpeg', size: 1000 })).toBeNull();
  expect(imageFileProblem({ path: 'wxfile://tmp/a.gif', size: 1000 })).toBe(IMAGE_TYPE_MESSAGE);
});
