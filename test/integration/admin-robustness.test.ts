/**
 * Bad input on `/admin`: every request gets an error ANSWER (HTTP 200 + {code, message, requestId}), the server stays
 * up, and nothing is written. Signed requests are built by the test's own signer (test/support/sign.ts) or captured
 * from the real SDK through a recorder and replayed.
 */
import crypto from 'node:crypto';
import http from 'node:http';
import tcb from '@cloudbase/node-sdk';
import { startTestCloud, TestCloud } from '../support/cloud';
import { Captured, RawResponse, rawPost, signRequest, startRecorder } from '../support/sign';
import { SpawnedCloud, spawnCloud } from '../support/spawn-cloud';

/* eslint-disable @typescript-eslint/no-explicit-any */
let t: TestCloud;
let agent: http.Agent;
const QS = 'env=local&seqId=robustness_1';
const ADMIN = `/admin?${QS}`;

beforeAll(async () => {
  t = await startTestCloud();
  agent = new http.Agent({ keepAlive: true, maxSockets: 16 });
});
afterAll(async () => {
  agent.destroy();
  await t.close();
});

const host = () => `127.0.0.1:${t.cloud.port}`;
const counts = () => Object.fromEntries(t.cloud.store.names().sort().map((n) => [n, t.cloud.store.count(n)]));
/** Every row of every collection, hashed: "nothing written" beyond equal counts. */
function digest(): string {
  const h = crypto.createHash('sha256');
  for (const n of t.cloud.store.names().sort()) {
    const rows = [...t.cloud.store.all(n)].sort((a, b) => (a.k < b.k ? -1 : 1));
    for (const r of rows) h.update(`${n}\0${r.k}\0${r.doc}\n`);
  }
  return h.digest('hex');
}

function signedHeaders(body: Record<string, unknown>, opts: { timestamp?: number; secretKey?: string; secretId?: string } = {}) {
  return signRequest({
    secretId: opts.secretId ?? t.cloud.keys.secretId,
    secretKey: opts.secretKey ?? t.cloud.keys.secretKey,
    host: host(),
    path: '/admin',
    query: QS,
    body,
    timestamp: opts.timestamp,
  });
}
const postSigned = (body: Record<string, unknown>, opts?: Parameters<typeof signedHeaders>[1]) =>
  rawPost(t.cloud.port, ADMIN, signedHeaders(body, opts), JSON.stringify(body), agent);
const postRaw = (text: string | Buffer, headers: Record<string, string> = {}) =>
  rawPost(t.cloud.port, ADMIN, { 'content-type': 'application/json', host: host(), ...headers }, text, agent);

function expectError(r: RawResponse, code?: string) {
  expect(r.status).toBe(200);
  expect(r.json).toEqual(expect.objectContaining({ code: expect.any(String), message: expect.any(String), requestId: expect.any(String) }));
  expect(r.json.code).toBeTruthy();
  expect(r.json.code).not.toBe('SYS_ERR'); // an internal exception is a bug even when answered politely
  if (code) expect(r.json.code).toBe(code);
}

/** Snapshot before each test, compare after: no test in the "refused" groups may write anything. */
function guardNoWrites() {
  let before: { counts: Record<string, number>; digest: string };
  beforeEach(() => {
    before = { counts: counts(), digest: digest() };
  });
  afterEach(() => {
    expect(counts()).toEqual(before.counts);
    expect(digest()).toBe(before.digest);
  });
}

async function stillServes() {
  const res = await t.db.collection('products').limit(2).get();
  expect(res.data.length).toBeGreaterThan(0);
}

// ---------------------------------------------------------------------------------------------------------------

describe('malformed bodies', () => {
  guardNoWrites();

  it.each([
    ['malformed JSON', '{"action": "database.getDocument", '],
    ['empty body', ''],
    ['JSON array', '[{"action":"database.insertDocument"}]'],
    ['JSON string', '"database.getDocument"'],
    ['JSON null', 'null'],
    ['JSON number', '1e999'],
    ['binary garbage', Buffer.from([0xff, 0xfe, 0x00, 0x7b, 0x22])],
    ['deeply nested arrays', '['.repeat(20000) + ']'.repeat(20000)],
  ])('%s → INVALID_PARAM answer', async (_name, body) => {
    expectError(await postRaw(body), 'INVALID_PARAM');
  });

  it('deeply nested object (hashed by the verifier) → refused, not a crash', async () => {
    const deep = '{"a":'.repeat(100_000) + '1' + '}'.repeat(100_000);
    const headers = signedHeaders({ action: 'database.getDocument', collectionName: 'users' });
    expectError(await postRaw(`{"action":"database.getDocument","collectionName":"users","x":${deep}}`, headers), 'SIGN_PARAM_INVALID');
    await stillServes();
  });

  it('huge bodies (> 16 MB) → error answer, connection not dropped, server up', async () => {
    const big = JSON.stringify({ action: 'database.insertDocument', collectionName: 'users', data: ['{"a":"' + 'x'.repeat(17 * 1024 * 1024) + '"}'] });
    expectError(await postRaw(big), 'INVALID_PARAM');
    expectError(await postRaw(Buffer.alloc(40 * 1024 * 1024, 0x20)), 'INVALID_PARAM');
    // A signed huge insert is refused as well (the size limit comes before everything).
    const body = { action: 'database.insertDocument', collectionName: 'users', data: [`{"big":"${'y'.repeat(17 * 1024 * 1024)}"}`] };
    expectError(await postSigned(body), 'INVALID_PARAM');
    await stillServes();
  }, 30000);

  it('non-POST methods → error answer', async () => {
    const r = await new Promise<RawResponse>((resolve, reject) => {
      http
        .get({ host: '127.0.0.1', port: t.cloud.port, path: ADMIN }, (res) => {
          let text = '';
          res.on('data', (c) => (text += c));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, text, json: JSON.parse(text) }));
        })
        .on('error', reject);
    });
    expectError(r);
  });

  it('an unparsable request target → 4xx, not 500', async () => {
    const r = await rawPost(t.cloud.port, '//[', { host: host() }, '{}');
    expect(r.status).toBeGreaterThanOrEqual(400);
    expect(r.status).toBeLessThan(500);
  });
});

