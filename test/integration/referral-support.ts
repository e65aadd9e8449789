/**
 * Helpers for the referral and wallet integration tests: users who open the app from an invite and consent, real
 * orders through the shop (create, pay on the local payment system, ship, receive, refund), the settle timer, and
 * the ledger audit after each scenario.
 */
import { auditLedger, AuditReport } from '../../cloudfunctions/app/referral/audit';
import type { TestCloud } from '../support/cloud';
import { addProduct, ADDRESS, DAY, MERCHANT, uniq } from './shop-support';

export { DAY, MERCHANT, uniq };

export type Body = { ok: boolean; data?: any; code?: string; message?: string };

export async function call(t: TestCloud, openid: string, fn: string, action: string, payload: Record<string, unknown> = {}): Promise<Body> {
  const res = await t.callAs(openid, fn, { action, ...payload });
  return res.body as Body;
}

export async function ok(t: TestCloud, openid: string, fn: string, action: string, payload: Record<string, unknown> = {}) {
  const body = await call(t, openid, fn, action, payload);
  if (!body.ok) throw new Error(`${fn}.${action} as ${openid} failed: ${body.code} ${body.message}`);
  return body.data;
}

/** A user's first open (optionally from an invite) followed by the privacy consent. Answers the login result. */
export async function join(t: TestCloud, openid: string, invite?: { code: string; source?: 'card' | 'poster' | 'code' }) {
  const login = await ok(t, openid, 'user', 'login', invite ? { inviteCode: invite.code, source: invite.source ?? 'card' } : {});
  const consented = await ok(t, openid, 'user', 'consent', { version: '2026-01' });
  return { login, consented };
}

/** A shopper and their invite code. */
export async function inviter(t: TestCloud, prefix = 'A') {
  const id = uniq(prefix);
  const { login } = await join(t, id);
  return { id, code: login.inviteCode as string };
}

/** `count` friends who opened A's card and consented. */
export async function invitees(t: TestCloud, code: string, count: number, prefix = 'F') {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const id = uniq(prefix);
    const { consented } = await join(t, id, { code });
    if (!consented.hasInviter) throw new Error(`${id} was not bound: ${JSON.stringify(consented.binding)}`);
    ids.push(id);
  }
  return ids;
}

let productCache: Map<number, string> | null = null;
let productCloud: TestCloud | null = null;

/** A product at this price with plenty of stock (one per price per cloud). */
export async function productAt(t: TestCloud, priceFen: number): Promise<string> {
  if (productCloud !== t) {
    productCloud = t;
    productCache = new Map();
  }
  const known = productCache!.get(priceFen);
  if (known) return known;
  const id = await addProduct(t, { stock: 100_000, priceFen });
  productCache!.set(priceFen, id);
  return id;
}

/** Create and pay an order through the shop and the local payment system. Answers the order id. */
export async function buy(t: TestCloud, buyer: string, priceFen = 10000, extra: Record<string, unknown> = {}, productId?: string): Promise<string> {
  const p = productId ?? (await productAt(t, priceFen));
  const { order } = await ok(t, buyer, 'shop', 'createOrder', { requestId: uniq('req'), items: [{ productId: p, quantity: 1 }], address: ADDRESS, ...extra });
  const prepared = await ok(t, buyer, 'shop', 'pay', { orderId: order.id });
  const res = await fetch(`${t.cloud.url}/__pay/confirm`, { method: 'POST', body: JSON.stringify({ outTradeNo: prepared.outTradeNo }) });
  if (res.status !== 200) throw new Error(`payment failed: ${await res.text()}`);
  const paid = await orderDoc(t, order.id);
  if (paid.status !== 'paid' || paid.pendingSteps.length) throw new Error(`order ${order.id} not settled: ${paid.status} ${JSON.stringify(paid.pendingSteps)}`);
  return order.id as string;
}

/** Ship and confirm receipt: the refund deadline is set (receipt + the refund window). */
export async function receive(t: TestCloud, buyer: string, orderId: string) {
  await ok(t, MERCHANT, 'merchant', 'shipOrder', { orderId, carrier: '顺丰', trackingNo: uniq('SF') });
  return ok(t, buyer, 'shop', 'confirmReceipt', { orderId });
}

/** The buyer asks for a refund and the merchant approves it. */
export async function refund(t: TestCloud, buyer: string, orderId: string) {
  await ok(t, buyer, 'shop', 'requestRefund', { orderId, reason: '不想要了' });
  const r = await ok(t, MERCHANT, 'merchant', 'reviewRefund', { orderId, approve: true });
  if (r.status !== 'refunded') throw new Error(`refund of ${orderId}: ${r.status}`);
  const o = await orderDoc(t, orderId);
  if (o.pendingSteps.length) throw new Error(`refund steps owed: ${o.pendingSteps}`);
}

