/**
 * Abuse of binding and the wallet, refused with catalogued codes and writing nothing: self-invite, re-binding, a
 * cycle, binding after a first purchase, a spoofed openid in the payload, another user's wallet, a shopper calling
 * merchant actions. Also: an inviter held until consent, first touch wins, every card/poster/assist open recorded.
 */
import { startTestCloud, TestCloud } from '../support/cloud';
import { heldDuring } from '../support/holds';
import { buy, call, expectAuditClean, inviter, join, MERCHANT, ok, orderDoc, productAt, uniq } from './referral-support';
import { ADDRESS } from './shop-support';

let t: TestCloud;

beforeAll(async () => {
  t = await startTestCloud();
});
afterAll(() => t.close());
afterEach(async () => {
  await expectAuditClean(t);
});

async function userDoc(id: string) {
  return (await t.db.collection('users').doc(id).get()).data[0];
}

async function eventsOf(userId: string) {
  return (await t.db.collection('events').where({ userId }).limit(100).get()).data as any[];
}

it('an invite before consent is held, then bound at consent; first touch wins', async () => {
  const A = await inviter(t, 'A');
  const X = await inviter(t, 'X');
  const B = uniq('B');
  const first = await ok(t, B, 'user', 'login', { inviteCode: A.code, source: 'poster' });
  expect(first).toMatchObject({ isNew: true, consented: false, hasInviter: false, binding: { bound: false, pending: true, reason: null } });
  // A second card before consent does not take the slot.
  const second = await ok(t, B, 'user', 'login', { inviteCode: X.code, source: 'card' });
  expect(second.binding).toEqual({ bound: false, pending: false, reason: 'ALREADY_BOUND' });
  expect(await t.db.collection('referrals').doc(B).get()).toMatchObject({ data: [] });
  const consented = await ok(t, B, 'user', 'consent', { version: '2026-01' });
  expect(consented).toMatchObject({ consented: true, hasInviter: true, binding: { bound: true } });
  expect(await userDoc(B)).toMatchObject({ inviterId: A.id, pendingInviter: null });
  expect((await t.db.collection('referrals').doc(B).get()).data[0]).toMatchObject({ inviterId: A.id, source: 'poster', status: 'bound' });
  // Every open from a card or poster is an event, bound or not.
  const opens = (await eventsOf(B)).filter((e) => e.type === 'open');
  expect(opens.map((e) => [e.source, e.inviterId, e.reason])).toEqual([
    ['poster', A.id, 'CONSENT_REQUIRED'],
    ['card', X.id, 'ALREADY_BOUND'],
  ]);
  expect((await eventsOf(B)).map((e) => e.type).sort()).toEqual(['bind', 'bind_pending', 'open', 'open']);
});

it('the friend who opened a card sees who invited them: masked, and only once that inviter agreed to the notice', async () => {
  const A = await inviter(t, 'A');
  await ok(t, A.id, 'user', 'profile', { nickname: '王小明' });
  const B = uniq('B');
  const opened = await ok(t, B, 'user', 'login', { inviteCode: A.code, source: 'card' });
  expect(opened).toMatchObject({ binding: { pending: true }, inviter: { nickname: '王*明' } });
  const consented = await ok(t, B, 'user', 'consent', { version: '2026-01' });
  expect(consented).toMatchObject({ hasInviter: true, binding: { bound: true }, inviter: { nickname: '王*明' } });
  // A plain login carries no invite and names nobody.
  expect((await ok(t, B, 'user', 'login', {})).inviter).toBeNull();

  // An inviter who has not agreed to the notice yet (opened the app, never consented) is not named.
  const Q = uniq('Q');
  const q = await ok(t, Q, 'user', 'login', {});
  await t.db.collection('users').doc(Q).update({ nickname: '李四' });
  const C = uniq('C');
  expect((await ok(t, C, 'user', 'login', { inviteCode: q.inviteCode, source: 'card' })).inviter).toBeNull();
  // Nor one who kept WeChat's default name: the app says 好友 instead.
  const D = await inviter(t, 'D');
  expect((await ok(t, uniq('E'), 'user', 'login', { inviteCode: D.code, source: 'card' })).inviter).toBeNull();
});

