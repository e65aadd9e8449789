/**
 * The function bundles leave the parts of @cloudbase/node-sdk no function uses out (config/bundle-stubs): they are
 * out of a real function's bundle, reaching one fails with a clear error, and what the functions do use (the
 * database, the WeChat open-API calls, and storage in the one bundle that keeps it) sends the same requests and
 * reads the same answers as the SDK from node_modules. (The database through the real bundles is the integration
 * tests' job.)
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { build } from 'esbuild';
import { functionBuildOptions } from '../../config/build-functions';
import { assertAllApplied, bundleStubs, STUBS } from '../../config/bundle-stubs';

const ROOT = path.resolve(__dirname, '../..');
const STUB_DIR = path.join(ROOT, 'config/bundle-stubs');
const REAL_SDK = path.join(ROOT, 'node_modules/@cloudbase/node-sdk');

let dir: string;
let sdkBundle: string;
/** The SDK bundled as for the referral function, which keeps storage (the poster's 小程序码). */
let storageSdkBundle: string;
let functionInputs: string[];
let referralInputs: string[];
let merchantInputs: string[];

/** What a bundle must not contain: the modules the stubs replace and everything only they brought in. */
const LEFT_OUT: [string, RegExp][] = [
  ['@cloudbase/wx-cloud-client-sdk', /\/@cloudbase\/wx-cloud-client-sdk\//],
  ['@cloudbase/ai', /\/@cloudbase\/ai\//],
  ['@cloudbase/app', /\/@cloudbase\/app\//],
  ['@cloudbase/adapter-wx_mp', /\/@cloudbase\/adapter-wx_mp\//],
  ['web-streams-polyfill', /\/web-streams-polyfill\//],
  ['the SDK ai module', /\/@cloudbase\/node-sdk\/dist\/ai\//],
  ['the SDK storage module', /\/@cloudbase\/node-sdk\/dist\/storage\//],
  ['xml2js', /\/(xml2js|xmlbuilder|sax)\//],
  ['jsonwebtoken', /\/(jsonwebtoken|jws|jwa)\//],
  ['mime-types / mime-db', /\/mime-(types|db)\//],
  ['proxy agents', /\/(https?-proxy-agent|agent-base)\//],
  ['database realtime', /\/@cloudbase\/database\/dist\/commonjs\/realtime\//],
];

/** A real function (or, with no entry, the SDK alone, to drive from a child process), bundled exactly as config/build-functions.ts bundles function `fn`. Answers the files it took in. */
async function bundle(outfile: string, fn: string, entry?: string): Promise<string[]> {
  const stubs = bundleStubs(fn);
  const res = await build({
    ...functionBuildOptions(),
    ...(entry
      ? { entryPoints: [path.join(ROOT, entry)] }
      : { stdin: { contents: "module.exports = require('@cloudbase/node-sdk');", resolveDir: ROOT, loader: 'js' as const, sourcefile: 'sdk-entry.js' } }),
    outfile: path.join(dir, outfile),
    metafile: true,
    plugins: [stubs.plugin],
  });
  assertAllApplied(stubs, outfile);
  return Object.keys(res.metafile.inputs);
}

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bundle-stubs-'));
  functionInputs = await bundle('user.js', 'user', 'cloudfunctions/functions/user/index.ts');
  referralInputs = await bundle('referral.js', 'referral', 'cloudfunctions/functions/referral/index.ts');
  merchantInputs = await bundle('merchant.js', 'merchant', 'cloudfunctions/functions/merchant/index.ts');
  sdkBundle = path.join(dir, 'sdk.js');
  await bundle('sdk.js', 'user');
  storageSdkBundle = path.join(dir, 'sdk-storage.js');
  await bundle('sdk-storage.js', 'referral');
}, 60_000);

afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

/** Run a script in a fresh Node process with a CloudBase function's environment; its stdout is JSON. */
function runNode(script: string, env: Record<string, string> = {}): Promise<unknown> {
  const file = path.join(dir, `probe-${Math.random().toString(36).slice(2)}.js`);
  fs.writeFileSync(file, script);
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [file],
      { env: { PATH: process.env.PATH ?? '', TENCENTCLOUD_RUNENV: 'SCF', SCF_NAMESPACE: 'env-test', TENCENTCLOUD_REGION: 'ap-shanghai', TENCENTCLOUD_SECRETID: 'id', TENCENTCLOUD_SECRETKEY: 'key', ...env } },
      (err, stdout, stderr) => {
        if (err) reject(new Error(`${err.message}\n${stderr}`));
        else resolve(JSON.parse(stdout.trim().split('\n').pop() as string));
      },
    );
  });
}

describe('a function bundle', () => {
  it.each(LEFT_OUT)('leaves out %s', (_name, pattern) => {
    expect(functionInputs.filter((f) => pattern.test(f))).toEqual([]);
  });

  it('keeps what the functions use: the database, bson, the request path, form-data (callWxPayApi)', () => {
    for (const kept of [/\/@cloudbase\/node-sdk\/dist\/database\//, /\/@cloudbase\/database\/dist\/commonjs\/query\.js$/, /\/bson\//, /\/@cloudbase\/node-sdk\/dist\/wx\//, /\/form-data\/lib\//]) {
      expect(functionInputs.some((f) => kept.test(f))).toBe(true);
    }
  });

  it('keeps storage only where a function uses it: referral (poster codes) and merchant (uploaded product photos), nothing else left out', () => {
    expect(STUBS.filter((s) => s.keptFor?.length).map((s) => [s.stub, s.keptFor])).toEqual([['node-sdk-storage.js', ['referral', 'merchant']]]);
    for (const [fn, inputs] of [['referral', referralInputs], ['merchant', merchantInputs]] as const) {
      expect({ fn, storage: inputs.some((f) => /\/@cloudbase\/node-sdk\/dist\/storage\//.test(f)) }).toEqual({ fn, storage: true });
      expect(inputs).not.toContain('config/bundle-stubs/node-sdk-storage.js');
      for (const [name, pattern] of LEFT_OUT) {
        if (/storage|xml2js/.test(name)) continue;
        expect({ fn, name, found: inputs.filter((f) => pattern.test(f)) }).toEqual({ fn, name, found: [] });
      }
    }
  });

  it('uses every stub file, each named by a stub entry', () => {
    const files = fs.readdirSync(STUB_DIR).filter((f) => f.endsWith('.js') && f !== 'unavailable.js');
    expect([...new Set(STUBS.map((s) => s.stub))].sort()).toEqual(files.sort());
    for (const f of files) expect(functionInputs).toContain(`config/bundle-stubs/${f}`);
  });
});

describe('reaching a stubbed feature', () => {
  const CLEAR = /is not in this cloud function bundle: config\/build-functions\.ts replaces it with a stub \(config\/bundle-stubs\)/;

  it('fails with a clear error (code STUBBED_IN_BUNDLE) from the bundled SDK', async () => {
    const out = (await runNode(`
      const tcb = require(${JSON.stringify(sdkBundle)});
      const app = tcb.init({ env: tcb.SYMBOL_CURRENT_ENV });
      const out = {};
      const grab = async (k, f) => { try { await f(); out[k] = 'no error'; } catch (e) { out[k] = { code: e.code, message: e.message }; } };
      (async () => {
        await grab('ai', () => app.ai());
        await grab('uploadFile', () => app.uploadFile({ cloudPath: 'a.txt', fileContent: Buffer.from('x') }));
        await grab('getTempFileURL', () => app.getTempFileURL({ fileList: ['cloud://x'] }));
        await grab('models', () => app.models.orders.list());
        await grab('mysql', () => app.mysql());
        await grab('watch', () => app.database().collection('c').where({ a: 1 }).watch({ onChange() {}, onError() {} }));
        await grab('docWatch', () => app.database().collection('c').doc('x').watch({ onChange() {}, onError() {} }));
        const ticketApp = tcb.init({ env: 'env-test', credentials: { private_key_id: 'k', private_key: 'p', env_id: 'env-test' } });
        await grab('createTicket', () => ticketApp.auth().createTicket('user-1'));
        const proxied = tcb.init({ env: 'env-test', proxy: 'http://127.0.0.1:9', timeout: 2000 });
        await grab('proxy', () => proxied.database().collection('c').get());
        out.modelsJson = JSON.stringify({ models: app.models });
        console.log(JSON.stringify(out));
      })();
    `, { TCB_CONTEXT_CNFG: JSON.stringify({ URL: 'http://127.0.0.1:9/admin' }) })) as Record<string, { code: string; message: string } | string>;
    const expected: Record<string, RegExp> = {
      ai: /^@cloudbase\/node-sdk app\.ai\(\) /,
      uploadFile: /^@cloudbase\/node-sdk app\.uploadFile\(\) /,
      getTempFileURL: /^@cloudbase\/node-sdk app\.getTempFileURL\(\) /,
      models: /^@cloudbase\/node-sdk app\.models \(data models\)\.orders /,
      mysql: /^@cloudbase\/node-sdk app\.mysql\(\) \/ app\.rdb\(\) /,
      watch: /^@cloudbase\/node-sdk database \.watch\(\) \(realtime\) /,
      docWatch: /^@cloudbase\/node-sdk database \.watch\(\) \(realtime\) /,
      createTicket: /^jsonwebtoken\.sign\(\) \(@cloudbase\/node-sdk app\.auth\(\)\.createTicket\(\)\) /,
      proxy: /^@cloudbase\/node-sdk init\(\{ proxy \}\) /,
    };
    for (const [k, message] of Object.entries(expected)) {
      expect({ k, error: out[k] }).toEqual({ k, error: { code: 'STUBBED_IN_BUNDLE', message: expect.stringMatching(message) } });
      expect((out[k] as { message: string }).message).toMatch(CLEAR);
    }
    // app.models is only poisoned for real use: serialising or awaiting the app does not trip it.
    expect(out.modelsJson).toBe('{"models":{}}');
  });

  it('fails with a clear error from each stub module', () => {
    const load = (f: string) => require(path.join(STUB_DIR, f));
    const cases: [string, () => unknown, RegExp][] = [
      ['mime-types', () => load('mime-types.js').lookup('a.png'), /^mime-types\.lookup\(\) \(form-data guessing a file's content type\) /],
      ['jsonwebtoken', () => load('jsonwebtoken.js').verify('t', 'k'), /^jsonwebtoken\.verify\(\) /],
      ['proxy agent', () => new (load('proxy-agent.js').HttpsProxyAgent)({}), /^@cloudbase\/node-sdk init\(\{ proxy \}\) /],
      ['realtime', () => new (load('database-realtime.js').RealtimeWebSocketClient)({}), /^@cloudbase\/node-sdk database \.watch\(\) /],
      ['ai', () => load('node-sdk-ai.js').createAI({}), /^@cloudbase\/node-sdk app\.ai\(\) /],
      ['mysql', () => load('wx-cloud-client-sdk.js').default.generateMySQLClient({}, {}), /^@cloudbase\/node-sdk app\.mysql\(\) /],
    ];
    for (const [name, call, message] of cases) {
      let caught: { code?: string; message?: string } | null = null;
      try {
        call();
      } catch (e) {
        caught = e as { code?: string; message?: string };
      }
      expect({ name, code: caught?.code, message: caught?.message }).toEqual({ name, code: 'STUBBED_IN_BUNDLE', message: expect.stringMatching(message) });
      expect(caught?.message).toMatch(CLEAR);
    }
  });
});

describe('what the functions use', () => {
  interface Seen {
    path: string;
    contentType: string;
    signedParams: string;
    body: string;
  }

  /** A stand-in for the CloudBase API: records each request and answers as the real one would, enough for the SDK. */
  async function recordRequests(sdk: string): Promise<{ requests: Seen[]; results: unknown }> {
    const requests: Seen[] = [];
    const server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const type = String(req.headers['content-type'] ?? '');
        const boundary = /boundary=(.+)$/.exec(type)?.[1];
        let body = Buffer.concat(chunks).toString('latin1');
        if (boundary) body = body.split(boundary).join('BOUNDARY');
        else body = JSON.stringify({ ...JSON.parse(body), requestId: undefined, seqId: undefined });
        requests.push({
          path: String(req.url).replace(/seqId=[^&]+/, 'seqId=*'),
          contentType: type.replace(/boundary=.+$/, 'boundary=*'),
          signedParams: /SignedParams=([^,]*)/.exec(String(req.headers.authorization))?.[1] ?? '',
          body,
        });
        res.setHeader('content-type', 'application/json');
        const action = boundary ? 'wx' : JSON.parse(Buffer.concat(chunks).toString()).action;
        if (action === 'wx') res.end(JSON.stringify({ return_code: 'SUCCESS', result_code: 'SUCCESS' }));
        else if (action === 'wx.api') res.end(JSON.stringify({ data: { responseData: JSON.stringify({ errcode: 0, errmsg: 'ok', msgid: 7 }) }, requestId: 'r' }));
        else if (action === 'database.getDocument') {
          res.end(JSON.stringify({ data: { list: [JSON.stringify({ _id: 'o1', n: { $numberLong: '5' }, at: { $date: '2026-01-02T03:04:05.000Z' } })], offset: 0, limit: 100, total: 1 }, requestId: 'r' }));
        } else res.end(JSON.stringify({ data: { insertedIds: ['o2'], updated: 1, deleted: 1, total: 1 }, requestId: 'r' }));
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const port = (server.address() as { port: number }).port;
    try {
      const results = await runNode(
        `
        const tcb = require(${JSON.stringify(sdk)});
        const app = tcb.init({ env: tcb.SYMBOL_CURRENT_ENV });
        const db = app.database();
        const _ = db.command;
        const settle = (p) => p.then((v) => ({ ok: Buffer.isBuffer(v) ? v.toString() : v }), (e) => ({ error: String(e && e.message) }));
        (async () => {
          const out = [];
          out.push(await settle(app.callWxPayApi({ apiName: 'cloudPay.unifiedOrder', requestData: Buffer.from(JSON.stringify({ body: '订单', total_fee: 100 })), apiOptions: Buffer.from([10, 3, 97, 98, 99]) })));
          out.push(await settle(app.callWxOpenApi({ apiName: 'subscribeMessage.send', requestData: { touser: 'o1', template_id: 'T', data: { thing1: { value: '好友助力' } } } })));
          out.push(await settle(app.callCompatibleWxOpenApi({ apiName: 'wxacode.getUnlimited', requestData: Buffer.from(JSON.stringify({ scene: 'i=ABC123', page: 'pages/index/index' })) })));
          out.push(await settle(db.collection('orders').where({ status: _.in(['paid', 'shipped']), n: _.gte(2) }).orderBy('at', 'desc').limit(10).get()));
          out.push(await settle(db.collection('orders').add({ n: 1, at: db.serverDate(), tags: ['a'] })));
          out.push(await settle(db.collection('orders').doc('o1').update({ n: _.inc(1), 'a.b': _.remove() })));
          out.push(await settle(db.collection('orders').where({ n: _.lt(0) }).remove()));
          console.log(JSON.stringify(out));
        })();
      `,
        { TCB_CONTEXT_CNFG: JSON.stringify({ URL: `http://127.0.0.1:${port}/admin` }) },
      );
      return { requests, results };
    } finally {
      server.close();
    }
  }

  it('sends the same requests and reads the same answers as @cloudbase/node-sdk from node_modules', async () => {
    const real = await recordRequests(REAL_SDK);
    const bundled = await recordRequests(sdkBundle);
    expect(real.requests).toHaveLength(7);
    expect(real.requests[0].body).toContain('name="apiOptions"');
    expect(JSON.parse(real.requests[1].body)).toMatchObject({ action: 'wx.api', apiName: 'subscribeMessage.send', requestData: expect.stringContaining('"touser":"o1"') });
    expect(real.requests[2].body).toContain('wxacode.getUnlimited');
    expect(real.results).toEqual([
      { ok: JSON.stringify({ return_code: 'SUCCESS', result_code: 'SUCCESS' }) },
      expect.objectContaining({ ok: expect.objectContaining({ result: { errcode: 0, errmsg: 'ok', msgid: 7 } }) }),
      { ok: JSON.stringify({ return_code: 'SUCCESS', result_code: 'SUCCESS' }) },
      expect.objectContaining({ ok: expect.objectContaining({ data: [{ _id: 'o1', n: 5, at: '2026-01-02T03:04:05.000Z' }] }) }),
      expect.objectContaining({ ok: expect.objectContaining({ id: 'o2' }) }),
      expect.objectContaining({ ok: expect.objectContaining({ updated: 1 }) }),
      expect.objectContaining({ ok: expect.objectContaining({ deleted: 1 }) }),
    ]);
    expect(bundled).toEqual(real);
  }, 30_000);

  /** Storage through an SDK bundle: getUploadMetadata, the PUT to the upload URL, temp URLs, delete. */
  async function recordStorage(sdk: string): Promise<{ requests: { method: string; path: string; body: string; auth: string }[]; results: unknown }> {
    const requests: { method: string; path: string; body: string; auth: string }[] = [];
    let port = 0;
    const server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const raw = Buffer.concat(chunks).toString();
        if (req.method === 'PUT') {
          requests.push({ method: 'PUT', path: String(req.url), body: raw, auth: String(req.headers.authorization) });
          return res.end('');
        }
        const body = JSON.parse(raw);
        requests.push({ method: 'POST', path: String(req.url).replace(/seqId=[^&]+/, 'seqId=*'), body: JSON.stringify({ ...body, seqId: undefined }), auth: '' });
        res.setHeader('content-type', 'application/json');
        const fileID = 'cloud://env-test.bucket/codes/a.png';
        if (body.action === 'storage.getUploadMetadata') res.end(JSON.stringify({ requestId: 'r', data: { url: `http://127.0.0.1:${port}/cos/${body.path}`, token: 't', authorization: 'auth-1', fileId: fileID, cosFileId: 'c1' } }));
        else if (body.action === 'storage.batchGetDownloadUrl') res.end(JSON.stringify({ requestId: 'r', data: { download_list: [{ fileID, tempFileURL: 'http://x/codes/a.png?sign=s', code: 'SUCCESS' }] } }));
        else res.end(JSON.stringify({ requestId: 'r', data: { delete_list: [{ fileID, code: 'SUCCESS' }] } }));
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    port = (server.address() as { port: number }).port;
    try {
      const results = await runNode(
        `
        const tcb = require(${JSON.stringify(sdk)});
        const app = tcb.init({ env: tcb.SYMBOL_CURRENT_ENV });
        (async () => {
          const up = await app.uploadFile({ cloudPath: 'codes/a.png', fileContent: Buffer.from('PNGDATA') });
          const url = await app.getTempFileURL({ fileList: [{ fileID: up.fileID, maxAge: 60 }] });
          const del = await app.deleteFile({ fileList: [up.fileID] });
          console.log(JSON.stringify([up.fileID, url.fileList, del.fileList]));
        })();
      `,
        { TCB_CONTEXT_CNFG: JSON.stringify({ URL: `http://127.0.0.1:${port}/admin` }) },
      );
      return { requests, results };
    } finally {
      server.close();
    }
  }

  it('storage, in the bundle that keeps it, sends what the SDK from node_modules sends', async () => {
    const real = await recordStorage(REAL_SDK);
    expect(real.requests.map((r) => [r.method, r.method === 'PUT' ? r.path : JSON.parse(r.body).action])).toEqual([
      ['POST', 'storage.getUploadMetadata'],
      ['PUT', '/cos/codes/a.png'],
      ['POST', 'storage.batchGetDownloadUrl'],
      ['POST', 'storage.batchDeleteFile'],
    ]);
    expect(real.requests[1]).toMatchObject({ body: 'PNGDATA', auth: 'auth-1' });
    expect(real.results).toEqual(['cloud://env-test.bucket/codes/a.png', [expect.objectContaining({ code: 'SUCCESS' })], [expect.objectContaining({ code: 'SUCCESS' })]]);
    expect(await recordStorage(storageSdkBundle)).toEqual(real);
  }, 30_000);

  it('does not load axios (nor zlib, which only it needs) when the bundle loads', async () => {
    const out = await runNode(`
      require(${JSON.stringify(sdkBundle)});
      console.log(JSON.stringify({ zlib: process.moduleLoadList.includes('NativeModule zlib') }));
    `);
    expect(out).toEqual({ zlib: false });
  });
});
