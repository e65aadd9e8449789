/**
 * 阶梯预售 through the gateway and the real SDK, trying to break it: 100 deposits paid at the same moment (each
 * notified twice) count exactly 100 — tiers at 99, 100 and 101, so one deposit too many or too few changes the price;
 * a withdrawn deposit comes off the count once; two settle runs at once price it once; the balance charges
 * final − deposit; after the balance window unpaid deposits are refunded (or forfeited) exactly as the rules said,
 * each once, however often the timer runs; a deposit confirmed after pricing goes straight back.
 * The ledger audit runs after the file (test/support/audit-after.ts).
 */
import { startTestCloud, TestCloud } from '../support/cloud';
import { heldDuring } from '../support/holds';
import { addProduct, call, MERCHANT, MINUTE, ok, payRoute, uniq } from './shop-support';

jest.setTimeout(180_000);

let t: TestCloud;
const HOUR = 60 * MINUTE;

beforeAll(async () => {
  t = await startTestCloud();
});
afterAll(async () => {
  await t.close();
});

const now = () => t.cloud.clock.now();
const iso = (ms: number) => new Date(ms).toISOString();
const settle = () => ok(t, MERCHANT, 'run', {}, 'settle');
const trade = async (outTradeNo: string) => (await payRoute(t, 'query', { outTradeNo })).body;
const presaleDoc = async (productId: string) => (await t.db.collection('presales').doc(`ps-${productId}`).get()).data[0];
const depositDoc = async (id: string) => (await t.db.collection('presale_deposits').doc(id).get()).data[0];

const terms = (productId: string, over: Record<string, unknown> = {}) => ({
  productId,
  active: true,
  depositFen: 1000,
  basePriceFen: 9900,
  tiers: [
    { minDeposits: 99, priceFen: 8900 },
    { minDeposits: 100, priceFen: 7900 },
    { minDeposits: 101, priceFen: 6900 },
  ],
  startsAt: iso(now() - MINUTE),
  endsAt: iso(now() + 2 * HOUR),
  balanceEndsAt: iso(now() + 26 * HOUR),
  forfeitUnpaid: false,
  ...over,
});

async function presaleProduct(over: Record<string, unknown> = {}) {
  const productId = await addProduct(t, { stock: 1000, priceFen: 9900, title: '预售茶具' });
  await ok(t, MERCHANT, 'savePresale', terms(productId, over), 'merchant');
  return productId;
}

/** payDeposit then confirm on the sheet; answers the prepared trade. */
async function paidDeposit(buyer: string, productId: string, times = 1) {
  const prepared = await ok(t, buyer, 'payDeposit', { productId });
  const c = await payRoute(t, 'confirm', { outTradeNo: prepared.outTradeNo, times });
  if (c.status !== 200) throw new Error(JSON.stringify(c.body));
  return prepared;
}

it('the merchant’s pre-sale is validated, with the reasons in Chinese, and locked once a deposit is paid', async () => {
  const productId = await addProduct(t, { stock: 10, priceFen: 9900 });
  const bad = await call(t, MERCHANT, 'savePresale', terms(productId, { depositFen: 9000, balanceEndsAt: iso(now()) }), 'merchant');
  expect(bad.code).toBe('PRESALE_INVALID');
  expect(bad.message).toContain('定金须低于最低一档的价格');
  expect(bad.message).toContain('尾款截止时间须晚于预售结束时间');
  expect((await call(t, MERCHANT, 'savePresale', terms(productId, { depositFen: 10.5 }), 'merchant')).code).toBe('INVALID_ARGUMENT');
  expect((await call(t, MERCHANT, 'savePresale', terms(productId, { tiers: [] }), 'merchant')).code).toBe('INVALID_ARGUMENT');
  expect(await call(t, 'presale-nobody', 'savePresale', terms(productId), 'merchant')).toMatchObject({ ok: false, code: 'FORBIDDEN' });
  const saved = await ok(t, MERCHANT, 'savePresale', terms(productId), 'merchant');
  expect(saved).toMatchObject({ status: 'open', phase: 'deposit', depositCount: 0, currentPriceFen: 9900, nextTier: { minDeposits: 99, priceFen: 8900 }, depositsToNext: 99 });
  expect(saved.rulesText.join('\n')).toContain('定金原路全额退还');
  // Still editable while nobody has paid; then locked.
  await ok(t, MERCHANT, 'savePresale', terms(productId, { depositFen: 1500 }), 'merchant');
  await paidDeposit('presale-first', productId);
  expect((await call(t, MERCHANT, 'savePresale', terms(productId, { depositFen: 500 }), 'merchant')).code).toBe('PRESALE_LOCKED');
  const view = await ok(t, 'presale-first', 'presale', { productId });
  expect(view).toMatchObject({ depositCount: 1, depositFen: 1500, mine: { state: 'paid', depositFen: 1500, balanceFen: null } });
  expect((await call(t, 'presale-first', 'payDeposit', { productId })).code).toBe('PRESALE_ALREADY_JOINED');
  expect((await call(t, 'presale-first', 'payBalance', { productId })).code).toBe('PRESALE_BALANCE_CLOSED');
});

