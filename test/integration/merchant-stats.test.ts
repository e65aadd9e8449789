/**
 * The dashboard's counters through the real SDK: exactly once per event key under concurrency and replays, and
 * after the shop, referral and assist flows (real functions through the gateway) the counters equal a recount from
 * the raw collections (users, events, orders, referrals, ledger, assist_tasks), day by day.
 */
import { pointsToFen, shanghaiDay } from '../../cloudfunctions/domain/stats';
import { readStatsDocs, recordStat, recordStats } from '../../cloudfunctions/infra/stats';
import { sumByDay } from '../../cloudfunctions/domain/stats';
import { startTestCloud, TestCloud } from '../support/cloud';
import { heldDuring } from '../support/holds';
import { advance, buy, DAY, inviter, invitees, join, MERCHANT, ok, onlyRule, productAt, receive, refund, settle, uniq } from './referral-support';
import { ADDRESS } from './shop-support';

let t: TestCloud;

beforeAll(async () => {
  t = await startTestCloud({ seed: false });
});
afterAll(async () => {
  await t?.close();
});

const ctxAt = (at: Date) => ({ db: t.db as never, clock: { now: () => at } });

describe('recordStat', () => {
  const at = new Date('2030-01-01T04:00:00Z');

  it('counts an event once however often, and however many at once, it is recorded', async () => {
    const ctx = ctxAt(at);
    const results = await Promise.all(Array.from({ length: 30 }, () => recordStat(ctx, { eventKey: 'test:same', at, counters: { ordersPaid: 1, gmvFen: 700 } })));
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(await recordStat(ctx, { eventKey: 'test:same', at, counters: { ordersPaid: 1, gmvFen: 700 } })).toBe(false);
    const day = sumByDay(await readStatsDocs(ctx, ['2030-01-01'])).get('2030-01-01');
    expect(day).toEqual({ ordersPaid: 1, gmvFen: 700 });
  });

  it('200 different events at once are all counted, spread over the day shards', async () => {
    const ctx = ctxAt(at);
    await Promise.all(Array.from({ length: 200 }, (_, i) => recordStat(ctx, { eventKey: `test:many:${i}`, at, counters: { usersNew: 1 } })));
    // a batch where some were counted before: only the new ones count
    expect(await recordStats(ctx, [0, 1, 200, 201].map((i) => ({ eventKey: `test:many:${i}`, at, counters: { usersNew: 1 } })))).toBe(2);
    const docs = await readStatsDocs(ctx, ['2030-01-01']);
    expect(sumByDay(docs).get('2030-01-01')?.usersNew).toBe(202);
    expect(docs.length).toBeGreaterThanOrEqual(6);
    expect(docs.every((d) => !('keys' in d))).toBe(true); // the dashboard never downloads the keys
  });

  it('rebate balances also add up all-time; a day is the Asia/Shanghai day', async () => {
    const late = new Date('2030-01-01T17:30:00Z'); // 01:30 on the 2nd in Shanghai
    await recordStat(ctxAt(late), { eventKey: 'test:rb', at: late, counters: { rb_cash_n: 1, rb_cash_amt: 500 } });
    const by = sumByDay(await readStatsDocs(ctxAt(late), ['2030-01-02']));
    expect(by.get('2030-01-02')).toEqual({ rb_cash_n: 1, rb_cash_amt: 500 });
    expect(by.get('all')?.rb_cash_amt).toBeGreaterThanOrEqual(500);
    expect(by.get('all')?.rb_cash_n).toBeUndefined();
  });
});

type Doc = Record<string, any>;
async function all(name: string): Promise<Doc[]> {
  const out: Doc[] = [];
  for (let skip = 0; ; skip += 1000) {
    const res = await t.db.collection(name).skip(skip).limit(1000).get();
    out.push(...(res.data as Doc[]));
    if (res.data.length < 1000) return out;
  }
}

