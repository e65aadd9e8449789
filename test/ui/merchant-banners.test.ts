/**
 * @jest-environment-options {"customExportConditions": ["node", "require", "default"]}
 */
/**
 * 首页横幅 against the real functions: a stored list with every field set (a linked product, an empty caption) is
 * shown and saved unchanged — the page sends exactly what it loaded and the stored document stays the same but its
 * updatedAt; then a slide added with an empty heading shows its problem next to the field and sends nothing.
 */
import { callsTo, renderPage, waitFor, wxCallsTo, type RenderedPage } from './harness';
import { startRealCloud, type RealCloud } from './real-cloud';

const MERCHANT = 'demo-merchant';
const SEEDED_AT = new Date('2026-11-01T00:00:00.000Z');
const BANNERS = [
  { heading: '双十二 推三返一', caption: '邀请好友下单，奖励可提现', productId: null },
  { heading: '明前龙井', caption: '', productId: 'p-tea' },
];

let rc: RealCloud;
let page: RenderedPage;
let before: string;

beforeAll(async () => {
  rc = await startRealCloud();
  await rc.db.collection('settings').doc('banners').set({ banners: BANNERS, updatedAt: SEEDED_AT });
  before = await rc.stored('settings', 'banners');
  page = await renderPage('packages/merchant/banners/index', { cloud: rc.as(MERCHANT) });
  await page.waitForClass('banners-save', 15_000);
}, 60_000);

afterAll(async () => {
  await rc?.close();
});

test('shows every slide and saves it unchanged: the stored list is the same', async () => {
  expect(page.all('banner-form')).toHaveLength(2);
  // The second slide's link is on, the first one links nowhere.
  const on = page.all('m-chip--on').map((el) => el.textContent);
  expect(on).toHaveLength(2);
  expect(on[0]).toBe('不链接');
  expect(on[1]).not.toBe('不链接');
  await page.tap('banners-save');
  await waitFor(() => wxCallsTo('showToast').some((t) => t.title === '已保存'), { timeout: 10_000, what: `the save (page: ${page.text()})` });
  expect(callsTo('merchant.saveHomeBanners').map((c) => c.payload)).toEqual([{ banners: BANNERS, rev: 0 }]);
  expect((await rc.doc('settings', 'banners')).updatedAt.getTime()).not.toBe(SEEDED_AT.getTime());
  expect(await rc.stored('settings', 'banners')).toBe(before);
});

test('a new slide with no heading: the problem next to it, nothing sent', async () => {
  await page.tap('banners-add');
  await waitFor(() => page.all('banner-form').length === 3, { what: 'the new slide' });
  await page.tap('banners-save');
  await page.waitForClass('field-error--heading-2');
  expect(page.one('field-error--heading-2')?.textContent).toBe('请填写标题');
  expect(callsTo('merchant.saveHomeBanners')).toHaveLength(1); // only the first test's save
});