it('100 deposits paid at the same moment count exactly 100; the timer prices it once at the tier 100 reaches; the balance is final − deposit; unpaid deposits are refunded once', async () => {
  const productId = await presaleProduct();
  const buyers = Array.from({ length: 100 }, (_, i) => uniq(`ps-b${i}`));
  const prepared = await Promise.all(buyers.map((b) => ok(t, b, 'payDeposit', { productId })));
  // A shopper who pays and then takes the deposit back, and one who never pays.
  const quitter = uniq('ps-quit');
  const quitTrade = await paidDeposit(quitter, productId);
  const idle = uniq('ps-idle');
  await ok(t, idle, 'payDeposit', { productId });
  // Every payment at the same moment, each notified twice, with the withdrawal racing them.
  const [confirms, withdrawn] = await Promise.all([
    Promise.all(prepared.map((p) => payRoute(t, 'confirm', { outTradeNo: p.outTradeNo, times: 2 }))),
    ok(t, quitter, 'withdrawDeposit', { productId }),
  ]);
  expect(confirms.every((c) => c.status === 200)).toBe(true);
  expect(withdrawn).toMatchObject({ state: 'withdrawn' });
  expect((await trade(quitTrade.outTradeNo)).refunds).toHaveLength(1);
  let p = await presaleDoc(productId);
  expect(p.depositCount).toBe(100);
  expect(new Set(p.countedIds).size).toBe(100);
  const view = await ok(t, buyers[0], 'presale', { productId });
  expect(view).toMatchObject({ depositCount: 100, currentPriceFen: 7900, nextTier: { minDeposits: 101, priceFen: 6900 }, depositsToNext: 1, mine: { state: 'paid' } });
  // A second withdrawal of the same deposit changes nothing.
  expect((await call(t, quitter, 'withdrawDeposit', { productId })).code).toBe('PRESALE_DEPOSIT_NOT_FOUND');
  expect((await presaleDoc(productId)).depositCount).toBe(100);

  // The end: two settle runs at once (and a shopper looking) price it once, by the exact count. (The clock moves
  // in-process, so the local cloud's own timer does not run first.)
  t.cloud.clock.advance(2 * HOUR + MINUTE);
  expect((await call(t, buyers[1], 'payDeposit', { productId })).code).toBe('PRESALE_ENDED');
  const due = (await t.db.collection('presales').where({ status: 'open', endsAt: t.db.command.lte(new Date(now())) }).count()).total;
  const runs = await Promise.all([settle(), settle(), ok(t, buyers[1], 'presale', { productId })]);
  // Every pre-sale due (this one and the first test's) priced by exactly one of the two runs.
  expect(runs[0].jobs['presale.price'] + runs[1].jobs['presale.price']).toBe(due);
  p = await presaleDoc(productId);
  expect(p).toMatchObject({ status: 'priced', finalPriceFen: 7900, depositCount: 100 });
  const pricedAt = p.pricedAt;
  await settle();
  expect((await presaleDoc(productId)).pricedAt).toEqual(pricedAt);
  expect((await depositDoc(prepared[0].depositId)).state).toBe('paid');
  // The idle shopper's unpaid deposit was closed at the end, and cannot be paid now.
  const idleView = await ok(t, idle, 'presale', { productId });
  expect(idleView.mine.state).toBe('cancelled');

  // The balance: final − deposit, paid in the window (notified three times: completed once).
  const bal = await ok(t, buyers[0], 'payBalance', { productId });
  expect(bal.payableFen).toBe(7900 - 1000);
  await payRoute(t, 'confirm', { outTradeNo: bal.outTradeNo, times: 3 });
  expect((await depositDoc(prepared[0].depositId)).state).toBe('completed');
  expect((await call(t, buyers[0], 'payBalance', { productId })).code).toBe('PRESALE_BALANCE_PAID');
  // Another prepares the balance but does not pay it.
  const unpaidBal = await ok(t, buyers[2], 'payBalance', { productId });
  expect(unpaidBal.payableFen).toBe(6900);

  // After the balance window: the rules said refund, so every unpaid deposit is refunded in full, exactly once.
  await t.dev('clock', { advanceMs: 24 * HOUR + MINUTE });
  expect((await call(t, buyers[3], 'payBalance', { productId })).code).toBe('PRESALE_BALANCE_CLOSED');
  await Promise.all([settle(), settle()]);
  await settle();
  expect((await presaleDoc(productId)).status).toBe('closed');
  for (const [i, pr] of prepared.entries()) {
    const d = await depositDoc(pr.depositId);
    const tr = await trade(pr.outTradeNo);
    if (i === 0) {
      expect(d.state).toBe('completed');
      expect(tr.refunds).toHaveLength(0);
    } else {
      expect(d).toMatchObject({ state: 'refunded', refundOwed: false });
      expect(tr.refunds).toHaveLength(1);
      expect(tr.refundedFee).toBe(1000);
    }
  }
  const merchantView = await ok(t, MERCHANT, 'getPresale', { productId }, 'merchant');
  expect(merchantView.byState).toEqual({ completed: 1, refunded: 99, withdrawn: 1, cancelled: 1 });
});

