/**
 * Privacy the shopper controls (DESIGN rule 13), through the gateway and the real SDK:
 * - name, phone and street are encrypted at rest (the stored address and order documents do not contain them),
 *   and read back decrypted by their owner;
 * - export returns every document of the user, and no other user's openid;
 * - deletion waits for money and parcels in flight, then leaves no personal field and no trace of the openid in any
 *   collection, while the ledger audit stays clean (the entries live on under a tombstone).
 */
import { tombstoneOf } from '../../cloudfunctions/domain/tombstone';
import { shardOf } from '../../cloudfunctions/infra/stats';
import { COLLECTIONS } from '../../config/collections';
import { startTestCloud, TestCloud } from '../support/cloud';
import { heldDuring } from '../support/holds';
import { advance, buy, call, DAY, expectAuditClean, invitees, join, MERCHANT, ok, onlyRule, receive, settle, uniq } from './referral-support';

let t: TestCloud;

beforeAll(async () => {
  t = await startTestCloud();
  await onlyRule(t, { name: '每单返', reward: { form: 'cash', amountFen: 300 }, trigger: { kind: 'eachOrder', minOrderFen: 0 } });
});
afterAll(() => t.close());

// Each test's shopper has their own name, phone and street, so a trace found belongs to that shopper alone.
let PHONE = '';
let NAME = '';
let STREET = '';
let NICK = '';
let ADDRESS = {};
let shopper = 0;
beforeEach(() => {
  shopper++;
  // Ten heavenly stems, then two of them: a name per test however many there are.
  const stems = '甲乙丙丁戊己庚辛壬癸';
  const name = shopper < 10 ? stems[shopper] : `${stems[Math.floor(shopper / 10) % 10]}${stems[shopper % 10]}`;
  PHONE = `139${String(12345600 + shopper).padStart(8, '0')}`;
  NAME = `隐私${name}`;
  STREET = `保俶路 ${70 + shopper} 号 3 幢 ${400 + shopper} 室`;
  NICK = `${name}先生`;
  ADDRESS = { name: NAME, phone: PHONE, province: '浙江省', city: '杭州市', district: '西湖区', detail: STREET };
});

/** Every document of every collection, as JSON text. */
async function everything(): Promise<string> {
  const out: string[] = [];
  for (const { name } of COLLECTIONS) {
    for (let skip = 0; ; skip += 1000) {
      const res = await t.db.collection(name).skip(skip).limit(1000).get().catch(() => ({ data: [] as unknown[] }));
      out.push(...res.data.map((d) => `${name} ${JSON.stringify(d)}`));
      if (res.data.length < 1000) break;
    }
  }
  return out.join('\n');
}

/** A shopper with a bit of everything: an inviter, an invitee, an address, orders, rewards, a ledger, a coupon. */
async function busyShopper() {
  const A = uniq('PA');
  const { login } = await join(t, A);
  const X = uniq('PX');
  const { login: lx } = await join(t, X, { code: login.inviteCode });
  await ok(t, X, 'user', 'profile', { nickname: NICK });
  const saved = await ok(t, X, 'shop', 'saveAddress', ADDRESS);
  const [Y] = await invitees(t, lx.inviteCode, 1, 'PY');
  const o1 = await buy(t, X, 10000, { address: undefined, addressId: saved.id });
  const o2 = await buy(t, Y);
  await receive(t, X, o1);
  await receive(t, Y, o2);
  await advance(t, 8 * DAY);
  await settle(t);
  return { A, X, Y, o1, saved };
}

it('name, phone and street are encrypted at rest and read back by their owner', async () => {
  const { X, o1 } = await busyShopper();
  const stored = (await t.db.collection('addresses').where({ ownerId: X }).get()).data[0];
  expect(stored.phone).toMatch(/^enc:v1:/);
  expect(stored.name).toMatch(/^enc:v1:/);
  expect(stored.detail).toMatch(/^enc:v1:/);
  expect(stored.city).toBe('杭州市');
  const order = (await t.db.collection('orders').doc(o1).get()).data[0];
  expect(JSON.stringify(order.address)).not.toContain(PHONE);
  const all = await everything();
  for (const secret of [PHONE, NAME, STREET]) expect(all).not.toContain(secret);
  // The owner, and the merchant shipping it, read it in clear.
  expect((await ok(t, X, 'shop', 'listAddresses'))[0]).toMatchObject({ phone: PHONE, name: NAME, detail: STREET });
  expect((await ok(t, X, 'shop', 'getOrder', { orderId: o1 })).address).toMatchObject({ phone: PHONE, detail: STREET });
  const merchantView = await ok(t, MERCHANT, 'merchant', 'listOrders', { pageSize: 50 });
  expect(merchantView.items.find((o: { id: string }) => o.id === o1).address).toMatchObject({ phone: PHONE, name: NAME });
});

