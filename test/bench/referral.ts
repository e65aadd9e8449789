/**
 * Referral benchmarks on a local cloud in its own process, through the real SDK:
 * - database round trips for a login (returning, first open from a card, consent that binds);
 * - database round trips to settle one paid order that completes a 推三返一 group and freezes its reward, with 3
 *   and with 300 invitees (it must not grow with the inviter's invitees; target ≤ 10);
 * - unfreezing 100,000 matured rewards across 10,000 users as production runs it: one settle firing a minute, how
 *   many firings until every reward is posted (target ≤ 3) and how long in timer time; the time the audit then takes.
 */
import type { OrderDoc } from '../../types/models';
import { auditLedger } from '../../cloudfunctions/app/referral/audit';
import { settlePaidOrder } from '../../cloudfunctions/app/referral/settlement';
import { LOCAL_KEYS } from '../../emulator/index';
import { seedMaturedRewards } from '../integration/referral-support';
import { spawnCloud } from '../support/spawn-cloud';
import { devTokens, sdk } from './localCloud';
import { BenchRow, row } from './report';

const AREA = 'referral';

async function dbRequests(base: string): Promise<number> {
  const res = await fetch(`${base}/__dev/stats`);
  return ((await res.json()) as { database: { requests: number } }).database.requests;
}

async function gateway(base: string, openid: string, fn: string, data: Record<string, unknown>) {
  const token = await devTokens(base)(openid);
  const res = await fetch(`${base}/fn/${fn}`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(data) });
  const body = (await res.json()) as { ok: boolean; data?: any; code?: string };
  if (!body.ok) throw new Error(`${fn}.${data.action} failed: ${body.code}`);
  return body.data;
}

/** Database requests one call makes (nothing else runs meanwhile). */
async function roundTrips(base: string, work: () => Promise<unknown>): Promise<number> {
  const before = await dbRequests(base);
  await work();
  return (await dbRequests(base)) - before;
}

function order(id: string, buyerId: string, inviterId: string | null, at: Date): OrderDoc {
  return {
    _id: id,
    buyerId,
    requestId: id,
    items: [{ productId: 'p-bench', title: '商品', image: '', quantity: 1, unitPriceFen: 10000, subtotalFen: 10000 }],
    itemsTotalFen: 10000,
    discounts: { couponFen: 0, walletCashFen: 0, pointsFen: 0, pointsUsed: 0 },
    payableFen: 10000,
    couponId: null,
    assistTaskId: null,
    inviterId,
    address: { name: '张三', phone: '13800138000', province: '浙江省', city: '杭州市', district: '西湖区', detail: '文三路 1 号' },
    status: 'paid',
    createdAt: at,
    expiresAt: at,
    paidAt: at,
    shippedAt: null,
    shipping: null,
    receivedAt: null,
    refundDeadline: null,
    refundedAt: null,
    payment: { provider: 'local', outTradeNo: id, transactionId: 't' },
    pendingSteps: [],
    updatedAt: at,
  } as unknown as OrderDoc;
}

/** An inviter with `invitees` bound invitees (inserted directly), of whom the first three will buy. */
async function seedInviter(db: any, inviterId: string, invitees: number, at: Date): Promise<string[]> {
  const ids = Array.from({ length: invitees }, (_, i) => `${inviterId}-i${i}`);
  const users = [inviterId, ...ids].map((id, i) => ({ _id: id, inviteCode: `B${inviterId.slice(-3)}${i}`.slice(0, 16), nickname: '用户', avatarUrl: '', roles: ['shopper'], createdAt: at, lastLoginAt: at, consent: { version: 'v', at }, inviterId: id === inviterId ? null : inviterId, boundAt: at, pendingInviter: null }));
  const referrals = ids.map((id) => ({ _id: id, inviterId, upline: null, source: 'card', boundAt: at, expiresAt: null, status: 'bound', conversion: null, conversions: 0, updatedAt: at }));
  for (let i = 0; i < users.length; i += 1000) await db.collection('users').add(users.slice(i, i + 1000));
  for (let i = 0; i < referrals.length; i += 1000) await db.collection('referrals').add(referrals.slice(i, i + 1000));
  return ids;
}