describe('unknown actions and bad parameters (correctly signed)', () => {
  guardNoWrites();

  it.each([
    [{ action: 'database.dropEverything', collectionName: 'users' }],
    [{ action: 'foo' }],
    [{ action: 'database.' }],
    [{ action: 'DATABASE.GETDOCUMENT', collectionName: 'users' }],
    [{ action: 'wx.api', apiName: 'x' }],
    [{ action: 5 }],
    [{ action: null }],
    [{ action: ['database.getDocument'] }],
    [{ collectionName: 'users' }],
    [{ action: 'functions.invokeFunction' }],
    [{ action: 'functions.invokeFunction', function_name: 5 }],
    [{ action: 'functions.invokeFunction', function_name: 'nope-not-there', request_data: '{}' }],
    [{ action: 'functions.invokeFunction', function_name: '../user', request_data: '{}' }],
  ])('%j → error answer', async (body) => {
    expectError(await postSigned(body as Record<string, unknown>));
  });

  const missingCollection: [string, Record<string, unknown>][] = [
    'database.insertDocument',
    'database.getDocument',
    'database.calculateDocument',
    'database.modifyDocument',
    'database.modifyAndReturnDoc',
    'database.removeDocument',
    'database.aggregateDocuments',
    'database.addCollection',
  ].flatMap((action) => [
    [`${action} without collectionName`, { action, query: '{}', data: ['{}'], stages: [] }],
    [`${action} collectionName 5`, { action, collectionName: 5, query: '{}', data: ['{}'], stages: [] }],
    [`${action} collectionName {}`, { action, collectionName: {}, query: '{}', data: ['{}'], stages: [] }],
    [`${action} collectionName ""`, { action, collectionName: '', query: '{}', data: ['{}'], stages: [] }],
  ]);
  it.each(missingCollection)('%s → INVALID_PARAM', async (_n, body) => {
    expectError(await postSigned(body), 'INVALID_PARAM');
  });

  it.each([
    ['nope'],
    ['users; DROP TABLE c_users'],
    ['../users'],
    ['__collections'],
  ])('collection %j that does not exist → DATABASE_COLLECTION_NOT_EXIST', async (name) => {
    expectError(await postSigned({ action: 'database.getDocument', collectionName: name, queryType: 'WHERE', limit: 10 }), 'DATABASE_COLLECTION_NOT_EXIST');
    expectError(await postSigned({ action: 'database.insertDocument', collectionName: name, data: ['{"a":1}'] }), 'DATABASE_COLLECTION_NOT_EXIST');
    expectError(await postSigned({ action: 'database.removeDocument', collectionName: name, query: '{}', queryType: 'WHERE', multi: true }), 'DATABASE_COLLECTION_NOT_EXIST');
  });

  it('addCollection with an invalid name → error answer, no collection created', async () => {
    const names = t.cloud.store.names();
    for (const name of ['a b', '"; DROP TABLE c_users; --', 'x'.repeat(200), '1abc']) {
      expectError(await postSigned({ action: 'database.addCollection', collectionName: name }));
    }
    expectError(await postSigned({ action: 'database.addCollection', collectionName: 'users' }), 'DATABASE_COLLECTION_ALREADY_EXIST');
    expect(t.cloud.store.names()).toEqual(names);
  });

  const ins = (extra: Record<string, unknown>) => ({ action: 'database.insertDocument', collectionName: 'users', ...extra });
  it.each([
    ['no data', ins({})],
    ['data a string', ins({ data: '{"a":1}' })],
    ['data an object', ins({ data: { a: 1 } })],
    ['data empty', ins({ data: [] })],
    ['data [1]', ins({ data: [1] })],
    ['data [object]', ins({ data: [{ a: 1 }] })],
    ['data [null]', ins({ data: [null] })],
    ['data not EJSON', ins({ data: ['{not json'] })],
    ['data an EJSON array', ins({ data: ['[1,2]'] })],
    ['data an EJSON string', ins({ data: ['"x"'] })],
    ['data valid then invalid (atomic)', ins({ data: ['{"_id":"robust-1","a":1}', '{oops'] })],
    ['data valid then $ field (atomic)', ins({ data: ['{"_id":"robust-2","a":1}', '{"$b":1}'] })],
    ['_id an object', ins({ data: ['{"_id":{"a":1}}'] })],
    ['_id empty', ins({ data: ['{"_id":""}'] })],
    ['_id a bool', ins({ data: ['{"_id":true}'] })],
    ['duplicate _id in one insert', ins({ data: ['{"_id":"dup"}', '{"_id":"dup"}'] })],
    ['existing _id', ins({ data: ['{"_id":"demo-shopper-a","nickname":"x"}'] })],
    ['unsupported BSON type', ins({ data: ['{"a":{"$code":"function(){}"}}'] })],
    ['transactionId a number', ins({ data: ['{"a":1}'], transactionId: 5 })],
    ['transactionId unknown', ins({ data: ['{"a":1}'], transactionId: 'tx_nope' })],
    ['unique index violated', ins({ data: ['{"_id":"robust-3","inviteCode":"DEMO01"}'] })],
  ])('insertDocument: %s → error answer', async (_n, body) => {
    expectError(await postSigned(body));
  });

  it.each([
    ['top-level', '{"$bad":1}'],
    ['nested', '{"a":{"$bad":1}}'],
    ['in an array', '{"a":[{"ok":1},{"$bad":1}]}'],
  ])('insertDocument with a $ field (%s) → DATABASE_REQUEST_FAILED', async (_n, doc) => {
    expectError(await postSigned(ins({ data: [doc] })), 'DATABASE_REQUEST_FAILED');
  });

  const get = (extra: Record<string, unknown>) => ({ action: 'database.getDocument', collectionName: 'users', queryType: 'WHERE', ...extra });
  it.each([
    ['query a number', get({ query: 5 })],
    ['query true', get({ query: true })],
    ['query an array', get({ query: [] })],
    ['query not EJSON', get({ query: '{nickname:' })],
    ['query an EJSON array', get({ query: '[1]' })],
    ['query an EJSON string', get({ query: '"x"' })],
    ['query an object without _id', get({ query: { nickname: 'x' } })],
    ['query an object with _id and more', get({ query: { _id: 'x', nickname: 'x' } })],
    ['query with an unknown operator', get({ query: '{"nickname":{"$nope":1}}' })],
    ['limit -1', get({ limit: -1 })],
    ['limit 1.5', get({ limit: 1.5 })],
    ['limit "abc"', get({ limit: 'abc' })],
    ['limit "5" (string)', get({ limit: '5' })],
    ['limit {}', get({ limit: {} })],
    ['offset "abc"', get({ offset: 'abc' })],
    ['offset -3', get({ offset: -3 })],
    ['offset 1e300', get({ offset: 1e300 })],
    ['order not EJSON', get({ order: 'x' })],
    ['order a number', get({ order: 5 })],
    ['order direction 2', get({ order: '{"nickname":2}' })],
    ['order direction a string', get({ order: '{"nickname":"up"}' })],
    ['projection a number', get({ projection: 5 })],
    ['projection an EJSON string', get({ projection: '"x"' })],
    ['projection mixing include and exclude', get({ projection: '{"a":1,"b":0}' })],
    ['multi "false" (string)', get({ multi: 'false' })],
    ['queryType "XYZ"', get({ queryType: 'XYZ' })],
    ['queryType 5', get({ queryType: 5 })],
    ['transactionId unknown', get({ transactionId: 'tx_nope' })],
    ['transactionId {}', get({ transactionId: {} })],
  ])('getDocument: %s → error answer', async (_n, body) => {
    expectError(await postSigned(body));
  });

  it.each([
    ['query a number', { query: 5 }],
    ['query not EJSON', { query: 'x' }],
    ['query an EJSON array', { query: '[]' }],
  ])('calculateDocument: %s → error answer', async (_n, extra) => {
    expectError(await postSigned({ action: 'database.calculateDocument', collectionName: 'users', queryType: 'WHERE', ...extra }));
  });

  const mod = (extra: Record<string, unknown>) => ({
    action: 'database.modifyDocument',
    collectionName: 'users',
    queryType: 'WHERE',
    query: '{"_id":"demo-shopper-a"}',
    multi: true,
    merge: true,
    upsert: false,
    data: '{"$set":{"nickname":"pwned"}}',
    ...extra,
  });
  it.each([
    ['no query (would touch every document)', mod({ query: undefined })],
    ['query null', mod({ query: null })],
    ['query a number', mod({ query: 5 })],
    ['query not EJSON', mod({ query: '{' })],
    ['query an EJSON array', mod({ query: '[{}]' })],
    ['no data', mod({ data: undefined })],
    ['data a number', mod({ data: 5 })],
    ['data an object (not a string)', mod({ data: { $set: { nickname: 'pwned' } } })],
    ['data an array', mod({ data: ['{"$set":{"nickname":"pwned"}}'] })],
    ['data not EJSON', mod({ data: '{"$set":' })],
    ['data an EJSON string', mod({ data: '"pwned"' })],
    ['data empty', mod({ data: '{}' })],
    ['data an unknown operator', mod({ data: '{"$evil":{"nickname":"pwned"}}' })],
    ['data operator with a non-object', mod({ data: '{"$set":5}' })],
    ['data setting _id', mod({ data: '{"$set":{"_id":"other"}}' })],
    ['data plain _id', mod({ data: '{"_id":"other"}' })],
    ['data $ field path', mod({ data: '{"$set":{"$where":"pwned"}}' })],
    ['data nested $ field', mod({ data: '{"$set":{"profile":{"$x":1}}}' })],
    ['data $ in a dotted path', mod({ data: '{"$set":{"a.$b":1}}' })],
    ['data $inc on a string field', mod({ data: '{"$inc":{"nickname":1}}' })],
    ['data $inc with a string', mod({ data: '{"$inc":{"n":"1"}}' })],
    ['data two operators on one path', mod({ data: '{"$set":{"n":1},"$inc":{"n":1}}' })],
    ['multi "true" (string)', mod({ multi: 'true' })],
    ['merge "false" (string)', mod({ merge: 'false' })],
    ['upsert 1', mod({ upsert: 1 })],
    ['queryType " DOC"', mod({ queryType: ' DOC' })],
    ['set() with an operator', mod({ merge: false, upsert: true, queryType: 'DOC', query: { _id: 'demo-shopper-a' } })],
    ['set() with a $ field', mod({ merge: false, upsert: true, queryType: 'DOC', query: { _id: 'demo-shopper-a' }, data: '{"a":{"$b":1}}' })],
    ['set() with _id', mod({ merge: false, upsert: true, queryType: 'DOC', query: { _id: 'demo-shopper-a' }, data: '{"_id":"x","a":1}' })],
    ['set() without an id', mod({ merge: false, upsert: true, queryType: 'WHERE', query: '{"nickname":"x"}', data: '{"a":1}' })],
    ['transactionId unknown', mod({ transactionId: 'tx_nope' })],
  ])('modifyDocument: %s → error answer', async (_n, body) => {
    expectError(await postSigned(body));
  });

  it.each([
    ['no query', { query: undefined }],
    ['data a number', { data: 5 }],
    ['data an unknown operator', { data: '{"$evil":{"a":1}}' }],
    ['data $ field', { data: '{"$set":{"$a":1}}' }],
  ])('modifyAndReturnDoc: %s → error answer', async (_n, extra) => {
    const body = { action: 'database.modifyAndReturnDoc', collectionName: 'users', queryType: 'WHERE', query: '{"_id":"demo-shopper-a"}', data: '{"$set":{"nickname":"pwned"}}', ...extra };
    expectError(await postSigned(body));
  });

  const rm = (extra: Record<string, unknown>) => ({ action: 'database.removeDocument', collectionName: 'users', queryType: 'WHERE', multi: true, ...extra });
  it.each([
    ['no query (would remove everything)', rm({})],
    ['query null', rm({ query: null })],
    ['query a number', rm({ query: 5 })],
    ['query an EJSON string', rm({ query: '"x"' })],
    ['query an EJSON array', rm({ query: '[]' })],
    ['query not EJSON', rm({ query: '{' })],
    ['query with an unknown operator', rm({ query: '{"_id":{"$nope":1}}' })],
    ['query a DOC object with more than _id', rm({ query: { _id: 'demo-shopper-a', x: 1 } })],
    ['multi "yes"', rm({ query: '{"_id":"demo-shopper-a"}', multi: 'yes' })],
    ['multi "false" (string)', rm({ query: '{"_id":"demo-shopper-a"}', multi: 'false' })],
    ['queryType 5', rm({ query: '{"_id":"demo-shopper-a"}', queryType: 5 })],
    ['transactionId unknown', rm({ query: '{"_id":"demo-shopper-a"}', transactionId: 'tx_nope' })],
  ])('removeDocument: %s → error answer', async (_n, body) => {
    expectError(await postSigned(body));
  });

  const agg = (stages: unknown) => ({ action: 'database.aggregateDocuments', collectionName: 'products', stages });
  it.each([
    ['no stages', agg(undefined)],
    ['stages a string', agg('[{"$match":{}}]')],
    ['stages an object', agg({ stageKey: '$match', stageValue: '{}' })],
    ['stages [1]', agg([1])],
    ['stages [null]', agg([null])],
    ['stageKey without $', agg([{ stageKey: 'match', stageValue: '{}' }])],
    ['stageKey a number', agg([{ stageKey: 5, stageValue: '{}' }])],
    ['stageKey with odd characters', agg([{ stageKey: '$match.x', stageValue: '{}' }])],
    ['stageValue a number', agg([{ stageKey: '$match', stageValue: 5 }])],
    ['stageValue an object', agg([{ stageKey: '$match', stageValue: {} }])],
    ['stageValue not EJSON', agg([{ stageKey: '$match', stageValue: '{' }])],
    ['unknown stage', agg([{ stageKey: '$nope', stageValue: '{}' }])],
    ['$limit not a number', agg([{ stageKey: '$limit', stageValue: '"abc"' }])],
    ['$limit negative', agg([{ stageKey: '$limit', stageValue: '-1' }])],
    ['$group without _id', agg([{ stageKey: '$group', stageValue: '{"n":{"$sum":1}}' }])],
    ['$lookup from a missing collection', agg([{ stageKey: '$lookup', stageValue: '{"from":"nope","localField":"a","foreignField":"b","as":"c"}' }])],
    ['$match with an unknown operator', agg([{ stageKey: '$match', stageValue: '{"a":{"$nope":1}}' }])],
    ['$project mixing include and exclude', agg([{ stageKey: '$project', stageValue: '{"a":1,"b":0}' }])],
  ])('aggregateDocuments: %s → error answer', async (_n, body) => {
    expectError(await postSigned(body as Record<string, unknown>));
  });

  it.each([
    ['$out', '"users"'],
    ['$merge', '{"into":"users"}'],
    ['$out', '"brand_new_collection"'],
  ])('aggregateDocuments with %s %s writes nothing', async (stageKey, stageValue) => {
    const names = t.cloud.store.names();
    const r = await postSigned(agg([{ stageKey: '$match', stageValue: '{}' }, { stageKey, stageValue }]));
    expect(r.status).toBe(200);
    if (r.json.code) expectError(r);
    else expect(Array.isArray(r.json.data.list)).toBe(true);
    expect(t.cloud.store.names()).toEqual(names);
  });

  it.each([
    ['commit unknown', { action: 'database.commitTransaction', transactionId: 'tx_nope' }, 'DATABASE_TRANSACTION_FAIL'],
    ['commit without id', { action: 'database.commitTransaction' }, 'INVALID_PARAM'],
    ['commit id a number', { action: 'database.commitTransaction', transactionId: 7 }, 'INVALID_PARAM'],
    ['abort unknown', { action: 'database.abortTransaction', transactionId: 'tx_nope' }, 'DATABASE_TRANSACTION_FAIL'],
  ])('transactions: %s → %s', async (_n, body, code) => {
    expectError(await postSigned(body), code);
  });

  it('the server still answers the real SDK', stillServes);
});

