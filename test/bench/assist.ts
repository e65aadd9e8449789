/**
 * 小助力 under a crowd, on the local cloud in its own process, through the gateway (as the app calls it):
 *  - database round trips per `help` (GET /__dev/stats `database.requests` around one call);
 *  - 1,000 friends helping one task needing 3: p50 / p95 latency and calls/s, with the real guarded count and, side
 *    by side in the same run, a NAIVE read-count-then-write count (test/fixtures/functions/assist-naive: the same use
 *    case with only the guard removed). The naive row fails when it shows no over-count: then the burst measured
 *    nothing. The real rows hold only when exactly 3 helps were accepted, the task counted exactly 3 and succeeded
 *    (an under-count fails too), and every other answer was the expected ASSIST_TASK_DONE.
 *  - each round-trip row checks its help's answer (ok, completing, or the late friend's ASSIST_TASK_DONE).
 */
import { ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { functionsDirWith } from '../support/fixture-functions';
import { BenchRow, percentile, row } from './report';
import { droppedConnectionsRow, gatewayAs, listenDrops } from './localCloud';

const ROOT = path.resolve(__dirname, '../..');
const FRIENDS = 1000;
/** Friends in flight at once in the measured burst (a crowd arriving within a second or so). */
const IN_FLIGHT = 16;

interface Cloud {
  url: string;
  child: ChildProcess;
}

async function startCloud(functionsDir: string): Promise<Cloud> {
  const code = `require('./emulator/index').startLocalCloud({ port: 0, dataDir: null, appDir: null, timers: false, quiet: true, functionsDir: ${JSON.stringify(
    functionsDir,
  )} }).then((c) => console.log('URL ' + c.url))`;
  const child = spawn(path.join(ROOT, 'node_modules/.bin/tsx'), ['-e', code], {
    cwd: ROOT,
    env: { ...process.env, PORT: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let out = '';
  child.stdout!.on('data', (c) => (out += c));
  child.stderr!.on('data', (c) => (out += c));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`local cloud did not start:\n${out}`)), 30_000);
    child.stdout!.on('data', () => {
      const m = /URL (http:\/\/\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    child.once('exit', (c) => reject(new Error(`local cloud exited (${c}):\n${out}`)));
  });
  return { url, child };
}

async function stopCloud(c: Cloud) {
  const exited = new Promise<void>((r) => c.child.once('exit', () => r()));
  try {
    process.kill(-c.child.pid!, 'SIGKILL');
  } catch {
    return;
  }
  await exited;
}

function functionsWithNaive(): Promise<string> {
  return functionsDirWith({ built: ['user', 'assist', 'merchant'], fixtures: ['assist-naive'] });
}

/** A row that holds only when exactly the target was accepted, the task counted exactly that, and it succeeded. */
function exactly(area: string, name: string, b: { accepted: number; counted: number; status: string }): BenchRow {
  const r = row(area, name, b.counted, 'helps');
  return { ...r, target: '= 3', ok: b.accepted === 3 && b.counted === 3 && b.status === 'succeeded' };
}

export async function benchAssist(): Promise<BenchRow[]> {
  const fnDir = await functionsWithNaive();
  const cloud = await startCloud(fnDir);
  const rows: BenchRow[] = [];
  const { call } = gatewayAs(cloud.url);
  const ok = async (openid: string, fn: string, body: Record<string, unknown>) => {
    const r = await call(openid, fn, body);
    if (!r.body.ok) throw new Error(`${fn}.${body.action} as ${openid}: ${JSON.stringify(r.body)}`);
    return r.body.data;
  };
  const dbRequests = async () => ((await (await fetch(`${cloud.url}/__dev/stats`)).json()) as { database: { requests: number } }).database.requests;
  try {
    const friends = Array.from({ length: FRIENDS }, (_, i) => `bench-friend-${i}`);
    const owners = Array.from({ length: 6 }, (_, i) => `bench-owner-${i + 1}`);
    let next = 0;
    const everyone = [...owners, 'bench-a', 'bench-b', 'bench-c', 'bench-d', 'bench-e', ...friends];
    await Promise.all(
      Array.from({ length: 32 }, async () => {
        while (next < everyone.length) await ok(everyone[next++], 'user', { action: 'login' });
      }),
    );
    // Friends help several tasks in this run: lift the demo campaign's daily cap.
    await ok('demo-merchant', 'merchant', {
      action: 'saveAssistCampaign',
      campaignId: 'campaign-tea',
      productId: 'p-tea',
      active: true,
      helpersNeeded: 3,
      durationHours: 24,
      success: { kind: 'price', priceFen: 9900, validHours: 48 },
      fallback: { kind: 'points', pointsPerHelper: 100 },
      newUsersOnly: false,
      helperDailyCap: 100,
      openTasksPerShopper: 1,
      startsAt: null,
      endsAt: null,
    });

    // An hour on: everyone above is past their first session (an old friend, as most helpers are).
    await fetch(`${cloud.url}/__dev/clock`, { method: 'POST', body: JSON.stringify({ advanceMs: 3600_000 }) });

    // Round trips: a friend who opened the card (the app's flow), the friend who completes the task, one who taps
    // without having opened the card first, a late friend, and a brand-new user (binding to the owner included).
    const rt = await ok('bench-owner-1', 'assist', { action: 'start', productId: 'p-tea' });
    // Each help is checked: a refused help measured nothing, so the row fails instead of reading well.
    const roundTrips = async (openid: string, taskId: string, openCardFirst: boolean, expect: { ok: true; completed: boolean } | { ok: false; code: string }) => {
      if (openCardFirst) await ok(openid, 'assist', { action: 'get', taskId });
      const before = await dbRequests();
      const r = await call(openid, 'assist', { action: 'help', taskId });
      const requests = (await dbRequests()) - before;
      const answered = r.body.ok ? `ok completed=${r.body.data.completed}` : r.body.code;
      const wanted = expect.ok ? `ok completed=${expect.completed}` : expect.code;
      if (answered !== wanted) throw new Error(`help by ${openid} answered ${answered}, expected ${wanted}: the round trips measured the wrong path`);
      return requests;
    };
    const typical = await roundTrips('bench-a', rt.taskId, true, { ok: true, completed: false });
    const cold = await roundTrips('bench-b', rt.taskId, false, { ok: true, completed: false });
    const completing = await roundTrips('bench-c', rt.taskId, true, { ok: true, completed: true });
    const late = await roundTrips('bench-d', rt.taskId, false, { ok: false, code: 'ASSIST_TASK_DONE' });
    const rtNew = await ok('bench-owner-6', 'assist', { action: 'start', productId: 'p-tea' });
    await ok('bench-new-user', 'user', { action: 'login', taskId: rtNew.taskId });
    const newcomer = await roundTrips('bench-new-user', rtNew.taskId, true, { ok: true, completed: false });
    rows.push(row('assist', 'round trips per help (friend who opened the card)', typical, 'requests', { max: 6 }));
    rows.push(row('assist', 'round trips per help that completes the task', completing, 'requests', { max: 6 }));
    rows.push(row('assist', 'round trips per help, card not opened first', cold, 'requests'));
    rows.push(row('assist', 'round trips for a late friend (already done)', late, 'requests'));
    rows.push(row('assist', 'round trips per help by a new user (incl. referral bindInviter)', newcomer, 'requests'));

    // Warm both function instances.
    const warm = await ok('bench-owner-2', 'assist', { action: 'start', productId: 'p-tea' });
    await call(friends[0], 'assist', { action: 'help', taskId: warm.taskId });
    await call(friends[1], 'assist-naive', { action: 'help', taskId: warm.taskId });

    const burst = async (fn: string, owner: string, inFlight: number) => {
      const { taskId } = await ok(owner, 'assist', { action: 'start', productId: 'p-tea' });
      const latencies: number[] = [];
      const codes = new Map<string, number>();
      let i = 0;
      const started = performance.now();
      await Promise.all(
        Array.from({ length: inFlight }, async () => {
          while (i < friends.length) {
            const f = friends[i++];
            const t0 = performance.now();
            const r = await call(f, fn, { action: 'help', taskId });
            latencies.push(performance.now() - t0);
            const code = r.status !== 200 ? `HTTP ${r.status}` : r.body.ok ? 'ok' : r.body.code;
            codes.set(code, (codes.get(code) ?? 0) + 1);
          }
        }),
      );
      const seconds = (performance.now() - started) / 1000;
      const accepted = codes.get('ok') ?? 0;
      // The only expected refusals: the task was done (late friends); anything else is an error.
      const errors = [...codes.entries()].filter(([c]) => c !== 'ok' && c !== 'ASSIST_TASK_DONE').reduce((n, [, k]) => n + k, 0);
      // What the task itself counted, read back (the answers could agree with each other and still be wrong).
      const task = await ok(owner, 'assist', { action: 'get', taskId });
      return { p50: percentile(latencies, 50), p95: percentile(latencies, 95), rate: friends.length / seconds, accepted, counted: task.helpers as number, status: task.status as string, errors, codes };
    };

    const real = await burst('assist', 'bench-owner-3', IN_FLIGHT);
    const naive = await burst('assist-naive', 'bench-owner-4', IN_FLIGHT);
    const label = `1,000 friends, ${IN_FLIGHT} in flight`;
    rows.push(row('assist', `help burst (${label}): p50`, real.p50, 'ms'));
    rows.push(row('assist', `help burst (${label}): p95`, real.p95, 'ms', { max: 250 }));
    rows.push(row('assist', `help burst (${label}): calls/s`, real.rate, 'calls/s'));
    rows.push(exactly('assist', `help burst (${label}): helps accepted and counted (target 3, succeeded)`, real));
    rows.push(row('assist', `help burst (${label}): errors (any answer but ok or ASSIST_TASK_DONE)`, real.errors, 'calls', { max: 0 }));
    rows.push(row('assist', `NAIVE read-count-then-write help (${label}): p50`, naive.p50, 'ms'));
    rows.push(row('assist', `NAIVE read-count-then-write help (${label}): p95`, naive.p95, 'ms'));
    rows.push(row('assist', `NAIVE read-count-then-write help (${label}): calls/s`, naive.rate, 'calls/s'));
    rows.push(row('assist', `NAIVE read-count-then-write help (${label}): over-count (must be > 0)`, naive.accepted - 3, 'helps', { min: 1 }));

    // All 1,000 taps fired at the same instant (queueing dominates on this machine).
    const dropsBefore = listenDrops();
    const allAtOnce = await burst('assist', 'bench-owner-5', FRIENDS);
    const dropped = droppedConnectionsRow('assist', 'help burst (all 1,000 at once)', dropsBefore);
    rows.push(row('assist', 'help burst (all 1,000 at once): p50', allAtOnce.p50, 'ms'));
    rows.push(row('assist', 'help burst (all 1,000 at once): p95', allAtOnce.p95, 'ms', { max: 1000 }));
    rows.push(row('assist', 'help burst (all 1,000 at once): calls/s', allAtOnce.rate, 'calls/s'));
    rows.push(exactly('assist', 'help burst (all 1,000 at once): helps accepted and counted (target 3, succeeded)', allAtOnce));
    rows.push(row('assist', 'help burst (all 1,000 at once): errors (any answer but ok or ASSIST_TASK_DONE)', allAtOnce.errors, 'calls', { max: 0 }));
    rows.push(...dropped);
    if (process.env.BENCH_VERBOSE) console.log({ real, naive, allAtOnce });
  } finally {
    await stopCloud(cloud);
    fs.rmSync(fnDir, { recursive: true, force: true });
  }
  return rows;
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(__filename)) {
  process.env.TENCENTCLOUD = 'true';
  benchAssist()
    .then((rows) => {
      for (const r of rows) console.log(`${r.name.padEnd(80)} ${String(r.value).padStart(10)} ${r.unit.padEnd(9)} ${r.target ?? ''} ${r.ok === null ? '' : r.ok ? 'ok' : 'FAIL'}`);
    })
    .catch((e) => {
      console.error(e);
      process.exit(1);
    });
}
