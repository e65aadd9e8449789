/**
 * 推三返一 end to end through the real SDK and the shop: A invites B, C, D; each buys → 3/3 and one frozen reward;
 * C refunds inside the window → voided, 2/3; E buys → the reward returns; the clock passes the window → settle makes
 * it available; A withdraws, the merchant approves, A confirms receipt → paid; the ledger audits clean throughout.
 */
import { startTestCloud, TestCloud } from '../support/cloud';
import { advance, buy, call, DAY, expectAuditClean, invitees, inviter, MERCHANT, notificationsOf, ok, progress, receive, refund, rewardsOf, settle, uniq, wallet } from './referral-support';

let t: TestCloud;

beforeAll(async () => {
  t = await startTestCloud();
});
afterAll(() => t.close());
afterEach(async () => {
  await expectAuditClean(t);
});

describe('推三返一 with the demo rule (every 3 invitees’ first orders → ¥50 cash)', () => {
  let A: { id: string; code: string };
  let B: string, C: string, D: string, E: string;
  const orders: Record<string, string> = {};

  it('A invites B, C, D; each buys → A’s progress 3/3 and one frozen reward', async () => {
    A = await inviter(t);
    [B, C, D, E] = await invitees(t, A.code, 4);
    expect(await progress(t, A.id)).toMatchObject({ text: '0/3', invitees: 4, converted: 0 });
    orders.B = await buy(t, B);
    expect(await progress(t, A.id)).toMatchObject({ text: '1/3', converted: 1 });
    orders.C = await buy(t, C);
    expect((await progress(t, A.id)).text).toBe('2/3');
    expect((await wallet(t, A.id)).cash.frozenFen).toBe(0);
    orders.D = await buy(t, D);
    expect(await progress(t, A.id)).toMatchObject({ text: '3/3', groups: 1, converted: 3 });
    const w = await wallet(t, A.id);
    expect(w.cash).toEqual({ availableFen: 0, frozenFen: 5000, withdrawingFen: 0, debtFen: 0 });
    const rewards = await rewardsOf(t, A.id);
    expect(rewards).toHaveLength(1);
    expect(rewards[0]).toMatchObject({ form: 'cash', amount: 5000, status: 'frozen', maturesAt: null, orderId: orders.D });
    expect(rewards[0].members.map((m: any) => m.inviteeId)).toEqual([B, C, D]);
    // A second purchase by B is not a conversion: still one reward.
    await buy(t, B);
    expect(await rewardsOf(t, A.id)).toHaveLength(1);
    const kinds = (await notificationsOf(t, A.id)).map((n) => n.kind);
    expect(kinds.filter((k) => k === 'referral.invitee_bought')).toHaveLength(4);
    expect(kinds.filter((k) => k === 'reward.frozen')).toHaveLength(1);
    const invited = await ok(t, A.id, 'referral', 'myInvitees');
    expect(invited.items).toHaveLength(4);
    expect(invited.items.map((i: any) => i.status).sort()).toEqual(['bought', 'bought', 'bought', 'bound']);
    // Nameless friends read 微信用户 (never a masked 微**户), named ones masked; each has their own avatar seed.
    expect(invited.items.every((i: any) => i.nickname === '微信用户' || /\*/.test(i.nickname))).toBe(true);
    expect(new Set(invited.items.map((i: any) => i.avatarSeed)).size).toBe(4);
  });

  it('C refunds inside the window → the reward is voided and progress shows 2/3', async () => {
    for (const who of [B, C, D]) await receive(t, who, orders[who === B ? 'B' : who === C ? 'C' : 'D']);
    await advance(t, 2 * DAY);
    await refund(t, C, orders.C);
    expect((await progress(t, A.id)).text).toBe('2/3');
    const w = await wallet(t, A.id);
    expect(w.cash).toEqual({ availableFen: 0, frozenFen: 0, withdrawingFen: 0, debtFen: 0 });
    const [r] = await rewardsOf(t, A.id);
    expect(r).toMatchObject({ status: 'voided', reason: '好友订单已退款' });
    expect((await notificationsOf(t, A.id)).some((n) => n.kind === 'reward.voided')).toBe(true);
    const referral = (await t.db.collection('referrals').doc(C).get()).data[0];
    expect(referral).toMatchObject({ status: 'reversed', conversion: null, conversions: 1 });
  });

  it('E buys → the reward returns (3/3, frozen again)', async () => {
    orders.E = await buy(t, E);
    expect(await progress(t, A.id)).toMatchObject({ text: '3/3', groups: 1 });
    expect((await wallet(t, A.id)).cash.frozenFen).toBe(5000);
    const rewards = await rewardsOf(t, A.id);
    expect(rewards.map((r) => r.status)).toEqual(['voided', 'frozen']);
    expect(rewards[1].members.map((m: any) => m.inviteeId)).toEqual([B, D, E]);
    // B and D were received: their deadlines are known; E's is not yet, so it cannot mature.
    expect(rewards[1].maturesAt).toBeNull();
    // The wallet cannot say when yet.
    expect((await wallet(t, A.id)).nextUnfreezeAt).toBeNull();
  });

  it('the clock passes the window → settle makes it available', async () => {
    await receive(t, E, orders.E);
    const [, r] = await rewardsOf(t, A.id);
    expect(r.maturesAt).toBeInstanceOf(Date);
    // Now it can: the wallet names the moment E's refund window closes.
    expect((await wallet(t, A.id)).nextUnfreezeAt).toBe(r.maturesAt.toISOString());
    await settle(t);
    expect((await wallet(t, A.id)).cash.availableFen).toBe(0); // not yet: inside E's window
    await advance(t, 7 * DAY + 60_000);
    await settle(t);
    expect((await wallet(t, A.id)).cash).toEqual({ availableFen: 5000, frozenFen: 0, withdrawingFen: 0, debtFen: 0 });
    expect((await rewardsOf(t, A.id))[1]).toMatchObject({ status: 'available' });
    expect((await wallet(t, A.id)).nextUnfreezeAt).toBeNull();
    // Rerunning settles nothing twice.
    await settle(t);
    expect((await wallet(t, A.id)).cash.availableFen).toBe(5000);
    expect((await notificationsOf(t, A.id)).filter((n) => n.kind === 'reward.available')).toHaveLength(1);
    const invited = await ok(t, A.id, 'referral', 'myInvitees');
    expect(invited.items.map((i: any) => i.status).sort()).toEqual(['bound', 'confirmed', 'confirmed', 'confirmed']);
  });

  it('A withdraws, the merchant approves, A confirms receipt → paid; entries read in Chinese', async () => {
    const requestId = uniq('wd');
    const w = await ok(t, A.id, 'wallet', 'withdraw', { amountFen: 5000, requestId });
    expect(w).toMatchObject({ status: 'pending', amountFen: 5000 });
    // Two taps, one withdrawal.
    expect(await ok(t, A.id, 'wallet', 'withdraw', { amountFen: 5000, requestId })).toMatchObject({ id: w.id, status: 'pending' });
    expect((await wallet(t, A.id)).cash).toMatchObject({ availableFen: 0, withdrawingFen: 5000 });
    const listed = await ok(t, MERCHANT, 'merchant', 'listWithdrawals', { status: 'pending' });
    expect(listed.items.map((x: any) => x.id)).toContain(w.id);
    const approved = await ok(t, MERCHANT, 'merchant', 'reviewWithdrawal', { withdrawalId: w.id, approve: true });
    expect(approved).toMatchObject({ status: 'transferring', transfer: { provider: 'local', packageInfo: expect.any(String) } });
    const paid = await ok(t, A.id, 'wallet', 'confirmTransfer', { withdrawalId: w.id });
    expect(paid).toMatchObject({ status: 'paid', statusText: '已到账' });
    expect((await wallet(t, A.id)).cash).toEqual({ availableFen: 0, frozenFen: 0, withdrawingFen: 0, debtFen: 0 });
    expect((await notificationsOf(t, A.id)).some((n) => n.kind === 'withdrawal.paid')).toBe(true);
    const entries = await ok(t, A.id, 'wallet', 'entries', { pageSize: 50 });
    const titles = entries.items.map((e: any) => e.title);
    expect(titles[0]).toBe('提现到账微信零钱');
    expect(titles).toEqual(expect.arrayContaining(['邀请奖励到账', '邀请奖励解冻', '申请提现', '提现处理中']));
    expect(titles.some((x: string) => x.startsWith('邀请奖励作废'))).toBe(true);
    const bill = await fetch(`${t.cloud.url}/__payout/v3/fund-app/mch-transfer/transfer-bills/out-bill-no/${w.id}`).then((r) => r.json());
    expect(bill).toMatchObject({ state: 'SUCCESS', transfer_amount: 5000, openid: A.id, out_bill_no: w.id, mch_id: expect.any(String) });
    // Someone else's withdrawal is not theirs to confirm.
    expect(await call(t, 'someone-else', 'wallet', 'confirmTransfer', { withdrawalId: w.id })).toMatchObject({ ok: false, code: 'WITHDRAWAL_NOT_FOUND' });
  });
});