export async function benchReferral(): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const spawned = await spawnCloud({ keys: LOCAL_KEYS, args: ['--no-seed'] });
  const base = `http://127.0.0.1:${spawned.port}`;
  try {
    const app = sdk(spawned.adminUrl);
    const db = app.database();
    const now = new Date();
    await db.collection('rebate_rules').add({ _id: 'rule-bench', name: '推三返一', active: true, priority: 10, reward: { form: 'cash', amountFen: 5000 }, trigger: { kind: 'everyN', n: 3, minOrderFen: 0 }, caps: { perInviterPerDay: null, perInviterTotal: null }, productIds: null, startsAt: null, endsAt: null, createdAt: now, updatedAt: now });

    // Logins (warm the function instance first).
    const first = await gateway(base, 'bench-a', 'user', { action: 'login' });
    await gateway(base, 'bench-a', 'user', { action: 'consent', version: 'v1' });
    rows.push(row(AREA, 'login round trips: returning user', await roundTrips(base, () => gateway(base, 'bench-a', 'user', { action: 'login' })), 'db requests'));
    rows.push(row(AREA, 'login round trips: first open from a share card (held until consent)', await roundTrips(base, () => gateway(base, 'bench-b', 'user', { action: 'login', inviteCode: first.inviteCode, source: 'card' })), 'db requests'));
    rows.push(row(AREA, 'consent that binds the held inviter', await roundTrips(base, () => gateway(base, 'bench-b', 'user', { action: 'consent', version: 'v1' })), 'db requests'));

    // Settling one paid order that completes a group, with 3 and with 300 invitees.
    const ctx = { db: db as any, clock: { now: () => new Date() } };
    for (const count of [3, 300]) {
      const inviterId = `bench-inviter-${count}`;
      const ids = await seedInviter(db, inviterId, count, now);
      await settlePaidOrder(ctx, order(`o-${count}-0`, ids[0], inviterId, now));
      await settlePaidOrder(ctx, order(`o-${count}-1`, ids[1], inviterId, now));
      const trips = await roundTrips(base, () => settlePaidOrder(ctx, order(`o-${count}-2`, ids[2], inviterId, now)));
      const frozen = (await db.collection('wallets').doc(inviterId).get()).data[0].cash.frozen;
      if (frozen !== 5000) throw new Error(`bench: expected one frozen reward, wallet says ${frozen}`);
      rows.push(row(AREA, `settle one paid order completing a group (inviter with ${count} invitees)`, trips, 'db requests', { max: 10 }));
    }
    const noInviter = await roundTrips(base, () => settlePaidOrder(ctx, order('o-plain', 'bench-nobody', null, now)));
    rows.push(row(AREA, 'settle one paid order of a buyer nobody invited', noInviter, 'db requests'));

    // Unfreezing 100,000 matured rewards across 10,000 users with the settle timer's function.
    const seeded = performance.now();
    await seedMaturedRewards(db, { prefix: 'bench', users: 10_000, perUser: 10, amountFen: 100, maturedAt: new Date(Date.now() - 60_000) });
    rows.push(row(AREA, 'seed 100,000 matured rewards (bulk inserts, not the job)', (performance.now() - seeded) / 1000, 's'));
    // As production runs it: the settle timer fires once a minute (cloudbaserc.json), each firing one invocation of
    // the settle function with its production budget; firings never overlap here (each ends well inside its minute).
    const _ = db.command;
    const left = async () => (await db.collection('rewards').where({ status: 'frozen', maturesAt: _.lte(new Date()) }).count()).total;
    const started = performance.now();
    let firings = 0;
    let lastFiring = 0;
    while ((await left()) > 0) {
      firings++;
      if (firings > 20) throw new Error('settle did not finish in 20 firings');
      const t0 = performance.now();
      const res = (await app.callFunction({ name: 'settle', data: { action: 'run' } })) as { result: { ok: boolean; code?: string } };
      if (!res.result.ok) throw new Error(`settle failed: ${res.result.code}`);
      lastFiring = (performance.now() - t0) / 1000;
    }
    const seconds = (performance.now() - started) / 1000;
    const posted = (await db.collection('ledger').where({ reason: 'reward_posted', bucket: 'available' }).count()).total;
    if (posted !== 100_000) throw new Error(`bench: ${posted} posted, not 100,000`);
    rows.push(row(AREA, 'unfreeze 100,000 matured rewards: timer firings until all posted (one a minute)', firings, 'firings', { max: 3 }));
    rows.push(row(AREA, 'unfreeze 100,000 matured rewards: timer time until all posted ((firings − 1) × 60 s + the last firing)', (firings - 1) * 60 + lastFiring, 's'));
    rows.push(row(AREA, 'unfreeze 100,000 matured rewards: settle function time, all firings', seconds, 's', { max: 60 }));
    rows.push(row(AREA, 'rewards unfrozen per second of settle time', 100_000 / seconds, '/s'));

    const audited = performance.now();
    const report = await auditLedger(db as any);
    if (!report.ok) throw new Error(`bench: audit found ${report.problems.length} problems, e.g. ${report.problems[0]?.detail}`);
    rows.push(row(AREA, `ledger audit, ${report.entries.toLocaleString('en')} entries / ${report.wallets.toLocaleString('en')} wallets (clean)`, (performance.now() - audited) / 1000, 's'));
  } finally {
    await spawned.kill9();
  }
  return rows;
}
