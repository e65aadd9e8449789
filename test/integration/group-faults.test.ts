/**
 * Fault injection for 拼团 (issue 15): the local cloud runs as its own process on a data directory
 * (test/support/spawn-cloud.ts). Several groups of 3, each with 2 paid members who paid with a mix of wallet cash,
 * points, a coupon and the payment provider, pass their deadline; the clock move fires the settle timer, which fails
 * the groups one after another and refunds their orders — and the whole process group is killed with SIGKILL a few
 * delays after the first refund appears. The cloud restarts on the same directory, the timer runs again past every
 * lease, and then: every order is refunded exactly once (one refund, one provider refund `R<orderId>`), the wallet
 * spend, the coupon and the units came back exactly once, every group failed (none succeeded), the ledger audits clean.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import tcb from '@cloudbase/node-sdk';
import { auditLedger } from '../../cloudfunctions/app/referral/audit';
import { withUserTx } from '../../cloudfunctions/app/wallet/tx';
import { issueCoupon } from '../../cloudfunctions/app/coupons/coupons';
import { creditAvailable } from '../../cloudfunctions/domain/ledger';
import { LOCAL_KEYS } from '../../emulator/index';
import type { Fen } from '../../types/money';
import { SpawnedCloud, spawnCloud } from '../support/spawn-cloud';

process.env.SILENCE = 'true'; // no "slower than 3 s" warnings from the SDK for requests the kill cuts off

const ROOT = path.resolve(__dirname, '../..');
const MERCHANT = 'demo-merchant';
const ADDRESS = { name: '张三', phone: '13800138000', province: '浙江省', city: '杭州市', district: '西湖区', detail: '文三路 100 号' };
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
/** Extra wait after the first refund appears before the kill, per round. */
const KILL_DELAYS_MS = [0, 40, 150];
const GROUPS = 6;
const LIST_PRICE = 9900;
const GROUP_PRICE = 6900;
const STOCK = 1000;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
let seq = 0;
const uniq = (p: string) => `${p}${Date.now().toString(36)}${(++seq).toString(36)}`;

/** One local cloud process on a data directory, restartable; the SDK and the gateway pointed at it. */
class Cloud {
  proc!: SpawnedCloud;
  private tokens = new Map<string, string>();

  constructor(readonly dataDir: string) {}

  async start() {
    this.proc = await spawnCloud({ dataDir: this.dataDir, keys: LOCAL_KEYS });
    return this;
  }

  async restart() {
    await this.proc.kill9();
    return this.start();
  }

  get base() {
    return `http://${this.proc.host}`;
  }

  get db() {
    return tcb.init({ env: 'local', serviceUrl: this.proc.adminUrl, secretId: LOCAL_KEYS.secretId, secretKey: LOCAL_KEYS.secretKey }).database();
  }

  async call(openid: string, fn: string, data: Record<string, unknown>) {
    let token = this.tokens.get(openid);
    if (!token) {
      const res = await fetch(`${this.base}/__dev/login`, { method: 'POST', body: JSON.stringify({ openid }) });
      token = ((await res.json()) as { token: string }).token;
      this.tokens.set(openid, token); // signed with the cloud's stored secret: still valid after a restart
    }
    const res = await fetch(`${this.base}/fn/${fn}`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(data) });
    return (await res.json()) as { ok: boolean; data?: any; code?: string; message?: string };
  }

  async ok(openid: string, fn: string, data: Record<string, unknown>) {
    const body = await this.call(openid, fn, data);
    if (!body.ok) throw new Error(`${fn}.${String(data.action)} as ${openid}: ${body.code} ${body.message}`);
    return body.data;
  }

  async post(route: string, body: unknown) {
    const res = await fetch(`${this.base}${route}`, { method: 'POST', body: JSON.stringify(body) });
    return { status: res.status, body: (await res.json()) as any };
  }

  /** The cloud's clock (moved by the test), for documents the test writes directly. */
  async clock() {
    const { offsetMs } = (await (await fetch(`${this.base}/__dev/clock`)).json()) as { offsetMs: number };
    return { now: () => new Date(Date.now() + offsetMs) };
  }

  /** Run the settle jobs as the timer does until `done` holds (a run that was killed may have left work). */
  async settleUntil(done: () => Promise<boolean>, what: string) {
    for (let i = 0; i < 40; i++) {
      if (await done()) return;
      const r = await this.post('/__dev/timers/fire', { name: 'settleEveryMinute' });
      if (r.status !== 200) throw new Error(`settle timer: ${JSON.stringify(r.body)}`);
      await sleep(100);
    }
    throw new Error(`settle did not finish: ${what}`);
  }

  async count(collection: string, where: Record<string, unknown>) {
    return (await this.db.collection(collection).where(where).count()).total as number;
  }

  async docs<T = any>(collection: string, ids: string[]): Promise<T[]> {
    const _ = this.db.command;
    return (await this.db.collection(collection).where({ _id: _.in(ids) }).limit(1000).get()).data as T[];
  }
}

