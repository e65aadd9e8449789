/**
 * Cloud storage and the poster's 小程序码 on the local cloud, through the real @cloudbase/node-sdk:
 * - upload → temp URL → the file served over HTTP → delete, as the SDK's uploadFile / getTempFileURL / deleteFile
 *   speak to CloudBase (signed /admin actions plus the PUT the SDK makes itself); forged or expired links refused;
 * - referral.posterCode makes the code once per user through wxacode.getUnlimited (callCompatibleWxOpenApi), keeps
 *   it in storage, and the PNG decodes to the local link of the landing page with the invite code as `scene`, which
 *   the app's launch code turns into a poster binding.
 */
import jsQR from 'jsqr';
import { PNG } from 'pngjs';
import { loginParamsFrom } from '../../src/services/launch';
import { startTestCloud, TestCloud } from '../support/cloud';

let t: TestCloud;

beforeAll(async () => {
  t = await startTestCloud();
});

afterAll(async () => {
  await t?.close();
});

async function ok(openid: string, fn: string, action: string, payload: Record<string, unknown> = {}) {
  const res = await t.callAs(openid, fn, { action, ...payload });
  if (res.status !== 200 || !res.body.ok) throw new Error(`${fn}.${action} as ${openid}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.data;
}

function decodeQr(png: Buffer): string | null {
  const img = PNG.sync.read(png);
  return jsQR(new Uint8ClampedArray(img.data.buffer, img.data.byteOffset, img.data.byteLength), img.width, img.height)?.data ?? null;
}

describe('cloud storage through the SDK', () => {
  it('uploads, links, serves and deletes a file', async () => {
    const bytes = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 1, 2, 3, 255, 254]);
    const { fileID } = await t.app.uploadFile({ cloudPath: 'tests/round trip/图.png', fileContent: bytes });
    expect(fileID).toBe(`cloud://${t.cloud.envId}.${t.cloud.storage.bucket}/tests/round trip/图.png`);

    const { fileList } = await t.app.getTempFileURL({ fileList: [fileID, { fileID: `${fileID}.missing`, maxAge: 60 }] });
    expect(fileList[0]).toEqual(expect.objectContaining({ fileID, code: 'SUCCESS', tempFileURL: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/__storage\//) }));
    expect(fileList[1]).toEqual(expect.objectContaining({ code: 'STORAGE_FILE_NONEXIST', tempFileURL: '' }));

    const served = await fetch(fileList[0].tempFileURL);
    expect(served.status).toBe(200);
    expect(served.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await served.arrayBuffer())).toEqual(bytes);
    // The SDK's own download goes through the same temp URL.
    expect((await t.app.downloadFile({ fileID })).fileContent).toEqual(bytes);

    const tampered = fileList[0].tempFileURL.replace(/sign=[0-9a-f]/, (m) => (m.endsWith('0') ? 'sign=1' : 'sign=0'));
    expect((await fetch(tampered)).status).toBe(403);

    const removed = await t.app.deleteFile({ fileList: [fileID, `${fileID}.missing`] });
    expect(removed.fileList).toEqual([
      { fileID, code: 'SUCCESS' },
      expect.objectContaining({ fileID: `${fileID}.missing`, code: 'STORAGE_FILE_NONEXIST' }),
    ]);
    expect((await fetch(fileList[0].tempFileURL)).status).toBe(404);
    expect((await t.app.getTempFileURL({ fileList: [fileID] })).fileList[0].code).toBe('STORAGE_FILE_NONEXIST');
  });

  it('overwrites a path, and a link expires on the local clock', async () => {
    await t.app.uploadFile({ cloudPath: 'tests/twice.txt', fileContent: Buffer.from('first') });
    const { fileID } = await t.app.uploadFile({ cloudPath: 'tests/twice.txt', fileContent: Buffer.from('second') });
    const url = (await t.app.getTempFileURL({ fileList: [{ fileID, maxAge: 60 }] })).fileList[0].tempFileURL;
    expect(await (await fetch(url)).text()).toBe('second');
    await t.dev('clock', { advanceMs: 61_000 });
    try {
      expect((await fetch(url)).status).toBe(403);
    } finally {
      await t.dev('clock', { reset: true });
    }
  });

  it('refuses an upload the service did not sign, and a path that climbs out', async () => {
    const forged = await fetch(`${t.cloud.url}/__cos/tests/forged.txt`, { method: 'PUT', headers: { authorization: 'LOCAL-COS 99999999999999:00' }, body: 'x' });
    expect(forged.status).toBe(403);
    expect(await forged.text()).toContain('<Code>SignatureDoesNotMatch</Code>');
    await expect(t.app.uploadFile({ cloudPath: '../escape.txt', fileContent: Buffer.from('x') })).rejects.toMatchObject({ code: 'INVALID_PARAM' });
    expect((await t.dev('files')).files.map((f: { path: string }) => f.path)).not.toContain('tests/forged.txt');
  });
});

describe('the poster code (wxacode.getUnlimited, kept in storage)', () => {
  it('decodes to the landing page with the invite code, made once per user', async () => {
    const me = await ok('poster-a', 'user', 'login');
    const code = await ok('poster-a', 'referral', 'posterCode');
    expect(code).toEqual({ imageUrl: expect.stringContaining('/__storage/poster-codes/poster-a/'), scene: `i=${me.inviteCode}`, page: 'pages/index/index' });

    const png = Buffer.from(await (await fetch(code.imageUrl)).arrayBuffer());
    expect(png.subarray(0, 4)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47]));
    const link = decodeQr(png);
    expect(link).toBe(`${t.cloud.url}/#/pages/index/index?scene=${encodeURIComponent(`i=${me.inviteCode}`)}`);

    // What the app does with that link at launch: a poster open carrying A's code, which binds B to A.
    const query = Object.fromEntries(new URL(link!.replace('/#/', '/')).searchParams);
    const params = loginParamsFrom(query);
    expect(params).toEqual({ inviteCode: me.inviteCode, source: 'poster' });
    await ok('poster-b', 'user', 'login', { ...params });
    const consented = await ok('poster-b', 'user', 'consent', { version: '2026-01' });
    expect(consented.hasInviter).toBe(true);
    expect((await t.db.collection('referrals').doc('poster-b').get()).data[0]).toEqual(expect.objectContaining({ inviterId: 'poster-a', source: 'poster' }));

    // Again: the same stored file, a fresh link.
    const again = await ok('poster-a', 'referral', 'posterCode');
    expect(again.scene).toBe(code.scene);
    const files = (await t.dev('files')).files.filter((f: { path: string }) => f.path.startsWith('poster-codes/poster-a/'));
    expect(files).toHaveLength(1);
    expect(decodeQr(Buffer.from(await (await fetch(again.imageUrl)).arrayBuffer()))).toBe(link);
  });

  it('is made again when its file is gone', async () => {
    await ok('poster-c', 'user', 'login');
    await ok('poster-c', 'referral', 'posterCode');
    const record = (await t.db.collection('poster_codes').doc('poster-c').get()).data[0];
    await t.app.deleteFile({ fileList: [record.fileID] });
    const again = await ok('poster-c', 'referral', 'posterCode');
    expect((await fetch(again.imageUrl)).status).toBe(200);
  });

  it('answers UNAUTHENTICATED to a caller with no user record', async () => {
    const res = await t.callAs('poster-nobody', 'referral', { action: 'posterCode' });
    expect(res.body).toEqual(expect.objectContaining({ ok: false, code: 'UNAUTHENTICATED' }));
  });
});