export async function orderDoc(t: TestCloud, orderId: string) {
  return (await t.db.collection('orders').doc(orderId).get()).data[0];
}

/** The merchant's manual settle run (the same jobs as the timer). */
export async function settle(t: TestCloud) {
  return ok(t, MERCHANT, 'settle', 'run');
}

export async function advance(t: TestCloud, ms: number) {
  await t.dev('clock', { advanceMs: ms });
}

export const wallet = (t: TestCloud, openid: string) => ok(t, openid, 'wallet', 'summary');
export const progress = (t: TestCloud, openid: string) => ok(t, openid, 'referral', 'progress');

export async function rewardsOf(t: TestCloud, userId: string) {
  const res = await t.db.collection('rewards').where({ userId }).limit(1000).get();
  return (res.data as any[]).sort((a, b) => a.createdAt - b.createdAt || String(a._id).localeCompare(String(b._id)));
}

export async function notificationsOf(t: TestCloud, userId: string) {
  const res = await t.db.collection('notifications').where({ userId }).limit(1000).get();
  return res.data as any[];
}

/** Run the ledger audit through the real SDK and expect it clean. */
export async function expectAuditClean(t: TestCloud): Promise<AuditReport> {
  const report = await auditLedger(t.db as any);
  if (!report.ok) throw new Error(`ledger audit failed:\n${report.problems.map((p) => `${p.kind} ${p.userId}: ${p.detail}`).join('\n')}`);
  return report;
}

/** Use one rule only: switch every other rule off and save this one (through the merchant action). */
export async function onlyRule(t: TestCloud, rule: Record<string, unknown>) {
  const _ = t.db.command;
  await t.db.collection('rebate_rules').where({ _id: _.exists(true) }).update({ active: false });
  return ok(t, MERCHANT, 'merchant', 'saveRebateRule', { active: true, priority: 0, caps: { perInviterPerDay: null, perInviterTotal: null }, productIds: null, startsAt: null, endsAt: null, ...rule });
}

/**
 * Seed `users` × `perUser` matured frozen cash rewards of `amountFen` each straight into the database (reward
 * documents, their frozen ledger entries and the wallets, consistent for the audit), in bulk inserts of 1000.
 * For the settle tests and the bench. Answers the user ids.
 */
export async function seedMaturedRewards(db: any, opts: { prefix: string; users: number; perUser: number; amountFen: number; maturedAt: Date }): Promise<string[]> {
  const { prefix, users, perUser, amountFen, maturedAt } = opts;
  const userIds = Array.from({ length: users }, (_, i) => `${prefix}-u${i}`);
  const rewards: object[] = [];
  const entries: object[] = [];
  const day = maturedAt.toISOString().slice(0, 10);
  for (const userId of userIds) {
    for (let k = 0; k < perUser; k++) {
      const id = `rw_${userId}_seed${k}`;
      const member = { inviteeId: `${userId}-f${k}`, orderId: `${userId}-o${k}`, refundDeadline: maturedAt };
      rewards.push({ _id: id, userId, ruleId: 'rule-seed', ruleName: '种子', trigger: 'eachOrder', form: 'cash', amount: amountFen, coupon: null, orderId: member.orderId, members: [member], status: 'frozen', maturesAt: maturedAt, day, couponSyncAt: null, reason: null, createdAt: maturedAt, postedAt: null, voidedAt: null, updatedAt: maturedAt });
      const key = `reward:${id}:frozen|cash|frozen`;
      entries.push({ _id: key, sourceKey: key, op: `reward:${id}:frozen`, userId, asset: 'cash', bucket: 'frozen', amount: amountFen, reason: 'reward_frozen', rewardId: id, orderId: member.orderId, withdrawalId: null, valueFen: null, note: null, createdAt: maturedAt });
    }
  }
  const wallets = userIds.map((userId) => ({
    _id: userId,
    cash: { available: 0, frozen: amountFen * perUser, withdrawing: 0, debt: 0 },
    points: { available: 0, frozen: 0, withdrawing: 0, debt: 0 },
    progress: {},
    caps: {},
    withdrawDay: { day: '', count: 0 },
    version: 1,
    createdAt: maturedAt,
    updatedAt: maturedAt,
  }));
  for (const [collection, docs] of [['rewards', rewards], ['ledger', entries], ['wallets', wallets]] as const) {
    for (let i = 0; i < docs.length; i += 1000) await db.collection(collection).add(docs.slice(i, i + 1000));
  }
  return userIds;
}
