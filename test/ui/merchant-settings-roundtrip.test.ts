/**
 * @jest-environment-options {"customExportConditions": ["node", "require", "default"]}
 */
/**
 * 店铺设置 against the real functions (issue 13): both settings documents stored with every field set away from its
 * default (a binding validity in days, odd yuan amounts, a share of 33.33 %, a zero refund window) are shown and
 * saved unchanged. The page sends exactly what it loaded, and both stored documents stay the same byte for byte
 * except their updatedAt.
 */
import { callsTo, renderPage, waitFor, wxCallsTo, type RenderedPage } from './harness';
import { startRealCloud, type RealCloud } from './real-cloud';

const MERCHANT = 'demo-merchant';
const SEEDED_AT = new Date('2026-11-01T00:00:00.000Z');

let rc: RealCloud;
let page: RenderedPage;
const before: Record<string, string> = {};

beforeAll(async () => {
  rc = await startRealCloud();
  // Shaped as saveReferralSettings and saveShopSettings write them (their field order).
  await rc.db.collection('settings').doc('referral').set({ bindingValidityDays: 45, pointsPerYuan: 250, pointsMaxShareBp: 3333, withdrawMinFen: 250, withdrawMaxFen: 88_888, withdrawDailyCount: 5, transferConfirmHours: 12, updatedAt: SEEDED_AT });
  await rc.db.collection('shop_settings').doc('default').set({ refundWindowDays: 0, autoConfirmDays: 60, updatedAt: SEEDED_AT });
  before.referral = await rc.stored('settings', 'referral');
  before.shop = await rc.stored('shop_settings', 'default');
  page = await renderPage('packages/merchant/settings/index', { cloud: rc.as(MERCHANT) });
  await page.waitForClass('settings-save', 15_000);
}, 60_000);

afterAll(async () => {
  await rc?.close();
});

test('saved unchanged, both settings documents are the same', async () => {
  const referral = await rc.call(MERCHANT, 'merchant', 'getReferralSettings');
  const { payTimeoutMinutes: _config, ...shop } = await rc.call(MERCHANT, 'merchant', 'getShopSettings');
  expect(page.one('field--bindingValidityDays')).not.toBeNull();

  await page.tap('settings-save');
  await waitFor(() => wxCallsTo('showToast').some((t) => t.title === '设置已保存'), { timeout: 10_000, what: `the save (page: ${page.text()})` });
  // Each with the revision read (none yet: 0).
  expect(callsTo('merchant.saveShopSettings').map((c) => c.payload)).toEqual([{ ...shop, rev: 0 }]);
  expect(callsTo('merchant.saveReferralSettings').map((c) => c.payload)).toEqual([{ ...referral, rev: 0 }]);
  for (const [collection, id, key] of [['settings', 'referral', 'referral'], ['shop_settings', 'default', 'shop']] as const) {
    expect((await rc.doc(collection, id)).updatedAt.getTime()).not.toBe(SEEDED_AT.getTime()); // it was written…
    expect(await rc.stored(collection, id)).toBe(before[key]); // …and nothing else changed
  }
});

test('saved on another device while the page is open: this save is refused and shows what is there now; saved again, both edits stand', async () => {
  // The other device raises the daily withdrawal count.
  const other = await rc.call(MERCHANT, 'merchant', 'getReferralSettings');
  await rc.call(MERCHANT, 'merchant', 'saveReferralSettings', { ...other, withdrawDailyCount: 9 });
  const refusedBefore = callsTo('merchant.saveReferralSettings').length;

  // This page, read before, changes the points rate: its form still says 5 a day.
  await page.type('settings-form__pointsPerYuan', '300');
  await page.tap('settings-save');
  await page.waitForText('内容已在其他设备修改', 10_000);
  expect(callsTo('merchant.saveReferralSettings')).toHaveLength(refusedBefore + 1);
  expect(await rc.call(MERCHANT, 'merchant', 'getReferralSettings')).toMatchObject({ withdrawDailyCount: 9, pointsPerYuan: 250, rev: other.rev + 1 });
  expect(other.rev).toBe(1); // the first test's save counted one

  // The message shows once the form holds what is stored: saved as it is, it sends the other device's count and the
  // fresh revision.
  await page.tap('settings-save');
  await waitFor(() => callsTo('merchant.saveReferralSettings').length === refusedBefore + 2, { timeout: 10_000, what: 'a save from the reloaded form' });
  expect(callsTo('merchant.saveReferralSettings').at(-1)!.payload).toMatchObject({ withdrawDailyCount: 9, pointsPerYuan: 250, rev: other.rev + 1 });
  await waitFor(() => wxCallsTo('showToast').filter((t) => t.title === '设置已保存').length === 2, { timeout: 10_000, what: 'the reloaded form saved' });
  await page.type('settings-form__pointsPerYuan', '300');
  await page.tap('settings-save');
  await waitFor(() => wxCallsTo('showToast').filter((t) => t.title === '设置已保存').length === 3, { timeout: 10_000, what: 'the save with the change made again' });
  expect(await rc.call(MERCHANT, 'merchant', 'getReferralSettings')).toMatchObject({ withdrawDailyCount: 9, pointsPerYuan: 300 });
});
