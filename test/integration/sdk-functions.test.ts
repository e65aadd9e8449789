/**
 * Conformance: app.callFunction (functions.invokeFunction) through the real @cloudbase/node-sdk against the local
 * cloud. A server-side call carries no user identity, so user actions answer UNAUTHENTICATED.
 */
import { startTestCloud, TestCloud } from '../support/cloud';
import { rejectsWithCode } from '../support/sdk-errors';

let t: TestCloud;

beforeAll(async () => {
  t = await startTestCloud();
});

afterAll(async () => {
  await t.close();
});

it('callFunction returns {result, requestId}; a user action without a user answers UNAUTHENTICATED', async () => {
  const res = await t.app.callFunction({ name: 'shop', data: { action: 'listProducts' } });
  expect(Object.keys(res).sort()).toEqual(['requestId', 'result']);
  expect(typeof res.requestId).toBe('string');
  expect(res.result).toEqual({ ok: false, code: 'UNAUTHENTICATED', message: '请先登录' });
});

it('an unknown action answers UNKNOWN_ACTION; no data at all too', async () => {
  const res = await t.app.callFunction({ name: 'shop', data: { action: 'noSuchAction' } });
  expect(res.result).toEqual({ ok: false, code: 'UNKNOWN_ACTION', message: '不支持的操作' });
  const empty = await t.app.callFunction({ name: 'shop' } as never);
  expect(empty.result).toEqual({ ok: false, code: 'UNKNOWN_ACTION', message: '不支持的操作' });
});

it('a platform action is allowed from a server call', async () => {
  const res = await t.app.callFunction({ name: 'settle', data: { action: 'run' } });
  expect(res.result).toMatchObject({ ok: true });
});

it('the same call through the gateway as a signed-in user succeeds', async () => {
  const res = await t.callAs('conformance-user', 'shop', { action: 'listProducts' });
  expect(res.status).toBe(200);
  expect(res.body.ok).toBe(true);
  expect(Array.isArray(res.body.data.items)).toBe(true);
});

it('an unknown function throws an error with a code', async () => {
  const err = await rejectsWithCode(t.app.callFunction({ name: 'no-such-function', data: {} }), 'FUNCTION_NOT_FOUND');
  expect(err.message).toContain('no-such-function');
});
