/**
 * Subscribe messages, end to end through the real SDK and the gateway: events enqueue outbox documents, the settle
 * timer's sender delivers them with subscribeMessage.send (callWxOpenApi) to the local cloud, whose inbox
 * (GET /__dev/inbox) a user would see in WeChat. Checked: each kind of event gives exactly one message; the one a
 * day per user and kind cap under 20 events; a failing send retried with backoff, then dead-lettered; concurrent
 * settle runs send each message once; the merchant dashboard's delivery counts.
 */
import { withUserTx } from '../../cloudfunctions/app/wallet/tx';
import { creditAvailable } from '../../cloudfunctions/domain/ledger';
import { startTestCloud, TestCloud } from '../support/cloud';
import { loginMany, saveCampaign } from './assist-support';
import { addProduct } from './shop-support';
import { advance, buy, call, DAY, expectAuditClean, inviter, join, MERCHANT, ok, seedMaturedRewards, settle, uniq } from './referral-support';

let t: TestCloud;
const ctx = () => ({ db: t.db as any, clock: { now: () => new Date(t.cloud.clock.now()) } });

/**
 * 09:00 in Shanghai: the file moves the clock on by whole days and a few hours (2 d 2 h 18 m in all), and its
 * one-a-day checks need every step of a test on one Shanghai day, whatever the time the suite runs.
 */
const MORNING = Date.UTC(2027, 1, 1, 1);

beforeAll(async () => {
  t = await startTestCloud();
  await t.dev('clock', { setMs: MORNING });
});
afterAll(() => t?.close());
afterEach(async () => {
  await t.dev('inbox/fail', { count: 0 });
  await expectAuditClean(t);
});

interface InboxMessage {
  openid: string;
  templateId: string;
  title: string;
  page: string;
  fields: { key: string; label: string; value: string }[];
}

async function inbox(openid: string): Promise<InboxMessage[]> {
  const res = await fetch(`${t.cloud.url}/__dev/inbox?openid=${encodeURIComponent(openid)}`);
  return ((await res.json()) as { messages: InboxMessage[] }).messages;
}

const field = (m: InboxMessage, key: string) => m.fields.find((f) => f.key === key)?.value;

async function messagesOf(userId: string, kind?: string): Promise<any[]> {
  const res = await t.db.collection('notifications').where(kind ? { userId, kind } : { userId }).limit(1000).get();
  return res.data;
}

async function deliveryCounts() {
  return (await ok(t, MERCHANT, 'merchant', 'stats', { range: '30d' })).totals.messages as { sent: number; capped: number; failed: number; dead: number };
}

const minus = (a: Record<string, number>, b: Record<string, number>) => Object.fromEntries(Object.keys(a).map((k) => [k, a[k] - b[k]]));

/** A shopper with this much available cash (a posted reward, as the ledger records one). */
async function richUser(prefix: string, fen: number) {
  const A = await inviter(t, prefix);
  await withUserTx(ctx(), A.id, async (u) => u.post(`test:seed:${A.id}`, creditAvailable(u.balances, 'cash', fen, 'reward_posted')));
  return A.id;
}

let campaignProduct = 0;
/** A product with an assist campaign of its own (one open task per owner and product). */
async function assistProduct(helpersNeeded: number, extra: Record<string, unknown> = {}) {
  const id = await addProduct(t, { stock: 1000, priceFen: 9900 + ++campaignProduct, title: `助力测试商品 ${campaignProduct}` });
  await saveCampaign(t, id, { helpersNeeded, helperDailyCap: 30, durationHours: 24, success: { kind: 'price', priceFen: 100, validHours: 48 }, fallback: { kind: 'points', pointsPerHelper: 10 }, ...extra });
  return id;
}

