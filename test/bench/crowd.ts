/**
 * The load the product is for — 1,000 people at once — against the local cloud in its own process, through the
 * gateway as the app calls it:
 * (a) open-loop arrivals: 300 calls a second of the mixed load's mix for 60 s, each arrival fired on schedule whether
 *     or not earlier ones were answered (CROWD_RATE, CROWD_SECONDS); target p95 ≤ 300 ms, 0 errors;
 * (b) the share-card wave: 1,000 new shoppers all in flight at once, each opening the card (login with the invite),
 *     agreeing to the privacy notice and viewing the product; target p95 ≤ 1 s, 0 errors.
 * After each: the settle timer fires as in production (a minute apart, at most 3 firings), then no order may still owe
 * outbox steps, and every paid order of an invited buyer must have its rebate bookkeeping (the settlement's marker),
 * not only wallets that match their entries.
 * The local cloud runs one instance per function (a worker process), which runs at most its concurrency of calls at
 * once while the others wait in line (LOCAL_CLOUD_FUNCTION_CONCURRENCY, default 32): both reported, with the longest line.
 */
import os from 'node:os';
import { auditLedger } from '../../cloudfunctions/app/referral/audit';
import { STEP_LEASE_MS } from '../../cloudfunctions/app/shop/outbox';
import { LOCAL_KEYS } from '../../emulator/index';
import { spawnCloud } from '../support/spawn-cloud';
import { droppedConnectionsRow, gatewayAs, listenDrops, machineCpuMs, postJson, sdk } from './localCloud';
import { LOAD_ADDRESS as ADDRESS, seedLoadShop } from './loadShop';
import { BenchRow, percentile, row } from './report';

const AREA = 'crowd';
export const CROWD_RATE = Number(process.env.CROWD_RATE ?? 300);
const SECONDS = Number(process.env.CROWD_SECONDS ?? 60);
const WAVE = Number(process.env.CROWD_WAVE ?? 1000);
const RULE_REFUSALS = new Set(['ASSIST_TASK_DONE', 'ASSIST_TASK_EXPIRED', 'ASSIST_ALREADY_HELPED', 'INSUFFICIENT_BALANCE', 'WITHDRAW_DAILY_LIMIT']);

type Body = { ok: boolean; data?: any; code?: string };

/** The crowd's mix, in parts of 100 arrivals: browse (half the list, half a product), start an assist, help a friend's, order, pay (with the payment sheet's confirmation), withdraw. */
export const CROWD_MIX = { browse: 35, assistStart: 10, help: 20, createOrder: 15, pay: 12, withdraw: 8 };