it('self-invite, re-binding, a cycle and binding after a first purchase are refused with catalogued codes', async () => {
  const A = await inviter(t, 'A');
  // Self: login with one's own card binds nothing; typing one's own code is refused.
  expect((await ok(t, A.id, 'user', 'login', { inviteCode: A.code, source: 'card' })).binding).toMatchObject({ bound: false, reason: 'SELF_INVITE' });
  expect(await call(t, A.id, 'user', 'bindCode', { inviteCode: A.code })).toMatchObject({ ok: false, code: 'SELF_INVITE' });

  const { consented } = await join(t, uniq('B'), { code: A.code });
  const B = consented.openid as string;
  const X = await inviter(t, 'X');
  // Re-binding.
  expect(await call(t, B, 'user', 'bindCode', { inviteCode: X.code })).toMatchObject({ ok: false, code: 'ALREADY_BOUND' });
  // A cycle: A (no inviter) tries to bind to B, whom A invited; and further up the chain.
  expect(await call(t, A.id, 'user', 'bindCode', { inviteCode: consented.inviteCode })).toMatchObject({ ok: false, code: 'BIND_CYCLE' });
  const { consented: c2 } = await join(t, uniq('C'), { code: consented.inviteCode });
  expect(await call(t, A.id, 'user', 'bindCode', { inviteCode: c2.inviteCode })).toMatchObject({ ok: false, code: 'BIND_CYCLE' });
  // After a first purchase.
  const D = uniq('D');
  await join(t, D);
  await buy(t, D);
  expect(await call(t, D, 'user', 'bindCode', { inviteCode: A.code })).toMatchObject({ ok: false, code: 'BIND_AFTER_PURCHASE' });
  // An unknown code.
  expect(await call(t, D, 'user', 'bindCode', { inviteCode: 'ZZZZZZ' })).toMatchObject({ ok: false, code: 'INVITE_CODE_INVALID' });
  expect(await userDoc(D)).toMatchObject({ inviterId: null });
  expect(await userDoc(A.id)).toMatchObject({ inviterId: null });
  // A typed code for a fresh consented user works.
  const E = uniq('E');
  await join(t, E);
  expect(await ok(t, E, 'user', 'bindCode', { inviteCode: X.code })).toEqual({ bound: true, pending: false, reason: null });
});

