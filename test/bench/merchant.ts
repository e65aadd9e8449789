/**
 * The merchant tab: database round trips for a 30-day dashboard (counted at the local cloud around one call of
 * `merchant.stats`), with few and with many orders behind it — the dashboard reads the day counters, never the
 * orders; the round trips to count one paid order's stats; and the size of the merchant subpackage in the weapp
 * build (built here if dist/weapp has none).
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { recordStats, StatEvent } from '../../cloudfunctions/infra/stats';
import { LOCAL_KEYS } from '../../emulator/index';
import { spawnCloud } from '../support/spawn-cloud';
import { devTokens, sdk } from './localCloud';
import { BenchRow, row } from './report';

const ROOT = path.resolve(__dirname, '../..');
const DAY = 24 * 3600_000;

function dirBytes(dir: string): number {
  let total = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    total += entry.isDirectory() ? dirBytes(p) : fs.statSync(p).size;
  }
  return total;
}

export async function benchMerchant(): Promise<BenchRow[]> {
  const spawned = await spawnCloud({ keys: LOCAL_KEYS, args: ['--no-seed'] });
  const base = `http://${spawned.host}`;
  const rows: BenchRow[] = [];
  try {
    const db = sdk(spawned.adminUrl).database();
    const now = new Date();
    const ctx = { db: db as never, clock: { now: () => now } };
    const token = await devTokens(base)('demo-merchant');
    const stats = async () => {
      const res = await fetch(`${base}/fn/merchant`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: JSON.stringify({ action: 'stats', range: '30d' }) });
      const json = (await res.json()) as { ok: boolean; data: { totals: { orders: number } }; code?: string };
      if (!json.ok) throw new Error(`merchant.stats: ${json.code}`);
      return json.data;
    };
    const requests = async () => ((await (await fetch(`${base}/__dev/stats`)).json()) as { database: { requests: number } }).database.requests;
    /** Paid orders' counters spread over the last 30 days, through the same recordStats the order step uses. */
    let n = 0;
    const addOrders = async (count: number) => {
      const events: StatEvent[] = Array.from({ length: count }, () => {
        const i = n++;
        return { eventKey: `order:bench-${i}:paid`, at: new Date(now.getTime() - (i % 30) * DAY), counters: { ordersPaid: 1, gmvFen: 9900, paidFen: 9900 } };
      });
      for (let i = 0; i < events.length; i += 200) await recordStats(ctx, events.slice(i, i + 200));
    };
    const measure = async () => {
      await stats(); // warm the instance
      const before = await requests();
      const data = await stats();
      return { trips: (await requests()) - before, orders: data.totals.orders };
    };

    await addOrders(30);
    const few = await measure();
    if (few.orders !== 30) throw new Error(`dashboard counted ${few.orders} orders, expected 30`);
    rows.push(row('merchant', 'round trips for a 30-day dashboard, 30 orders', few.trips, 'requests', { max: 35 }));
    await addOrders(6000);
    const many = await measure();
    if (many.orders !== 6030) throw new Error(`dashboard counted ${many.orders} orders, expected 6030`);
    rows.push(row('merchant', 'round trips for a 30-day dashboard, 6,030 orders', many.trips, 'requests', { max: 35 }));
    rows.push(row('merchant', 'extra round trips with 200× the orders (independent of order count)', many.trips - few.trips, 'requests', { max: 0 }));

    const before = await requests();
    await recordStats(ctx, [{ eventKey: 'order:bench-one:paid', at: now, counters: { ordersPaid: 1, gmvFen: 100, paidFen: 100 } }]);
    rows.push(row('merchant', 'round trips to count one paid order (exactly once)', (await requests()) - before, 'requests', { max: 2 }));
  } finally {
    await spawned.kill9();
  }

  const pkg = path.join(ROOT, 'dist/weapp/packages/merchant');
  if (!fs.existsSync(pkg)) execFileSync(path.join(ROOT, 'node_modules/.bin/taro'), ['build', '--type', 'weapp'], { cwd: ROOT, stdio: 'ignore' });
  rows.push(row('merchant', 'merchant subpackage size (weapp build, dist/weapp/packages/merchant)', dirBytes(pkg) / 1024, 'KB', { max: 2048 }));
  return rows;
}
