/**
 * The browser build's picture upload on the local cloud's HTTP gateway (`POST /storage/upload`, issue 13): the body
 * is the file, the caller a dev session. The gateway checks the bytes again whatever the page checked — a JPEG, PNG
 * or WebP (by its magic number, not its name or declared type), at most 2 MB — and refuses anything else with the
 * catalogue's code and the picture rules' message, storing nothing. An accepted picture gets a `cloud://` fileID
 * that the real @cloudbase/node-sdk reads back (getTempFileURL, downloadFile), and the public link the browser
 * build shows for it (`/storage/files/products/…`) serves the same bytes; other folders are not public.
 */
import { PNG } from 'pngjs';
import { ERRORS } from '../../types/errors';
import { IMAGE_SIZE_MESSAGE, IMAGE_TYPE_MESSAGE, MAX_IMAGE_BYTES } from '../../types/imageUpload';
import { startTestCloud, TestCloud } from '../support/cloud';
import { makePng } from '../support/png';

let t: TestCloud;

beforeAll(async () => {
  t = await startTestCloud();
});

afterAll(async () => {
  await t?.close();
});

function png(width = 8, height = 8): Buffer {
  const bytes = makePng(width, height, () => [228, 57, 60, 255]);
  expect(PNG.sync.read(bytes)).toMatchObject({ width, height }); // a real PNG
  return bytes;
}

const JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.from('JFIF fake jpeg body'), Buffer.from([0xff, 0xd9])]);
const WEBP = Buffer.concat([Buffer.from('RIFF'), Buffer.from([20, 0, 0, 0]), Buffer.from('WEBPVP8 fake webp body')]);
const GIF = Buffer.from('GIF89a\x01\x00\x01\x00\x00\x00\x00;', 'latin1');