/** These counters, each summed over every calendar day's documents (not the all-time ones), as the dashboard adds them. */
async function dayTotals<K extends string>(...keys: K[]): Promise<Record<K, number>> {
  const out = Object.fromEntries(keys.map((k) => [k, 0])) as Record<K, number>;
  for (const [day, c] of sumByDay((await all('stats_daily')) as never)) if (/^20\d\d-/.test(day)) for (const k of keys) out[k] += c[k] ?? 0;
  return out;
}

/** Every counter, per Shanghai day, recounted from the raw collections. */
async function recount(now: Date): Promise<Map<string, Record<string, number>>> {
  const out = new Map<string, Record<string, number>>();
  const add = (at: Date | null | undefined, k: string, v = 1) => {
    if (!at || v === 0) return;
    const d = shanghaiDay(new Date(at));
    const c = out.get(d) ?? {};
    c[k] = (c[k] ?? 0) + v;
    out.set(d, c);
  };
  const [users, events, orders, referrals, ledger, tasks, messages] = await Promise.all(['users', 'events', 'orders', 'referrals', 'ledger', 'assist_tasks', 'notifications'].map(all));
  const opens = events.filter((e) => e.type === 'open' && e.source !== 'code').sort((a, b) => a.at - b.at);
  for (const u of users) {
    add(u.createdAt, 'usersNew');
    const first = opens.find((e) => e.userId === u._id);
    if (first && Math.abs(first.at - u.createdAt) < 5000) add(u.createdAt, 'usersInvited');
  }
  const seen = new Set<string>();
  for (const e of opens) {
    add(e.at, 'cardOpens');
    if (!seen.has(e.userId)) add(e.at, 'cardLogins');
    seen.add(e.userId);
  }
  for (const e of events.filter((x) => x.type === 'bind')) add(e.at, 'bound');
  for (const r of referrals) {
    if (r.conversions >= 1) add(r.status === 'converted' ? r.conversion.at : r.updatedAt, 'converted');
    if (r.status === 'converted' && r.conversion?.refundDeadline && r.conversion.refundDeadline <= now) add(r.conversion.refundDeadline, 'confirmed');
  }
  for (const o of orders) {
    add(o.paidAt, 'ordersPaid');
    add(o.paidAt, 'gmvFen', o.paidAt ? o.itemsTotalFen : 0);
    add(o.paidAt, 'paidFen', o.paidAt ? o.payableFen : 0);
    add(o.refundedAt, 'ordersRefunded');
    add(o.refundedAt, 'refundFen', o.refundedAt ? o.payableFen : 0);
    add(o.receivedAt, 'ordersReceived');
  }
  // A void or clawback also counts against its reward's issue day (the rebate cost of the days it was issued).
  const issued = new Map(ledger.filter((e) => e.reason === 'reward_frozen').map((e) => [e.rewardId, e]));
  const undone = new Set(ledger.filter((e) => e.reason === 'reward_voided' || e.reason === 'reward_clawback').map((e) => e.rewardId));
  for (const id of undone) {
    const e = issued.get(id)!;
    add(e.createdAt, `rb_${e.asset}_undone_n`);
    add(e.createdAt, `rb_${e.asset}_undone`, e.amount);
  }
  for (const e of ledger) {
    if (e.reason === 'reward_frozen') {
      add(e.createdAt, `rb_${e.asset}_n`);
      add(e.createdAt, `rb_${e.asset}_amt`, e.amount);
    }
    if (e.reason === 'reward_posted' && e.bucket === 'frozen') add(e.createdAt, `rb_${e.asset}_posted`, -e.amount);
    if (e.reason === 'reward_voided') add(e.createdAt, `rb_${e.asset}_voided`, -e.amount);
    if (e.reason === 'reward_clawback') add(e.createdAt, `rb_${e.asset}_clawback`, e.amount);
  }
  for (const task of tasks) {
    add(task.startedAt, 'assistStarted');
    add(task.succeededAt, 'assistSucceeded');
    add(task.expiredAt, 'assistExpired');
  }
  // Subscribe messages sent by the settle run (no send fails here: every attempt but a dead one's last succeeded).
  for (const m of messages) {
    if (m.status === 'sent') add(m.sentAt, 'msgSent');
    if (m.status === 'capped') add(m.updatedAt, 'msgCapped');
    if (m.status === 'failed' || m.status === 'dead') add(m.updatedAt, 'msgFailed', m.attempts);
    if (m.status === 'dead') add(m.updatedAt, 'msgDead');
  }
  return out;
}

