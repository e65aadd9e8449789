/**
 * Each function bundle's size, its cold load (a fresh Node process requiring the bundle), and its cold start as a
 * user meets it: a new worker process answering its first call — process start, require, the handler, and the first
 * SDK request to the local cloud — with the answer checked (an error answered fast is not a cold start measured).
 * Median of 5, each on a new worker.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { LOCAL_KEYS } from '../../emulator/index';
import { FunctionHost } from '../../emulator/functions';
import { LOCAL_PII_KEY } from '../../emulator/piiKey';
import { spawnCloud } from '../support/spawn-cloud';
import { BenchRow, row } from './report';

const DIR = path.resolve(__dirname, '../../dist/cloudfunctions');
const MERCHANT = 'bench-merchant';

function coldLoadMs(bundle: string): number {
  const script = `const t=process.hrtime.bigint();require(${JSON.stringify(bundle)});process.stdout.write(String(Number(process.hrtime.bigint()-t)/1e6))`;
  return Number(execFileSync(process.execPath, ['-e', script], { env: { PATH: process.env.PATH, TENCENTCLOUD_RUNENV: 'SCF', SCF_NAMESPACE: 'local' } }).toString());
}

/** A first call per function that reads the database, as its first user would make it. */
const FIRST_CALLS: Record<string, { event: Record<string, unknown>; openid?: string }> = {
  user: { event: { action: 'login' }, openid: 'bench-cold-user' },
  shop: { event: { action: 'listProducts', pageSize: 10 }, openid: 'bench-cold-user' },
  referral: { event: { action: 'progress' }, openid: 'bench-cold-user' },
  assist: { event: { action: 'mine' }, openid: 'bench-cold-user' },
  wallet: { event: { action: 'summary' }, openid: 'bench-cold-user' },
  merchant: { event: { action: 'listOrders', pageSize: 5 }, openid: MERCHANT },
  settle: { event: { action: 'run' } },
};

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

export async function benchFunctions(): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const names = fs.readdirSync(DIR).filter((n) => fs.existsSync(path.join(DIR, n, 'index.js'))).sort();
  for (const name of names) {
    const bundle = path.join(DIR, name, 'index.js');
    const times = Array.from({ length: 5 }, () => coldLoadMs(bundle));
    rows.push(row('function bundles', `${name}: bundle size`, fs.statSync(bundle).size / 1024, 'KB'));
    rows.push(row('function bundles', `${name}: cold load, require only (median of 5)`, median(times), 'ms', { max: 150 }));
  }

  const cloud = await spawnCloud({ keys: LOCAL_KEYS, args: ['--no-seed'] });
  const host = new FunctionHost({
    functionsDir: DIR,
    envId: 'local',
    appId: 'wx-local-app',
    adminUrl: () => cloud.adminUrl,
    keys: LOCAL_KEYS,
    clockOffset: () => 0,
    env: { MERCHANT_OPENIDS: MERCHANT, PII_KEY: LOCAL_PII_KEY },
  });
  try {
    for (const name of names) {
      const first = FIRST_CALLS[name];
      if (!first) {
        rows.push({ ...row('function bundles', `${name}: cold start — no first call defined in test/bench/functions.ts`, 0, ''), ok: false });
        continue;
      }
      const times: number[] = [];
      for (let i = 0; i < 5; i++) {
        await host.stop(); // the next call starts a new worker
        const t0 = performance.now();
        const answer = (await host.invoke(name, first.event, first.openid ? { openid: first.openid, source: 'wx_client' } : { source: 'timer', triggerName: 'settleEveryMinute' })) as { ok?: boolean; code?: string };
        times.push(performance.now() - t0);
        if (!answer?.ok) throw new Error(`${name}.${String(first.event.action)} answered ${JSON.stringify(answer).slice(0, 200)}: the cold start measured an error`);
      }
      rows.push(row('function bundles', `${name}: cold start, a new worker's first answered call incl. its first database request (median of 5)`, median(times), 'ms', { max: 500 }));
    }
  } finally {
    await host.stop();
    await cloud.kill9();
  }
  return rows;
}