describe('each event gives exactly one message', () => {
  it('a friend helped, the task succeeded, the task expired, a reward unfroze, a refund was decided, a transfer waits for 确认收款', async () => {
    const before = await deliveryCounts();
    // 助力: A's task needs 2 friends; B helps (friend helped), C completes it (succeeded; C's help is no "helped").
    const A = await inviter(t, 'MA');
    const [B, C] = [uniq('MB'), uniq('MC')];
    await loginMany(t, [B, C], 2);
    const product = await assistProduct(2);
    const task = await ok(t, A.id, 'assist', 'start', { productId: product });
    await ok(t, B, 'assist', 'help', { taskId: task.taskId });
    await settle(t);
    const helped = await inbox(A.id);
    expect(helped).toHaveLength(1);
    expect(helped[0]).toMatchObject({ templateId: 'local-assistProgress', title: '助力进度通知', page: `packages/assist/task/index?taskId=${encodeURIComponent(task.taskId)}` });
    expect(field(helped[0], 'thing1')).toBe(`助力测试商品 ${campaignProduct}`);
    expect(field(helped[0], 'thing2')).toBe('已有1位好友助力，还差1位');
    await ok(t, C, 'assist', 'help', { taskId: task.taskId });
    await settle(t);
    const succeeded = (await inbox(A.id)).slice(1);
    expect(succeeded).toHaveLength(1);
    expect(succeeded[0]).toMatchObject({ templateId: 'local-assistResult' });
    expect(field(succeeded[0], 'phrase2')).toBe('助力成功');

    // Expired: D's task ends with nobody's help.
    const D = uniq('MD');
    await loginMany(t, [D], 1);
    const lonely = await ok(t, D, 'assist', 'start', { productId: product });
    await advance(t, 25 * 3600_000);
    await settle(t);
    const expired = await inbox(D);
    expect(expired).toHaveLength(1);
    expect(field(expired[0], 'phrase2')).toBe('未完成');
    expect(expired[0].page).toContain(encodeURIComponent(lonely.taskId));

    // A reward unfroze: E's matured frozen reward, posted by the settle job.
    const [E] = await seedMaturedRewards(t.db, { prefix: uniq('ME'), users: 1, perUser: 1, amountFen: 5000, maturedAt: new Date(t.cloud.clock.now() - 60_000) });
    await settle(t);
    const unfrozen = await inbox(E);
    expect(unfrozen).toHaveLength(1);
    expect(unfrozen[0]).toMatchObject({ templateId: 'local-rewardAvailable', page: 'packages/wallet/index' });
    expect(field(unfrozen[0], 'thing1')).toBe('现金奖励 ¥50.00');

    // Refunds decided: F's approved, G's rejected.
    const F = uniq('MF');
    const G = uniq('MG');
    await join(t, F);
    await join(t, G);
    const [orderF, orderG] = [await buy(t, F, 3000), await buy(t, G, 3000)];
    await ok(t, F, 'shop', 'requestRefund', { orderId: orderF, reason: '不想要了' });
    await ok(t, G, 'shop', 'requestRefund', { orderId: orderG, reason: '不想要了' });
    await ok(t, MERCHANT, 'merchant', 'reviewRefund', { orderId: orderF, approve: true });
    await ok(t, MERCHANT, 'merchant', 'reviewRefund', { orderId: orderG, approve: false, note: '商品已拆封' });
    await settle(t);
    const [approved] = await inbox(F);
    const [rejected] = await inbox(G);
    expect(approved).toMatchObject({ templateId: 'local-refundResult', page: `packages/shop/order/index?id=${orderF}` });
    expect([field(approved, 'phrase2'), field(approved, 'amount3'), field(approved, 'character_string1')]).toEqual(['已同意', '30.00元', orderF]);
    expect([field(rejected, 'phrase2'), field(rejected, 'thing4')]).toEqual(['未通过', '商品已拆封']);
    expect(await inbox(F)).toHaveLength(1);
    expect(await inbox(G)).toHaveLength(1);

    // A 商家转账 waiting for 确认收款.
    const H = await richUser('MH', 5000);
    const w = await ok(t, H, 'wallet', 'withdraw', { amountFen: 2000, requestId: uniq('wreq') });
    const transfer = await ok(t, MERCHANT, 'merchant', 'reviewWithdrawal', { withdrawalId: w.id, approve: true });
    expect(transfer.status).toBe('transferring');
    await settle(t);
    const waiting = await inbox(H);
    expect(waiting).toHaveLength(1);
    expect(waiting[0]).toMatchObject({ templateId: 'local-transferConfirm', title: '待确认收款提醒', page: 'packages/wallet/withdraw/index' });
    expect(field(waiting[0], 'amount1')).toBe('20.00元');
    expect(field(waiting[0], 'time3')).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d$/);

    // Every outbox document of a sent kind is sent once; running again sends nothing more.
        const sentKinds = ['assist.helped', 'assist.succeeded', 'assist.expired', 'reward.available', 'refund.decided', 'withdrawal.transferring'];
    for (const user of [A.id, D, E, F, G, H]) {
      for (const m of await messagesOf(user)) if (sentKinds.includes(m.kind)) expect({ user, kind: m.kind, status: m.status, attempts: m.attempts }).toEqual({ user, kind: m.kind, status: 'sent', attempts: 1 });
    }
    await settle(t);
    expect(await inbox(A.id)).toHaveLength(2);
    for (const user of [D, E, F, G, H]) expect(await inbox(user)).toHaveLength(1);
    expect(minus(await deliveryCounts(), before)).toEqual({ sent: 7, capped: 0, failed: 0, dead: 0 });
  });

  it('kinds with no template stay in the outbox, skipped (nothing sent)', async () => {
    const W = await richUser('MW', 5000);
    const w = await ok(t, W, 'wallet', 'withdraw', { amountFen: 1000, requestId: uniq('wreq') });
    await ok(t, MERCHANT, 'merchant', 'reviewWithdrawal', { withdrawalId: w.id, approve: false, note: '测试' });
    await settle(t);
    expect((await messagesOf(W, 'withdrawal.rejected'))[0]).toMatchObject({ status: 'skipped', attempts: 1 });
    expect(await inbox(W)).toEqual([]);
  });
});