async function upload(body: Buffer | string, opts: { type?: string; token?: string | null; method?: string } = {}) {
  const token = opts.token === undefined ? await t.login('upload-merchant') : opts.token;
  const res = await fetch(`${t.cloud.url}/storage/upload`, {
    method: opts.method ?? 'POST',
    headers: { 'content-type': opts.type ?? 'application/octet-stream', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: opts.method === 'GET' ? undefined : typeof body === 'string' ? body : new Uint8Array(body),
  });
  return { status: res.status, body: (await res.json()) as { ok: boolean; data?: { fileID: string }; code?: string; message?: string } };
}

const storedPaths = async (): Promise<string[]> => (await t.dev('files')).files.map((f: { path: string }) => f.path);

describe('POST /storage/upload', () => {
  it('refuses a caller without a dev session, a GIF (even declared PNG), text named .png and other methods; nothing stored', async () => {
    const before = await storedPaths();
    expect(await upload(png(), { type: 'image/png', token: null })).toEqual({ status: 401, body: { ok: false, code: 'UNAUTHENTICATED', message: ERRORS.UNAUTHENTICATED } });
    expect(await upload(png(), { type: 'image/png', token: 'forged.123.abc' })).toMatchObject({ status: 401 });
    const refusedType = { status: 415, body: { ok: false, code: 'IMAGE_TYPE_UNSUPPORTED', message: IMAGE_TYPE_MESSAGE } };
    expect(await upload(GIF, { type: 'image/png' })).toEqual(refusedType);
    expect(await upload(GIF, { type: 'image/gif' })).toEqual(refusedType);
    expect(await upload('just text, not a picture', { type: 'image/png' })).toEqual(refusedType);
    expect(await upload(Buffer.alloc(0), { type: 'image/png' })).toEqual(refusedType);
    expect((await upload('', { method: 'GET' })).status).toBe(405);
    expect(await storedPaths()).toEqual(before);
  });

  it('refuses a picture one byte over 2 MB with 413 IMAGE_TOO_LARGE and stores nothing; exactly 2 MB is taken', async () => {
    const before = await storedPaths();
    const head = png();
    const over = Buffer.concat([head, Buffer.alloc(MAX_IMAGE_BYTES + 1 - head.length)]);
    expect(await upload(over, { type: 'image/png' })).toEqual({ status: 413, body: { ok: false, code: 'IMAGE_TOO_LARGE', message: IMAGE_SIZE_MESSAGE } });
    // Far over: the gateway still answers (it reads and drops the rest) rather than resetting the connection.
    expect((await upload(Buffer.concat([head, Buffer.alloc(5 * MAX_IMAGE_BYTES)]), { type: 'image/png' })).status).toBe(413);
    expect(await storedPaths()).toEqual(before);
    const exact = await upload(over.subarray(0, MAX_IMAGE_BYTES), { type: 'image/png' });
    expect(exact.status).toBe(200);
    const files = (await t.dev('files')).files as { path: string; size: number }[];
    expect(files.find((f) => exact.body.data!.fileID.endsWith(f.path))?.size).toBe(MAX_IMAGE_BYTES);
  });

  it('stores a PNG under products/ and answers a cloud:// fileID the SDK reads back; its public link serves it', async () => {
    const bytes = png(16, 16);
    const res = await upload(bytes, { type: 'image/png' });
    expect(res.status).toBe(200);
    const fileID = res.body.data!.fileID;
    expect(fileID).toMatch(new RegExp(`^cloud://${t.cloud.envId}\\.${t.cloud.storage.bucket}/products/\\d+-[0-9a-f]{12}\\.png$`));

    const { fileList } = await t.app.getTempFileURL({ fileList: [fileID] });
    expect(fileList[0]).toEqual(expect.objectContaining({ fileID, code: 'SUCCESS' }));
    const viaTemp = await fetch(fileList[0].tempFileURL);
    expect(viaTemp.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await viaTemp.arrayBuffer())).toEqual(bytes);
    expect((await t.app.downloadFile({ fileID })).fileContent).toEqual(bytes);

    const path = fileID.slice(fileID.indexOf('/products/') + 1);
    const pub = await fetch(`${t.cloud.url}/storage/files/${path}`);
    expect(pub.status).toBe(200);
    expect(pub.headers.get('content-type')).toBe('image/png');
    expect(pub.headers.get('access-control-allow-origin')).toBe('*');
    expect(Buffer.from(await pub.arrayBuffer())).toEqual(bytes);
    expect((await fetch(`${t.cloud.url}/storage/files/products/missing.png`)).status).toBe(404);
  });

  it('names JPEG and WebP by their bytes, whatever the declared type; two uploads never share a name', async () => {
    const jpg = await upload(JPEG, { type: 'image/png' });
    const webp = await upload(WEBP, { type: '' });
    const again = await upload(JPEG, { type: 'image/jpeg' });
    expect([jpg.status, webp.status, again.status]).toEqual([200, 200, 200]);
    expect(jpg.body.data!.fileID).toMatch(/\/products\/[\w-]+\.jpg$/);
    expect(webp.body.data!.fileID).toMatch(/\/products\/[\w-]+\.webp$/);
    expect(again.body.data!.fileID).not.toBe(jpg.body.data!.fileID);
    const files = (await t.dev('files')).files as { path: string; contentType: string }[];
    expect(files.find((f) => webp.body.data!.fileID.endsWith(f.path))?.contentType).toBe('image/webp');
    expect((await t.app.downloadFile({ fileID: jpg.body.data!.fileID })).fileContent).toEqual(JPEG);
  });

  it('serves only the products/ folder without a signature', async () => {
    const { fileID } = await t.app.uploadFile({ cloudPath: 'poster-codes/someone/code.png', fileContent: png() });
    expect(fileID).toContain('/poster-codes/');
    expect((await fetch(`${t.cloud.url}/storage/files/poster-codes/someone/code.png`)).status).toBe(404);
    expect((await fetch(`${t.cloud.url}/storage/files/products/../poster-codes/someone/code.png`)).status).toBe(404);
  });
});
