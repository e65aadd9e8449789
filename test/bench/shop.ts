/**
 * The shop through the real gateway and functions, with the local cloud in its own process: database round trips
 * per createOrder and per payment notification (counted by the local cloud, GET /__dev/stats, around one call) — for
 * a buyer nobody invited (the referral step does nothing) and for the invitee whose order completes a 推三返一 group
 * (the step converts, evaluates the rule and posts the frozen reward; the row checks the reward exists and that the
 * dashboard counted the order, the conversion and the reward once; the settle timer has fired as it does every
 * minute, so the day's counter documents exist) — and orders
 * per second with 200 buyers pressing at once. Every buyer has opened the app and agreed to the privacy notice.
 */
import { LOCAL_KEYS } from '../../emulator/index';
import { spawnCloud } from '../support/spawn-cloud';
import { BenchRow, row } from './report';
import { devTokens, sdk } from './localCloud';

const ADDRESS = { name: '张三', phone: '13800138000', province: '浙江省', city: '杭州市', district: '西湖区', detail: '文三路 100 号' };

export async function benchShop(): Promise<BenchRow[]> {
  const spawned = await spawnCloud({ keys: LOCAL_KEYS, args: ['--no-seed'] });
  const base = `http://${spawned.host}`;
  const rows: BenchRow[] = [];
  try {
    const app = sdk(spawned.adminUrl);
    const db = app.database();
    const now = new Date();
    const product = (id: string, stock: number) => ({ _id: id, title: `压测商品 ${id}`, description: '', images: [], priceFen: 990, stock, onSale: true, sort: 0, createdAt: now, updatedAt: now });
    await db.collection('products').add([product('bench-one', 1_000_000), product('bench-crowd', 1_000_000)]);

    const login = devTokens(base);
    const fn = async (name: string, openid: string, body: Record<string, unknown>) => {
      const res = await fetch(`${base}/fn/${name}`, { method: 'POST', headers: { authorization: `Bearer ${await login(openid)}` }, body: JSON.stringify(body) });
      const json = (await res.json()) as { ok: boolean; data: any; code?: string };
      if (!json.ok) throw new Error(`${name}.${String(body.action)}: ${json.code}`);
      return json.data;
    };
    const shop = (openid: string, body: Record<string, unknown>) => fn('shop', openid, body);
    /** A shopper's first open (from an invite when given) and the privacy consent, as the app does. */
    const join = async (openid: string, inviteCode?: string) => {
      const first = await fn('user', openid, { action: 'login', ...(inviteCode ? { inviteCode, source: 'card' } : {}) });
      await fn('user', openid, { action: 'consent', version: '2026-01' });
      return first.inviteCode as string;
    };
    await join('bench-buyer');
    const requests = async () => ((await (await fetch(`${base}/__dev/stats`)).json()) as { database: { requests: number } }).database.requests;
    let n = 0;
    const createOrder = (openid: string, productId: string) => shop(openid, { action: 'createOrder', requestId: `bench-${++n}-${Date.now()}`, items: [{ productId, quantity: 1 }], address: ADDRESS });

    // Warm the instance (first load, first SDK calls), then count around one call.
    for (let i = 0; i < 3; i++) await createOrder('bench-buyer', 'bench-one');
    let before = await requests();
    const { order } = await createOrder('bench-buyer', 'bench-one');
    rows.push(row('shop', 'database round trips per createOrder (1 item, new order)', (await requests()) - before, 'requests', { max: 8 }));

    await shop('bench-buyer', { action: 'pay', orderId: order.id });
    before = await requests();
    const confirm = await fetch(`${base}/__pay/confirm`, { method: 'POST', body: JSON.stringify({ outTradeNo: order.id, times: 1 }) });
    const delivered = (await confirm.json()) as { deliveries: { ok: boolean; data?: { transitioned: boolean } }[] };
    if (!delivered.deliveries[0]?.data?.transitioned) throw new Error(`the notification did not mark the order paid: ${JSON.stringify(delivered)}`);
    rows.push(row('shop', 'database round trips per payment notification (paid + steps)', (await requests()) - before, 'requests', { max: 6 }));

    before = await requests();
    await fetch(`${base}/__pay/confirm`, { method: 'POST', body: JSON.stringify({ outTradeNo: order.id, times: 1 }) });
    rows.push(row('shop', 'database round trips per repeated notification', (await requests()) - before, 'requests'));

    // The notification that completes a 推三返一 group: A invited B, C, D; B and C paid; D's payment makes three.
    await db.collection('rebate_rules').add({ _id: 'bench-rule', name: '推三返一', active: true, priority: 0, reward: { form: 'cash', amountFen: 5000 }, trigger: { kind: 'everyN', n: 3, minOrderFen: 0 }, caps: { perInviterPerDay: null, perInviterTotal: null }, productIds: null, startsAt: null, endsAt: null, createdAt: now, updatedAt: now });
    const code = await join('bench-inviter');
    const group = ['bench-invitee-b', 'bench-invitee-c', 'bench-invitee-d'];
    for (const f of group) await join(f, code);
    const paidOrder = async (buyer: string, measure: boolean) => {
      const { order: o } = await createOrder(buyer, 'bench-one');
      await shop(buyer, { action: 'pay', orderId: o.id });
      const at = await requests();
      const res = (await (await fetch(`${base}/__pay/confirm`, { method: 'POST', body: JSON.stringify({ outTradeNo: o.id, times: 1 }) })).json()) as { deliveries: { data?: { transitioned: boolean } }[] };
      if (!res.deliveries[0]?.data?.transitioned) throw new Error(`the notification did not mark ${o.id} paid`);
      return measure ? (await requests()) - at : 0;
    };
    await paidOrder(group[0], false);
    await paidOrder(group[1], false);
    // Production's settle timer fires every minute and creates the day's counter documents ahead of the day's
    // events (merchant.prepareStats); fire it once as it would have fired, so the row counts what a payment costs
    // on an ordinary day, not on the first event of a fresh database.
    await app.callFunction({ name: 'settle', data: { action: 'run' } });
    const completing = await paidOrder(group[2], true);
    const rewards = (await db.collection('rewards').where({ userId: 'bench-inviter', status: 'frozen' }).get()).data as { members: unknown[] }[];
    if (rewards.length !== 1 || rewards[0].members.length !== 3) throw new Error(`the third invitee's payment did not complete the group: ${JSON.stringify(rewards)}`);
    const counted = (await db.collection('stats_daily').where({ keys: db.command.in([`firstBuy:${group[2]}`]) }).get()).data as { day: string; c: Record<string, number> }[];
    const onDay = counted.filter((d) => d.day !== 'all');
    if (onDay.length !== 1 || !onDay[0].c.converted || !onDay[0].c.rb_cash_amt) throw new Error(`the dashboard did not count the completing payment once: ${JSON.stringify(counted)}`);
    rows.push(row('shop', 'database round trips per payment notification completing a 推三返一 group (convert + rule + frozen reward)', completing, 'requests', { max: 12 }));

    const buyers = Array.from({ length: 200 }, (_, i) => `bench-crowd-${i}`);
    await Promise.all(buyers.map((b) => join(b)));
    const rounds = 3;
    const started = performance.now();
    for (let r = 0; r < rounds; r++) await Promise.all(buyers.map((b) => createOrder(b, 'bench-crowd')));
    const seconds = (performance.now() - started) / 1000;
    rows.push(row('shop', `createOrder with 200 buyers at once (${rounds} × 200 orders)`, (rounds * buyers.length) / seconds, 'orders/s'));
    const left = (await db.collection('products').doc('bench-crowd').get()).data[0].stock;
    if (left !== 1_000_000 - rounds * buyers.length) throw new Error(`stock went wrong: ${left}`);
  } finally {
    await spawned.kill9();
  }
  return rows;
}