it('export returns every document of the user, decrypted for them', async () => {
  const { X, o1 } = await busyShopper();
  const data = await ok(t, X, 'user', 'exportData');
  expect(data.openid).toBe(X);
  const count = async (collection: string, where: Record<string, unknown>) => (await t.db.collection(collection).where(where).count()).total;
  expect(data.collections.users.find((u: { _id: string }) => u._id === X)).toMatchObject({ nickname: NICK });
  expect(data.collections.ledger).toHaveLength(await count('ledger', { userId: X }));
  expect(data.collections.rewards.filter((r: { userId?: string }) => r.userId === X)).toHaveLength(await count('rewards', { userId: X }));
  expect(data.collections.orders.filter((o: { buyerId?: string }) => o.buyerId === X)).toHaveLength(await count('orders', { buyerId: X }));
  expect(data.collections.wallets).toHaveLength(1);
  expect(data.collections.referrals.find((r: { _id: string }) => r._id === X)).toBeTruthy();
  expect(data.collections.addresses[0]).toMatchObject({ phone: PHONE, detail: STREET });
  expect(data.collections.orders.find((o: { _id: string }) => o._id === o1).address).toMatchObject({ phone: PHONE });
  // An invitee's order names X as inviter: only that reference is X's.
  const invitees = data.collections.users.filter((u: { _id: string }) => u._id !== X);
  expect(invitees.length).toBeGreaterThan(0);
  for (const u of invitees) expect(Object.keys(u).sort()).toEqual(['_id', 'refersToYouAs']);
});

it("export names other people (inviter, invitees, helpers) only as 其他用户 n, never by their openids", async () => {
  const { A, X, Y } = await busyShopper();
  // Someone helped X's 小助力, and X helped someone's.
  const helper = uniq('PH');
  await join(t, helper);
  const mine = await ok(t, X, 'assist', 'start', { productId: 'p-tea' });
  await ok(t, helper, 'assist', 'help', { taskId: mine.taskId });
  const friend = uniq('PF');
  await join(t, friend);
  const theirs = await ok(t, friend, 'assist', 'start', { productId: 'p-tea' });
  await ok(t, X, 'assist', 'help', { taskId: theirs.taskId });

  const data = await ok(t, X, 'user', 'exportData');
  const text = JSON.stringify(data);
  for (const other of [A, Y, helper, friend]) expect(text).not.toContain(other);
  expect(text).toContain(X);
  // One person keeps one name throughout: X's inviter on the user document and on the referral.
  const me = data.collections.users.find((u: { _id: string }) => u._id === X);
  expect(me.inviterId).toMatch(/^其他用户 \d+$/);
  expect(data.collections.referrals.find((r: { _id: string }) => r._id === X).inviterId).toBe(me.inviterId);
  const task = data.collections.assist_tasks.find((d: { _id: string }) => d._id === mine.taskId);
  expect(task.helperIds).toHaveLength(1);
  expect(task.helperIds[0]).toMatch(/^其他用户 \d+$/);
  expect(task.helperIds[0]).not.toBe(me.inviterId);
  // The task X helped is the friend's: only the reference, the friend's id not shown.
  const helped = data.collections.assist_tasks.find((d: { _id: string }) => d._id === theirs.taskId);
  expect(helped).toEqual({ _id: theirs.taskId, refersToYouAs: ['helperIds'] });
});

