/** Pure shop rules as tables: lines, prices, coupons, what is left to pay, refund windows, addresses, rule texts. */
import { validateAddress } from '../../cloudfunctions/domain/shopAddress';
import { canRequestRefund, orderIdFor, requestFingerprint } from '../../cloudfunctions/domain/shopOrders';
import { applyCoupon, normalizeLines, payableAfter, priceLines } from '../../cloudfunctions/domain/shopPricing';
import { campaignRulesText } from '../../cloudfunctions/domain/assistPolicy';
import { describeAssistCampaign, describeRebateRule, isActiveAt } from '../../cloudfunctions/domain/shopRules';
import type { AssistCampaignDoc, RebateRuleDoc } from '../../types/models';
import type { Fen } from '../../types/money';

const f = (n: number) => n as Fen;

describe('normalizeLines', () => {
  it.each([
    ['one line', [{ productId: 'a', quantity: 1 }], [{ productId: 'a', quantity: 1 }]],
    ['merges the same product', [{ productId: 'a', quantity: 2 }, { productId: 'a', quantity: 3 }], [{ productId: 'a', quantity: 5 }]],
    ['keeps order of first appearance', [{ productId: 'b', quantity: 1 }, { productId: 'a', quantity: 1 }], [{ productId: 'b', quantity: 1 }, { productId: 'a', quantity: 1 }]],
    ['99 is the most per line', [{ productId: 'a', quantity: 99 }], [{ productId: 'a', quantity: 99 }]],
    ['an assisted line of one', [{ productId: 'a', quantity: 1, assistTaskId: 't' }], [{ productId: 'a', quantity: 1, assistTaskId: 't' }]],
  ])('%s', (_n, input, expected) => {
    expect(normalizeLines(input)).toEqual({ ok: true, lines: expected });
  });

  it.each([
    ['no lines', []],
    ['zero', [{ productId: 'a', quantity: 0 }]],
    ['negative', [{ productId: 'a', quantity: -1 }]],
    ['fraction', [{ productId: 'a', quantity: 0.5 }]],
    ['100', [{ productId: 'a', quantity: 100 }]],
    ['merged past 99', [{ productId: 'a', quantity: 50 }, { productId: 'a', quantity: 50 }]],
    ['NaN', [{ productId: 'a', quantity: NaN }]],
    ['21 lines', Array.from({ length: 21 }, (_, i) => ({ productId: `p${i}`, quantity: 1 }))],
    ['assisted line of two', [{ productId: 'a', quantity: 2, assistTaskId: 't' }]],
    ['assisted line merged', [{ productId: 'a', quantity: 1, assistTaskId: 't' }, { productId: 'a', quantity: 1 }]],
    ['two assisted lines', [{ productId: 'a', quantity: 1, assistTaskId: 't' }, { productId: 'b', quantity: 1, assistTaskId: 'u' }]],
  ])('refuses %s', (_n, input) => {
    expect(normalizeLines(input as never)).toEqual({ ok: false, reason: 'QUANTITY_INVALID' });
  });
});

describe('prices and coupons', () => {
  it('prices lines from unit prices', () => {
    expect(priceLines([{ productId: 'a', quantity: 3, unitPriceFen: f(999) }, { productId: 'b', quantity: 1, unitPriceFen: f(1) }])).toEqual({
      lines: [
        { productId: 'a', quantity: 3, unitPriceFen: 999, subtotalFen: 2997 },
        { productId: 'b', quantity: 1, unitPriceFen: 1, subtotalFen: 1 },
      ],
      itemsTotalFen: 2998,
    });
  });

  it.each([
    ['no coupon', 5000, null, { ok: true, couponFen: 0 }],
    ['at the minimum spend', 5000, { amountFen: 500, minSpendFen: 5000 }, { ok: true, couponFen: 500 }],
    ['under the minimum spend', 4999, { amountFen: 500, minSpendFen: 5000 }, { ok: false, reason: 'COUPON_MIN_SPEND' }],
    ['bigger than the order leaves 1 fen', 300, { amountFen: 500, minSpendFen: 0 }, { ok: true, couponFen: 299 }],
    ['an order of 1 fen takes nothing off', 1, { amountFen: 500, minSpendFen: 0 }, { ok: true, couponFen: 0 }],
  ])('%s', (_n, total, coupon, expected) => {
    expect(applyCoupon(f(total), coupon as never)).toEqual(expected);
  });

  it.each([
    [10000, 1000, 2000, 500, 6500],
    [10000, 0, 0, 0, 10000],
    [10000, 0, 9999, 0, 1],
    [10000, 0, 10000, 0, null],
    [10000, 5000, 3000, 3000, null],
  ])('total %i − coupon %i − cash %i − points %i = %s', (total, coupon, cash, points, expected) => {
    expect(payableAfter(f(total), f(coupon), f(cash), f(points))).toBe(expected);
  });
});

