/**
 * A mixed load of 1,000 simulated shoppers for 60 s against the local cloud in its own process, through the gateway
 * as the app calls it. Shoppers arrive over a 30 s ramp (MIXED_RAMP_SECONDS; half of them through an earlier
 * shopper's invite card), open the app (login, consent), then all stay 60 s more (MIXED_SECONDS) repeating: think
 * 5–25 s, do one thing — browse (list, product), start an assist, help a friend's assist, order, pay (the app's pay +
 * the payment sheet's confirmation, which notifies the shop and settles the inviter's rebate), withdraw. The settle
 * timer runs once in the middle, as the minute timer would. Reported: p50 / p95 / p99 per action, errors (any answer that is not ok, except a rule's
 * refusal a real shopper can meet: a late help), calls per second; the ledger audits clean afterwards.
 */
import { auditLedger } from '../../cloudfunctions/app/referral/audit';
import { LOCAL_KEYS } from '../../emulator/index';
import { spawnCloud } from '../support/spawn-cloud';
import { devTokens, sdk } from './localCloud';
import { LOAD_ADDRESS as ADDRESS, seedLoadShop } from './loadShop';
import { BenchRow, percentile, row } from './report';

const AREA = 'mixed load';
const USERS = Number(process.env.MIXED_USERS ?? 1000);
const DURATION_MS = Number(process.env.MIXED_SECONDS ?? 60) * 1000;
const ARRIVAL_MS = Number(process.env.MIXED_RAMP_SECONDS ?? 30) * 1000;
const THINK_MS: [number, number] = [5_000, 25_000];
const P95_TARGET_MS = 300;
const MERCHANT = 'demo-merchant';
/** Refusals a real shopper meets by the rules, not errors: a friend's task filled up or ran out before the tap. */
const RULE_REFUSALS: Record<string, string[]> = { help: ['ASSIST_TASK_DONE', 'ASSIST_TASK_EXPIRED'] };

type Body = { ok: boolean; data?: any; code?: string };