export async function benchCrowd(): Promise<BenchRow[]> {
  const spawned = await spawnCloud({ keys: LOCAL_KEYS, args: ['--no-seed'] });
  const base = `http://${spawned.host}`;
  const rows: BenchRow[] = [];
  try {
    const app = sdk(spawned.adminUrl);
    const db = app.database();
    const { products, users: shoppers } = await seedLoadShop(app, 'cw', 1000, 1000);
    const { token, call } = gatewayAs(base);
    const post = async (openid: string, fn: string, data: Record<string, unknown>) => (await call(openid, fn, data)) as { status: number; body: Body };
    // Everyone has opened the app and agreed before the open loop (the wave below measures first opens). Half of
    // them through an earlier shopper's card, so paid orders carry inviters.
    const codes: string[] = [];
    let next = 0;
    await Promise.all(
      Array.from({ length: 16 }, async () => {
        while (next < shoppers.length) {
          const me = shoppers[next++];
          const invite = codes.length && Math.random() < 0.5 ? { inviteCode: codes[Math.floor(Math.random() * codes.length)], source: 'card' } : {};
          const login = await post(me, 'user', { action: 'login', ...invite });
          if (!login.body.ok) throw new Error(`crowd: login ${login.body.code}`);
          codes.push(login.body.data.inviteCode);
          await post(me, 'user', { action: 'consent', version: '2026-01' });
        }
      }),
    );
    await post('demo-merchant', 'merchant', { action: 'saveReferralSettings', withdrawDailyCount: 100 });

    // (a) Open-loop arrivals.
    const latencies: number[] = [];
    const errors = new Map<string, number>();
    const err = (what: string) => errors.set(what, (errors.get(what) ?? 0) + 1);
    // Open tasks with their owners: a shopper helps a friend's task (the app offers no help button on one's own).
    const tasks: { taskId: string; owner: string }[] = [];
    const unpaid: { me: string; orderId: string }[] = [];
    let seq = 0;
    const pick = <T>(xs: T[]) => xs[Math.floor(Math.random() * xs.length)];
    const timed = async (name: string, me: string, fn: string, data: Record<string, unknown>): Promise<Body | null> => {
      const t0 = performance.now();
      try {
        const { status, body } = await post(me, fn, data);
        latencies.push(performance.now() - t0);
        if (status !== 200 || (!body.ok && !RULE_REFUSALS.has(body.code ?? ''))) return err(`${name}: ${status} ${body.code}`), null;
        return body;
      } catch (e) {
        latencies.push(performance.now() - t0);
        return err(`${name}: ${(e as Error).message}`), null;
      }
    };
    const mix: [number, (me: string) => Promise<unknown>][] = [
      [CROWD_MIX.browse, (me) => (Math.random() < 0.5 ? timed('listProducts', me, 'shop', { action: 'listProducts', pageSize: 10 }) : timed('getProduct', me, 'shop', { action: 'getProduct', productId: pick(products)._id }))],
      [CROWD_MIX.assistStart, async (me) => {
        const r = await timed('assist start', me, 'assist', { action: 'start', productId: 'cw-p0' });
        if (r?.ok && r.data.status === 'open') tasks.push({ taskId: r.data.taskId, owner: me });
      }],
      [CROWD_MIX.help, (me) => {
        const theirs = tasks.filter((t) => t.owner !== me);
        return theirs.length ? timed('help', me, 'assist', { action: 'help', taskId: pick(theirs).taskId }) : Promise.resolve();
      }],
      [CROWD_MIX.createOrder, async (me) => {
        const r = await timed('createOrder', me, 'shop', { action: 'createOrder', requestId: `cworder${++seq}x${Date.now().toString(36)}`, items: [{ productId: pick(products)._id, quantity: 1 }], address: ADDRESS });
        if (r?.ok) unpaid.push({ me, orderId: r.data.order.id });
      }],
      [CROWD_MIX.pay, async () => {
        const o = unpaid.shift();
        if (!o) return;
        const r = await timed('pay', o.me, 'shop', { action: 'pay', orderId: o.orderId });
        if (!r?.ok) return;
        const t0 = performance.now();
        const res = await postJson(`${base}/__pay/confirm`, { outTradeNo: r.data.outTradeNo }).catch((e: Error) => e);
        latencies.push(performance.now() - t0);
        if (res instanceof Error || res.status !== 200) err(`paymentNotify: ${res instanceof Error ? res.message : res.status}`);
      }],
      [CROWD_MIX.withdraw, (me) => timed('withdraw', me, 'wallet', { action: 'withdraw', amountFen: 100 + Math.floor(Math.random() * 900), requestId: `cwwithdraw${++seq}x${Date.now().toString(36)}` })],
    ];
    const total = mix.reduce((a, [w]) => a + w, 0);
    const choose = () => {
      let r = Math.random() * total;
      for (const [w, act] of mix) if ((r -= w) < 0) return act;
      return mix[0][1];
    };
    const inFlight: Promise<unknown>[] = [];
    const dropsBefore = listenDrops();
    const cpuBefore = machineCpuMs();
    const ownCpuBefore = process.cpuUsage();
    const started = performance.now();
    const arrivals = CROWD_RATE * SECONDS;
    let maxLag = 0;
    for (let i = 0; i < arrivals; i++) {
      const due = started + (i * 1000) / CROWD_RATE;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      else maxLag = Math.max(maxLag, -wait);
      inFlight.push(choose()(pick(shoppers)));
    }
    await Promise.all(inFlight);
    const seconds = (performance.now() - started) / 1000;
    const cpuRows = cpuPerCall(openLoopLabel(), cpuBefore, ownCpuBefore, latencies.length, seconds);
    latencies.sort((a, b) => a - b);
    const errorCount = [...errors.values()].reduce((a, b) => a + b, 0);
    for (const [what, n] of errors) console.error(`crowd open-loop error ×${n}: ${what}`);
    // What the functions logged about them (an INTERNAL answer's cause is only in the local cloud's log).
    if (errors.size) console.error(spawned.output().split('\n').filter((l) => /error|Error|failed|timeout/i.test(l)).slice(-20).join('\n'));
    const label = openLoopLabel();
    rows.push(row(AREA, `${label}: p95`, percentile(latencies, 95), 'ms', { max: 300 }));
    rows.push(row(AREA, `${label}: p50`, percentile(latencies, 50), 'ms'));
    rows.push(row(AREA, `${label}: p99`, percentile(latencies, 99), 'ms'));
    rows.push(row(AREA, `${label}: calls answered per second`, latencies.length / seconds, 'calls/s'));
    rows.push(row(AREA, `${label}: arrivals late by at most (the generator's own lag)`, maxLag, 'ms'));
    rows.push(row(AREA, `${label}: errors${errorCount ? ` (${[...errors.keys()].slice(0, 3).join('; ')})` : ''}`, errorCount, 'errors', { max: 0 }));
    rows.push(...droppedConnectionsRow(AREA, label, dropsBefore));
    rows.push(...cpuRows);
    rows.push(...(await bookkeeping(app, db, base, label)));

    // (b) The share-card wave: 1,000 first opens at once.
    const wave = Array.from({ length: WAVE }, (_, i) => `cw-new-${i}`);
    await Promise.all(wave.map((me) => token(me)));
    const waveLat: number[] = [];
    let waveErrors = 0;
    const step = async (me: string, fn: string, data: Record<string, unknown>) => {
      const t0 = performance.now();
      try {
        const { status, body } = await post(me, fn, data);
        waveLat.push(performance.now() - t0);
        if (status !== 200 || !body.ok) return waveErrors++, null;
        return body;
      } catch {
        waveLat.push(performance.now() - t0);
        waveErrors++;
        return null;
      }
    };
    const waveDropsBefore = listenDrops();
    const waveCpuBefore = machineCpuMs();
    const waveOwnCpuBefore = process.cpuUsage();
    const waveStarted = performance.now();
    await Promise.all(
      wave.map(async (me, i) => {
        if (!(await step(me, 'user', { action: 'login', inviteCode: codes[i % codes.length], source: 'card' }))) return;
        if (!(await step(me, 'user', { action: 'consent', version: '2026-01' }))) return;
        await step(me, 'shop', { action: 'getProduct', productId: 'cw-p1' });
      }),
    );
    const waveSeconds = (performance.now() - waveStarted) / 1000;
    const waveCpu = cpuPerCall('share-card wave', waveCpuBefore, waveOwnCpuBefore, waveLat.length, waveSeconds);
    const waveDropped = droppedConnectionsRow(AREA, 'share-card wave', waveDropsBefore);
    waveLat.sort((a, b) => a - b);
    const bound = (await db.collection('users').where({ _id: db.command.in(wave.slice(0, 1000)), inviterId: db.command.neq(null) }).count()).total;
    rows.push(row(AREA, `share-card wave, ${WAVE} shoppers in flight at once (open, consent, product): p95 per call`, percentile(waveLat, 95), 'ms', { max: 1000 }));
    rows.push(row(AREA, 'share-card wave: p50 per call', percentile(waveLat, 50), 'ms'));
    rows.push(row(AREA, 'share-card wave: whole wave', waveSeconds, 's'));
    rows.push(row(AREA, 'share-card wave: errors', waveErrors, 'errors', { max: 0 }));
    rows.push(...waveDropped);
    rows.push(...waveCpu);
    rows.push(row(AREA, 'share-card wave: shoppers bound to the card’s inviter (must be all)', bound, 'users', { min: Math.min(WAVE, 1000) }));
    const load = (await (await fetch(`${base}/__dev/stats`)).json()) as { functions: { concurrency: number; longestQueue: Record<string, number> } };
    rows.push(row(AREA, 'function instances per function (local cloud)', 1, 'instances'));
    rows.push(row(AREA, 'invocations one instance runs at once (more wait in line, first come first served)', load.functions.concurrency, 'calls'));
    const [busiest, line] = Object.entries(load.functions.longestQueue).sort((a, b) => b[1] - a[1])[0] ?? ['-', 0];
    rows.push(row(AREA, `longest line of calls waiting for an instance (${busiest})`, line, 'calls'));
    const report = await auditLedger(db as never);
    rows.push(row(AREA, `ledger audit after both (${report.entries} entries)`, report.problems.length, 'problems', { max: 0 }));
  } finally {
    await spawned.kill9();
  }
  return rows;
}

