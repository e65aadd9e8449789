/**
 * Timer triggers declared in cloudbaserc.json fire on the local cloud's clock, including when a test moves it,
 * and the scheduled function refuses a shopper's call.
 */
import { startTestCloud, TestCloud } from '../support/cloud';

let t: TestCloud;

beforeAll(async () => {
  t = await startTestCloud({ timers: true });
});
afterAll(() => t.close());

async function settleRuns(): Promise<{ runs: number; lastSource: string; lastRunAt: Date } | undefined> {
  const res = await t.db.collection('job_runs').doc('settle').get();
  return res.data[0];
}

it('lists the settle timer from cloudbaserc.json', async () => {
  const { timers } = await t.dev('timers');
  expect(timers).toEqual([expect.objectContaining({ functionName: 'settle', name: 'settleEveryMinute', cron: '0 * * * * * *' })]);
});

it('moving the clock fires the timer once, with the moved time as the functions see it', async () => {
  const before = (await settleRuns())?.runs ?? 0;
  const clock = await t.dev('clock', { advanceMs: 3 * 24 * 3600 * 1000 });
  const after = await settleRuns();
  expect(after?.runs).toBe(before + 1);
  expect(after?.lastSource).toBe('timer');
  // The function's injected clock follows the local cloud's clock (3 days ahead of wall time).
  expect(Math.abs(after!.lastRunAt.getTime() - clock.now)).toBeLessThan(5000);
  expect(after!.lastRunAt.getTime() - Date.now()).toBeGreaterThan(2.9 * 24 * 3600 * 1000);
});

it('a shopper cannot run the scheduled jobs; a merchant can', async () => {
  const shopper = await t.callAs('demo-shopper-a', 'settle', { action: 'run' });
  expect(shopper.body).toEqual({ ok: false, code: 'FORBIDDEN', message: expect.any(String) });
  const disguised = await t.callAs('demo-shopper-a', 'settle', { Type: 'Timer', TriggerName: 'settleEveryMinute' });
  expect(disguised.body.code).toBe('FORBIDDEN');
  const before = (await settleRuns())?.runs ?? 0;
  const merchant = await t.callAs('demo-merchant', 'settle', { action: 'run' });
  expect(merchant.body.ok).toBe(true);
  expect((await settleRuns())?.runs).toBe(before + 1);
});

it('fires on real time too', async () => {
  const before = (await settleRuns())?.runs ?? 0;
  // Jump to 1 s before the next minute boundary on the local clock, then wait for the real-time tick.
  const { now } = await t.dev('clock');
  const toBoundary = 60_000 - (now % 60_000) - 1000;
  await t.dev('clock', { advanceMs: toBoundary });
  await new Promise((r) => setTimeout(r, 2600));
  expect((await settleRuns())?.runs).toBeGreaterThanOrEqual(before + 1);
});