describe('$ field names through the real SDK', () => {
  guardNoWrites();

  it('add({$bad: 1}) → DATABASE_REQUEST_FAILED', async () => {
    await expect(t.db.collection('users').add({ $bad: 1 })).rejects.toMatchObject({ code: 'DATABASE_REQUEST_FAILED' });
    await expect(t.db.collection('users').add({ a: { $bad: 1 } })).rejects.toMatchObject({ code: 'DATABASE_REQUEST_FAILED' });
    await expect(t.db.collection('users').add([{ _id: 'robust-ok', a: 1 }, { $bad: 1 }])).rejects.toMatchObject({ code: 'DATABASE_REQUEST_FAILED' });
  });

  it('update / set with a $ field → refused, document unchanged', async () => {
    const users = t.db.collection('users');
    await expect(users.doc('demo-shopper-a').update({ profile: { $evil: 1 } })).rejects.toMatchObject({ code: expect.any(String) });
    await expect(users.doc('demo-shopper-a').set({ profile: { $evil: 1 } })).rejects.toMatchObject({ code: expect.any(String) });
    await expect(users.where({ _id: 'demo-shopper-a' }).update({ profile: { $evil: 1 } })).rejects.toMatchObject({ code: expect.any(String) });
  });
});

// ---------------------------------------------------------------------------------------------------------------