export async function benchMixed(): Promise<BenchRow[]> {
  const spawned = await spawnCloud({ keys: LOCAL_KEYS, args: ['--no-seed'] });
  const base = `http://${spawned.host}`;
  const rows: BenchRow[] = [];
  try {
    const app = sdk(spawned.adminUrl);
    const db = app.database();
    const { products, users } = await seedLoadShop(app, 'mx', USERS, 50);

    const token = devTokens(base);
    for (const u of [...users, MERCHANT]) await token(u);
    const settings = await fetch(`${base}/fn/merchant`, { method: 'POST', headers: { authorization: `Bearer ${await token(MERCHANT)}` }, body: JSON.stringify({ action: 'saveReferralSettings', withdrawDailyCount: 100 }) });
    if (!((await settings.json()) as Body).ok) throw new Error('mixed: referral settings');

    // Warm every function instance first (its first call loads the bundle): the load measures a running service.
    const warm = 'mx-warm';
    await token(warm);
    const call = async (fnName: string, data: Record<string, unknown>) =>
      (await (await fetch(`${base}/fn/${fnName}`, { method: 'POST', headers: { authorization: `Bearer ${await token(warm)}` }, body: JSON.stringify(data) })).json()) as Body;
    await call('user', { action: 'login' });
    await call('user', { action: 'consent', version: '2026-01' });
    await call('shop', { action: 'listProducts' });
    await call('shop', { action: 'getProduct', productId: 'mx-p1' });
    await call('assist', { action: 'start', productId: 'mx-p0' });
    const warmOrder = await call('shop', { action: 'createOrder', requestId: 'mx-warm-order', items: [{ productId: 'mx-p1', quantity: 1 }], address: ADDRESS });
    const warmPay = await call('shop', { action: 'pay', orderId: warmOrder.data.order.id });
    await fetch(`${base}/__pay/confirm`, { method: 'POST', body: JSON.stringify({ outTradeNo: warmPay.data.outTradeNo }) });
    await call('wallet', { action: 'withdraw', amountFen: 100, requestId: 'mx-warm-withdraw' });
    await call('referral', { action: 'progress' });

    const latencies = new Map<string, number[]>();
    const errors = new Map<string, number>();
    let refusedByRule = 0;
    let calls = 0;
    const record = (name: string, ms: number) => {
      calls++;
      const list = latencies.get(name) ?? [];
      list.push(ms);
      latencies.set(name, list);
    };
    const error = (what: string) => errors.set(what, (errors.get(what) ?? 0) + 1);

    /** One call as `openid`, timed under `name`; answers the body, or null when it failed (counted). */
    const fn = async (name: string, openid: string, fnName: string, data: Record<string, unknown>): Promise<Body | null> => {
      const started = performance.now();
      try {
        const res = await fetch(`${base}/fn/${fnName}`, { method: 'POST', headers: { authorization: `Bearer ${await token(openid)}`, 'content-type': 'application/json' }, body: JSON.stringify(data) });
        const body = (await res.json()) as Body;
        record(name, performance.now() - started);
        if (res.status !== 200) return error(`${name}: HTTP ${res.status} ${body.code}`), null;
        if (!body.ok) {
          if (RULE_REFUSALS[name]?.includes(body.code ?? '')) return refusedByRule++, body;
          return error(`${name}: ${body.code}`), null;
        }
        return body;
      } catch (e) {
        record(name, performance.now() - started);
        error(`${name}: ${(e as Error).message}`);
        return null;
      }
    };

    let seq = 0;
    const pick = <T>(xs: T[]) => xs[Math.floor(Math.random() * xs.length)];
    const inviteCodes: string[] = [];
    /** Open assist tasks and who helped them (a shopper helps a task once; the owner never helps their own). */
    const tasks = new Map<string, { owner: string; helpers: Set<string> }>();
    const unpaid = new Map<string, string[]>();
    const end = performance.now() + ARRIVAL_MS + DURATION_MS;
    const sleepUntil = (ms: number) => new Promise((r) => setTimeout(r, Math.max(0, Math.min(ms, end - performance.now()))));

    const actions: [number, (me: string) => Promise<unknown>][] = [
      [
        35,
        async (me) => {
          const list = await fn('browse: listProducts', me, 'shop', { action: 'listProducts', pageSize: 10 });
          if (list) await fn('browse: getProduct', me, 'shop', { action: 'getProduct', productId: pick(products)._id });
        },
      ],
      [
        10,
        async (me) => {
          const res = await fn('assist: start', me, 'assist', { action: 'start', productId: 'mx-p0' });
          if (res?.ok && res.data.status === 'open' && !tasks.has(res.data.taskId)) tasks.set(res.data.taskId, { owner: me, helpers: new Set() });
        },
      ],
      [
        20,
        async (me) => {
          const open = [...tasks.entries()].filter(([, t]) => t.owner !== me && !t.helpers.has(me));
          if (!open.length) return;
          const [taskId, t] = pick(open);
          t.helpers.add(me);
          const res = await fn('help', me, 'assist', { action: 'help', taskId });
          if (!res?.ok || res.data.completed || res.data.helpers >= res.data.target) tasks.delete(taskId);
        },
      ],
      [
        15,
        async (me) => {
          const res = await fn('order: createOrder', me, 'shop', { action: 'createOrder', requestId: `mx${++seq}${Date.now().toString(36)}`, items: [{ productId: pick(products)._id, quantity: 1 }], address: ADDRESS });
          if (res?.ok) unpaid.set(me, [...(unpaid.get(me) ?? []), res.data.order.id]);
        },
      ],
      [
        12,
        async (me) => {
          const orderId = unpaid.get(me)?.shift();
          if (!orderId) return;
          const prepared = await fn('pay: pay', me, 'shop', { action: 'pay', orderId });
          if (!prepared) return;
          const started = performance.now();
          const res = await fetch(`${base}/__pay/confirm`, { method: 'POST', body: JSON.stringify({ outTradeNo: prepared.data.outTradeNo }) }).catch((e: Error) => e);
          record('pay: confirm + paymentNotify', performance.now() - started);
          if (res instanceof Error) return error(`pay: confirm: ${res.message}`);
          const body = (await res.json()) as { deliveries?: { ok: boolean; code?: string }[] };
          if (res.status !== 200 || !body.deliveries?.every((d) => d.ok)) error(`pay: confirm: HTTP ${res.status} ${JSON.stringify(body).slice(0, 120)}`);
        },
      ],
      [8, (me) => fn('withdraw', me, 'wallet', { action: 'withdraw', amountFen: 100 + Math.floor(Math.random() * 900), requestId: `mxw${++seq}${Date.now().toString(36)}` })],
    ];
    const totalWeight = actions.reduce((a, [w]) => a + w, 0);
    const chooseAction = () => {
      let r = Math.random() * totalWeight;
      for (const [w, act] of actions) if ((r -= w) < 0) return act;
      return actions[0][1];
    };

    const shopper = async (me: string) => {
      await sleepUntil(Math.random() * ARRIVAL_MS);
      const invited = inviteCodes.length > 0 && Math.random() < 0.5;
      const login = await fn('open: login', me, 'user', invited ? { action: 'login', inviteCode: pick(inviteCodes), source: 'card' } : { action: 'login' });
      if (!login) return;
      inviteCodes.push(login.data.inviteCode);
      if (!login.data.consented) await fn('open: consent', me, 'user', { action: 'consent', version: '2026-01' });
      while (performance.now() < end) {
        await sleepUntil(THINK_MS[0] + Math.random() * (THINK_MS[1] - THINK_MS[0]));
        if (performance.now() >= end) break;
        await chooseAction()(me);
      }
    };

    const started = performance.now();
    const timer = setTimeout(() => void fetch(`${base}/__dev/timers/fire`, { method: 'POST', body: JSON.stringify({ name: 'settleEveryMinute' }) }).catch(() => undefined), ARRIVAL_MS + DURATION_MS / 2);
    await Promise.all(users.map(shopper));
    clearTimeout(timer);
    const seconds = (performance.now() - started) / 1000;

    const all: number[] = [];
    for (const [name, list] of [...latencies.entries()].sort()) {
      const sorted = [...list].sort((a, b) => a - b);
      all.push(...list);
      rows.push(row(AREA, `${name} (${list.length} calls): p50`, percentile(sorted, 50), 'ms'));
      rows.push(row(AREA, `${name}: p95`, percentile(sorted, 95), 'ms', { max: P95_TARGET_MS }));
      rows.push(row(AREA, `${name}: p99`, percentile(sorted, 99), 'ms'));
    }
    all.sort((a, b) => a - b);
    const errorCount = [...errors.values()].reduce((a, b) => a + b, 0);
    for (const [what, n] of errors) console.error(`mixed load error ×${n}: ${what}`);
    // What the functions logged about them (the first few internal errors, from the local cloud's output).
    if (errorCount) console.error(spawned.output().split('\n').filter((l) => /internal error|Error:|code: '/.test(l)).slice(0, 30).join('\n'));
    rows.push(row(AREA, `${USERS} shoppers, ${Math.round(seconds)} s (arrivals over ${ARRIVAL_MS / 1000} s, think ${THINK_MS[0] / 1000}–${THINK_MS[1] / 1000} s): every call p95`, percentile(all, 95), 'ms', { max: P95_TARGET_MS }));
    rows.push(row(AREA, 'every call p50', percentile(all, 50), 'ms'));
    rows.push(row(AREA, 'every call p99', percentile(all, 99), 'ms'));
    rows.push(row(AREA, 'calls', calls, 'calls'));
    rows.push(row(AREA, 'calls per second', calls / seconds, 'calls/s'));
    rows.push(row(AREA, `errors${errorCount ? ` (${[...errors.keys()].slice(0, 3).join('; ')})` : ''}`, errorCount, 'errors', { max: 0 }));
    rows.push(row(AREA, 'late helps refused by the rules (task already done)', refusedByRule, 'calls'));
    const report = await auditLedger(db as never);
    rows.push(row(AREA, `ledger audit after the load (${report.entries} entries, ${report.wallets} wallets)`, report.problems.length, 'problems', { max: 0 }));
  } finally {
    await spawned.kill9();
  }
  return rows;
}
