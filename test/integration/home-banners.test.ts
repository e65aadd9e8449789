/**
 * 首页横幅 through the real SDK: the merchant saves up to five slides; every shopper reads them in order, a link to a
 * product no longer on sale dropped (the slide stays); with none saved, the first active rebate rule in the rules'
 * own words, and nothing without an active rule. Bad input, a link to an archived or unknown product, and a shopper
 * saving are refused and change nothing; the store profile and the banners never overwrite each other.
 */
import { startTestCloud, TestCloud } from '../support/cloud';
import { call, MERCHANT, ok, onlyRule } from './referral-support';

let t: TestCloud;
beforeAll(async () => {
  t = await startTestCloud();
});
afterAll(() => t.close());

const SHOPPER = 'banner-shopper';
const stored = async () => (await t.db.collection('settings').doc('banners').get()).data[0] ?? null;

it('none saved: the first active rule by priority, in the rules page’s words; nothing without an active rule', async () => {
  await onlyRule(t, { name: '推三返一', priority: 1, reward: { form: 'cash', amountFen: 5000 }, trigger: { kind: 'everyN', n: 3, minOrderFen: 0 } });
  const info = await ok(t, SHOPPER, 'shop', 'storeInfo');
  expect(await ok(t, SHOPPER, 'shop', 'homeBanners')).toEqual({ banners: [{ heading: '推三返一', caption: info.rebateRules[0].summary, productId: null }], fromRules: true });
  await t.db.collection('rebate_rules').where({ active: true }).update({ active: false });
  expect(await ok(t, SHOPPER, 'shop', 'homeBanners')).toEqual({ banners: [], fromRules: true });
});

it('saved slides come back in order; a link to a product taken off sale is dropped for shoppers, kept for the merchant', async () => {
  const banners = [
    { heading: '双十二 推三返一', caption: '邀请好友下单，奖励可提现', productId: null },
    { heading: '明前龙井', caption: '新茶上市', productId: 'p-tea' },
  ];
  expect(await ok(t, MERCHANT, 'merchant', 'saveHomeBanners', { banners })).toEqual({ banners });
  expect(await ok(t, MERCHANT, 'merchant', 'getHomeBanners')).toEqual({ banners });
  expect(await ok(t, SHOPPER, 'shop', 'homeBanners')).toEqual({ banners, fromRules: false });

  await t.db.collection('products').doc('p-tea').update({ onSale: false });
  try {
    expect((await ok(t, SHOPPER, 'shop', 'homeBanners')).banners.map((b: { productId: string | null }) => b.productId)).toEqual([null, null]);
    expect(await ok(t, MERCHANT, 'merchant', 'getHomeBanners')).toEqual({ banners });
  } finally {
    await t.db.collection('products').doc('p-tea').update({ onSale: true });
  }
});

it('refused, with nothing written: six slides, an empty or long heading, an unknown or archived product, a shopper', async () => {
  const before = JSON.stringify(await stored());
  const slide = { heading: '标题', caption: '', productId: null };
  const refusals = [
    [MERCHANT, { banners: Array.from({ length: 6 }, () => slide) }, 'INVALID_ARGUMENT'],
    [MERCHANT, { banners: [{ ...slide, heading: '  ' }] }, 'INVALID_ARGUMENT'],
    [MERCHANT, { banners: [{ ...slide, heading: '一二三四五六七八九十十一十二' }] }, 'INVALID_ARGUMENT'],
    [MERCHANT, { banners: [{ ...slide, caption: '字'.repeat(31) }] }, 'INVALID_ARGUMENT'],
    [MERCHANT, { banners: [{ ...slide, productId: 'p-nope' }] }, 'PRODUCT_NOT_FOUND'],
    [MERCHANT, { banners: [{ ...slide, link: 'https://evil.example.com' }] }, 'INVALID_ARGUMENT'],
    [SHOPPER, { banners: [slide] }, 'FORBIDDEN'],
  ] as const;
  for (const [who, payload, code] of refusals) {
    const res = await call(t, who, 'merchant', 'saveHomeBanners', payload);
    expect({ payload, res: { ok: res.ok, code: res.code } }).toEqual({ payload, res: { ok: false, code } });
    if (code !== 'FORBIDDEN') expect(res.message).not.toMatch(/[A-Za-z]{3,}/);
  }
  const archived = 'p-banner-archived';
  await t.db.collection('products').add({ _id: archived, title: '旧款', description: '', images: [], priceFen: 100, stock: 0, onSale: false, archived: true, sort: 0, createdAt: new Date(), updatedAt: new Date() });
  expect(await call(t, MERCHANT, 'merchant', 'saveHomeBanners', { banners: [{ ...slide, productId: archived }] })).toMatchObject({ ok: false, code: 'PRODUCT_NOT_FOUND' });
  expect(JSON.stringify(await stored())).toBe(before);
});

it('the store profile and the banners are separate: saving one leaves the other as it was', async () => {
  const banners = [{ heading: '店庆', caption: '全场包邮', productId: null }];
  await ok(t, MERCHANT, 'merchant', 'saveHomeBanners', { banners });
  await ok(t, MERCHANT, 'merchant', 'saveStoreProfile', { storeName: '推三返一旗舰店', qualifications: [], servicePhone: '' });
  expect(await ok(t, MERCHANT, 'merchant', 'getHomeBanners')).toEqual({ banners });
  await ok(t, MERCHANT, 'merchant', 'saveHomeBanners', { banners: [] });
  expect((await ok(t, MERCHANT, 'merchant', 'getStoreProfile')).storeName).toBe('推三返一旗舰店');
  // Emptied: the shop goes back to its rules.
  expect((await ok(t, SHOPPER, 'shop', 'homeBanners')).fromRules).toBe(true);
});
