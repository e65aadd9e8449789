/**
 * The request limits every function's handler applies before it reads an event (and the local gateway before it
 * invokes one): nesting past 64 levels or a body past 1 MB is refused with its own catalogued code, checked without
 * recursion, whatever the depth.
 */
import { z } from 'zod';
import { action, createPartialHandler } from '../../cloudfunctions/infra/handler';
import { MAX_PAYLOAD_BYTES, MAX_PAYLOAD_DEPTH, payloadProblem } from '../../types/payloadLimits';
import { ERRORS } from '../../types/errors';

function nestedArrays(levels: number): unknown {
  let v: unknown = 1;
  for (let i = 0; i < levels; i++) v = [v];
  return v;
}

function nestedObjects(levels: number): unknown {
  let v: unknown = 'x';
  for (let i = 0; i < levels; i++) v = { a: v };
  return v;
}

describe('payloadProblem', () => {
  it.each([
    ['a flat request', { action: 'login', inviteCode: 'ABCD' }, null],
    ['64 levels (the request is level 1)', { pad: nestedArrays(63) }, null],
    ['65 levels', { pad: nestedArrays(64) }, 'REQUEST_TOO_DEEP'],
    ['10,000 levels of arrays', { items: nestedArrays(10_000) }, 'REQUEST_TOO_DEEP'],
    ['1,000,000 levels of objects', { a: nestedObjects(1_000_000) }, 'REQUEST_TOO_DEEP'],
    ['a 1 MB string', { pad: 'x'.repeat(MAX_PAYLOAD_BYTES + 1) }, 'REQUEST_TOO_LARGE'],
    ['just under the size', { p: 'x'.repeat(MAX_PAYLOAD_BYTES - 10) }, null],
    ['a million-element array', { pad: Array.from({ length: 1_000_000 }, () => 0) }, 'REQUEST_TOO_LARGE'],
    ['many keys', Object.fromEntries(Array.from({ length: 200_000 }, (_, i) => [`key${i}`, i])), 'REQUEST_TOO_LARGE'],
    ['null', null, null],
    ['a string', 'login', null],
  ])('%s', (_name, value, expected) => {
    expect(payloadProblem(value)).toBe(expected);
  });

  it('never refuses for size what the gateway let through: the estimate is at most the JSON length', () => {
    const samples = [{ a: [1, 2, 3], b: { c: 'd', e: null, f: true } }, { items: [{ productId: 'p-tea', quantity: 2 }], address: { name: '张三', detail: '文三路 100 号' } }, [[], {}, ''], '中文'];
    for (const v of samples) {
      const bytes = Buffer.byteLength(JSON.stringify(v));
      expect(payloadProblem(v, MAX_PAYLOAD_DEPTH, bytes)).toBeNull();
    }
  });

  it('the catalogue message names the depth limit', () => {
    expect(ERRORS.REQUEST_TOO_DEEP).toContain(`${MAX_PAYLOAD_DEPTH} 层`);
  });
});

describe('createHandler refuses a too deep or too big event before it reads it', () => {
  const run = jest.fn(async () => ({ items: [], next: null }));
  const main = createPartialHandler('shop', { listProducts: action({ schema: z.object({ q: z.string().optional() }).strict(), access: 'platform', run }) });
  const context = { request_id: 'r1', environ: 'TRIGGER_SRC=timer' } as never;

  it.each([
    [{ action: 'listProducts', q: nestedArrays(100_000) }, 'REQUEST_TOO_DEEP'],
    [nestedObjects(100_000), 'REQUEST_TOO_DEEP'],
    [{ action: 'listProducts', q: 'x'.repeat(2 * MAX_PAYLOAD_BYTES) }, 'REQUEST_TOO_LARGE'],
  ])('%#', async (event, code) => {
    await expect(main(event, context)).resolves.toEqual({ ok: false, code, message: ERRORS[code as 'REQUEST_TOO_DEEP'] });
    expect(run).not.toHaveBeenCalled();
  });
});