/** Fire without waiting (the answer may never come: the process is killed). */
function fire(p: Promise<unknown>) {
  p.catch(() => undefined);
}

async function waitFor(check: () => Promise<boolean>, what: string, timeoutMs = 20_000) {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await sleep(5);
  }
}

/** How a member pays: wallet cash, points and a coupon as asked, the provider the rest (at least 1 fen). */
interface Mix {
  cashFen: number;
  points: number;
  couponFen: number;
}
/** Leaders and members take turns through these: provider only, cash, coupon + cash, coupon + points, all three. */
const MIXES: Mix[] = [
  { cashFen: 0, points: 0, couponFen: 0 },
  { cashFen: 700, points: 0, couponFen: 0 },
  { cashFen: 1000, points: 0, couponFen: 500 },
  { cashFen: 0, points: 400, couponFen: 300 },
  { cashFen: 1200, points: 200, couponFen: 800 },
];
/** Each buyer's wallet holds more than the order spends: what stays must be untouched, what was spent must come back. */
const SEED_EXTRA_FEN = 250;

interface Member {
  buyer: string;
  mix: Mix;
  couponId: string | null;
  orderId: string;
  payableFen: number;
}

let cloud: Cloud;
let dataDir: string;
/** Per kill delay: how far the refunds had gone when the process died, and whether some were left. */
const atKill: { text: string; inside: boolean }[] = [];
const timings: string[] = [];

beforeAll(async () => {
  if (!fs.existsSync(path.join(ROOT, 'dist/cloudfunctions/settle/index.js'))) {
    execFileSync(path.join(ROOT, 'node_modules/.bin/tsx'), ['config/build-functions.ts'], { cwd: ROOT, stdio: 'ignore' });
  }
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'group-faults-'));
  cloud = await new Cloud(dataDir).start();
}, 60_000);

