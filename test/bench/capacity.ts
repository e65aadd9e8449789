/**
 * What the crowd's load costs this machine, action by action: each action of the crowd's mix is called on its own,
 * 16 in flight, through the gateway as the app calls it, every answer checked (a refused call is not counted as a
 * cheap one). For each: the database round trips one call makes (counted at the local cloud) and the CPU it costs
 * across every process on its path (load generator, gateway, function instance, database; /proc/stat). From the
 * mix's weights: the CPU one arrival costs and the arrival rate the cores could carry at that cost. It is a floor:
 * each action alone and warm, 16 always in flight, costs less than the same action in the crowd's open loop (the
 * crowd area reports what its calls cost there). Also the floor every call stands on: a gateway call that reads
 * nothing (one database round trip's price is the local cloud area's CPU per single-document get).
 */
import os from 'node:os';
import { LOCAL_KEYS } from '../../emulator/index';
import { spawnCloud } from '../support/spawn-cloud';
import { CROWD_MIX, CROWD_RATE } from './crowd';
import { gatewayAs, machineCpuMs, postJson, rate, sdk } from './localCloud';
import { LOAD_ADDRESS, seedLoadShop } from './loadShop';
import { BenchRow, row } from './report';

const AREA = 'capacity';
const SHOPPERS = 1000;
const IN_FLIGHT = 16;
const CALLS = 1000;

type Body = { ok: boolean; data?: any; code?: string };