it('deletion waits for an order in flight, then leaves no personal field and no openid anywhere; the audit adds up', async () => {
  const { X } = await busyShopper();
  // A paid order not yet received: refused, nothing changed.
  const open = await buy(t, X, 10000, { address: ADDRESS });
  expect(await call(t, X, 'user', 'deleteAccount', { confirm: '注销' })).toMatchObject({ ok: false, code: 'ACCOUNT_OPEN_ORDERS' });
  expect(await call(t, X, 'user', 'deleteAccount', { confirm: '确定' })).toMatchObject({ ok: false, code: 'INVALID_ARGUMENT' });
  await receive(t, X, open);
  // A withdrawal under way: refused too.
  const w = await ok(t, X, 'wallet', 'withdraw', { amountFen: 300, requestId: uniq('wd') });
  expect(await call(t, X, 'user', 'deleteAccount', { confirm: '注销' })).toMatchObject({ ok: false, code: 'ACCOUNT_OPEN_WITHDRAWALS' });
  await ok(t, MERCHANT, 'merchant', 'reviewWithdrawal', { withdrawalId: w.id, approve: true });
  await ok(t, X, 'wallet', 'confirmTransfer', { withdrawalId: w.id });
  // An unpaid order is cancelled by the deletion (its stock comes back).
  await ok(t, X, 'shop', 'createOrder', { requestId: uniq('req'), items: [{ productId: (await t.db.collection('products').limit(1).get()).data[0]._id, quantity: 1 }], address: ADDRESS });
  // X helped a friend's 小助力: the friend's task lists its helpers, and the friend's 好友助力 message is keyed by X.
  const friend = uniq('PF');
  await join(t, friend);
  const task = await ok(t, friend, 'assist', 'start', { productId: 'p-tea' });
  await ok(t, X, 'assist', 'help', { taskId: task.taskId });
  expect((await t.db.collection('assist_tasks').doc(task.taskId).get()).data[0].helperIds).toContain(X);

  expect(await ok(t, X, 'user', 'deleteAccount', { confirm: '注销' })).toEqual({ deleted: true });

  const all = await everything();
  const leftovers = all.split('\n').filter((line) => [X, PHONE, NAME, STREET, NICK].some((trace) => line.includes(trace)));
  expect(leftovers).toEqual([]);
  await expectAuditClean(t);
  // The ledger lives on under the tombstone; the merchant's orders keep their amounts and regions.
  expect(all).toMatch(/ledger .*deleted_[0-9a-f]{24}/);
  expect(all).toMatch(/orders .*"buyerId":"deleted_[0-9a-f]{24}".*"city":"杭州市"/);
  // Opening the app again starts a new, empty account.
  const again = await ok(t, X, 'user', 'login');
  expect(again).toMatchObject({ hasInviter: false });
  expect((await ok(t, X, 'wallet', 'summary')).cash.availableFen).toBe(0);
});

it('two deletions at the same moment, then a third: one account gone once, no trace, the audit adds up', async () => {
  const { X } = await busyShopper();
  const before = (await t.db.collection('wallets').doc(X).get()).data[0];
  const answers = await Promise.all([call(t, X, 'user', 'deleteAccount', { confirm: '注销' }), call(t, X, 'user', 'deleteAccount', { confirm: '注销' })]);
  expect(answers.some((a) => a.ok)).toBe(true);
  for (const a of answers) if (!a.ok) expect(['USER_NOT_FOUND', 'CONFLICT']).toContain(a.code);
  expect(await call(t, X, 'user', 'deleteAccount', { confirm: '注销' })).toMatchObject({ ok: false, code: 'USER_NOT_FOUND' });
  const all = await everything();
  expect(all.split('\n').filter((line) => [X, PHONE, NAME, STREET].some((trace) => line.includes(trace)))).toEqual([]);
  await expectAuditClean(t);
  // The tombstone's wallet carries exactly the money the shopper had (moved once, not twice, not lost).
  const after = (await t.db.collection('wallets').doc(tombstoneOf(X)).get()).data[0];
  expect({ cash: after.cash, points: after.points }).toEqual({ cash: before.cash, points: before.points });
});

/** No trace of the openid, the audit clean, and the tombstone's wallet as its entries add up. */
async function expectGoneCleanly(X: string) {
  const all = await everything();
  expect(all.split('\n').filter((line) => line.includes(X))).toEqual([]);
  await expectAuditClean(t);
}