describe('after the shop, referral and assist flows, the counters equal a recount of the raw collections', () => {
  it('runs the loop and compares every counter of every day', async () => {
    await onlyRule(t, { name: '推二返一', reward: { form: 'cash', amountFen: 1000 }, trigger: { kind: 'everyN', n: 2, minOrderFen: 0 } });
    await ok(t, MERCHANT, 'merchant', 'saveRebateRule', { name: '每单积分', active: true, priority: 0, reward: { form: 'points', points: 50 }, trigger: { kind: 'eachOrder', minOrderFen: 0 }, caps: { perInviterPerDay: null, perInviterTotal: null }, productIds: null, startsAt: null, endsAt: null });
    const price = 9900;
    const product = await productAt(t, price);
    await ok(t, MERCHANT, 'merchant', 'saveAssistCampaign', { productId: product, active: true, helpersNeeded: 1, durationHours: 24, success: { kind: 'price', priceFen: 5000, validHours: 48 }, fallback: { kind: 'points', pointsPerHelper: 10 }, newUsersOnly: false, helperDailyCap: 5, openTasksPerShopper: 1, startsAt: null, endsAt: null });

    const a = await inviter(t, 'A');
    const [b, c, d] = await invitees(t, a.code, 3);
    await join(t, `${b}-again`, { code: a.code }); // a fourth friend, who never buys
    await ok(t, b, 'user', 'login', { inviteCode: a.code, source: 'card' }); // B opens the card again: an open, not a new login from a card

    const orders = { b: await buy(t, b, price), c: await buy(t, c, price), d: await buy(t, d, price), a: await buy(t, a.id, price) };
    await refund(t, d, orders.d); // inside the window: D's points are voided, D's conversion reversed

    // assists: A's task succeeds with B's help; C's task expires with no help
    const task = await ok(t, a.id, 'assist', 'start', { productId: product });
    await ok(t, b, 'assist', 'help', { taskId: task.taskId });
    await ok(t, c, 'assist', 'start', { productId: product });

    await receive(t, b, orders.b);
    await receive(t, c, orders.c);
    await advance(t, 8 * DAY); // past the refund window; C's assist task past its deadline
    await settle(t); // posts matured rewards, expires the task, counts the confirmations
    await ok(t, a.id, 'user', 'login', {}); // A is active on the new day

    const now = new Date((await t.dev('clock')).now);
    const counted = sumByDay((await all('stats_daily')) as never);
    // all-time, cursor, the recordStat tests above, and documents the settle timer made ahead for today and tomorrow
    for (const [day, cs] of [...counted]) if (!/^20\d\d-/.test(day) || day.startsWith('2030-') || !Object.keys(cs).length) counted.delete(day);
    const expected = await recount(now);
    // usersActive has no raw record to recount from (lastLoginAt is overwritten): checked on its own below
    const withoutActive = new Map([...counted].map(([day, cs]) => [day, Object.fromEntries(Object.entries(cs).filter(([k]) => k !== 'usersActive'))]));
    expect(Object.fromEntries(withoutActive)).toEqual(Object.fromEntries(expected));

    const [day0, day8] = [shanghaiDay(new Date(now.getTime() - 8 * DAY)), shanghaiDay(now)];
    expect(counted.get(day0)?.usersActive).toBe(5); // A, B, C, D and the fourth friend (the merchant's settle run is no login)
    expect(counted.get(day8)?.usersActive).toBe(1);
    // the scenario's own numbers, so the recount is not trivially empty
    expect(expected.get(day0)).toMatchObject({ usersNew: 5, usersInvited: 4, cardOpens: 5, cardLogins: 4, bound: 4, converted: 3, ordersPaid: 4, ordersRefunded: 1, rb_cash_n: 1, rb_points_n: 3, rb_points_voided: 50, rb_points_undone_n: 1, rb_points_undone: 50, assistStarted: 2, assistSucceeded: 1 });
    expect(expected.get(day8)).toMatchObject({ rb_cash_posted: 1000, rb_points_posted: 100, assistExpired: 1 });
    expect([...expected.values()].reduce((s, c) => s + (c.confirmed ?? 0), 0)).toBe(2); // on the day each refund deadline passed

    // and the dashboard action reads the same numbers
    const dash = await ok(t, MERCHANT, 'merchant', 'stats', { range: '30d' });
    expect(dash.funnel.map((s: { count: number }) => s.count)).toEqual([5, 4, 4, 3, 2]);
    expect(dash.totals.orders).toBe(4);
    expect(dash.totals.gmvFen).toBe(4 * price);
    expect(dash.totals.rebates.cash).toEqual({ count: 1, amount: 1000, costFen: 1000 });
    // D's points were voided by the refund: the cost is what was issued and still stands (B's and C's), as the sales
    // report counts it.
    expect(dash.totals.rebates.points).toEqual({ count: 2, amount: 100, costFen: pointsToFen(100, dash.pointsPerYuan) });
    expect(dash.totals.rebates.costFen).toBe(1000 + pointsToFen(100, dash.pointsPerYuan));
    expect(dash.series.rebateCostFen.reduce((a: number, b: number) => a + b, 0)).toBe(dash.totals.rebates.costFen);
    expect(dash.rebateBalances.available.cashFen).toBe(1000);
    expect(dash.rebateBalances.frozen.cashFen).toBe(500); // only the synthetic 'test:rb' above: the loop's reward was posted
  });
});