export async function benchCapacity(): Promise<BenchRow[]> {
  const spawned = await spawnCloud({ keys: LOCAL_KEYS, args: ['--no-seed'] });
  const base = `http://${spawned.host}`;
  const rows: BenchRow[] = [];
  try {
    const app = sdk(spawned.adminUrl);
    const { users } = await seedLoadShop(app, 'cap', SHOPPERS, 1000);
    const { call } = gatewayAs(base);
    const post = async (me: string, fn: string, data: Record<string, unknown>) => (await call(me, fn, data)).body as Body;
    for (const me of users) {
      if (!(await post(me, 'user', { action: 'login' })).ok) throw new Error('capacity: login');
      await post(me, 'user', { action: 'consent', version: '2026-01' });
    }
    if (!(await post('demo-merchant', 'merchant', { action: 'saveReferralSettings', withdrawDailyCount: 100 })).ok) throw new Error('capacity: settings');
    const dbRequests = async () => ((await (await fetch(`${base}/__dev/stats`)).json()) as { database: { requests: number } }).database.requests;

    /** CPU (ms, whole machine) and round trips per call of `call`, `CALLS` of them with `IN_FLIGHT` at once; every answer must pass `good`. */
    const measure = async (name: string, call: (i: number) => Promise<unknown>, good: (answer: any) => boolean) => {
      for (let i = 0; i < 60; i++) await call(CALLS + i); // the instance's code is warm, as in a running service
      const requestsBefore = await dbRequests();
      const cpuBefore = machineCpuMs();
      let refused = 0;
      await rate(CALLS, IN_FLIGHT, async (i) => {
        if (!good(await call(i))) refused++;
      });
      const cpuAfter = machineCpuMs();
      const trips = (await dbRequests()) - requestsBefore - 1; // the stats read itself is none of the action's
      if (refused) throw new Error(`capacity: ${refused} of ${CALLS} ${name} calls were not answered as expected`);
      const cpu = cpuBefore === null || cpuAfter === null ? NaN : (cpuAfter - cpuBefore) / CALLS;
      rows.push(row(AREA, `${name}: database round trips per call`, trips / CALLS, 'requests'));
      rows.push(row(AREA, `${name}: CPU per call, whole machine`, cpu, 'ms'));
      return cpu;
    };
    const shopper = (i: number) => users[i % users.length];
    let seq = 0;
    const ok = (b: Body) => b.ok;

    const floorCall = await measure('gateway call that reads nothing (a refused payload)', (i) => post(shopper(i), 'user', { action: 'deleteAccount' }), (b: Body) => b.code === 'INVALID_ARGUMENT');
    const list = await measure('listProducts', (i) => post(shopper(i), 'shop', { action: 'listProducts', pageSize: 10 }), (b: Body) => b.ok && b.data.items.length > 0);
    const product = await measure('getProduct', (i) => post(shopper(i), 'shop', { action: 'getProduct', productId: `cap-p${i % 6}` }), (b: Body) => b.ok && /^cap-p\d$/.test(b.data.id));
    // Each shopper may have one open task: the first SHOPPERS starts open one each, which the helps then help.
    const tasks: { taskId: string; owner: string }[] = [];
    const assistStart = await measure(
      'assist start',
      async (i) => {
        const me = shopper(i);
        const b = await post(me, 'assist', { action: 'start', productId: 'cap-p0' });
        if (b.ok && b.data.status === 'open' && !tasks.some((t) => t.taskId === b.data.taskId)) tasks.push({ taskId: b.data.taskId, owner: me });
        return b;
      },
      ok,
    );
    // A friend helps a task that is not theirs; a task completed by earlier helps answers ASSIST_TASK_DONE, as it does
    // for a late friend in the crowd.
    const help = await measure('help', (i) => {
      const t = tasks[i % tasks.length];
      const me = users[(users.indexOf(t.owner) + 1 + Math.floor(i / tasks.length)) % users.length];
      return post(me, 'assist', { action: 'help', taskId: t.taskId });
    }, (b: Body) => b.ok || b.code === 'ASSIST_TASK_DONE');
    const unpaid: { me: string; orderId: string }[] = [];
    const createOrder = await measure(
      'createOrder',
      async (i) => {
        const me = shopper(i);
        const b = await post(me, 'shop', { action: 'createOrder', requestId: `caporder${++seq}x${i}`, items: [{ productId: `cap-p${1 + (i % 5)}`, quantity: 1 }], address: LOAD_ADDRESS });
        if (b.ok) unpaid.push({ me, orderId: b.data.order.id });
        return b;
      },
      ok,
    );
    const trades: string[] = [];
    const pay = await measure(
      'pay (the prepay order for the payment sheet)',
      async (i) => {
        const o = unpaid[i % unpaid.length];
        const b = await post(o.me, 'shop', { action: 'pay', orderId: o.orderId });
        if (b.ok) trades.push(b.data.outTradeNo);
        return b;
      },
      ok,
    );
    // The payment sheet's confirmation: WeChat Pay notifies the shop, which marks the order paid and runs its steps.
    const confirm = await measure('payment confirmation (the notification and its steps)', async (i) => (await postJson(`${base}/__pay/confirm`, { outTradeNo: trades[i % trades.length] })).status, (status: number) => status === 200);
    const withdraw = await measure('withdraw', (i) => post(shopper(i), 'wallet', { action: 'withdraw', amountFen: 100, requestId: `capwithdraw${++seq}x${i}` }), ok);

    const cost: Record<keyof typeof CROWD_MIX, number> = { browse: (list + product) / 2, assistStart, help, createOrder, pay: pay + confirm, withdraw };
    const weights = Object.values(CROWD_MIX).reduce((a, b) => a + b, 0);
    const perArrival = (Object.keys(CROWD_MIX) as (keyof typeof CROWD_MIX)[]).reduce((sum, k) => sum + (CROWD_MIX[k] * cost[k]) / weights, 0);
    rows.push(row(AREA, `the crowd's mix: CPU per arrival, each action alone and warm (weighted; gateway floor ${floorCall.toFixed(2)} ms a call)`, perArrival, 'ms'));
    rows.push(row(AREA, `arrivals a second ${os.cpus().length} cores would carry, all busy, if every arrival cost only that (the open loop sends ${CROWD_RATE})`, (os.cpus().length * 1000) / perArrival, 'calls/s'));
  } finally {
    await spawned.kill9();
  }
  return rows;
}