it('a withdrawal that gets in just before the deletion closes the wallet refuses the deletion; nothing moves', async () => {
  const { X } = await busyShopper();
  // The deletion has checked the withdrawals (none) and is about to close the wallet; the withdrawal commits first.
  const deleting = await heldDuring(t, { action: 'database.getDocument', collectionName: 'wallets', inTransaction: true, queryContains: X }, () => call(t, X, 'user', 'deleteAccount', { confirm: '注销' }), 'the deletion closing the wallet');
  const w = await ok(t, X, 'wallet', 'withdraw', { amountFen: 300, requestId: uniq('wd') });
  expect(await deleting.release()).toMatchObject({ ok: false, code: 'ACCOUNT_OPEN_WITHDRAWALS' });
  // The account is whole: the withdrawal goes on and is paid to the shopper.
  expect((await t.db.collection('users').doc(X).get()).data[0]).toMatchObject({ _id: X });
  expect((await ok(t, X, 'wallet', 'summary')).cash).toMatchObject({ availableFen: 0, withdrawingFen: 300 });
  await ok(t, MERCHANT, 'merchant', 'reviewWithdrawal', { withdrawalId: w.id, approve: true });
  await ok(t, X, 'wallet', 'confirmTransfer', { withdrawalId: w.id });
  await expectAuditClean(t);
  expect(await ok(t, X, 'user', 'deleteAccount', { confirm: '注销' })).toEqual({ deleted: true });
  await expectGoneCleanly(X);
});

it('a withdrawal while the deletion moves the account is refused (ACCOUNT_DELETING); the money moves with the account, once', async () => {
  const { X, Y } = await busyShopper();
  const paid = await buy(t, Y); // X's friend's new order, paid, not shipped yet
  const before = (await t.db.collection('wallets').doc(X).get()).data[0];
  // The deletion has closed the wallet and is moving the ledger.
  const deleting = await heldDuring(t, { action: 'database.getDocument', collectionName: 'ledger', inTransaction: false, queryContains: X }, () => call(t, X, 'user', 'deleteAccount', { confirm: '注销' }), 'the deletion reading the ledger');
  expect(await call(t, X, 'wallet', 'withdraw', { amountFen: 300, requestId: uniq('wd') })).toMatchObject({ ok: false, code: 'ACCOUNT_DELETING' });
  // The friend asking for a refund meanwhile is asked to try again (the hold on X's rewards has nowhere to go yet),
  // not told about X's account.
  expect(await call(t, Y, 'shop', 'requestRefund', { orderId: paid, reason: '不想要了' })).toMatchObject({ ok: false, code: 'CONFLICT' });
  expect(await deleting.release()).toMatchObject({ ok: true });
  expect(await call(t, Y, 'shop', 'requestRefund', { orderId: paid, reason: '不想要了' })).toMatchObject({ ok: true });
  await expectGoneCleanly(X);
  const after = (await t.db.collection('wallets').doc(tombstoneOf(X)).get()).data[0];
  expect({ cash: after.cash, points: after.points, closing: after.closing }).toEqual({ cash: before.cash, points: before.points, closing: null });
});

it('withdrawals and deletions tapped at the same moment: never both, never a wallet apart from its entries', async () => {
  for (let round = 0; round < 6; round++) {
    const { X } = await busyShopper();
    const withdraw = () => call(t, X, 'wallet', 'withdraw', { amountFen: 300, requestId: uniq('wd') });
    const remove = () => new Promise((r) => setTimeout(r, round)).then(() => call(t, X, 'user', 'deleteAccount', { confirm: '注销' }));
    const [w, d] = await Promise.all([withdraw(), remove()]);
    expect([w.ok, d.ok]).not.toEqual([true, true]);
    if (w.ok) {
      expect(d).toMatchObject({ ok: false, code: 'ACCOUNT_OPEN_WITHDRAWALS' });
      await ok(t, MERCHANT, 'merchant', 'reviewWithdrawal', { withdrawalId: w.data.id, approve: false });
    } else expect(['ACCOUNT_DELETING', 'INSUFFICIENT_BALANCE', 'USER_NOT_FOUND', 'UNAUTHENTICATED']).toContain(w.code);
    await expectAuditClean(t);
  }
});

