/**
 * Fault injection: the local cloud runs as its own process on a data directory (test/support/spawn-cloud.ts), a
 * scenario is driven, and the whole process group is killed with SIGKILL in the middle of
 *   (a) settlement — the settle timer posting many matured rewards,
 *   (b) withdrawal approvals — the merchant's reviewWithdrawal for many withdrawals at once,
 *   (c) payment notifications — /__pay/confirm for many orders at once (each credits its buyer's inviter),
 * each with a few kill delays (counted from the first visible effect, so the kill lands inside the batch). Then the
 * cloud restarts on the same directory, the same operations run again (and the settle timer, past any lease), and:
 * the ledger audits clean (the referral module's audit), nothing was credited twice, nothing was lost — every
 * balance equals the expected total.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import tcb from '@cloudbase/node-sdk';
import { auditLedger } from '../../cloudfunctions/app/referral/audit';
import { withUserTx } from '../../cloudfunctions/app/wallet/tx';
import { creditAvailable } from '../../cloudfunctions/domain/ledger';
import { LOCAL_KEYS } from '../../emulator/index';
import { SpawnedCloud, spawnCloud } from '../support/spawn-cloud';
import { seedMaturedRewards } from './referral-support';

process.env.SILENCE = 'true'; // no "slower than 3 s" warnings from the SDK for requests the kill cuts off

const ROOT = path.resolve(__dirname, '../..');
const MERCHANT = 'demo-merchant';
const ADDRESS = { name: '张三', phone: '13800138000', province: '浙江省', city: '杭州市', district: '西湖区', detail: '文三路 100 号' };
/** Extra wait after the first visible effect before the kill, per round. */
const KILL_DELAYS_MS = [0, 40, 150];

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

  /** The platform's call (no OPENID): the settle timer, a server tool. */
  async platform(fn: string, data: Record<string, unknown>) {
    const app = tcb.init({ env: 'local', serviceUrl: this.proc.adminUrl, secretId: LOCAL_KEYS.secretId, secretKey: LOCAL_KEYS.secretKey });
    const res = (await app.callFunction({ name: fn, data })) as { result: { ok: boolean; data?: any; code?: string } };
    return res.result;
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

  async expectAuditClean() {
    const report = await auditLedger(this.db as any);
    if (!report.ok) throw new Error(`ledger audit:\n${report.problems.map((p) => `${p.kind} ${p.userId}: ${p.detail}`).join('\n')}`);
    return report;
  }

  async wallet(userId: string) {
    const w = (await this.db.collection('wallets').doc(userId).get()).data[0];
    return { cash: w?.cash ?? null, points: w?.points ?? null };
  }

  async count(collection: string, where: Record<string, unknown>) {
    return (await this.db.collection(collection).where(where).count()).total as number;
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

let cloud: Cloud;
let dataDir: string;
/** Per scenario and kill delay: how much of the batch was done when the process died, and whether some was left. */
const atKill: Record<string, { text: string; inside: boolean }[]> = {};

beforeAll(async () => {
  if (!fs.existsSync(path.join(ROOT, 'dist/cloudfunctions/settle/index.js'))) {
    execFileSync(path.join(ROOT, 'node_modules/.bin/tsx'), ['config/build-functions.ts'], { cwd: ROOT, stdio: 'ignore' });
  }
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'faults-'));
  cloud = await new Cloud(dataDir).start();
}, 60_000);