const openLoopLabel = () => `open loop, ${CROWD_RATE} calls/s for ${SECONDS} s`;

/**
 * What one answered call cost in CPU across the whole machine (load generator, gateway, function instances,
 * database: every process on the path, from /proc/stat), the generator's own share of it, and how busy the two
 * cores were: a load whose cores are all busy is waiting in line, whatever the code does. None where unreadable.
 */
function cpuPerCall(label: string, before: number | null, ownBefore: NodeJS.CpuUsage, calls: number, seconds: number): BenchRow[] {
  const after = machineCpuMs();
  if (before === null || after === null || !calls) return [];
  const own = process.cpuUsage(ownBefore);
  const cores = os.cpus().length;
  return [
    row(AREA, `${label}: CPU per answered call, whole machine`, (after - before) / calls, 'ms'),
    row(AREA, `${label}: of which the load generator`, (own.user + own.system) / 1000 / calls, 'ms'),
    row(AREA, `${label}: cores busy (of ${cores})`, (after - before) / 1000 / seconds, 'cores'),
  ];
}

/**
 * After the load, the settle timer as production runs it (once a minute): a firing now, and while orders still owe
 * steps, the clock moves a minute past the steps' lease (a runner the load cut off holds it until then) and it fires
 * again, at most 3 times. Then no order may owe outbox steps, and every paid order of an invited buyer has its
 * settlement marker.
 */