it('a count landing on the user\'s counter document while the deletion renames its keys is kept', async () => {
  const X = uniq('PK');
  await join(t, X);
  const stats = t.db.collection('stats_daily');
  const [counted] = (await stats.where({ keys: t.db.RegExp({ regexp: X }) }).limit(1).get()).data;
  expect(counted).toBeDefined();
  // The deletion's first write to that counter document waits; meanwhile another event is counted on it.
  const deleting = await heldDuring(t, { action: 'database.modifyDocument', collectionName: 'stats_daily', queryContains: counted._id }, () => call(t, X, 'user', 'deleteAccount', { confirm: '注销' }), 'the deletion’s counter write');
  const otherKey = `test:${uniq('event')}`;
  await t.db.collection('stats_daily').doc(counted._id).update({ keys: t.db.command.push([otherKey]), 'c.usersActive': t.db.command.inc(1) });
  expect(await deleting.release()).toMatchObject({ ok: true });
  const keys = (await stats.doc(counted._id).get()).data[0].keys as string[];
  expect(keys).toContain(otherKey);
  expect(keys.filter((k) => k.includes(X))).toEqual([]);
  expect(keys.some((k) => k.includes(tombstoneOf(X)))).toBe(true);
});

it('an inviter who deleted their account, then a friend\'s refund voids their reward: its issue counts once, its void too', async () => {
  await onlyRule(t, { name: '邀一返现', reward: { form: 'cash', amountFen: 700 }, trigger: { kind: 'everyN', n: 1, minOrderFen: 0 } });
  // An inviter whose openid and tombstone fall on different counter shards (as 7 in 8 do).
  let A = uniq('PV');
  while (shardOf(A) === shardOf(tombstoneOf(A))) A = uniq('PV');
  const { login } = await join(t, A);
  const [B] = await invitees(t, login.inviteCode, 1, uniq('PVF'));
  const o = await buy(t, B);
  const [reward] = (await t.db.collection('rewards').where({ orderId: o }).get()).data as { _id: string }[];
  const issuedKey = `reward:${reward._id}:issued`;
  // Day documents holding the key (a money event's key is also on its month's all-time document).
  const docsWith = async (key: string) => ((await t.db.collection('stats_daily').where({ keys: key }).limit(10).get()).data as { _id: string }[]).filter((d) => /^20\d\d-/.test(d._id)).length;
  expect(await docsWith(issuedKey)).toBe(1);
  expect(await ok(t, A, 'user', 'deleteAccount', { confirm: '注销' })).toEqual({ deleted: true });
  await ok(t, B, 'shop', 'requestRefund', { orderId: o, reason: '不想要了' });
  await ok(t, MERCHANT, 'merchant', 'reviewRefund', { orderId: o, approve: true });
  expect((await t.db.collection('rewards').doc(reward._id).get()).data[0]).toMatchObject({ status: 'voided', userId: tombstoneOf(A) });
  expect(await docsWith(issuedKey)).toBe(1);
  // The void is counted (the 看板's frozen balance and rebate cost go down), once.
  expect(await docsWith(`reward:${reward._id}:voided`)).toBe(1);
  expect(await docsWith(`reward:${reward._id}:undone`)).toBe(1);
  await expectAuditClean(t);
});

it('a merchant account cannot delete itself in the app', async () => {
  expect(await call(t, MERCHANT, 'user', 'deleteAccount', { confirm: '注销' })).toMatchObject({ ok: false, code: 'ACCOUNT_IS_MERCHANT' });
});