describe('a binding racing the first payment (its paid-order check ran before the payment, its commit after)', () => {
  /** A consented user with no inviter and an unpaid order, its payment prepared. */
  async function buyerWithUnpaidOrder() {
    const D = uniq('D');
    await join(t, D);
    const { order } = await ok(t, D, 'shop', 'createOrder', { requestId: uniq('req'), items: [{ productId: await productAt(t, 5000), quantity: 1 }], address: ADDRESS });
    const prepared = await ok(t, D, 'shop', 'pay', { orderId: order.id });
    return { D, orderId: order.id as string, outTradeNo: prepared.outTradeNo as string };
  }


  const confirm = async (outTradeNo: string) => {
    const res = await fetch(`${t.cloud.url}/__pay/confirm`, { method: 'POST', body: JSON.stringify({ outTradeNo }) });
    expect(res.status).toBe(200);
  };

  it('a payment landing while the binding runs: the binding is refused, the user stays unbound', async () => {
    const A = await inviter(t, 'A');
    const { D, orderId, outTradeNo } = await buyerWithUnpaidOrder();
    // The binding's transaction waits at its first read of the invitee (before its snapshot).
    const binding = await heldDuring(t, { action: 'database.getDocument', collectionName: 'users', inTransaction: true, queryContains: D }, () => call(t, D, 'user', 'bindCode', { inviteCode: A.code }), 'the binding');
    await confirm(outTradeNo);
    expect((await orderDoc(t, orderId)).status).toBe('paid');
    expect(await binding.release()).toMatchObject({ ok: false, code: 'BIND_AFTER_PURCHASE' });
    expect((await userDoc(D)).inviterId ?? null).toBeNull();
    expect((await t.db.collection('referrals').doc(D).get()).data).toHaveLength(0);
  });

  it('a payment after the binding committed: the binding stands (it came first)', async () => {
    const A = await inviter(t, 'A');
    const { D, orderId, outTradeNo } = await buyerWithUnpaidOrder();
    expect(await call(t, D, 'user', 'bindCode', { inviteCode: A.code })).toMatchObject({ ok: true });
    await confirm(outTradeNo);
    expect((await orderDoc(t, orderId)).status).toBe('paid');
    expect((await userDoc(D)).inviterId).toBe(A.id);
    // The order was made before the binding: it carries no inviter, so it earns A nothing.
    expect((await orderDoc(t, orderId)).inviterId).toBeNull();
    // And a second binding is refused as a re-binding.
    expect(await call(t, D, 'user', 'bindCode', { inviteCode: (await inviter(t, 'X')).code })).toMatchObject({ ok: false, code: 'ALREADY_BOUND' });
  });

  it('a payment landing after the binding read the order, before its commit: the commit conflicts, the binding is refused', async () => {
    const A = await inviter(t, 'A');
    const { D, orderId, outTradeNo } = await buyerWithUnpaidOrder();
    const binding = await heldDuring(t, { action: 'database.commitTransaction' }, () => call(t, D, 'user', 'bindCode', { inviteCode: A.code }), 'the binding’s commit');
    await confirm(outTradeNo);
    expect((await orderDoc(t, orderId)).status).toBe('paid');
    expect(await binding.release()).toMatchObject({ ok: false, code: 'BIND_AFTER_PURCHASE' });
    expect((await userDoc(D)).inviterId ?? null).toBeNull();
  });

  it('a buyer with many unpaid orders and one paid: still refused as after the purchase', async () => {
    const A = await inviter(t, 'A');
    const D = uniq('D');
    await join(t, D);
    const product = await productAt(t, 100);
    await buy(t, D, 100, {}, product);
    for (let i = 0; i < 25; i++) await ok(t, D, 'shop', 'createOrder', { requestId: uniq('req'), items: [{ productId: product, quantity: 1 }], address: ADDRESS });
    expect(await call(t, D, 'user', 'bindCode', { inviteCode: A.code })).toMatchObject({ ok: false, code: 'BIND_AFTER_PURCHASE' });
  });

  it('20 bindings and first payments at the same moment: each binds whole or is refused as after the purchase', async () => {
    const rounds = await Promise.all(
      Array.from({ length: 20 }, async () => {
        const A = await inviter(t, 'A');
        const buyer = await buyerWithUnpaidOrder();
        const [bind] = await Promise.all([call(t, buyer.D, 'user', 'bindCode', { inviteCode: A.code }), confirm(buyer.outTradeNo)]);
        return { ...buyer, A, bind };
      }),
    );
    for (const { D, A, orderId, bind } of rounds) {
      expect((await orderDoc(t, orderId)).status).toBe('paid');
      const ref = (await t.db.collection('referrals').doc(D).get()).data[0];
      if (bind.ok) {
        expect(ref).toMatchObject({ inviterId: A.id, status: 'bound' });
        expect((await userDoc(D)).inviterId).toBe(A.id);
      } else {
        expect(bind.code).toBe('BIND_AFTER_PURCHASE');
        expect(ref).toBeUndefined();
        expect((await userDoc(D)).inviterId ?? null).toBeNull();
      }
    }
  });
});

it('identity comes from the call context: a spoofed openid in the payload is refused', async () => {
  const A = await inviter(t, 'A');
  for (const [fn, action] of [
    ['user', 'login'],
    ['user', 'consent'],
    ['wallet', 'summary'],
    ['wallet', 'entries'],
    ['referral', 'myInvitees'],
    ['referral', 'progress'],
  ]) {
    const payload = action === 'consent' ? { version: 'v', openid: A.id } : { openid: A.id };
    expect(await call(t, 'mallory', fn, action, payload)).toMatchObject({ ok: false, code: 'INVALID_ARGUMENT' });
    expect(await call(t, 'mallory', fn, action, { userId: A.id })).toMatchObject({ ok: false, code: 'INVALID_ARGUMENT' });
  }
  expect(await call(t, 'mallory', 'wallet', 'withdraw', { amountFen: 100, requestId: 'req-12345678', userId: A.id })).toMatchObject({ ok: false, code: 'INVALID_ARGUMENT' });
});