async function bookkeeping(app: ReturnType<typeof sdk>, db: ReturnType<ReturnType<typeof sdk>['database']>, base: string, label: string): Promise<BenchRow[]> {
  const _ = db.command;
  const owed = async () => (await db.collection('orders').where({ 'pendingSteps.0': _.exists(true) }).count()).total;
  let firings = 0;
  let owing = Infinity;
  while (firings < 3 && owing > 0) {
    if (firings > 0) await fetch(`${base}/__dev/clock`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ advanceMs: STEP_LEASE_MS + 1000 }) });
    await app.callFunction({ name: 'settle', data: { action: 'run' } });
    firings++;
    owing = await owed();
  }
  let missing = 0;
  let checked = 0;
  for (let skip = 0; ; skip += 1000) {
    const res = await db.collection('orders').where({ paidAt: _.neq(null), inviterId: _.neq(null), status: _.neq('refunded') }).field({ _id: true }).skip(skip).limit(1000).get();
    const ids = (res.data as { _id: string }[]).map((o) => o._id);
    checked += ids.length;
    if (ids.length) {
      const markers = await db.collection('notifications').where({ _id: _.in(ids.map((id) => `n:referral:bought:${id}`)) }).field({ _id: true }).limit(1000).get();
      missing += ids.length - markers.data.length;
    }
    if (res.data.length < 1000) break;
  }
  return [
    row(AREA, `${label}: settle timer firings (a minute apart) until no order owes steps`, firings, 'firings', { max: 3 }),
    row(AREA, `${label}: orders still owing outbox steps after the timer`, owing, 'orders', { max: 0 }),
    row(AREA, `${label}: paid invited orders (${checked}) without their rebate bookkeeping`, missing, 'orders', { max: 0 }),
  ];
}