describe('at most one message per user, kind and Asia/Shanghai day', () => {
  it('20 friends help one task in a day: 1 sent, 19 capped; the next day sends again', async () => {
    const before = await deliveryCounts();
    const owner = await inviter(t, 'CAP');
    const friends = Array.from({ length: 21 }, () => uniq('capf'));
    await loginMany(t, friends, 8);
    const product = await assistProduct(25, { durationHours: 72 });
    const task = await ok(t, owner.id, 'assist', 'start', { productId: product });
    for (const f of friends.slice(0, 20)) await ok(t, f, 'assist', 'help', { taskId: task.taskId });
    // Two runs at once, for good measure: the cap is a marker whoever inserts first owns.
    await Promise.all([settle(t), settle(t)]);
    const docs = await messagesOf(owner.id, 'assist.helped');
    expect(docs).toHaveLength(20);
    expect(docs.filter((d) => d.status === 'sent')).toHaveLength(1);
    expect(docs.filter((d) => d.status === 'capped')).toHaveLength(19);
    expect(await inbox(owner.id)).toHaveLength(1);
    expect(minus(await deliveryCounts(), before)).toEqual({ sent: 1, capped: 19, failed: 0, dead: 0 });

    await advance(t, DAY);
    await ok(t, friends[20], 'assist', 'help', { taskId: task.taskId });
    await settle(t);
    const next = await inbox(owner.id);
    expect(next).toHaveLength(2);
    expect(field(next[1], 'thing2')).toBe('已有21位好友助力，还差4位');
  });
});

describe('a failing send', () => {
  async function helpedOnce(prefix: string) {
    const owner = await inviter(t, prefix);
    const [friend] = [uniq(`${prefix}f`)];
    await loginMany(t, [friend], 1);
    const task = await ok(t, owner.id, 'assist', 'start', { productId: await assistProduct(3) });
    await ok(t, friend, 'assist', 'help', { taskId: task.taskId });
    return owner.id;
  }

  it('is retried with exponential backoff and dead-lettered after 5 attempts', async () => {
    const before = await deliveryCounts();
    const owner = await helpedOnce('DL');
    await t.dev('inbox/fail', { count: null, openid: owner });
    const waits = [60_000, 120_000, 240_000, 480_000];
    for (let attempt = 1; attempt <= 5; attempt++) {
      await settle(t);
      const [doc] = await messagesOf(owner, 'assist.helped');
      expect({ attempt, status: doc.status, attempts: doc.attempts }).toEqual({ attempt, status: attempt < 5 ? 'failed' : 'dead', attempts: attempt });
      expect(doc.lastError).toBe('-1 system error');
      if (attempt === 5) break;
      // Not due yet: a run now leaves it alone.
      await settle(t);
      expect((await messagesOf(owner, 'assist.helped'))[0].attempts).toBe(attempt);
      expect(doc.nextAttemptAt.getTime() - doc.updatedAt.getTime()).toBe(waits[attempt - 1]);
      await advance(t, waits[attempt - 1]);
    }
    expect(await inbox(owner)).toEqual([]);
    await advance(t, 3600_000);
    await settle(t);
    expect((await messagesOf(owner, 'assist.helped'))[0]).toMatchObject({ status: 'dead', attempts: 5 });
    expect(minus(await deliveryCounts(), before)).toEqual({ sent: 0, capped: 0, failed: 5, dead: 1 });

    // The dead message gave its day's slot back: the next event of that kind is delivered once sends work again.
    await t.dev('inbox/fail', { count: 0 });
    const friend = uniq('DLg');
    await loginMany(t, [friend], 1);
    const [task] = (await t.db.collection('assist_tasks').where({ ownerId: owner }).get()).data;
    await ok(t, friend, 'assist', 'help', { taskId: task._id });
    await settle(t);
    expect(await inbox(owner)).toHaveLength(1);
  });

  it('recovers when WeChat answers again, and gives up at once when the user has not subscribed (43101)', async () => {
    const flaky = await helpedOnce('FL');
    await t.dev('inbox/fail', { count: 2, openid: flaky });
    await settle(t);
    await advance(t, 60_000);
    await settle(t);
    await advance(t, 120_000);
    await settle(t);
    expect((await messagesOf(flaky, 'assist.helped'))[0]).toMatchObject({ status: 'sent', attempts: 3 });
    expect(await inbox(flaky)).toHaveLength(1);

    const refused = await helpedOnce('RF');
    await t.dev('inbox/fail', { count: 1, openid: refused, errcode: 43101, errmsg: 'user refuse to accept the msg' });
    await settle(t);
    expect((await messagesOf(refused, 'assist.helped'))[0]).toMatchObject({ status: 'dead', attempts: 1, lastError: '43101 user refuse to accept the msg' });
  });
});