it('another user’s wallet and withdrawals are out of reach; merchant actions need the merchant role', async () => {
  const A = await inviter(t, 'A');
  const mallory = uniq('M');
  await join(t, mallory);
  // Mallory's summary is hers (empty), never A's.
  expect((await ok(t, mallory, 'wallet', 'summary')).cash.availableFen).toBe(0);
  await t.db.collection('withdrawals').add({ _id: 'Wfake000000000000000000000000001', userId: A.id, requestId: 'r', amountFen: 100, status: 'transferring', day: '2026-01-01', provider: 'local', transferBillNo: null, packageInfo: 'x', transferExpiresAt: new Date(), failReason: null, reviewNote: null, reviewedBy: null, createdAt: new Date(), reviewedAt: null, paidAt: null, updatedAt: new Date() });
  expect(await call(t, mallory, 'wallet', 'confirmTransfer', { withdrawalId: 'Wfake000000000000000000000000001' })).toMatchObject({ ok: false, code: 'WITHDRAWAL_NOT_FOUND' });
  await t.db.collection('withdrawals').doc('Wfake000000000000000000000000001').remove();
  for (const action of ['listWithdrawals', 'listRewards', 'listRebateRules']) {
    expect(await call(t, mallory, 'merchant', action, {})).toMatchObject({ ok: false, code: 'FORBIDDEN' });
  }
  expect(await call(t, mallory, 'merchant', 'voidReward', { rewardId: 'rw_x_each', reason: '欺诈' })).toMatchObject({ ok: false, code: 'FORBIDDEN' });
  expect(await call(t, mallory, 'merchant', 'reviewWithdrawal', { withdrawalId: 'W1', approve: true })).toMatchObject({ ok: false, code: 'FORBIDDEN' });
  expect(await call(t, mallory, 'settle', 'run', {})).toMatchObject({ ok: false, code: 'FORBIDDEN' });
  expect(await call(t, MERCHANT, 'merchant', 'voidReward', { rewardId: 'rw_nope_each', reason: '欺诈' })).toMatchObject({ ok: false, code: 'REWARD_NOT_FOUND' });
  expect(await call(t, MERCHANT, 'merchant', 'reviewWithdrawal', { withdrawalId: 'Wnope', approve: true })).toMatchObject({ ok: false, code: 'WITHDRAWAL_NOT_FOUND' });
});

it('an assist card binds the task owner and is recorded as an assist open', async () => {
  const owner = await inviter(t, 'O');
  await t.db.collection('assist_tasks').add({ _id: 'task-abuse-1', ownerId: owner.id, status: 'open' });
  const H = uniq('H');
  const login = await ok(t, H, 'user', 'login', { taskId: 'task-abuse-1' });
  expect(login.binding).toMatchObject({ pending: true });
  await ok(t, H, 'user', 'consent', { version: '2026-01' });
  expect((await t.db.collection('referrals').doc(H).get()).data[0]).toMatchObject({ inviterId: owner.id, source: 'assist' });
  expect((await eventsOf(H)).find((e) => e.type === 'open')).toMatchObject({ source: 'assist', inviterId: owner.id });
  // An unknown task binds nothing but is still an open.
  const H2 = uniq('H');
  expect((await ok(t, H2, 'user', 'login', { taskId: 'no-such-task' })).binding).toMatchObject({ bound: false, reason: 'INVITE_CODE_INVALID' });
  expect((await eventsOf(H2)).map((e) => e.type)).toEqual(['open']);
});

it('rules are validated on the server', async () => {
  const bad = await call(t, MERCHANT, 'merchant', 'saveRebateRule', {
    name: '坏规则',
    active: true,
    priority: 0,
    reward: { form: 'coupon', amountFen: 100, minSpendFen: 0, validDays: 7 },
    trigger: { kind: 'eachOrder', minOrderFen: 0, ratioBp: 100 },
    caps: { perInviterPerDay: null, perInviterTotal: null },
    productIds: null,
    startsAt: null,
    endsAt: null,
  });
  expect(bad).toMatchObject({ ok: false, code: 'REBATE_RULE_INVALID' });
  expect(bad.message).toContain('优惠券奖励不支持按比例');
});
