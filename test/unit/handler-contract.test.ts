/**
 * createHandler is typed by the contract (types/api.ts): `npm run typecheck` compiles this file, and every
 * `@ts-expect-error` below fails the typecheck if the mistake under it stops being a compile error. The jest part
 * checks that a conforming handler still serves its action at run time.
 */
import { z } from 'zod';
import { action, createHandler, createPartialHandler, type HandlerActions } from '../../cloudfunctions/infra/handler';
import type { JobsReport } from '../../types/api';

const report: JobsReport = { ranAt: '2026-01-01T00:00:00.000Z', runs: 1, jobs: {} };
const run = action({ schema: z.object({}).strict(), access: 'platformOrMerchant', run: async () => report });
const deleteAddress = action({ schema: z.object({ id: z.string() }).strict(), access: 'user', run: async () => ({ deleted: true }) });

// Conforming: the one settle action, with the contract's payload and result.
const settle = createHandler('settle', { run });

// @ts-expect-error a missing action: settle's contract has `run`
createHandler('settle', {});

// @ts-expect-error an action outside the contract
createHandler('settle', { run, extra: run });

// An action outside the contract is refused even when the map is a variable (no excess-property check to rely on).
const withExtra = { run, extra: run };
// @ts-expect-error the map holds `extra`, which settle's contract does not have
createHandler('settle', withExtra);

createHandler('settle', {
  // @ts-expect-error run returns the wrong result (a string, not a JobsReport)
  run: action({ schema: z.object({}).strict(), access: 'platform', run: async () => 'ran' }),
});

createPartialHandler('shop', {
  // @ts-expect-error the schema produces the wrong payload (id is a number, the contract says string)
  deleteAddress: action({ schema: z.object({ id: z.number() }).strict(), access: 'user', run: async () => ({ deleted: true }) }),
});

createPartialHandler('shop', {
  // @ts-expect-error the schema lacks a required payload field (deleteAddress needs id)
  deleteAddress: action({ schema: z.object({}).strict(), access: 'user', run: async () => ({ deleted: true }) }),
});

createPartialHandler('shop', {
  // @ts-expect-error the result lacks a field of the contract's ({ deleted: boolean })
  deleteAddress: action({ schema: z.object({ id: z.string() }).strict(), access: 'user', run: async () => ({}) }),
});

// A fixture serving a subset is still held to the contract, and only to it.
createPartialHandler('shop', { deleteAddress });
// @ts-expect-error not a shop action
createPartialHandler('shop', { deleteAdress: deleteAddress });

// Every contract action of a function is a key of HandlerActions: the user function's are exactly its contract's.
type UserKeys = keyof HandlerActions<'user'>;
const userKey: UserKeys = 'login';
// @ts-expect-error not a user action
const notUserKey: UserKeys = 'listProducts';

describe('createHandler typed by the contract', () => {
  it('serves a conforming action and refuses one it does not have', async () => {
    const context = { request_id: 'r1', environ: 'TRIGGER_SRC=timer' } as never;
    await expect(settle({ action: 'run' }, context)).resolves.toEqual({ ok: true, data: report });
    await expect(settle({ action: 'extra' }, context)).resolves.toMatchObject({ ok: false, code: 'UNKNOWN_ACTION' });
    expect([userKey, notUserKey]).toEqual(['login', 'listProducts']);
  });
});

describe('the platform is recognised by evidence, not by a missing openid', () => {
  const platformOnly = createPartialHandler('shop', {
    paymentNotify: action({ schema: z.object({ outTradeNo: z.string() }).strict(), access: 'platform', run: async () => ({ orderId: 'o1', status: 'paid' as const, transitioned: true }) }),
  });
  const ctx = (environ: string) => ({ request_id: 'r1', environ }) as never;

  it('a timer and a server call (no client marks) may call platform actions', async () => {
    await expect(settle({ action: 'run' }, ctx('TRIGGER_SRC=timer'))).resolves.toMatchObject({ ok: true });
    await expect(settle({ action: 'run' }, ctx('TCB_SOURCE=scf'))).resolves.toMatchObject({ ok: true });
    await expect(platformOnly({ action: 'paymentNotify', outTradeNo: 'o1' }, ctx('TCB_SOURCE=wx_paycallback'))).resolves.toMatchObject({ ok: true });
  });

  it.each([
    ['a web SDK anonymous login', 'TCB_UUID=u-1;TCB_ISANONYMOUS_USER=true;TCB_SOURCE=web'],
    ['a web SDK custom login', 'TCB_UUID=u-2;TCB_CUSTOM_USER_ID=someone;TCB_SOURCE=web'],
    ['a call shared from another account', 'FROM_OPENID=o-x;FROM_APPID=wx123;TCB_SOURCE=wx_client'],
  ])('%s (no openid) is not the platform', async (_what, environ) => {
    await expect(settle({ action: 'run' }, ctx(environ))).resolves.toMatchObject({ ok: false, code: 'FORBIDDEN' });
    await expect(platformOnly({ action: 'paymentNotify', outTradeNo: 'o1' }, ctx(environ))).resolves.toMatchObject({ ok: false, code: 'FORBIDDEN' });
    await expect(deleteAddressHandler({ action: 'deleteAddress', id: 'a1' }, ctx(environ))).resolves.toMatchObject({ ok: false, code: 'UNAUTHENTICATED' });
  });
});

const deleteAddressHandler = createPartialHandler('shop', { deleteAddress });