describe('orders', () => {
  it('derives a payable out_trade_no from buyer and requestId', () => {
    const id = orderIdFor('buyer-1', 'req-1');
    expect(id).toMatch(/^[A-Za-z0-9]{27}$/);
    expect(orderIdFor('buyer-1', 'req-1')).toBe(id);
    expect(orderIdFor('buyer-2', 'req-1')).not.toBe(id);
  });

  it('fingerprints the request, not the order of its lines', () => {
    const a = requestFingerprint({ items: [{ productId: 'a', quantity: 1 }, { productId: 'b', quantity: 2 }], addressId: 'x' });
    expect(requestFingerprint({ items: [{ productId: 'b', quantity: 2 }, { productId: 'a', quantity: 1 }], addressId: 'x' })).toBe(a);
    expect(requestFingerprint({ items: [{ productId: 'a', quantity: 2 }, { productId: 'b', quantity: 2 }], addressId: 'x' })).not.toBe(a);
    expect(requestFingerprint({ items: [{ productId: 'a', quantity: 1 }, { productId: 'b', quantity: 2 }], addressId: 'x', couponId: 'c' })).not.toBe(a);
  });

  const now = new Date('2025-01-10T00:00:00Z');
  const deadline = (d: string | null) => (d ? new Date(d) : null);
  it.each([
    ['pending_payment', null, { ok: false, reason: 'REFUND_NOT_ALLOWED' }],
    ['paid', null, { ok: true }],
    ['shipped', null, { ok: true }],
    ['received', '2025-01-10T00:00:01Z', { ok: true }],
    ['received', '2025-01-10T00:00:00Z', { ok: false, reason: 'REFUND_WINDOW_CLOSED' }],
    ['received', null, { ok: false, reason: 'REFUND_WINDOW_CLOSED' }],
    ['refunded', null, { ok: false, reason: 'REFUND_NOT_ALLOWED' }],
    ['expired', null, { ok: false, reason: 'REFUND_NOT_ALLOWED' }],
  ])('refund of a %s order (deadline %s)', (status, d, expected) => {
    expect(canRequestRefund({ status: status as never, refundDeadline: deadline(d) }, now)).toEqual(expected);
  });
});

describe('addresses', () => {
  const good = { name: ' 张三 ', phone: '138 0013 8000', province: '浙江省', city: '杭州市', district: '西湖区', detail: '文三路  100 号' };
  it('trims and normalises', () => {
    expect(validateAddress(good)).toEqual({ ok: true, address: { name: '张三', phone: '13800138000', province: '浙江省', city: '杭州市', district: '西湖区', detail: '文三路 100 号' } });
    expect(validateAddress({ ...good, phone: '0571-88886666' })).toMatchObject({ ok: true });
  });
  it.each([
    ['name', { name: '' }],
    ['name', { name: '张'.repeat(21) }],
    ['phone', { phone: '12800138000' }],
    ['phone', { phone: '1380013800' }],
    ['detail', { detail: '1' }],
    ['detail', { detail: '<b>x</b>' }],
    ['city', { city: 'a\u0000b' }],
  ])('refuses a bad %s', (field, patch) => {
    expect(validateAddress({ ...good, ...patch })).toEqual({ ok: false, field });
  });
});