describe('signatures', () => {
  guardNoWrites();

  let rec: Awaited<ReturnType<typeof startRecorder>>;
  beforeAll(async () => {
    rec = await startRecorder((body) => {
      if (body?.action === 'database.removeDocument') return { requestId: 'rec', data: { deleted: 1 } };
      if (body?.action === 'database.modifyDocument') return { requestId: 'rec', data: { updated: 1 } };
      return { requestId: 'rec', data: { list: [], insertedIds: ['x'], total: 0 } };
    });
  });
  afterAll(() => rec.close());

  /** Make the real SDK produce one request, signed with the cloud's real keys, and keep it. */
  async function capture(run: (db: ReturnType<ReturnType<typeof tcb.init>['database']>) => Promise<unknown>): Promise<Captured> {
    const app = tcb.init({ env: 'local', serviceUrl: `${rec.url}/admin`, secretId: t.cloud.keys.secretId, secretKey: t.cloud.keys.secretKey });
    const n = rec.captured.length;
    await run(app.database());
    expect(rec.captured.length).toBe(n + 1);
    return rec.captured[n];
  }
  /** Send a captured request to the local cloud as it was (Host kept: it is signed), optionally with another body. */
  const replay = (c: Captured, body: string = c.body, headers: Record<string, string> = c.headers) => {
    const { 'content-length': _cl, connection: _c, ...h } = headers;
    return rawPost(t.cloud.port, c.url, h, body, agent);
  };

  it('the real SDK with a wrong secret key → SIGN_PARAM_INVALID', async () => {
    const app = tcb.init({ env: 'local', serviceUrl: t.cloud.adminUrl, secretId: t.cloud.keys.secretId, secretKey: 'wrong' });
    await expect(app.database().collection('users').get()).rejects.toMatchObject({ code: 'SIGN_PARAM_INVALID' });
    await expect(app.database().collection('users').add({ a: 1 })).rejects.toMatchObject({ code: 'SIGN_PARAM_INVALID' });
    await expect(app.database().collection('users').where({ nickname: '小安' }).remove()).rejects.toMatchObject({ code: 'SIGN_PARAM_INVALID' });
  });

  it('the real SDK with an unknown secretId → SIGN_PARAM_INVALID', async () => {
    const app = tcb.init({ env: 'local', serviceUrl: t.cloud.adminUrl, secretId: 'AKIDsomeoneelse', secretKey: t.cloud.keys.secretKey });
    await expect(app.database().collection('users').add({ a: 1 })).rejects.toMatchObject({ code: 'SIGN_PARAM_INVALID' });
  });

  it("the test's own signer agrees with the SDK's (same signature over a captured request)", async () => {
    const c = await capture((db) => db.collection('users').where({ nickname: '小安' }).get());
    const body = JSON.parse(c.body);
    const mine = signRequest({
      secretId: t.cloud.keys.secretId,
      secretKey: t.cloud.keys.secretKey,
      host: c.headers.host,
      path: '/admin',
      query: c.url.split('?')[1],
      body,
      timestamp: Number(c.headers['x-timestamp']),
    });
    // Same algorithm over the same params: the SDK signs more headers, so recompute with its header set.
    const sdkSigned = /SignedParams=([^,]*)/.exec(c.headers.authorization)![1];
    expect(/SignedParams=([^,]*)/.exec(mine.authorization)![1]).toBe(sdkSigned);
    const r = await replay(c, c.body, { ...c.headers, ...mine, host: c.headers.host });
    expect(r.json.code).toBeUndefined();
  });

  it('a captured request replayed unchanged → accepted; with a body field changed → refused', async () => {
    const c = await capture((db) => db.collection('users').where({ nickname: '小安' }).get());
    const ok = await replay(c);
    expect(ok.status).toBe(200);
    expect(ok.json.code).toBeUndefined();
    expect(ok.json.data.list.map((s: string) => JSON.parse(s)._id)).toEqual(['demo-shopper-a']);

    const body = JSON.parse(c.body);
    for (const tampered of [
      { ...body, query: '{"nickname":"小白"}' },
      { ...body, collectionName: 'orders' },
      { ...body, limit: 1000 },
      { ...body, action: 'database.removeDocument' },
      { ...body, extra: 'x' },
      { ...body, action: 'database.removeDocument', ACTION: body.action }, // two keys, one signed name
      { ...body, action: 'database.removeDocument', ' action': body.action },
    ]) {
      expectError(await replay(c, JSON.stringify(tampered)), 'SIGN_PARAM_INVALID');
    }
    // Dropping a signed field changes the hash too.
    const { query: _q, ...withoutQuery } = body;
    expectError(await replay(c, JSON.stringify(withoutQuery)), 'SIGN_PARAM_INVALID');
  });

  it('a captured insert replayed with its data changed → refused, nothing written', async () => {
    const c = await capture((db) => db.collection('users').add({ _id: 'robust-replay', nickname: 'honest' }));
    const body = JSON.parse(c.body);
    const data = [String(body.data[0]).replace('honest', 'forged')];
    expectError(await replay(c, JSON.stringify({ ...body, data })), 'SIGN_PARAM_INVALID');
    expectError(await replay(c, JSON.stringify({ ...body, collectionName: 'orders' })), 'SIGN_PARAM_INVALID');
  });

  it('a captured request with multi:false turned into "false" or queryType padded (same signature) → refused', async () => {
    const c = await capture((db) => db.collection('users').where({ nickname: '小安' }).options({ multiple: false }).update({ nickname: 'x' }));
    const body = JSON.parse(c.body);
    expect(body.multi).toBe(false);
    const r = await replay(c, JSON.stringify({ ...body, multi: 'false', query: body.query }));
    expectError(r);
    const c2 = await capture((db) => db.collection('users').doc('demo-shopper-a').remove());
    const b2 = JSON.parse(c2.body);
    expect(b2.queryType).toBe('DOC');
    expectError(await replay(c2, JSON.stringify({ ...b2, queryType: ' DOC ', multi: 'false' })));
  });

  it('a captured request with x-timestamp changed → refused', async () => {
    const c = await capture((db) => db.collection('users').get());
    const ts = Number(c.headers['x-timestamp']);
    expectError(await replay(c, c.body, { ...c.headers, 'x-timestamp': String(ts - 5) }), 'SIGN_PARAM_INVALID');
    expectError(await replay(c, c.body, { ...c.headers, 'x-timestamp': String(ts + 1) }), 'SIGN_PARAM_INVALID');
    expectError(await replay(c, c.body, { ...c.headers, 'x-timestamp': 'now' }), 'SIGN_PARAM_INVALID');
  });

  it('a captured request sent to another host or path → refused', async () => {
    const c = await capture((db) => db.collection('users').get());
    expectError(await replay(c, c.body, { ...c.headers, host: host() }), 'SIGN_PARAM_INVALID');
    const r = await rawPost(t.cloud.port, c.url.replace('/admin', '/admin/x'), { ...c.headers }, c.body, agent);
    expectError(r, 'SIGN_PARAM_INVALID');
    const r2 = await rawPost(t.cloud.port, c.url.replace('env=local', 'env=other'), { ...c.headers }, c.body, agent);
    expectError(r2, 'SIGN_PARAM_INVALID');
  });

  it('stale or future x-timestamp (> 600 s) → refused even when correctly signed; 500 s old → accepted', async () => {
    const now = Math.floor(Date.now() / 1000);
    const body = { action: 'database.calculateDocument', collectionName: 'users', queryType: 'WHERE' };
    expectError(await postSigned(body, { timestamp: now - 700 }), 'SIGN_PARAM_INVALID');
    expectError(await postSigned(body, { timestamp: now + 700 }), 'SIGN_PARAM_INVALID');
    expectError(await postSigned(body, { timestamp: now - 86400 * 365 }), 'SIGN_PARAM_INVALID');
    const ok = await postSigned(body, { timestamp: now - 500 });
    expect(ok.json.code).toBeUndefined();
    expect(ok.json.data.total).toBe(t.cloud.store.count('users'));
  });

  it('missing or malformed Authorization → refused', async () => {
    const body = { action: 'database.insertDocument', collectionName: 'users', data: ['{"a":1}'] };
    const h = signedHeaders(body);
    const { authorization, ...noAuth } = h;
    expectError(await rawPost(t.cloud.port, ADMIN, noAuth, JSON.stringify(body), agent), 'SIGN_PARAM_INVALID');
    const sig = /Signature=([0-9a-f]+)/.exec(authorization)![1];
    for (const bad of [
      '',
      'Bearer whatever',
      'TC3-HMAC-SHA256',
      'TC3-HMAC-SHA256 Credential=, SignedHeaders=, Signature=',
      authorization.replace(/Signature=[0-9a-f]+/, 'Signature='),
      authorization.replace(/Signature=[0-9a-f]+/, `Signature=${'é'.repeat(64)}`), // right length in characters, not bytes
      authorization.replace(/Signature=[0-9a-f]+/, `Signature=${sig.toUpperCase()}`),
      authorization.replace('SignedHeaders=content-type;host', 'SignedHeaders=content-type'),
      authorization.replace('SignedParams=action;', 'SignedParams='), // action left out of the signed list
      authorization.replace('/tcb/', '/cvm/'),
      authorization.replace(/Credential=[^/]+/, 'Credential=AKIDother'),
      authorization.replace(/\d{4}-\d{2}-\d{2}/, '2001-01-01'),
    ]) {
      expectError(await rawPost(t.cloud.port, ADMIN, { ...h, authorization: bad }, JSON.stringify(body), agent), 'SIGN_PARAM_INVALID');
    }
  });

  it('a body key that cannot be encoded (lone surrogate) → refused, not an internal error', async () => {
    const text = '{"action":"database.getDocument","collectionName":"users","\\ud800":"x"}';
    expectError(await postRaw(text, signedHeaders({ action: 'database.getDocument', collectionName: 'users' })), 'SIGN_PARAM_INVALID');
  });

  it('a $ field name through a correctly signed raw insert → DATABASE_REQUEST_FAILED', async () => {
    const r = await postSigned({ action: 'database.insertDocument', collectionName: 'users', data: ['{"_id":"robust-dollar","$bad":1}'] });
    expectError(r, 'DATABASE_REQUEST_FAILED');
  });
});