describe('a first open through the gateway (its counters share the shopper’s shard: one update each)', () => {
  it('two cards tapped at once and a third later the same day: 1 new user, 1 active, 3 card opens, 1 card login', async () => {
    const codes: string[] = [];
    for (const who of ['stats-inv-a', 'stats-inv-b']) {
      const r = await t.callAs(who, 'user', { action: 'login' });
      codes.push(r.body.data.inviteCode);
    }
    const today = shanghaiDay(new Date(t.cloud.clock.now()));
    const read = async () => sumByDay(await readStatsDocs(ctxAt(new Date(t.cloud.clock.now())), [today])).get(today) ?? {};
    const before = await read();
    const first = await Promise.all(codes.map((inviteCode) => t.callAs('stats-newcomer', 'user', { action: 'login', inviteCode, source: 'card' })));
    expect(first.every((r) => r.body.ok)).toBe(true);
    expect(first.filter((r) => r.body.data.isNew)).toHaveLength(1);
    const again = await t.callAs('stats-newcomer', 'user', { action: 'login', inviteCode: codes[0], source: 'card' });
    expect(again.body.ok).toBe(true);
    const after = await read();
    const delta = (k: string) => (after[k] ?? 0) - (before[k] ?? 0);
    expect({ usersNew: delta('usersNew'), usersInvited: delta('usersInvited'), usersActive: delta('usersActive'), cardOpens: delta('cardOpens'), cardLogins: delta('cardLogins') }).toEqual({
      usersNew: 1,
      usersInvited: 1,
      usersActive: 1,
      cardOpens: 3,
      cardLogins: 1,
    });
  });
});