it('deposits confirmed while two timer runs price the pre-sale: each is counted and kept, or refused and refunded, never refunded while counted', async () => {
  const productId = await presaleProduct({ tiers: [{ minDeposits: 50, priceFen: 8900 }, { minDeposits: 100, priceFen: 7900 }] });
  const buyers = Array.from({ length: 150 }, (_, i) => uniq(`ps-race${i}`));
  const prepared = await Promise.all(buyers.map((b) => ok(t, b, 'payDeposit', { productId })));
  t.cloud.clock.advance(2 * HOUR + MINUTE);
  await Promise.all([...prepared.map((pr) => payRoute(t, 'confirm', { outTradeNo: pr.outTradeNo })), settle(), settle()]);
  await settle();
  const p = await presaleDoc(productId);
  expect(p.status).toBe('priced');
  const counted = new Set<string>(p.countedIds);
  const states = await Promise.all(prepared.map((pr) => depositDoc(pr.depositId)));
  const paid = states.filter((d) => d.state === 'paid');
  // Nobody took a deposit back: a paid deposit is counted; one whose payment came too late was refused (priced) or
  // closed (cancelled) and, if the money arrived, refunded once; none is refunded while it counts.
  expect(states.filter((d) => !['paid', 'refused', 'cancelled'].includes(d.state)).map((d) => d.state)).toEqual([]);
  expect(paid.every((d) => counted.has(d._id))).toBe(true);
  expect(states.filter((d) => d.state !== 'paid').every((d) => !counted.has(d._id))).toBe(true);
  expect(p.depositCount).toBe(paid.length);
  expect(counted.size).toBe(paid.length);
  expect(p.finalPriceFen).toBe(paid.length >= 100 ? 7900 : paid.length >= 50 ? 8900 : 9900);
  for (const [i, pr] of prepared.entries()) {
    const tr = await trade(pr.outTradeNo);
    const moneyArrived = tr.state !== 'NOTPAY' && tr.state !== 'CLOSED';
    expect([states[i].state, tr.refunds.length]).toEqual([states[i].state, states[i].state !== 'paid' && moneyArrived ? 1 : 0]);
  }
});

