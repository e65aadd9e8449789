/**
 * Timer triggers declared in cloudbaserc.json fire on the local cloud's clock, including when a test moves it,
 * and the scheduled function refuses a shopper's call.
 */
import { startTestCloud, TestCloud } from '../support/cloud';
import { heldDuring } from '../support/holds';

let t: TestCloud;

beforeAll(async () => {
  t = await startTestCloud({ timers: true });
});
afterAll(() => t.close());

/**
 * The timer also fires at every minute on the local clock in real time: a test that counts runs starts well away from
 * that boundary (after one that is about to come has run).
 */
async function awayFromTheMinute(): Promise<void> {
  const { now } = await t.dev('clock');
  const into = now % 60_000;
  if (into < 45_000) return;
  const before = (await settleRuns())?.runs ?? 0;
  await new Promise((r) => setTimeout(r, 60_000 - into + 1_000));
  for (let i = 0; i < 100 && ((await settleRuns())?.runs ?? 0) === before; i++) await new Promise((r) => setTimeout(r, 200));
  await new Promise((r) => setTimeout(r, 500));
}

async function settleRuns(): Promise<{ runs: number; lastSource: string; lastRunAt: Date } | undefined> {
  const res = await t.db.collection('job_runs').doc('settle').get();
  return res.data[0];
}

it('lists the settle timer from cloudbaserc.json', async () => {
  const { timers } = await t.dev('timers');
  expect(timers).toEqual([expect.objectContaining({ functionName: 'settle', name: 'settleEveryMinute', cron: '0 * * * * * *' })]);
});

it('moving the clock fires the timer once, with the moved time as the functions see it', async () => {
  await awayFromTheMinute();
  const before = (await settleRuns())?.runs ?? 0;
  const { now: then } = await t.dev('clock');
  const clock = await t.dev('clock', { advanceMs: 3 * 24 * 3600 * 1000 });
  const after = await settleRuns();
  expect(after?.runs).toBe(before + 1);
  expect(after?.lastSource).toBe('timer');
  // The function's injected clock follows the local cloud's clock (3 days ahead of wall time): the run's time is
  // between the move and the clock's answer.
  expect(after!.lastRunAt.getTime()).toBeGreaterThanOrEqual(then + 3 * 24 * 3600 * 1000);
  expect(after!.lastRunAt.getTime()).toBeLessThanOrEqual(clock.now);
  expect(after!.lastRunAt.getTime() - Date.now()).toBeGreaterThan(2.9 * 24 * 3600 * 1000);
});

it('moving the clock while a firing is still running runs the timer again, with the moved time', async () => {
  await awayFromTheMinute();
  const before = (await settleRuns())?.runs ?? 0;
  // A firing in flight: held at its last step (recording the run), with the clock as it was.
  const { now: then } = await t.dev('clock');
  const first = await heldDuring(t, { action: 'database.modifyAndReturnDoc', collectionName: 'job_runs' }, () => t.dev('timers/fire', { name: 'settleEveryMinute' }), 'the settle run');
  const moved = t.dev('clock', { advanceMs: 2 * 24 * 3600 * 1000 });
  await first.release();
  const clock = await moved;
  const after = await settleRuns();
  expect(after?.runs).toBe(before + 2);
  // The clock's answer came after a run that saw the moved time (not only the one that read it before).
  expect(after!.lastRunAt.getTime() - then).toBeGreaterThanOrEqual(2 * 24 * 3600 * 1000);
  expect(after!.lastRunAt.getTime()).toBeLessThanOrEqual(clock.now);
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
  // The tick comes within a second or two of the boundary; the run takes what it takes on a busy machine.
  let runs = before;
  for (let waited = 0; runs < before + 1 && waited < 20_000; waited += 200) {
    await new Promise((r) => setTimeout(r, 200));
    runs = (await settleRuns())?.runs ?? 0;
  }
  expect(runs).toBeGreaterThanOrEqual(before + 1);
});