describe('an invitee who buys again on a later day', () => {
  it('is one conversion, counted on the day of the first purchase, not again on the day of the second', async () => {
    const price = 3900;
    const product = await productAt(t, price);
    const a = await inviter(t, 'repeat-A');
    const [b] = await invitees(t, a.code, 1, 'repeat-F');
    const converted = async () => (await dayTotals('converted')).converted;
    const before = await converted();
    await buy(t, b, price, {}, product);
    await settle(t);
    expect(await converted()).toBe(before + 1);
    await advance(t, 2 * DAY);
    await buy(t, b, price, {}, product); // a later order: no conversion, whatever day it is paid on
    await advance(t, 1 * DAY);
    await buy(t, b, price, {}, product);
    await settle(t);
    expect(await converted()).toBe(before + 1);
    const ref = (await t.db.collection('referrals').doc(b).get()).data[0] as { conversions: number; status: string };
    expect(ref).toMatchObject({ conversions: 1, status: 'converted' });
  });
});

describe('a shopper who opens cards on several days', () => {
  it('is one first login from a card (on the first day), however many cards they open on later days', async () => {
    const codes: string[] = [];
    for (const who of ['days-inv-a', 'days-inv-b', 'days-inv-c']) codes.push((await t.callAs(who, 'user', { action: 'login' })).body.data.inviteCode);
    const total = () => dayTotals('cardOpens', 'cardLogins');
    const before = await total();
    expect((await t.callAs('days-shopper', 'user', { action: 'login', inviteCode: codes[0], source: 'card' })).body.ok).toBe(true);
    await advance(t, DAY);
    expect((await t.callAs('days-shopper', 'user', { action: 'login', inviteCode: codes[1], source: 'card' })).body.ok).toBe(true);
    await advance(t, DAY);
    // Two cards at once on a third day, by a shopper who had never opened one: still one first login each.
    const [x, y] = await Promise.all(codes.slice(1).map((inviteCode) => t.callAs('days-shopper', 'user', { action: 'login', inviteCode, source: 'poster' })));
    expect(x.body.ok && y.body.ok).toBe(true);
    await t.callAs('days-old-user', 'user', { action: 'login' });
    await advance(t, DAY);
    await Promise.all(codes.slice(1).map((inviteCode) => t.callAs('days-old-user', 'user', { action: 'login', inviteCode, source: 'card' })));
    const after = await total();
    expect({ cardOpens: after.cardOpens - before.cardOpens, cardLogins: after.cardLogins - before.cardLogins }).toEqual({ cardOpens: 6, cardLogins: 2 });
  });
});

describe('a refund deadline written after the timer had already passed it (a window of 0 days, its step run late)', () => {
  it('is still confirmed once in the funnel', async () => {
    const price = 4700;
    const product = await productAt(t, price);
    const a = await inviter(t, 'late-A');
    const [b] = await invitees(t, a.code, 1, 'late-F');
    const totals = () => dayTotals('converted', 'confirmed');
    const before = await totals();
    await buy(t, b, price, {}, product);
    await settle(t); // the timer runs: the conversion has no deadline yet
    const ranAt = t.cloud.clock.now();
    // The receipt's step stamps the deadline late: it is behind the timer's last run.
    await t.db.collection('referrals').doc(b).update({ 'conversion.refundDeadline': new Date(ranAt - 60_000) });
    await advance(t, 60_000);
    await settle(t);
    await settle(t);
    expect(await totals()).toEqual({ converted: before.converted + 1, confirmed: before.confirmed + 1 });
  });
});