// ---------------------------------------------------------------------------------------------------------------

/**
 * Queries and pipelines that reach the engine (database.ts / codec.ts / mingo) and used to raise internal errors or
 * take the whole process down. Run against a separate process, so a crash fails these tests and not the runner.
 */
describe('engine input that must be refused, not crash (separate process)', () => {
  const KEYS = { secretId: 'AKIDrobustnesschild00000000000000', secretKey: 'robustnesschildsecret000000000000' };
  let child: SpawnedCloud;
  beforeAll(async () => {
    child = await spawnCloud({ keys: KEYS });
  }, 40_000);
  afterAll(() => child.kill9());

  const send = (body: Record<string, unknown>) =>
    rawPost(child.port, ADMIN, signRequest({ ...KEYS, host: child.host, path: '/admin', query: QS, body }), JSON.stringify(body));
  async function refusedAndAlive(body: Record<string, unknown>) {
    let r: RawResponse | undefined;
    let failure = '';
    try {
      // A process that spins towards a crash answers nothing; give up after 15 s (a loaded machine answers slowly, a
      // spinning one never) rather than wait for the abort.
      const pending = send(body);
      pending.catch(() => undefined);
      r = await Promise.race([pending, new Promise<never>((_res, rej) => setTimeout(() => rej(new Error('no answer in 15 s')), 15_000).unref())]);
    } catch (e) {
      failure = `no answer: ${(e as Error).message}`;
    }
    const health = r ? await send({ action: 'database.calculateDocument', collectionName: 'products', queryType: 'WHERE' }).catch(() => null) : null;
    if (!r || !health) {
      const out = child.output().slice(-400);
      await child.kill9().catch(() => undefined);
      child = await spawnCloud({ keys: KEYS }); // the next case gets a fresh process
      throw new Error(`the local cloud died on ${JSON.stringify(body)}: ${failure}\n${out}`);
    }
    expectError(r);
    expect(health.json.data.total).toBe(6);
  }
  const q = (query: string) => ({ action: 'database.getDocument', collectionName: 'users', queryType: 'WHERE', query, limit: 10 });
  const a = (stageKey: string, stageValue: string) => ({ action: 'database.aggregateDocuments', collectionName: 'products', stages: [{ stageKey, stageValue }] });

  it.each([
    ['$in with a non-array', q('{"nickname":{"$in":5}}')],
    ['$nin with a non-array', q('{"nickname":{"$nin":"x"}}')],
    ['$regex that does not compile', q('{"nickname":{"$regex":"("}}')],
    ['EJSON regular expression that does not compile', q('{"nickname":{"$regularExpression":{"pattern":"(","options":""}}}')],
    ['$expr with an unknown operator', q('{"$expr":{"$nope":1}}')],
    ['count with $in a non-array', { action: 'database.calculateDocument', collectionName: 'users', queryType: 'WHERE', query: '{"nickname":{"$in":5}}' }],
    ['remove with $in a non-array', { action: 'database.removeDocument', collectionName: 'users', queryType: 'WHERE', multi: true, query: '{"_id":{"$in":5}}' }],
    ['aggregate $match with $in a non-array', a('$match', '{"a":{"$in":5}}')],
    ['aggregate $sample size -1', a('$sample', '{"size":-1}')],
    ['aggregate $sample without size', a('$sample', '{}')],
    ['aggregate $sample inside $facet', a('$facet', '{"x":[{"$sample":{"size":-1}}]}')],
  ])('%s → error answer, process up', async (_n, body) => {
    await refusedAndAlive(body);
  }, 40_000);
});

