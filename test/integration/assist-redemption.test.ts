/**
 * The redemption seam the shop's createOrder calls (claimAssistPrice / releaseAssistPrice), through the real SDK:
 * one order at a time holds the voucher; the same order again gets the same price; every refusal has its code;
 * releasing is idempotent and only by the holder. (Buying end to end through shop.createOrder: assist-checkout.)
 */
import { claimAssistPrice, releaseAssistPrice } from '../../cloudfunctions/app/assist/redemption';
import { startTestCloud, TestCloud } from '../support/cloud';
import { HOUR, loginMany, ok, startTask, task } from './assist-support';

/* eslint-disable @typescript-eslint/no-explicit-any */
let t: TestCloud;
let ctx: any;
let taskId: string;
const OWNER = 'red-owner';

beforeAll(async () => {
  t = await startTestCloud();
  ctx = { db: t.db, clock: { now: () => new Date(t.cloud.clock.now()) } };
  await loginMany(t, [OWNER, 'red-f1', 'red-f2', 'red-f3', 'red-other']);
  taskId = (await startTask(t, OWNER)).taskId;
});
afterAll(() => t.close());

const claim = (over: Partial<{ taskId: string; buyerId: string; productId: string; orderId: string }> = {}) =>
  claimAssistPrice(ctx, { taskId, buyerId: OWNER, productId: 'p-tea', orderId: 'order-1', ...over });

async function refusedWith(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e: any) {
    return e.code;
  }
  return 'no refusal';
}

it('refuses before the task succeeded', async () => {
  expect(await refusedWith(claim())).toBe('ASSIST_VOUCHER_NOT_READY');
  for (const f of ['red-f1', 'red-f2', 'red-f3']) await ok(t, f, 'assist', 'help', { taskId });
  expect((await task(t, taskId)).status).toBe('succeeded');
});

it.each([
  ['an unknown task', { taskId: 'at-none' }, 'ASSIST_TASK_NOT_FOUND'],
  ['someone else', { buyerId: 'red-other' }, 'ASSIST_VOUCHER_NOT_OWNER'],
  ['another product', { productId: 'p-rice' }, 'ASSIST_VOUCHER_WRONG_PRODUCT'],
])('refuses %s', async (_n, over, code) => {
  expect(await refusedWith(claim(over))).toBe(code);
  expect((await task(t, taskId)).voucher.orderId).toBeNull();
});

it('one order holds it; the same order again gets the same price; another order is refused', async () => {
  expect(await claim()).toEqual({ priceFen: 9900 });
  expect(await claim()).toEqual({ priceFen: 9900 });
  expect(await refusedWith(claim({ orderId: 'order-2' }))).toBe('ASSIST_VOUCHER_USED');
  expect((await task(t, taskId)).voucher).toMatchObject({ orderId: 'order-1' });
});

it('two orders racing: exactly one holds it', async () => {
  await releaseAssistPrice(ctx, { taskId, orderId: 'order-1' });
  const results = await Promise.allSettled(Array.from({ length: 20 }, (_, i) => claim({ orderId: `race-${i}` })));
  expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
  expect(results.filter((r) => r.status === 'rejected').map((r: any) => r.reason.code)).toEqual(Array(19).fill('ASSIST_VOUCHER_USED'));
});

it('release is idempotent and only by the holder; the voucher can then be claimed again', async () => {
  const holder = (await task(t, taskId)).voucher.orderId;
  await releaseAssistPrice(ctx, { taskId, orderId: 'not-the-holder' });
  expect((await task(t, taskId)).voucher.orderId).toBe(holder);
  await releaseAssistPrice(ctx, { taskId, orderId: holder });
  await releaseAssistPrice(ctx, { taskId, orderId: holder });
  expect((await task(t, taskId)).voucher.orderId).toBeNull();
  expect(await claim({ orderId: 'order-3' })).toEqual({ priceFen: 9900 });
  const view = await ok(t, OWNER, 'assist', 'get', { taskId });
  expect(view.voucher.state).toBe('used');
  expect(view.viewer.actions).toEqual(['startOwn']);
  await releaseAssistPrice(ctx, { taskId, orderId: 'order-3' });
});

it('refuses once the voucher expired', async () => {
  await t.dev('clock', { advanceMs: 49 * HOUR });
  expect(await refusedWith(claim({ orderId: 'order-late' }))).toBe('ASSIST_VOUCHER_EXPIRED');
  const mine = await ok(t, OWNER, 'assist', 'mine', {});
  expect(mine.items[0]).toMatchObject({ taskId, voucherState: 'expired' });
  await t.dev('clock', { reset: true });
});
