/**
 * Local cloud throughput through the real SDK over loopback, with the local cloud in its own process:
 * single-document gets/s, guarded increments/s, and an equality query on an indexed vs an unindexed field in a
 * 100,000-document collection.
 */
import tcb from '@cloudbase/node-sdk';
import fs from 'node:fs';
import http from 'node:http';
import { LOCAL_KEYS } from '../../emulator/index';
import { spawnCloud } from '../support/spawn-cloud';
import { BenchRow, row } from './report';

export function sdk(adminUrl: string) {
  // The settle timer's function may run up to its deployed 60 s (cloudbaserc.json): wait for it as the platform would.
  return tcb.init({ env: 'local', serviceUrl: adminUrl, secretId: LOCAL_KEYS.secretId, secretKey: LOCAL_KEYS.secretKey, timeout: 70_000 });
}

/**
 * Connection attempts the machine's TCP listen queues have dropped so far (Linux: TcpExt ListenDrops in
 * /proc/net/netstat), or null where that is not readable. A dropped attempt is not an error anyone sees: TCP sends it
 * again a second later, so it shows only as a call a second slower. Read before and after a burst.
 */
export function listenDrops(): number | null {
  try {
    const lines = fs.readFileSync('/proc/net/netstat', 'utf8').split('\n').filter((l) => l.startsWith('TcpExt:'));
    const names = lines[0].split(/\s+/);
    const values = lines[1].split(/\s+/);
    const at = names.indexOf('ListenDrops');
    return at > 0 ? Number(values[at]) : null;
  } catch {
    return null;
  }
}

/**
 * CPU time the whole machine has spent so far, in ms (Linux /proc/stat: every state but idle and iowait, all cores),
 * or null where that is not readable. Read before and after a load: the difference over the calls answered is the
 * CPU one call costs across every process on its path (load generator, gateway, function instances, database).
 */
export function machineCpuMs(): number | null {
  try {
    const cpu = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
    const [user, nice, system, , , irq, softirq, steal] = cpu;
    const ticks = user + nice + system + irq + softirq + (steal ?? 0);
    return (ticks * 1000) / 100; // USER_HZ is 100 on Linux
  } catch {
    return null;
  }
}

/** A row for the listen-queue drops during a burst (target 0); none where the count cannot be read. */
export function droppedConnectionsRow(area: string, label: string, before: number | null): BenchRow[] {
  const after = listenDrops();
  if (before === null || after === null) return [];
  return [row(area, `${label}: connection attempts dropped at the listen queue (each retried by TCP a second later)`, after - before, 'connections', { max: 0 })];
}

/**
 * The load generator's HTTP client for the gateway: node:http on one keep-alive agent with no socket limit (as many
 * connections as calls in flight, as that many phones would open). The generator shares the two cores with the local
 * cloud it measures; fetch (undici) cost it about three times the CPU per call, taken from the system under test.
 * A request that meets ECONNRESET on a reused idle connection is sent again once on a new one (the server closed the
 * idle connection as the request left; it was never handled): what browsers do, and Node's documented pattern
 * (`request.reusedSocket`). Any other failure carries its cause's code (ECONNRESET, ETIMEDOUT …) in its message.
 */
const agent = new http.Agent({ keepAlive: true, maxSockets: Infinity });
export async function postJson(url: string, body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: any }> {
  const payload = Buffer.from(JSON.stringify(body));
  for (let attempt = 1; ; attempt++) {
    try {
      return await postOnce(url, payload, headers);
    } catch (e) {
      if (!(e as { staleSocket?: boolean }).staleSocket || attempt > 1) throw e;
    }
  }
}

function postOnce(url: string, payload: Buffer, headers: Record<string, string>): Promise<{ status: number; body: any }> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': String(payload.length), ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        try {
          resolve({ status: res.statusCode ?? 0, body: text ? JSON.parse(text) : null });
        } catch {
          reject(new Error(`answer ${res.statusCode} is not JSON: ${text.slice(0, 80)}`));
        }
      });
      res.on('error', (e: NodeJS.ErrnoException) => reject(new Error(`answer failed: ${e.code ?? e.message}`)));
    });
    req.on('error', (e: NodeJS.ErrnoException) => {
      const stale = req.reusedSocket && e.code === 'ECONNRESET';
      reject(Object.assign(new Error(`request failed: ${e.code ?? e.message}${req.reusedSocket ? ' (reused connection)' : ''}`), { staleSocket: stale }));
    });
    req.end(payload);
  });
}

