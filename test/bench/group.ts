/**
 * 拼团 through the real gateway and functions, with the local cloud in its own process: database round trips for
 * joining a group (createOrder with groupId: the guarded seat claim + the order; counted at the local cloud,
 * GET /__dev/stats, around one call), and the 200-way crowd — 200 friends pressing 参团 at once on a group needing one
 * more: each call's latency (p95) and exactness (exactly one order holds the last seat, the group never passes N, and
 * paying it makes the group succeed with N paid).
 */
import { LOCAL_KEYS } from '../../emulator/index';
import { spawnCloud } from '../support/spawn-cloud';
import { BenchRow, percentile, row } from './report';
import { devTokens, sdk } from './localCloud';

const ADDRESS = { name: '张三', phone: '13800138000', province: '浙江省', city: '杭州市', district: '西湖区', detail: '文三路 100 号' };

export async function benchGroup(): Promise<BenchRow[]> {
  const spawned = await spawnCloud({ keys: LOCAL_KEYS, args: ['--no-seed'] });
  const base = `http://${spawned.host}`;
  const rows: BenchRow[] = [];
  try {
    const db = sdk(spawned.adminUrl).database();
    const now = new Date();
    const product = (id: string) => ({ _id: id, title: `拼团压测 ${id}`, description: '', images: [], priceFen: 9900, stock: 1_000_000, onSale: true, sort: 0, createdAt: now, updatedAt: now });
    await db.collection('products').add([product('bench-group-a'), product('bench-group-b')]);
    const login = devTokens(base);
    const fnRaw = async (name: string, openid: string, body: Record<string, unknown>) => {
      const res = await fetch(`${base}/fn/${name}`, { method: 'POST', headers: { authorization: `Bearer ${await login(openid)}` }, body: JSON.stringify(body) });
      return (await res.json()) as { ok: boolean; data: any; code?: string };
    };
    const fn = async (name: string, openid: string, body: Record<string, unknown>) => {
      const json = await fnRaw(name, openid, body);
      if (!json.ok) throw new Error(`${name}.${String(body.action)}: ${json.code}`);
      return json.data;
    };
    const join = async (openid: string) => {
      await fn('user', openid, { action: 'login' });
      await fn('user', openid, { action: 'consent', version: '2026-01' });
    };
    for (const productId of ['bench-group-a', 'bench-group-b']) {
      await fn('merchant', 'demo-merchant', { action: 'saveGroupOffer', productId, active: true, groupSize: 3, groupPriceFen: 6900, timeLimitHours: 24, allowJoinAny: true, newUsersOnly: false, maxOpenPerShopper: 10, leaderReward: { kind: 'none' }, minSizeAtDeadline: null });
    }
    let n = 0;
    const order = (openid: string, productId: string, group: Record<string, unknown>) => ({ action: 'createOrder', requestId: `bench-g-${++n}-${Date.now()}`, items: [{ productId, quantity: 1 }], address: ADDRESS, ...group });
    const paid = async (openid: string, orderId: string) => {
      await fn('shop', openid, { action: 'pay', orderId });
      await fetch(`${base}/__pay/confirm`, { method: 'POST', body: JSON.stringify({ outTradeNo: orderId, times: 1 }) });
    };
    const openGroup = async (leader: string, productId: string) => {
      const { order: o } = await fn('shop', leader, order(leader, productId, { openGroup: true }));
      await paid(leader, o.id);
      return o.group.groupId as string;
    };
    const requests = async () => ((await (await fetch(`${base}/__dev/stats`)).json()) as { database: { requests: number } }).database.requests;

    // Round trips of one join, after warming the instance with a few.
    await join('bench-gl');
    for (let i = 0; i < 3; i++) {
      const g = await openGroup('bench-gl', 'bench-group-a');
      await join(`bench-gw${i}`);
      await fn('shop', `bench-gw${i}`, order(`bench-gw${i}`, 'bench-group-a', { groupId: g }));
    }
    const groupA = await openGroup('bench-gl', 'bench-group-a');
    await join('bench-gj');
    const before = await requests();
    await fn('shop', 'bench-gj', order('bench-gj', 'bench-group-a', { groupId: groupA }));
    rows.push(row('group', 'database round trips per join (createOrder with groupId: seat claim + order)', (await requests()) - before, 'requests', { max: 7 }));

    // The crowd: a 3-person group with 2 paid; 200 friends press 参团 at once.
    await join('bench-gcl');
    await join('bench-gc2');
    const groupB = await openGroup('bench-gcl', 'bench-group-b');
    const { order: second } = await fn('shop', 'bench-gc2', order('bench-gc2', 'bench-group-b', { groupId: groupB }));
    await paid('bench-gc2', second.id);
    const crowd = Array.from({ length: 200 }, (_, i) => `bench-gcrowd-${i}`);
    await Promise.all(crowd.map((b) => join(b)));
    const latencies: number[] = [];
    const answers = await Promise.all(
      crowd.map(async (b) => {
        const t0 = performance.now();
        const res = await fnRaw('shop', b, order(b, 'bench-group-b', { groupId: groupB }));
        latencies.push(performance.now() - t0);
        return res;
      }),
    );
    rows.push(row('group', '200 friends join a group needing 1 more at once: p95 latency', percentile(latencies, 95), 'ms'));
    const winners = answers.filter((a) => a.ok);
    const g = (await db.collection('groups').doc(groupB).get()).data[0];
    if (winners.length === 1) await paid(crowd[answers.indexOf(winners[0])], winners[0].data.order.id);
    const after = (await db.collection('groups').doc(groupB).get()).data[0];
    const exact = winners.length === 1 && g.seatsTaken === 3 && after.status === 'succeeded' && after.paidCount === 3;
    rows.push(row('group', `200-way crowd exactness (orders holding the last seat: ${winners.length}; seats ${g.seatsTaken}/3; then ${after.status}, ${after.paidCount} paid)`, exact ? 1 : 0, 'exact', { min: 1 }));
  } finally {
    await spawned.kill9();
  }
  return rows;
}