// ---------------------------------------------------------------------------------------------------------------

/** Deterministic PRNG (mulberry32). */
function mulberry32(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let x = a;
    x = Math.imul(x ^ (x >>> 15), x | 1);
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

const ACTIONS = [
  'database.addCollection',
  'database.insertDocument',
  'database.getDocument',
  'database.calculateDocument',
  'database.modifyDocument',
  'database.modifyAndReturnDoc',
  'database.removeDocument',
  'database.aggregateDocuments',
  'database.startTransaction',
  'database.commitTransaction',
  'database.abortTransaction',
  'functions.invokeFunction',
  'auth.getUserInfoForAdmin',
  'wx.api',
  'database.dropEverything',
  'foo',
];
const READ_ONLY = ['database.getDocument', 'database.calculateDocument', 'database.aggregateDocuments', 'database.abortTransaction', 'database.commitTransaction', 'auth.getUserInfoForAdmin', 'wx.api', 'foo', 'database.dropEverything'];
const WRITES = ['database.insertDocument', 'database.modifyDocument', 'database.modifyAndReturnDoc', 'database.removeDocument', 'database.addCollection', 'functions.invokeFunction'];
const PARAMS = ['collectionName', 'query', 'queryType', 'data', 'limit', 'offset', 'order', 'projection', 'multi', 'merge', 'upsert', 'stages', 'transactionId', 'function_name', 'request_data', 'envName', 'action'];
const COLLS = ['users', 'products', 'orders', 'nope', '', 'USERS', '__collections', 'c_users'];
const EJSON_SAMPLES = [
  '{}',
  '[]',
  '{"nickname":"小安"}',
  '{"_id":"demo-shopper-a"}',
  '{"priceFen":{"$gt":{"$numberInt":"100"}}}',
  '{"$or":[{"a":1},{"b":{"$exists":true}}]}',
  '{"$set":{"nickname":"fuzz"}}',
  '{"$inc":{"stock":{"$numberInt":"1"}}}',
  '{"a":{"$date":{"$numberLong":"1704067200000"}}}',
  '{"a":{"$regularExpression":{"pattern":"^x","options":"i"}}}',
  '{"a":{"$tcb_server_date":{"offset":5}}}',
  '{"a":{"$oid":"0123456789abcdef01234567"}}',
  '{"a":{"$numberDecimal":"1.5"}}',
  '{"a":{"$binary":{"base64":"AA==","subType":"00"}}}',
  '{"$where":"sleep(1000)"}',
  '{"a":{"$expr":{"$gt":["$a",1]}}}',
  '{"nickname":1}',
  '"$nickname"',
  '5',
  'null',
  '{"$bad":1}',
];

function fuzzer(seed: number) {
  const rnd = mulberry32(seed);
  const int = (n: number) => Math.floor(rnd() * n);
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)];
  const chance = (p: number) => rnd() < p;
  const randString = (): string => {
    switch (int(6)) {
      case 0:
        return pick(EJSON_SAMPLES);
      case 1:
        return pick(ACTIONS);
      case 2:
        return pick(COLLS);
      case 3:
        return String.fromCharCode(...Array.from({ length: int(12) }, () => int(0x3000)));
      case 4:
        return `$${pick(['where', 'set', 'gt', 'x', ''])}`;
      default:
        return Array.from({ length: int(10) }, () => pick('abc_$.{}[]":\\ 0'.split(''))).join('');
    }
  };
  const randValue = (depth = 0): unknown => {
    switch (int(depth > 2 ? 5 : 8)) {
      case 0:
        return null;
      case 1:
        return chance(0.5);
      case 2:
        return pick([0, -1, 1, 1.5, 1e300, -1e-300, 2 ** 53 + 2, 100, 1001, Number.MAX_SAFE_INTEGER]);
      case 3:
      case 4:
        return randString();
      case 5:
        return Array.from({ length: int(4) }, () => randValue(depth + 1));
      default: {
        const o: Record<string, unknown> = {};
        for (let i = int(4); i > 0; i--) {
          const key = chance(0.3) ? pick(['$set', '$gt', '__proto__', 'constructor', '', '_id', 'stageKey', 'stageValue']) : randString();
          // an own property even for "__proto__", as JSON.parse makes it on the server
          Object.defineProperty(o, key, { value: randValue(depth + 1), enumerable: true, writable: true, configurable: true });
        }
        return o;
      }
    }
  };
  const randParam = (name: string, plausible = false): unknown => {
    if (chance(plausible ? 0.1 : 0.5)) return randValue();
    switch (name) {
      case 'collectionName':
        return pick(COLLS);
      case 'query':
      case 'order':
      case 'projection':
        return chance(0.8) ? pick(EJSON_SAMPLES) : { _id: randValue(2) };
      case 'data':
        return chance(0.5) ? pick(EJSON_SAMPLES) : Array.from({ length: int(3) }, () => pick(EJSON_SAMPLES));
      case 'stages':
        return Array.from({ length: int(4) }, () => ({ stageKey: pick(['$match', '$group', '$sort', '$limit', '$project', '$unwind', '$lookup', '$out', '$merge', '$nope', 'x']), stageValue: chance(0.8) ? pick(EJSON_SAMPLES) : randValue(2) }));
      case 'queryType':
        return pick(['WHERE', 'DOC', 'where', '']);
      case 'limit':
      case 'offset':
        return pick([0, 1, -1, 'abc', 1000, 1e9, 2.5]);
      default:
        return randValue();
    }
  };
  /** Plausible bodies look like the SDK's (a real collection, WHERE, mostly well-formed params) to get past the first checks. */
  const randBody = (actions: readonly string[], plausible = false): Record<string, unknown> => {
    const body: Record<string, unknown> = { action: pick(actions) };
    if (plausible) Object.assign(body, { collectionName: pick(['users', 'products', 'orders']), queryType: 'WHERE' });
    for (let i = int(plausible ? 4 : 7); i > 0; i--) {
      const name = pick(PARAMS);
      if (name !== 'action' && !(plausible && name === 'collectionName')) body[name] = randParam(name, plausible);
    }
    return body;
  };
  return { rnd, int, pick, chance, randValue, randBody };
}