describe('an invitee whose confirmed conversion is refunded after its deadline, and who converts again', () => {
  it('is confirmed once in the funnel, as they are converted once', async () => {
    const price = 4900;
    const product = await productAt(t, price);
    const a = await inviter(t, 'twice-A');
    const [b] = await invitees(t, a.code, 1, 'twice-F');
    const totals = () => dayTotals('converted', 'confirmed');
    const before = await totals();
    const first = await buy(t, b, price, {}, product);
    await receive(t, b, first);
    const deadline = new Date((await t.db.collection('orders').doc(first).get()).data[0].refundDeadline).getTime();
    await advance(t, deadline - t.cloud.clock.now() - 60_000); // a minute before the deadline: the refund is asked for
    await ok(t, b, 'shop', 'requestRefund', { orderId: first, reason: '不想要了' });
    await advance(t, 2 * 60_000); // the deadline passes with the request open: the timer counts the confirmation
    await settle(t);
    expect(await totals()).toEqual({ converted: before.converted + 1, confirmed: before.confirmed + 1 });
    await advance(t, DAY);
    expect((await ok(t, MERCHANT, 'merchant', 'reviewRefund', { orderId: first, approve: true })).status).toBe('refunded');
    expect((await t.db.collection('referrals').doc(b).get()).data[0].status).toBe('reversed');
    // The next order converts them again, and its own deadline passes.
    const second = await buy(t, b, price, {}, product);
    await receive(t, b, second);
    await advance(t, 8 * DAY);
    await settle(t);
    expect((await t.db.collection('referrals').doc(b).get()).data[0]).toMatchObject({ status: 'converted', conversions: 2 });
    expect(await totals()).toEqual({ converted: before.converted + 1, confirmed: before.confirmed + 1 });
  });
});

it('a group reward voided by a refund before the completing order counted its issue: issued and voided both count', async () => {
  await onlyRule(t, { name: '推三返一', reward: { form: 'cash', amountFen: 3000 }, trigger: { kind: 'everyN', n: 3, minOrderFen: 0 } });
  const A = await inviter(t, 'VoidFirst');
  const [B, C, D] = await invitees(t, A.code, 3, 'VF');
  const balances = async () => (await ok(t, MERCHANT, 'merchant', 'stats', { range: '30d' })).rebateBalances;
  const before = await balances();
  const ob = await buy(t, B);
  await buy(t, C);
  // D's payment completes the group; its dashboard step (after the settlement committed) waits.
  const product = await productAt(t, 10000);
  const { order } = await ok(t, D, 'shop', 'createOrder', { requestId: uniq('req'), items: [{ productId: product, quantity: 1 }], address: ADDRESS });
  const prepared = await ok(t, D, 'shop', 'pay', { orderId: order.id });
  const paying = await heldDuring(
    t,
    { action: 'database.modifyDocument', collectionName: 'stats_daily', queryContains: `order:${order.id}:paid` },
    () => fetch(`${t.cloud.url}/__pay/confirm`, { method: 'POST', body: JSON.stringify({ outTradeNo: prepared.outTradeNo }) }),
    'the payment’s dashboard step',
  );
  expect((await ok(t, A.id, 'wallet', 'summary')).cash.frozenFen).toBe(3000);
  await refund(t, B, ob); // the group dissolves: the reward is voided before its issue was counted
  expect((await paying.release()).status).toBe(200);
  expect((await ok(t, A.id, 'wallet', 'summary')).cash.frozenFen).toBe(0);
  const after = await balances();
  expect(after.frozen.cashFen - before.frozen.cashFen).toBe(0);
});

it('a refund that dissolves a 推三返一 group and re-forms it with a waiting invitee: the new reward counts as issued', async () => {
  await onlyRule(t, { name: '推三返一', reward: { form: 'cash', amountFen: 3000 }, trigger: { kind: 'everyN', n: 3, minOrderFen: 0 } });
  const A = await inviter(t, 'Reform');
  const [B, C, D, E] = await invitees(t, A.code, 4, 'RF');
  const balances = async () => (await ok(t, MERCHANT, 'merchant', 'stats', { range: '30d' })).rebateBalances;
  const before = await balances();
  const ob = await buy(t, B);
  await buy(t, C);
  await buy(t, D); // completes the group of three
  await buy(t, E); // waits for the next group
  await refund(t, B, ob); // the group dissolves; C, D and E form a new one
  const frozen = (await ok(t, A.id, 'wallet', 'summary')).cash.frozenFen;
  expect(frozen).toBe(3000);
  const after = await balances();
  // The dashboard's frozen rebates follow the wallets: the re-formed reward is issued, the dissolved one voided.
  expect(after.frozen.cashFen - before.frozen.cashFen).toBe(frozen);
});