describe('a send whose answer never came back (it may have reached the user)', () => {
  async function helpedOnce(prefix: string) {
    const owner = await inviter(t, prefix);
    const friend = uniq(`${prefix}f`);
    await loginMany(t, [friend], 1);
    const task = await ok(t, owner.id, 'assist', 'start', { productId: await assistProduct(3) });
    await ok(t, friend, 'assist', 'help', { taskId: task.taskId });
    return { owner: owner.id, taskId: task.taskId as string };
  }

  it('is never sent again: delivered once, unconfirmed, and the day’s slot stays taken', async () => {
    const { owner, taskId } = await helpedOnce('LA');
    // WeChat delivers it, and the answer is lost on the way back (the caller sees the connection drop).
    await t.dev('inbox/fail', { count: 1, openid: owner, lostAnswer: true });
    await settle(t);
    expect(await inbox(owner)).toHaveLength(1);
    const [doc] = await messagesOf(owner, 'assist.helped');
    expect(doc).toMatchObject({ status: 'unconfirmed', attempts: 1, nextAttemptAt: null });
    for (let i = 0; i < 3; i++) {
      await advance(t, 10 * 60_000);
      await settle(t);
    }
    expect(await inbox(owner)).toHaveLength(1);
    expect((await messagesOf(owner, 'assist.helped'))[0]).toMatchObject({ status: 'unconfirmed', attempts: 1 });
    // Another friend helps the same day: the slot is this message's, so that one is capped, not a second message.
    const friend = uniq('LAg');
    await loginMany(t, [friend], 1);
    await ok(t, friend, 'assist', 'help', { taskId });
    await settle(t);
    expect(await inbox(owner)).toHaveLength(1);
  });

  it('a run that died after asking WeChat (its claim lapsed with the send marked): the next run does not send it again', async () => {
    const { owner } = await helpedOnce('LD');
    const [queued] = await messagesOf(owner, 'assist.helped');
    const now = new Date(t.cloud.clock.now());
    // What such a run leaves: claimed, the send marked as asked for, the lease lapsed.
    await t.db.collection('notifications').doc(queued._id).update({ status: 'sending', claimId: 'dead-run', claimUntil: new Date(now.getTime() - 1000), attempts: 1, sendAttemptedAt: now });
    await settle(t);
    expect((await messagesOf(owner, 'assist.helped'))[0]).toMatchObject({ status: 'unconfirmed', attempts: 2 });
    expect(await inbox(owner)).toEqual([]);
  });
});

describe('concurrent settle runs', () => {
  it('three runs at once (gateway and SDK) send each of 40 messages exactly once', async () => {
    const before = await deliveryCounts();
    const owners = Array.from({ length: 40 }, () => uniq('CC'));
    const friend = uniq('CCf');
    await loginMany(t, [...owners, friend], 8);
    const product = await assistProduct(3, { helperDailyCap: 50 });
    for (const o of owners) {
      const task = await ok(t, o, 'assist', 'start', { productId: product });
      await ok(t, friend, 'assist', 'help', { taskId: task.taskId });
    }
    const viaSdk = () => t.app.callFunction({ name: 'settle', data: { action: 'run' } }).then((r: any) => r.result.data);
    const reports = await Promise.all([settle(t), settle(t), viaSdk()]);
    reports.push(await settle(t));
    // Each message moved by exactly one run: the runs' counts add up to the messages, whoever claimed which.
    expect(reports.reduce((n, r) => n + r.jobs['messages.send'], 0)).toBe(40);
    const all = (await (await fetch(`${t.cloud.url}/__dev/inbox`)).json()).messages as InboxMessage[];
    for (const o of owners) expect({ o, n: all.filter((m) => m.openid === o).length }).toEqual({ o, n: 1 });
    for (const o of owners) expect((await messagesOf(o, 'assist.helped'))[0]).toMatchObject({ status: 'sent', attempts: 1 });
    expect(minus(await deliveryCounts(), before)).toEqual({ sent: 40, capped: 0, failed: 0, dead: 0 });
    // The merchant's call is refused for shoppers as before; the job report names the sender.
    expect((await call(t, owners[0], 'settle', 'run')).ok).toBe(false);
    expect((await ok(t, MERCHANT, 'settle', 'run')).jobs).toHaveProperty(['messages.send']);
  });
});