it('when the rules say so, an unpaid balance forfeits the deposit, once; a deposit confirmed after pricing goes straight back', async () => {
  const productId = await presaleProduct({ forfeitUnpaid: true, tiers: [{ minDeposits: 2, priceFen: 8000 }] });
  const [a, b, late] = [uniq('ps-fa'), uniq('ps-fb'), uniq('ps-late')];
  const da = await paidDeposit(a, productId);
  const db = await paidDeposit(b, productId);
  const lateTrade = await ok(t, late, 'payDeposit', { productId });
  await payRoute(t, 'confirm', { outTradeNo: lateTrade.outTradeNo, times: 0 });
  // The late notification arrives only after the timer; the timer closes pending trades first (paid → counted).
  await t.dev('clock', { advanceMs: 2 * HOUR + MINUTE });
  await settle();
  let p = await presaleDoc(productId);
  expect(p).toMatchObject({ status: 'priced', depositCount: 3, finalPriceFen: 8000 });
  await payRoute(t, 'confirm', { outTradeNo: lateTrade.outTradeNo, times: 1 });
  expect((await presaleDoc(productId)).depositCount).toBe(3);

  const bal = await ok(t, a, 'payBalance', { productId });
  expect(bal.payableFen).toBe(7000);
  await payRoute(t, 'confirm', { outTradeNo: bal.outTradeNo });
  await t.dev('clock', { advanceMs: 24 * HOUR + MINUTE });
  await Promise.all([settle(), settle()]);
  await settle();
  p = await presaleDoc(productId);
  expect(p.status).toBe('closed');
  expect((await depositDoc(da.depositId)).state).toBe('completed');
  expect(await depositDoc(db.depositId)).toMatchObject({ state: 'forfeited', refundOwed: false });
  expect((await trade(db.outTradeNo)).refunds).toHaveLength(0);
  expect((await depositDoc(lateTrade.depositId)).state).toBe('forfeited');
});

it('a deposit paid after the pre-sale was priced is refused and refunded in full, once', async () => {
  const productId = await presaleProduct();
  const buyer = uniq('ps-after');
  const prepared = await ok(t, buyer, 'payDeposit', { productId });
  // Paid on the sheet, but the notification is held back while the pre-sale is priced past it (as if the timer had
  // seen the trade unpaid a moment before); then the notification lands, three times.
  await payRoute(t, 'confirm', { outTradeNo: prepared.outTradeNo, times: 0 });
  await t.db.collection('presales').doc(`ps-${productId}`).update({ status: 'priced', finalPriceFen: 9900 });
  await payRoute(t, 'confirm', { outTradeNo: prepared.outTradeNo, times: 3 });
  const d = await depositDoc(prepared.depositId);
  expect(d).toMatchObject({ state: 'refused', refundOwed: false });
  const tr = await trade(prepared.outTradeNo);
  expect(tr.refunds).toHaveLength(1);
  expect(tr.refundedFee).toBe(1000);
  expect((await presaleDoc(productId)).depositCount).toBe(0);
});