afterAll(async () => {
  console.log(`group refunds, kills landed at:\n${atKill.map((k) => `  ${k.text}`).join('\n')}\ntimings:\n${timings.map((k) => `  ${k}`).join('\n')}`);
  await cloud?.proc.kill9();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

async function groupProduct(): Promise<string> {
  const productId = uniq('gfp');
  const now = (await cloud.clock()).now();
  await cloud.db.collection('products').add({ _id: productId, title: '拼团故障测试商品', description: '', images: [], priceFen: LIST_PRICE, stock: STOCK, onSale: true, sort: 0, createdAt: now, updatedAt: now });
  await cloud.ok(MERCHANT, 'merchant', {
    action: 'saveGroupOffer',
    productId,
    active: true,
    groupSize: 3,
    groupPriceFen: GROUP_PRICE,
    timeLimitHours: 1,
    allowJoinAny: true,
    newUsersOnly: false,
    maxOpenPerShopper: 2,
    leaderReward: { kind: 'none' },
    minSizeAtDeadline: null,
  });
  return productId;
}

/** A shopper with the wallet and coupon the mix needs; their group order (open or join) made and paid. */
async function paidMember(productId: string, mix: Mix, group: { openGroup: true } | { groupId: string }): Promise<Member & { groupId: string }> {
  const buyer = uniq('gfb');
  await cloud.ok(buyer, 'user', { action: 'login' });
  await cloud.ok(buyer, 'user', { action: 'consent', version: '2026-01' });
  const ctx = { db: cloud.db as any, clock: await cloud.clock() };
  if (mix.cashFen || mix.points) {
    await withUserTx(ctx, buyer, async (u) => {
      if (mix.cashFen) u.post(`test:seed-cash:${buyer}`, creditAvailable(u.balances, 'cash', mix.cashFen + SEED_EXTRA_FEN, 'reward_posted'));
      if (mix.points) u.post(`test:seed-points:${buyer}`, creditAvailable(u.balances, 'points', mix.points + SEED_EXTRA_FEN, 'points_credit'));
    });
  }
  const couponId = mix.couponFen
    ? (await issueCoupon(ctx, { sourceKey: uniq('gfc'), ownerId: buyer, amountFen: mix.couponFen as Fen, minSpendFen: 0 as Fen, validDays: 30, held: false })).couponId
    : null;
  const { order } = await cloud.ok(buyer, 'shop', {
    action: 'createOrder',
    requestId: uniq('gfr'),
    items: [{ productId, quantity: 1 }],
    address: ADDRESS,
    ...group,
    ...(couponId ? { couponId } : {}),
    ...(mix.cashFen ? { useCashFen: mix.cashFen } : {}),
    ...(mix.points ? { usePoints: mix.points } : {}),
  });
  const { outTradeNo } = await cloud.ok(buyer, 'shop', { action: 'pay', orderId: order.id });
  const confirm = await cloud.post('/__pay/confirm', { outTradeNo });
  if (confirm.status !== 200) throw new Error(`confirm failed: ${JSON.stringify(confirm.body)}`);
  return { buyer, mix, couponId, orderId: order.id, payableFen: order.payableFen, groupId: order.group.groupId };
}

it.each(KILL_DELAYS_MS)(
  'kill %i ms into a failed groups’ refunds, restart, timer again: each order refunded once, wallet/coupon/units back once',
  async (delay) => {
    const productId = await groupProduct();
    const t0 = Date.now();
    // The groups side by side (each leader pays before their friend joins), as many shoppers would.
    const pairs = await Promise.all(
      Array.from({ length: GROUPS }, async (_x, g) => {
        const leader = await paidMember(productId, MIXES[(2 * g) % MIXES.length], { openGroup: true });
        const joiner = await paidMember(productId, MIXES[(2 * g + 1) % MIXES.length], { groupId: leader.groupId });
        return [leader, joiner];
      }),
    );
    const groupIds = pairs.map(([leader]) => leader.groupId);
    const members: Member[] = pairs.flat();
    const t1 = Date.now();
    const orderIds = members.map((m) => m.orderId);
    for (const m of members) expect(m.payableFen).toBe(GROUP_PRICE - m.mix.couponFen - m.mix.cashFen - m.mix.points); // 100 points = ¥1
    const groupsBefore = await cloud.docs('groups', groupIds);
    expect(groupsBefore.map((g) => `${g.status} ${g.paidCount}`)).toEqual(groupIds.map(() => 'open 2'));
    expect((await cloud.db.collection('products').doc(productId).get()).data[0].stock).toBe(STOCK - members.length);

    // Past the deadline: the clock move fires the settle timer, which fails the groups and refunds their orders.
    const _ = cloud.db.command;
    fire(cloud.post('/__dev/clock', { advanceMs: HOUR + MINUTE }));
    await waitFor(async () => (await cloud.count('refunds', { _id: _.in(orderIds) })) > 0, 'the first refund', 60_000);
    const t2 = Date.now();
    await sleep(delay);
    await cloud.restart();
    const t3 = Date.now();

    const refundsAtKill = await cloud.docs('refunds', orderIds);
    const ordersAtKill = await cloud.docs('orders', orderIds);
    const groupsAtKill = await cloud.docs('groups', groupIds);
    const tradesAtKill = await Promise.all(orderIds.map(async (o) => (await cloud.post('/__pay/query', { outTradeNo: o })).body.refunds.length as number));
    const paidBack = refundsAtKill.filter((r) => r.status === 'refunded').length;
    const ordersRefunded = ordersAtKill.filter((o) => o.status === 'refunded').length;
    const owed = ordersAtKill.filter((o) => o.pendingSteps.length > 0).length;
    atKill.push({
      text:
        `+${delay} ms: groups ${groupsAtKill.filter((g) => g.status === 'failed').length}/${GROUPS} failed, ` +
        `${groupsAtKill.filter((g) => g.fanout === 'done').length} done; refunds ${refundsAtKill.length}/${orderIds.length} made, ` +
        `${tradesAtKill.filter((n) => n > 0).length} at the provider, ${paidBack} finished; orders ${ordersRefunded} refunded, ${owed} with steps owed`,
      inside: paidBack < orderIds.length || owed > 0,
    });

    // The timer again, past the refunds' retry time and the steps' lease (the clock move fires it once more).
    await cloud.post('/__dev/clock', { advanceMs: 2 * MINUTE });
    const allDone = async () => {
      const [orders, groups, refunds] = await Promise.all([cloud.docs('orders', orderIds), cloud.docs('groups', groupIds), cloud.docs('refunds', orderIds)]);
      return (
        orders.every((o) => o.status === 'refunded' && o.pendingSteps.length === 0) &&
        groups.every((g) => g.fanout === 'done') &&
        refunds.length === orderIds.length &&
        refunds.every((r) => r.status === 'refunded')
      );
    };
    await cloud.settleUntil(allDone, 'failed groups’ refunds');
    timings.push(`+${delay} ms: setup ${t1 - t0} ms, to the first refund ${t2 - t1} ms, kill+restart ${t3 - t2} ms, finish ${Date.now() - t3} ms`);
    // And once more: nothing moves a second time.
    expect((await cloud.post('/__dev/timers/fire', { name: 'settleEveryMinute' })).status).toBe(200);

    // Every group failed, none succeeded; each member heard it once.
    const groups = await cloud.docs('groups', groupIds);
    expect(groups.map((g) => `${g.status} ${g.fanout} ${g.paidCount}`).sort()).toEqual(groupIds.map(() => 'failed done 2'));
    expect(await cloud.count('orders', { _id: _.in(orderIds), groupState: 'succeeded' })).toBe(0);
    const buyers = members.map((m) => m.buyer);
    expect(await cloud.count('notifications', { userId: _.in(buyers), kind: 'group.failed' })).toBe(members.length);
    expect(await cloud.count('notifications', { userId: _.in(buyers), kind: 'group.succeeded' })).toBe(0);

    // Each order refunded once: one refund document, finished, for the whole payable; the order closed as refunded.
    const refunds = await cloud.docs('refunds', orderIds);
    expect(refunds.map((r) => `${r.orderId} ${r.status} ${r.amountFen} ${r.reviewedBy} ${typeof r.refundId}`).sort()).toEqual(
      members.map((m) => `${m.orderId} refunded ${m.payableFen} system string`).sort(),
    );
    const orders = await cloud.docs('orders', orderIds);
    expect(orders.map((o) => `${o._id} ${o.status} ${o.groupState} ${o.refundStatus} ${o.pendingSteps.length}`).sort()).toEqual(
      orderIds.map((id) => `${id} refunded failed refunded 0`).sort(),
    );

    // The provider was asked to refund each trade once, in full, as R<orderId>; the refund id is the one recorded.
    for (const m of members) {
      const trade = (await cloud.post('/__pay/query', { outTradeNo: m.orderId })).body;
      const refund = refunds.find((r) => r.orderId === m.orderId);
      expect({ order: m.orderId, totalFee: trade.totalFee, refundedFee: trade.refundedFee, refunds: trade.refunds.map((r: any) => `${r.outRefundNo} ${r.refundFee} ${r.refundId}`) }).toEqual({
        order: m.orderId,
        totalFee: m.payableFen,
        refundedFee: m.payableFen,
        refunds: [`R${m.orderId} ${m.payableFen} ${refund.refundId}`],
      });
    }

    // Wallet cash and points back exactly once: each balance is what was seeded, one return per spent asset.
    for (const m of members) {
      const w = (await cloud.db.collection('wallets').doc(m.buyer).get()).data[0];
      const cash = m.mix.cashFen ? m.mix.cashFen + SEED_EXTRA_FEN : 0;
      const points = m.mix.points ? m.mix.points + SEED_EXTRA_FEN : 0;
      expect({ buyer: m.buyer, cash: w?.cash.available ?? 0, points: w?.points.available ?? 0 }).toEqual({ buyer: m.buyer, cash, points });
      const returns = await cloud.count('ledger', { userId: m.buyer, reason: 'order_spend_return' });
      expect({ buyer: m.buyer, returns }).toEqual({ buyer: m.buyer, returns: (m.mix.cashFen ? 1 : 0) + (m.mix.points ? 1 : 0) });
    }

    // Each coupon usable again (once: it is held by no order), and every unit back on sale.
    const couponIds = members.flatMap((m) => (m.couponId ? [m.couponId] : []));
    const coupons = await cloud.docs('coupons', couponIds);
    expect(coupons.map((c) => `${c._id} ${c.status} ${c.orderId}`).sort()).toEqual(couponIds.map((id) => `${id} available null`).sort());
    expect((await cloud.db.collection('products').doc(productId).get()).data[0].stock).toBe(STOCK);

    const report = await auditLedger(cloud.db as any);
    if (!report.ok) throw new Error(`ledger audit:\n${report.problems.map((p) => `${p.kind} ${p.userId}: ${p.detail}`).join('\n')}`);
  },
  120_000,
);

it('the kill landed inside the refunds at least once', () => {
  expect(atKill.some((k) => k.inside)).toBe(true);
});