afterAll(async () => {
  console.log(`kills landed at:\n${Object.entries(atKill).map(([k, v]) => `  ${k}: ${v.map((x) => x.text).join('; ')}`).join('\n')}`);
  await cloud?.proc.kill9();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('(a) settlement killed while posting matured rewards', () => {
  const USERS = 250;
  const PER_USER = 4;
  const AMOUNT = 125;
  it.each(KILL_DELAYS_MS)('kill %i ms into the batch, restart, run again: every reward posted once', async (delay) => {
    const prefix = uniq('kill');
    const db = cloud.db;
    const _ = db.command;
    const users = await seedMaturedRewards(db, { prefix, users: USERS, perUser: PER_USER, amountFen: AMOUNT, maturedAt: new Date(Date.now() - 86_400_000) });
    const ids = users.flatMap((u) => Array.from({ length: PER_USER }, (_x, k) => `rw_${u}_seed${k}`));
    const posted = async () => {
      let n = 0;
      for (let i = 0; i < ids.length; i += 500) n += await cloud.count('ledger', { reason: 'reward_posted', bucket: 'available', rewardId: _.in(ids.slice(i, i + 500)) });
      return n;
    };
    // Every seeded reward, not only the first 500: a user whose batch met a conflict is posted by a later run.
    const stillFrozen = async () => {
      let n = 0;
      for (let i = 0; i < ids.length; i += 500) n += await cloud.count('rewards', { status: 'frozen', _id: _.in(ids.slice(i, i + 500)) });
      return n;
    };
    fire(cloud.post('/__dev/timers/fire', { name: 'settleEveryMinute' }));
    await waitFor(async () => (await cloud.count('ledger', { reason: 'reward_posted', bucket: 'available', rewardId: _.in(ids.slice(0, 500)) })) > 0, 'the first posted reward');
    await sleep(delay);
    await cloud.restart();
    const done = await posted();
    (atKill.settlement ??= []).push({ text: `+${delay} ms: ${done}/${ids.length} posted`, inside: done < ids.length });

    await cloud.settleUntil(async () => (await stillFrozen()) === 0 && (await posted()) === ids.length, 'matured rewards left frozen');
    expect(await posted()).toBe(ids.length);
    for (const u of [users[0], users[USERS >> 1], users[USERS - 1]]) expect((await cloud.wallet(u)).cash).toEqual({ available: PER_USER * AMOUNT, frozen: 0, withdrawing: 0, debt: 0 });
    const frozenLeft = await cloud.count('rewards', { status: 'frozen', userId: _.in(users) });
    expect(frozenLeft).toBe(0);
    await cloud.expectAuditClean();
  }, 120_000);
});

describe('(b) withdrawal approvals killed half way', () => {
  const USERS = 40;
  const CREDIT = 10_000;
  const AMOUNT = 3_000;
  it.each(KILL_DELAYS_MS)('kill %i ms into the approvals, restart, approve again, confirm: each paid once', async (delay) => {
    const db = cloud.db;
    const _ = db.command;
    const users = Array.from({ length: USERS }, () => uniq('wd'));
    const ctx = { db: db as any, clock: { now: () => new Date() } };
    const ids: string[] = [];
    for (const u of users) {
      await cloud.ok(u, 'user', { action: 'login' });
      await withUserTx(ctx, u, async (tx) => tx.post(`test:seed:${u}`, creditAvailable(tx.balances, 'cash', CREDIT, 'reward_posted')));
      ids.push((await cloud.ok(u, 'wallet', { action: 'withdraw', amountFen: AMOUNT, requestId: uniq('req') })).id);
    }
    for (const id of ids) fire(cloud.call(MERCHANT, 'merchant', { action: 'reviewWithdrawal', withdrawalId: id, approve: true }));
    await waitFor(async () => (await cloud.count('withdrawals', { _id: _.in(ids), status: _.neq('pending') })) > 0, 'the first approval');
    await sleep(delay);
    await cloud.restart();
    const states = ((await cloud.db.collection('withdrawals').where({ _id: _.in(ids) }).limit(100).get()).data as { status: string }[]).map((w) => w.status);
    const transferring = states.filter((x) => x === 'transferring').length;
    (atKill.withdrawals ??= []).push({ text: `+${delay} ms: ${['pending', 'approved', 'transferring'].map((st) => `${states.filter((x) => x === st).length} ${st}`).join(', ')}`, inside: transferring < ids.length });

    // Run the same approvals again; an approval whose transfer start was cut off is started by the timer.
    for (const id of ids) {
      const r = await cloud.call(MERCHANT, 'merchant', { action: 'reviewWithdrawal', withdrawalId: id, approve: true });
      expect(r.ok ? r.data.status : r.code).toMatch(/^(approved|transferring)$/);
    }
    await cloud.post('/__dev/clock', { advanceMs: 2 * 60_000 });
    // The timer starts again the transfers of approvals cut off before the move to transferring (50 a run; one is enough).
    for (let i = 0; i < 3; i++) expect((await cloud.post('/__dev/timers/fire', { name: 'settleEveryMinute' })).status).toBe(200);
    expect(await cloud.count('withdrawals', { _id: _.in(ids), status: 'approved' })).toBe(0);
    // Each shopper confirms receipt (确认收款), twice.
    for (let i = 0; i < ids.length; i++) {
      for (let k = 0; k < 2; k++) expect((await cloud.ok(users[i], 'wallet', { action: 'confirmTransfer', withdrawalId: ids[i] })).status).toBe('paid');
    }
    for (const u of users) expect({ user: u, cash: (await cloud.wallet(u)).cash }).toEqual({ user: u, cash: { available: CREDIT - AMOUNT, frozen: 0, withdrawing: 0, debt: 0 } });
    expect(await cloud.count('ledger', { reason: 'withdraw_paid', withdrawalId: _.in(ids) })).toBe(ids.length);
    const bills = ((await (await fetch(`${cloud.base}/__payout/bills`)).json()) as { bills: { out_bill_no: string; transfer_amount: number; state: string }[] }).bills.filter((b) => ids.includes(b.out_bill_no));
    expect(bills.map((b) => `${b.out_bill_no} ${b.transfer_amount} ${b.state}`).sort()).toEqual(ids.map((id) => `${id} ${AMOUNT} SUCCESS`).sort());
    await cloud.expectAuditClean();
  }, 120_000);
});

it('(b) an approval killed right after the payout bill was made (that state made directly): the timer hands the bill to the shopper', async () => {
  // The moment a kill may land in: the provider has the bill, the withdrawal is still `approved` with no package.
  const db = cloud.db;
  const u = uniq('wdb');
  await cloud.ok(u, 'user', { action: 'login' });
  await withUserTx({ db: db as any, clock: { now: () => new Date() } }, u, async (tx) => tx.post(`test:seed:${u}`, creditAvailable(tx.balances, 'cash', 5_000, 'reward_posted')));
  const w = await cloud.ok(u, 'wallet', { action: 'withdraw', amountFen: 2_000, requestId: uniq('req') });
  expect((await cloud.ok(MERCHANT, 'merchant', { action: 'reviewWithdrawal', withdrawalId: w.id, approve: true })).status).toBe('transferring');
  await db.collection('withdrawals').doc(w.id).update({ status: 'approved', packageInfo: null, transferBillNo: null, transferExpiresAt: null });
  await cloud.post('/__dev/clock', { advanceMs: 2 * 60_000 });
  expect((await cloud.post('/__dev/timers/fire', { name: 'settleEveryMinute' })).status).toBe(200);
  const view = await cloud.ok(u, 'wallet', { action: 'withdrawals' });
  expect(view.items[0]).toMatchObject({ id: w.id, status: 'transferring', transfer: { packageInfo: expect.stringMatching(/^local:/) } });
  expect((await cloud.ok(u, 'wallet', { action: 'confirmTransfer', withdrawalId: w.id })).status).toBe('paid');
  expect((await cloud.wallet(u)).cash).toEqual({ available: 3_000, frozen: 0, withdrawing: 0, debt: 0 });
  await cloud.expectAuditClean();
}, 60_000);

describe('(c) payment notifications killed half way', () => {
  const BUYERS = 30;
  const PRICE = 2_000;
  const REWARD = 150;
  let productId: string;
  let ruleReady = false;

  async function setup() {
    if (ruleReady) return;
    productId = uniq('pk');
    const now = new Date();
    await cloud.db.collection('products').add({ _id: productId, title: '故障测试商品', description: '', images: [], priceFen: PRICE, stock: 100_000, onSale: true, sort: 0, createdAt: now, updatedAt: now });
    // One rule only: every paid order of an invitee earns the inviter a fixed reward (frozen until the refund deadline).
    const _ = cloud.db.command;
    await cloud.db.collection('rebate_rules').where({ _id: _.exists(true) }).update({ active: false });
    await cloud.ok(MERCHANT, 'merchant', { action: 'saveRebateRule', name: '每单返现', active: true, priority: 0, reward: { form: 'cash', amountFen: REWARD }, trigger: { kind: 'eachOrder', minOrderFen: 0, fixedFen: REWARD }, caps: { perInviterPerDay: null, perInviterTotal: null }, productIds: [productId], startsAt: null, endsAt: null });
    ruleReady = true;
  }

  it.each(KILL_DELAYS_MS)('kill %i ms into the notifications, restart, confirm again: each order paid once, each reward once', async (delay) => {
    await setup();
    const db = cloud.db;
    const _ = db.command;
    const inviter = uniq('inv');
    const code = (await cloud.ok(inviter, 'user', { action: 'login' })).inviteCode;
    await cloud.ok(inviter, 'user', { action: 'consent', version: '2026-01' });
    const buyers = Array.from({ length: BUYERS }, () => uniq('buy'));
    const orders: string[] = [];
    for (const b of buyers) {
      await cloud.ok(b, 'user', { action: 'login', inviteCode: code, source: 'card' });
      await cloud.ok(b, 'user', { action: 'consent', version: '2026-01' });
      const { order } = await cloud.ok(b, 'shop', { action: 'createOrder', requestId: uniq('req'), items: [{ productId, quantity: 1 }], address: ADDRESS });
      await cloud.ok(b, 'shop', { action: 'pay', orderId: order.id });
      orders.push(order.id);
    }
    const stockBefore = (await db.collection('products').doc(productId).get()).data[0].stock;
    for (const o of orders) fire(cloud.post('/__pay/confirm', { outTradeNo: o }));
    await waitFor(async () => (await cloud.count('orders', { _id: _.in(orders), status: 'paid' })) > 0, 'the first paid order');
    await sleep(delay);
    await cloud.restart();
    const paidAtKill = await cloud.count('orders', { _id: _.in(orders), status: 'paid' });
    const owedAtKill = await cloud.count('orders', { _id: _.in(orders), status: 'paid', pendingSteps: _.neq([]) });
    (atKill.payments ??= []).push({ text: `+${delay} ms: ${paidAtKill}/${orders.length} paid, ${owedAtKill} with steps owed`, inside: paidAtKill < orders.length || owedAtKill > 0 });

    // The payment system notifies again (a trade paid before the kill is not paid twice); past the steps' lease the
    // settle timer finishes whatever a killed notification left owed.
    for (const o of orders) expect((await cloud.post('/__pay/confirm', { outTradeNo: o })).status).toBe(200);
    await cloud.post('/__dev/clock', { advanceMs: 2 * 60_000 });
    await cloud.settleUntil(async () => (await cloud.count('orders', { _id: _.in(orders), pendingSteps: _.neq([]) })) === 0, 'order steps still owed');
    const docs = (await cloud.db.collection('orders').where({ _id: _.in(orders) }).limit(100).get()).data as { status: string; pendingSteps: string[] }[];
    expect(docs.map((o) => `${o.status} ${o.pendingSteps.length}`)).toEqual(orders.map(() => 'paid 0'));
    for (const o of orders) {
      const trade = (await cloud.post('/__pay/query', { outTradeNo: o })).body;
      expect({ state: trade.state, totalFee: trade.totalFee, refundedFee: trade.refundedFee }).toEqual({ state: 'SUCCESS', totalFee: PRICE, refundedFee: 0 });
    }
    // Nothing lost, nothing twice: one frozen reward per order, the inviter's wallet holds exactly their sum.
    expect(await cloud.count('rewards', { userId: inviter, orderId: _.in(orders) })).toBe(orders.length);
    expect(await cloud.count('ledger', { userId: inviter, reason: 'reward_frozen' })).toBe(orders.length);
    expect((await cloud.wallet(inviter)).cash).toEqual({ available: 0, frozen: REWARD * orders.length, withdrawing: 0, debt: 0 });
    expect((await cloud.db.collection('products').doc(productId).get()).data[0].stock).toBe(stockBefore);
    await cloud.expectAuditClean();
  }, 120_000);
});

it('every kill landed inside its batch at least once per scenario', () => {
  for (const name of ['settlement', 'withdrawals', 'payments']) expect({ name, landed: (atKill[name] ?? []).some((k) => k.inside) }).toEqual({ name, landed: true });
});