it('a 500-deposit burst reaches exactly the 500 tier (each notified twice); six take-backs of one deposit at once refund it once; two timer firings price it once and every balance uses that price', async () => {
  const productId = await presaleProduct({
    tiers: [
      { minDeposits: 499, priceFen: 8900 },
      { minDeposits: 500, priceFen: 7900 },
      { minDeposits: 501, priceFen: 6900 },
    ],
  });
  const buyers = Array.from({ length: 500 }, (_, i) => uniq(`ps-burst${i}`));
  const prepared = await Promise.all(buyers.map((b) => ok(t, b, 'payDeposit', { productId })));
  // One more shopper pays, then asks for the deposit back six times at once while the burst is being notified.
  const taker = uniq('ps-taker');
  const takerTrade = await paidDeposit(taker, productId);
  const [confirms, takes] = await Promise.all([
    Promise.all(prepared.map((p) => payRoute(t, 'confirm', { outTradeNo: p.outTradeNo, times: 2 }))),
    Promise.all(Array.from({ length: 6 }, () => call(t, taker, 'withdrawDeposit', { productId }))),
  ]);
  expect(confirms.every((c) => c.status === 200)).toBe(true);
  // Each answer is either the withdrawn deposit (an idempotent repeat) or 定金订单不存在; the provider refunds once.
  expect(takes.some((r) => r.ok)).toBe(true);
  for (const r of takes) {
    if (r.ok) expect(r.data).toMatchObject({ state: 'withdrawn' });
    else expect(r.code).toBe('PRESALE_DEPOSIT_NOT_FOUND');
  }
  const taken = await trade(takerTrade.outTradeNo);
  expect(taken.refunds).toHaveLength(1);
  expect(taken.refundedFee).toBe(1000);
  const p = await presaleDoc(productId);
  expect(p.depositCount).toBe(500);
  expect(new Set(p.countedIds).size).toBe(500);
  expect(p.countedIds).not.toContain(takerTrade.depositId);
  const view = await ok(t, buyers[0], 'presale', { productId });
  expect(view).toMatchObject({ depositCount: 500, currentPriceFen: 7900, nextTier: { minDeposits: 501 }, depositsToNext: 1 });

  // Two timer firings at the same moment: one final price, the 500 tier's.
  await t.dev('clock', { advanceMs: 2 * HOUR + MINUTE });
  await Promise.all([settle(), settle()]);
  const priced = await presaleDoc(productId);
  expect(priced).toMatchObject({ status: 'priced', finalPriceFen: 7900, depositCount: 500 });
  await settle();
  expect((await presaleDoc(productId)).pricedAt).toEqual(priced.pricedAt);
  // Every balance order (twenty prepared at once) charges that price − the deposit.
  const balances = await Promise.all(buyers.slice(0, 20).map((b) => ok(t, b, 'payBalance', { productId })));
  expect(balances.map((b) => b.payableFen)).toEqual(Array(20).fill(7900 - 1000));
});