it('an inviter deletes their account while the merchant ships their invitees’ orders: every shipment stands, only the inviter’s name changes', async () => {
  const X = uniq('del-inviter');
  const code = (await ok(t, X, 'user', 'login')).inviteCode;
  await ok(t, X, 'user', 'consent', { version: '2026-01' });
  const friends = await invitees(t, code, 40, uniq('del-f'));
  const orders = await Promise.all(friends.map((f) => buy(t, f, 10000, { address: ADDRESS })));
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
  // The shipments spread over the deletion's run, some landing between its read of an order and its write.
  const [deleted] = await Promise.all([
    ok(t, X, 'user', 'deleteAccount', { confirm: '注销' }),
    ...orders.map(async (o, i) => {
      await sleep(i * 15);
      return ok(t, MERCHANT, 'merchant', 'shipOrder', { orderId: o, carrier: '顺丰', trackingNo: `SF${String(1000000000 + i)}` });
    }),
  ]);
  expect(deleted).toEqual({ deleted: true });
  const tomb = tombstoneOf(X);
  for (const [i, o] of orders.entries()) {
    const doc = (await t.db.collection('orders').doc(o).get()).data[0];
    expect([o, doc.status, doc.shipping?.trackingNo, !!doc.shippedAt, doc.inviterId]).toEqual([o, 'shipped', `SF${String(1000000000 + i)}`, true, tomb]);
  }
});

it('export names the shop staff who decided their refund or blocked them as 商家, never by openid', async () => {
  const X = uniq('PS');
  await join(t, X);
  const orderId = await buy(t, X);
  await ok(t, X, 'shop', 'requestRefund', { orderId, reason: '不想要了' });
  await ok(t, MERCHANT, 'merchant', 'reviewRefund', { orderId, approve: true });
  await ok(t, MERCHANT, 'merchant', 'blockUser', { openid: X, blocked: true, reason: '测试' });
  const data = await ok(t, X, 'user', 'exportData');
  expect(JSON.stringify(data)).not.toContain(MERCHANT);
  expect(data.collections.refunds.find((r: { _id: string }) => r._id === orderId).reviewedBy).toBe('商家');
  expect(data.collections.users.find((u: { _id: string }) => u._id === X).blocked).toMatchObject({ by: '商家', reason: '测试' });
  // The stored documents keep who decided (the merchant tab shows it).
  expect((await t.db.collection('refunds').doc(orderId).get()).data[0].reviewedBy).toBe(MERCHANT);
  await ok(t, MERCHANT, 'merchant', 'blockUser', { openid: X, blocked: false });
});

it('after a deletion nothing reaches the deleted account: its queued messages are not sent, its assist card binds and counts nobody', async () => {
  const inbox = async (openid: string) => ((await (await fetch(`${t.cloud.url}/__dev/inbox?openid=${encodeURIComponent(openid)}`)).json()) as { messages: unknown[] }).messages;
  const X = uniq('PG');
  await join(t, X);
  const task = await ok(t, X, 'assist', 'start', { productId: 'p-tea' });
  // A friend's help queues 好友助力 for X; X deletes the account before the timer sends it.
  const F = uniq('PF');
  await join(t, F);
  await ok(t, F, 'assist', 'help', { taskId: task.taskId });
  const queued = (await t.db.collection('notifications').where({ userId: X }).get()).data.map((n: { _id: string }) => n._id);
  expect(queued.length).toBeGreaterThan(0);
  expect(await ok(t, X, 'user', 'deleteAccount', { confirm: '注销' })).toEqual({ deleted: true });
  const tomb = tombstoneOf(X);

  // A newcomer opens the deleted owner's card: not bound to the tombstone (that would be for good), cannot help.
  const N = uniq('PN');
  await ok(t, N, 'user', 'login', { taskId: task.taskId });
  await ok(t, N, 'user', 'consent', { version: '2026-01' });
  expect((await t.db.collection('users').doc(N).get()).data[0].inviterId ?? null).toBeNull();
  expect((await t.db.collection('referrals').doc(N).get()).data).toEqual([]);
  expect(await call(t, N, 'assist', 'help', { taskId: task.taskId })).toMatchObject({ ok: false, code: 'ASSIST_TASK_NOT_FOUND' });
  expect(await call(t, N, 'assist', 'get', { taskId: task.taskId })).toMatchObject({ ok: false, code: 'ASSIST_TASK_NOT_FOUND' });
  expect((await t.db.collection('assist_tasks').doc(task.taskId).get()).data[0].helpers).toBe(1);

  await settle(t);
  const moved = (await t.db.collection('notifications').where({ userId: tomb }).get()).data as { status: string }[];
  expect(moved.length).toBeGreaterThan(0);
  expect(moved.every((n) => n.status === 'skipped')).toBe(true);
  expect(await inbox(tomb)).toEqual([]);
});
