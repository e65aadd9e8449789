/** What an assist pays, as tables: the expiry fallback, the voucher at checkout, the campaign's rules and checks. */
import type { Fen } from '../../types/money';
import type { AssistCampaignDoc } from '../../types/models';
import {
  campaignIsLive,
  campaignProblems,
  campaignRulesText,
  CampaignTerms,
  expiryFallback,
  voucherRefusal,
  voucherState,
} from '../../cloudfunctions/domain/assistPolicy';

const f = (n: number) => n as Fen;

describe('expiryFallback: the campaign fallback scaled by helpers reached', () => {
  it.each<[AssistCampaignDoc['fallback'], number, unknown]>([
    [{ kind: 'none' }, 2, { kind: 'none' }],
    [{ kind: 'points', pointsPerHelper: 100 }, 0, { kind: 'none' }],
    [{ kind: 'points', pointsPerHelper: 100 }, 1, { kind: 'points', points: 100 }],
    [{ kind: 'points', pointsPerHelper: 100 }, 2, { kind: 'points', points: 200 }],
    [{ kind: 'points', pointsPerHelper: 0 }, 2, { kind: 'none' }],
    [{ kind: 'coupon', amountFenPerHelper: f(300), minSpendFen: f(3000), validDays: 3 }, 0, { kind: 'none' }],
    [{ kind: 'coupon', amountFenPerHelper: f(300), minSpendFen: f(3000), validDays: 3 }, 3, { kind: 'coupon', amountFen: 900, minSpendFen: 3000, validDays: 3 }],
    [{ kind: 'points', pointsPerHelper: 7 }, 2.9, { kind: 'points', points: 14 }],
    [{ kind: 'points', pointsPerHelper: 7 }, -1, { kind: 'none' }],
  ])('%j with %i helpers → %j', (fallback, helpers, expected) => {
    expect(expiryFallback(fallback, helpers)).toEqual(expected);
  });

  it('always pays whole fen and whole points', () => {
    for (let per = 1; per < 50; per += 7) {
      for (let n = 0; n < 10; n++) {
        const c = expiryFallback({ kind: 'coupon', amountFenPerHelper: f(per), minSpendFen: f(0), validDays: 1 }, n);
        if (c.kind === 'coupon') expect(Number.isSafeInteger(c.amountFen)).toBe(true);
      }
    }
  });
});

describe('voucher: buying once at the assist price', () => {
  const now = new Date('2026-03-02T00:00:00Z');
  const later = new Date('2026-03-03T00:00:00Z');
  const voucher = { productId: 'p', orderId: null as string | null, validUntil: later };
  const base = { ownerId: 'o', status: 'succeeded' as const, productId: 'p', voucher };
  const claim = { buyerId: 'o', productId: 'p', orderId: 'order-1' };

  it.each<[string, object, object, unknown]>([
    ['the owner, this product, free, in time', {}, {}, null],
    ['another buyer', {}, { buyerId: 'x' }, 'ASSIST_VOUCHER_NOT_OWNER'],
    ['a task still open', { status: 'open', voucher: null }, {}, 'ASSIST_VOUCHER_NOT_READY'],
    ['an expired task', { status: 'expired', voucher: null }, {}, 'ASSIST_VOUCHER_NOT_READY'],
    ['another product', {}, { productId: 'q' }, 'ASSIST_VOUCHER_WRONG_PRODUCT'],
    ['held by another order', { voucher: { ...voucher, orderId: 'order-0' } }, {}, 'ASSIST_VOUCHER_USED'],
    ['held by this order (a repeat)', { voucher: { ...voucher, orderId: 'order-1' } }, {}, 'held'],
    ['past its validity', { voucher: { ...voucher, validUntil: now } }, {}, 'ASSIST_VOUCHER_EXPIRED'],
    ['used AND expired reads as used', { voucher: { ...voucher, validUntil: now, orderId: 'order-0' } }, {}, 'ASSIST_VOUCHER_USED'],
  ])('%s', (_name, taskOver, claimOver, expected) => {
    expect(voucherRefusal({ ...base, ...taskOver } as never, { ...claim, ...claimOver }, now)).toBe(expected);
  });

  it.each<[string | null, Date, string]>([
    [null, later, 'available'],
    ['order-1', later, 'used'],
    [null, now, 'expired'],
  ])('state with order %s until %s → %s', (orderId, validUntil, expected) => {
    expect(voucherState({ orderId, validUntil }, now)).toBe(expected);
  });
});