/** A signed write must be certain to fail before it writes: point it at a missing collection or transaction. */
function defuse(body: Record<string, unknown>, f: ReturnType<typeof fuzzer>) {
  if (!WRITES.includes(String(body.action))) {
    return body;
  }
  if (body.action === 'functions.invokeFunction') {
    body.function_name = f.pick([`missing-${f.int(1000)}`, 5, null, '']); // no real function runs
    return body;
  }
  if (body.action === 'database.addCollection') {
    // creating is its whole job: give it a name that exists already or cannot be a collection
    body.collectionName = f.pick(['users', 'products', '', 'bad name!', 5, null, {}]);
    return body;
  }
  switch (f.int(3)) {
    case 0:
      body.collectionName = `missing_${f.int(1000)}`;
      break;
    case 1:
      body.collectionName = f.pick(['users', 'products']);
      body.transactionId = `tx_missing_${f.int(1000)}`;
      break;
    default:
      body.collectionName = f.pick([5, true, null, {}, []]);
  }
  return body;
}

describe('10,000 random bodies', () => {
  it('every answer is an error answer or a harmless success; no 500, no dropped connection, nothing written', async () => {
    const before = { counts: counts(), digest: digest() };
    const f = fuzzer(0x5eed1234);
    const codes: Record<string, number> = {};
    let successes = 0;
    const failures: string[] = [];
    const N = 10_000;

    const one = async (i: number) => {
      const kind = f.int(10);
      let text: string;
      let headers: Record<string, string>;
      let signed = false;
      if (kind < 2) {
        // raw text, mostly not a JSON object
        text = f.pick([
          '',
          '{',
          'null',
          '[]',
          '[1,2,3]',
          '"x"',
          '123',
          'true',
          '{"action":',
          JSON.stringify(f.randValue()),
          JSON.stringify(f.randValue()).slice(0, f.int(20)),
          String.fromCharCode(...Array.from({ length: f.int(40) }, () => f.int(256))),
        ]);
        headers = { 'content-type': 'application/json', host: host() };
        if (f.chance(0.5)) headers.authorization = signedHeaders({}).authorization;
      } else if (kind < 6) {
        // unsigned or garbage-signed objects with real actions and random params
        const body = f.randBody(ACTIONS);
        text = JSON.stringify(body);
        headers = { 'content-type': 'application/json', host: host() };
        const auth = f.int(4);
        if (auth === 1) headers.authorization = `TC3-HMAC-SHA256 Credential=${t.cloud.keys.secretId}/2024-01-01/tcb/tc3_request, SignedHeaders=host, Signature=${'0'.repeat(64)}`;
        if (auth === 2) headers.authorization = (JSON.stringify(f.randValue()) ?? '').replace(/[^\x20-\x7e]/g, '?');
        if (auth === 3) Object.assign(headers, signedHeaders(body, { secretKey: 'wrong' }));
      } else if (kind < 7) {
        // signed correctly, then tampered (a new non-empty key, or the action swapped)
        const body = defuse(f.randBody(READ_ONLY), f);
        headers = signedHeaders(body);
        const tampered = f.chance(0.5) ? { ...body, zz_tamper: 'x' } : { ...body, action: body.action === 'database.removeDocument' ? 'database.getDocument' : 'database.removeDocument' };
        text = JSON.stringify(tampered);
      } else {
        // signed correctly: read-only actions with random params, or writes made certain to fail
        const body = defuse(f.randBody(f.chance(0.7) ? READ_ONLY : WRITES, f.chance(0.6)), f);
        headers = signedHeaders(body);
        text = JSON.stringify(body);
        signed = true;
      }
      let r: RawResponse;
      try {
        r = await rawPost(t.cloud.port, ADMIN, headers, text, agent);
      } catch (e) {
        failures.push(`#${i} connection failed: ${(e as Error).message} body=${text.slice(0, 200)}`);
        return;
      }
      if (r.status !== 200 || r.json === undefined || r.json === null || typeof r.json !== 'object') {
        failures.push(`#${i} HTTP ${r.status} ${r.text.slice(0, 200)} body=${text.slice(0, 200)}`);
        return;
      }
      if (r.json.code) {
        codes[r.json.code] = (codes[r.json.code] ?? 0) + 1;
        if (typeof r.json.message !== 'string' || typeof r.json.requestId !== 'string') failures.push(`#${i} error without message/requestId ${r.text.slice(0, 200)}`);
        if (r.json.code === 'SYS_ERR') failures.push(`#${i} internal error ${r.text.slice(0, 300)} body=${text.slice(0, 300)}`);
        if (!signed && r.json.code !== 'SIGN_PARAM_INVALID' && r.json.code !== 'INVALID_PARAM') failures.push(`#${i} unsigned got ${r.json.code} body=${text.slice(0, 200)}`);
        return;
      }
      if (!signed) {
        failures.push(`#${i} an unsigned/tampered body succeeded: ${text.slice(0, 300)}`);
        return;
      }
      successes++;
      const ok = typeof r.json.requestId === 'string' && (r.json.data === undefined || (typeof r.json.data === 'object' && r.json.data !== null));
      if (!ok) failures.push(`#${i} odd success shape ${r.text.slice(0, 200)}`);
    };

    const CONCURRENCY = 12;
    let next = 0;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < N) await one(next++);
      }),
    );

    if (process.env.FUZZ_VERBOSE) console.log({ codes, successes });
    expect(failures.slice(0, 20)).toEqual([]);
    expect(Object.values(codes).reduce((a, b) => a + b, 0) + successes).toBe(N);
    expect(codes.SIGN_PARAM_INVALID).toBeGreaterThan(3000);
    expect(successes).toBeGreaterThan(100); // some signed read-only bodies happen to be valid
    expect(counts()).toEqual(before.counts);
    expect(digest()).toBe(before.digest);
    // Still serving the real SDK, reads and writes.
    await stillServes();
    const id = (await t.db.collection('orders').add({ note: 'after fuzz' })).id as string;
    expect((await t.db.collection('orders').doc(id).get()).data[0].note).toBe('after fuzz');
    await t.db.collection('orders').doc(id).remove();
  }, 120_000);
});