describe('the merchant changes the pre-sale while a deposit is being paid: the deposit is never counted under terms its buyer did not see', () => {
  /** payDeposit (the sheet is open), then the merchant saves `change`, then the payment lands twice. */
  async function changedWhilePaying(change: Record<string, unknown>, base: Record<string, unknown> = {}) {
    const productId = await addProduct(t, { stock: 1000, priceFen: 9900, title: '预售茶具' });
    const offered = terms(productId, { tiers: [{ minDeposits: 1, priceFen: 8000 }], ...base });
    await ok(t, MERCHANT, 'savePresale', offered, 'merchant');
    const buyer = uniq('ps-chg');
    const prepared = await ok(t, buyer, 'payDeposit', { productId });
    const saved = await call(t, MERCHANT, 'savePresale', { ...offered, ...change }, 'merchant');
    expect(saved).toMatchObject({ ok: true });
    const c = await payRoute(t, 'confirm', { outTradeNo: prepared.outTradeNo, times: 2 });
    expect(c.status).toBe(200);
    return { productId, buyer, prepared };
  }
  const expectRefundedInFull = async (prepared: { outTradeNo: string; depositId: string }, productId: string, fee = 1000) => {
    expect(await depositDoc(prepared.depositId)).toMatchObject({ state: 'refused', refundOwed: false });
    const tr = await trade(prepared.outTradeNo);
    expect(tr.refunds).toHaveLength(1);
    expect(tr.refundedFee).toBe(fee);
    expect(await presaleDoc(productId)).toMatchObject({ depositCount: 0, countedIds: [] });
  };

  it('switched off: refunded in full at once (before: counted, then forfeited-like: no withdraw, no balance, no refund)', async () => {
    const { productId, prepared } = await changedWhilePaying({ active: false });
    await expectRefundedInFull(prepared, productId);
  });

  it('the forfeit rule flipped and the deposit raised: refunded in full, and a new deposit is offered under the new terms', async () => {
    const { productId, buyer, prepared } = await changedWhilePaying({ forfeitUnpaid: true, depositFen: 5000 });
    await expectRefundedInFull(prepared, productId);
    // The shopper may join again, now seeing ¥50 and the forfeit rule.
    const again = await ok(t, buyer, 'payDeposit', { productId });
    expect(again.payableFen).toBe(5000);
    await payRoute(t, 'confirm', { outTradeNo: again.outTradeNo, times: 1 });
    expect(await depositDoc(again.depositId)).toMatchObject({ state: 'paid', depositFen: 5000 });
    expect((await presaleDoc(productId)).depositCount).toBe(1);
  });

  it('tiers lowered below the deposit: refunded in full, never a ¥50 deposit kept for a ¥20 item', async () => {
    const { productId, prepared } = await changedWhilePaying({ depositFen: 1000, tiers: [{ minDeposits: 1, priceFen: 2000 }] }, { depositFen: 5000 });
    await expectRefundedInFull(prepared, productId, 5000);
  });

  it('tapped again after the change, before the first sheet timed out: a new payment for the new deposit, the old one closed', async () => {
    const productId = await addProduct(t, { stock: 1000, priceFen: 9900, title: '预售茶具' });
    const offered = terms(productId, { tiers: [{ minDeposits: 1, priceFen: 8000 }] });
    await ok(t, MERCHANT, 'savePresale', offered, 'merchant');
    const buyer = uniq('ps-again');
    const first = await ok(t, buyer, 'payDeposit', { productId });
    expect(first.payableFen).toBe(1000);
    await ok(t, MERCHANT, 'savePresale', { ...offered, depositFen: 5000 }, 'merchant');
    const second = await ok(t, buyer, 'payDeposit', { productId });
    expect(second.payableFen).toBe(5000);
    expect(second.outTradeNo).not.toBe(first.outTradeNo);
    await payRoute(t, 'confirm', { outTradeNo: second.outTradeNo, times: 2 });
    expect(await depositDoc(second.depositId)).toMatchObject({ state: 'paid', depositFen: 5000 });
    expect((await presaleDoc(productId)).depositCount).toBe(1);
  });

  it('a save compared against terms another save has just changed is asked to retry: a version never names two sets of terms', async () => {
    const productId = await addProduct(t, { stock: 1000, priceFen: 9900, title: '预售茶具' });
    const offered = terms(productId, { tiers: [{ minDeposits: 1, priceFen: 8000 }] });
    await ok(t, MERCHANT, 'savePresale', offered, 'merchant');
    // Device A presses 保存 on the terms as they were (unchanged); its write waits while device B raises the deposit.
    const a = await heldDuring(t, { action: 'database.modifyDocument', collectionName: 'presales' }, () => call(t, MERCHANT, 'savePresale', offered, 'merchant'), 'device A’s save');
    await ok(t, MERCHANT, 'savePresale', { ...offered, depositFen: 3000 }, 'merchant');
    expect(await a.release()).toMatchObject({ ok: false, code: 'CONFLICT' });
    const doc = await presaleDoc(productId);
    expect(doc).toMatchObject({ depositFen: 3000, termsVersion: 2 });
  });

  it('saved unchanged (保存 pressed again): the payment under way counts, once', async () => {
    const { productId, prepared } = await changedWhilePaying({});
    expect(await depositDoc(prepared.depositId)).toMatchObject({ state: 'paid' });
    expect(await presaleDoc(productId)).toMatchObject({ depositCount: 1, countedIds: [prepared.depositId] });
    expect((await trade(prepared.outTradeNo)).refunds ?? []).toHaveLength(0);
  });
});