const terms = (over: Partial<CampaignTerms> = {}): CampaignTerms => ({
  helpersNeeded: 3,
  durationHours: 24,
  success: { kind: 'price', priceFen: f(9900), validHours: 48 },
  fallback: { kind: 'points', pointsPerHelper: 100 },
  newUsersOnly: false,
  helperDailyCap: 3,
  openTasksPerShopper: 1,
  startsAt: null,
  endsAt: null,
  ...over,
});

describe('campaignRulesText: the full rules in plain words', () => {
  it('says what success buys, what expiry pays, and that nothing is random', () => {
    expect(campaignRulesText(terms(), f(16800))).toEqual([
      '邀请 3 位好友助力，24 小时内完成即可以 ¥99.00 购买本商品 1 件（原价 ¥168.00），助力成功后 48 小时内有效。',
      '到时未完成，每位已助力的好友为你换得 100 积分。',
      '进度按助力好友人数计算，每位好友计 1 人，没有随机砍价。',
      '每位好友只能为同一任务助力一次，发起人不能为自己助力。',
      '每位好友每天最多助力 3 次。',
      '每人同一商品最多同时进行 1 个助力任务。',
    ]);
  });

  it('coupons, new users only and the window in Beijing time', () => {
    const text = campaignRulesText(
      terms({
        success: { kind: 'coupon', amountFen: f(2000), minSpendFen: f(5000), validDays: 7 },
        fallback: { kind: 'coupon', amountFenPerHelper: f(300), minSpendFen: f(3000), validDays: 3 },
        newUsersOnly: true,
        startsAt: new Date('2026-03-01T00:00:00+08:00'),
        endsAt: null,
      }),
      null,
    );
    expect(text[0]).toBe('邀请 3 位好友助力，24 小时内完成即得 ¥20.00 优惠券（满 ¥50.00 可用，7 天内有效）。');
    expect(text[1]).toBe('到时未完成，每位已助力的好友为你换得 ¥3.00 优惠券额度（满 ¥30.00 可用，3 天内有效）。');
    expect(text).toContain('仅限通过本任务的分享卡片首次打开小程序、且未下过单的新用户助力。');
    expect(text[text.length - 1]).toBe('活动时间：2026-03-01 00:00 至 长期有效（北京时间）。');
  });
});

describe('campaignProblems: what a schema cannot check', () => {
  it.each<[string, Partial<CampaignTerms>, number]>([
    ['a valid campaign', {}, 0],
    ['assist price equal to the list price', { success: { kind: 'price', priceFen: f(16800), validHours: 1 } }, 1],
    ['assist price of 0', { success: { kind: 'price', priceFen: f(0), validHours: 1 } }, 1],
    ['coupon below its own minimum spend', { success: { kind: 'coupon', amountFen: f(2000), minSpendFen: f(1000), validDays: 1 } }, 1],
    ['fallback coupon at 2 helpers worth the whole saving', { fallback: { kind: 'coupon', amountFenPerHelper: f(3450), minSpendFen: f(9000), validDays: 1 } }, 1],
    ['fallback coupon smaller than the saving', { fallback: { kind: 'coupon', amountFenPerHelper: f(1000), minSpendFen: f(3000), validDays: 1 } }, 0],
    ['end before start', { startsAt: new Date('2026-03-02'), endsAt: new Date('2026-03-01') }, 1],
  ])('%s → %i problem(s)', (_name, over, count) => {
    expect(campaignProblems(terms(over), f(16800))).toHaveLength(count);
  });
});

describe('campaignIsLive', () => {
  const now = new Date('2026-03-02T00:00:00Z');
  it.each<[boolean, string | null, string | null, boolean]>([
    [true, null, null, true],
    [false, null, null, false],
    [true, '2026-03-03T00:00:00Z', null, false],
    [true, null, '2026-03-02T00:00:00Z', false],
    [true, '2026-03-01T00:00:00Z', '2026-03-03T00:00:00Z', true],
  ])('active %s from %s to %s → %s', (active, startsAt, endsAt, expected) => {
    expect(campaignIsLive({ active, startsAt: startsAt ? new Date(startsAt) : null, endsAt: endsAt ? new Date(endsAt) : null }, now)).toBe(expected);
  });
});