describe('rules shown before anyone starts', () => {
  const base = { _id: 'r', name: '推三返一', active: true, priority: 1, caps: { perInviterPerDay: null, perInviterTotal: null }, productIds: null, startsAt: null, endsAt: null, createdAt: new Date(), updatedAt: new Date() };
  it.each([
    [{ reward: { form: 'cash', amountFen: 5000 }, trigger: { kind: 'everyN', n: 3, minOrderFen: 0 } }, '每邀请 3 位好友完成首单，返现 ¥50.00'],
    [{ reward: { form: 'points', points: 200 }, trigger: { kind: 'everyN', n: 2, minOrderFen: 10000 } }, '每邀请 2 位好友完成首单且实付满 ¥100.00，送 200 积分'],
    [{ reward: { form: 'cash', amountFen: 0 }, trigger: { kind: 'eachOrder', minOrderFen: 5000, ratioBp: 500 } }, '你邀请的好友每完成一笔实付满 ¥50.00 的订单，返现订单实付金额的 5%'],
    [{ reward: { form: 'coupon', amountFen: 1000, minSpendFen: 5000, validDays: 30 }, trigger: { kind: 'eachOrder', minOrderFen: 0 } }, '你邀请的好友每完成一笔订单，送 ¥10.00 优惠券（满 ¥50.00 可用，30 天内有效）'],
  ])('%j', (rule, summary) => {
    const d = describeRebateRule({ ...base, ...rule } as RebateRuleDoc);
    expect(d.summary).toBe(summary);
    expect(d.details.join('\n')).toContain('不设多级');
  });

  it('states caps and the window in Beijing time', () => {
    const d = describeRebateRule({ ...base, reward: { form: 'cash', amountFen: f(100) }, trigger: { kind: 'everyN', n: 3, minOrderFen: f(0) }, caps: { perInviterPerDay: 2, perInviterTotal: 10 }, startsAt: new Date('2025-01-01T00:00:00Z'), endsAt: new Date('2025-02-01T00:00:00Z') });
    expect(d.details).toEqual(expect.arrayContaining(['每人每天最多获得 2 次奖励。', '每人累计最多获得 10 次奖励。', '活动时间：2025-01-01 08:00 至 2025-02-01 08:00（北京时间）。']));
  });

  it('describes an assist campaign with its fallback, in the very words of the task page (one describer)', () => {
    const c = { _id: 'c', productId: 'p', active: true, helpersNeeded: 5, durationHours: 24, success: { kind: 'coupon', amountFen: 2000, minSpendFen: 10000, validDays: 7 }, fallback: { kind: 'points', pointsPerHelper: 10 }, newUsersOnly: true, helperDailyCap: 3, openTasksPerShopper: 1, startsAt: null, endsAt: null, createdAt: new Date(), updatedAt: new Date() } as unknown as AssistCampaignDoc;
    const d = describeAssistCampaign(c);
    expect(d.summary).toBe('邀请 5 位好友助力，获得 ¥20.00 优惠券（满 ¥100.00 可用，7 天内有效）');
    expect(d.details).toEqual(campaignRulesText(c, null));
    expect(d.details).toEqual(expect.arrayContaining(['仅限通过本任务的分享卡片首次打开小程序、且未下过单的新用户助力。', '到时未完成，每位已助力的好友为你换得 10 积分。']));
  });

  it.each([
    [{ active: true, startsAt: null, endsAt: null }, true],
    [{ active: false, startsAt: null, endsAt: null }, false],
    [{ active: true, startsAt: new Date('2025-01-11'), endsAt: null }, false],
    [{ active: true, startsAt: null, endsAt: new Date('2025-01-10') }, false],
    [{ active: true, startsAt: new Date('2025-01-10'), endsAt: new Date('2025-01-11') }, true],
  ])('active %j', (doc, expected) => {
    expect(isActiveAt(doc, new Date('2025-01-10T00:00:00Z'))).toBe(expected);
  });
});