/** Signed dev-session tokens from the local cloud at `base` (POST /__dev/login), one per openid, remembered. */
export function devTokens(base: string): (openid: string) => Promise<string> {
  const tokens = new Map<string, Promise<string>>();
  return (openid) => {
    let tk = tokens.get(openid);
    if (!tk) {
      tk = fetch(`${base}/__dev/login`, { method: 'POST', body: JSON.stringify({ openid }) })
        .then((res) => res.json() as Promise<{ token: string }>)
        .then((b) => b.token);
      tokens.set(openid, tk);
    }
    return tk;
  };
}

/**
 * Calls through the gateway at `base` as the app makes them: `call(openid, fn, data)` posts with that user's
 * dev-session token (postJson) and answers the status and the body; `token` fetches one ahead of a burst.
 */
export function gatewayAs(base: string) {
  const token = devTokens(base);
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const call = async (openid: string, fn: string, data: Record<string, unknown>): Promise<{ status: number; body: any }> =>
    postJson(`${base}/fn/${fn}`, data, { authorization: `Bearer ${await token(openid)}` });
  return { token, call };
}

/** Run `total` calls of `fn` with `concurrency` in flight; returns calls per second. */
export async function rate(total: number, concurrency: number, fn: (i: number) => Promise<unknown>): Promise<number> {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) await fn(next++);
    }),
  );
  return total / ((performance.now() - started) / 1000);
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

export async function benchLocalCloud(): Promise<BenchRow[]> {
  const spawned = await spawnCloud({ keys: LOCAL_KEYS, args: ['--no-seed'] });
  const { adminUrl } = spawned;
  const rows: BenchRow[] = [];
  try {
    const db = sdk(adminUrl).database();
    const _ = db.command;
    await db.collection('products').add({ _id: 'bench-get', title: 'x', n: 0 });
    await rate(300, 16, () => db.collection('products').doc('bench-get').get()); // warm up
    const cpuBefore = machineCpuMs();
    const gets = await rate(4000, 16, () => db.collection('products').doc('bench-get').get());
    const cpuAfter = machineCpuMs();
    rows.push(row('local cloud', 'single-document get through the SDK', gets, 'req/s', { min: 1000 }));
    // The floor under every function call: one database round trip's CPU, the SDK's side and the local cloud's.
    if (cpuBefore !== null && cpuAfter !== null) rows.push(row('local cloud', 'CPU per single-document get, whole machine (SDK and local cloud)', (cpuAfter - cpuBefore) / 4000, 'ms'));

    await db.collection('products').add({ _id: 'bench-counter', n: 0 });
    const incs = await rate(4000, 16, () => db.collection('products').where({ _id: 'bench-counter', n: _.lt(1e9) }).update({ n: _.inc(1) }));
    const final = (await db.collection('products').doc('bench-counter').get()).data[0].n;
    if (final !== 4000) throw new Error(`guarded increments lost updates: ${final}`);
    rows.push(row('local cloud', 'guarded increment (where + _.inc) through the SDK', incs, 'req/s', { min: 1000 }));

    const N = 100_000;
    for (let i = 0; i < N; i += 1000) {
      const batch = Array.from({ length: 1000 }, (_, j) => ({ _id: `u${i + j}`, inviteCode: `C${i + j}`, nickname: `N${i + j}`, roles: ['shopper'] }));
      await db.collection('users').add(batch);
    }
    const timeQuery = async (where: Record<string, string>) => {
      const started = performance.now();
      const res = await db.collection('users').where(where).get();
      if (res.data.length !== 1) throw new Error('query found the wrong number of documents');
      return performance.now() - started;
    };
    const indexed: number[] = [];
    for (let i = 0; i < 50; i++) indexed.push(await timeQuery({ inviteCode: `C${(i * 7919) % N}` }));
    const unindexed: number[] = [];
    for (let i = 0; i < 5; i++) unindexed.push(await timeQuery({ nickname: `N${(i * 7919) % N}` }));
    rows.push(row('local cloud', 'equality query, indexed field, 100k docs (median)', median(indexed), 'ms', { max: 5 }));
    rows.push(row('local cloud', 'equality query, unindexed field, 100k docs (median)', median(unindexed), 'ms'));
    rows.push(row('local cloud', 'unindexed ÷ indexed', median(unindexed) / median(indexed), '×'));
  } finally {
    await spawned.kill9();
  }
  return rows;
}
