/**
 * @jest-environment-options {"customExportConditions": ["node", "require", "default"]}
 */
/**
 * 助力活动 against the real functions (issue 13): a table of stored campaigns, each with every field set — an assist
 * price or a coupon with its threshold and validity, a coupon fallback per helper (what re-saving used to drop),
 * points, none, new users only, caps, open tasks per shopper, an active window to the millisecond, switched off — is
 * opened in the editor and saved unchanged. The page sends exactly the campaign it loaded, and the stored document
 * stays the same byte for byte except its updatedAt.
 */
import type { AssistCampaignDoc } from '../../types/models';
import type { Fen } from '../../types/money';
import { callsTo, renderPage, waitFor, type RenderedPage } from './harness';
import { startRealCloud, type RealCloud } from './real-cloud';

const MERCHANT = 'demo-merchant';
const f = (n: number) => n as Fen;
const SEEDED_AT = new Date('2026-11-01T00:00:00.000Z');

type Terms = Omit<AssistCampaignDoc, '_id' | 'productId' | 'createdAt' | 'updatedAt'>;
type Row = [title: string, productId: string, terms: Terms, preview: string];

const ROWS: Row[] = [
  [
    '秦岭土蜂蜜 500g',
    'p-honey',
    {
      active: false,
      helpersNeeded: 3,
      durationHours: 36,
      success: { kind: 'price', priceFen: f(4800), validHours: 72 },
      fallback: { kind: 'coupon', amountFenPerHelper: f(300), minSpendFen: f(1000), validDays: 14 },
      newUsersOnly: true,
      helperDailyCap: 2,
      openTasksPerShopper: 3,
      startsAt: new Date('2026-12-01T01:02:03.456Z'),
      endsAt: new Date('2027-01-01T00:00:00.000Z'),
    },
    '邀请 3 位好友在 36 小时内助力，可用 ¥48 购买（原价 ¥68）；未成功每位助力好友补偿 ¥3 优惠券（满 ¥10 可用）；活动时间 2026-12-01 09:02 至 2027-01-01 08:00',
  ],
  [
    '五常稻花香大米 5kg',
    'p-rice',
    {
      active: true,
      helpersNeeded: 5,
      durationHours: 48,
      success: { kind: 'coupon', amountFen: f(2000), minSpendFen: f(8000), validDays: 30 },
      fallback: { kind: 'points', pointsPerHelper: 50 },
      newUsersOnly: false,
      helperDailyCap: 5,
      openTasksPerShopper: 1,
      startsAt: null,
      endsAt: null,
    },
    '邀请 5 位好友在 48 小时内助力，得 ¥20 优惠券（满 ¥80 可用）；未成功每位助力好友补偿 50 积分',
  ],
  [
    '新疆长绒棉毛巾 3 条装',
    'p-towel',
    {
      active: true,
      helpersNeeded: 1,
      durationHours: 720,
      success: { kind: 'price', priceFen: f(2990), validHours: 24 },
      fallback: { kind: 'none' },
      newUsersOnly: false,
      helperDailyCap: 100,
      openTasksPerShopper: 10,
      startsAt: new Date('2026-11-30T12:00:00.000Z'),
      endsAt: null,
    },
    '邀请 1 位好友在 720 小时内助力，可用 ¥29.90 购买（原价 ¥49.90）；未成功不补偿；活动时间 2026-11-30 20:00 至 长期有效',
  ],
  [
    '316 不锈钢保温杯 500ml',
    'p-cup',
    {
      active: true,
      helpersNeeded: 3,
      durationHours: 24,
      success: { kind: 'coupon', amountFen: f(3000), minSpendFen: f(3000), validDays: 365 },
      fallback: { kind: 'coupon', amountFenPerHelper: f(100), minSpendFen: f(200), validDays: 1 },
      newUsersOnly: true,
      helperDailyCap: 1,
      openTasksPerShopper: 2,
      startsAt: null,
      endsAt: new Date('2027-03-31T15:59:59.999Z'),
    },
    '邀请 3 位好友在 24 小时内助力，得 ¥30 优惠券（满 ¥30 可用）；未成功每位助力好友补偿 ¥1 优惠券（满 ¥2 可用）；活动时间 即日起 至 2027-03-31 23:59',
  ],
];

const idOf = (productId: string) => `ac-rt-${productId}`;

let rc: RealCloud;
let page: RenderedPage;
const before = new Map<string, string>();

beforeAll(async () => {
  rc = await startRealCloud();
  for (const [, productId, terms] of ROWS) {
    await rc.db.collection('assist_campaigns').add({ _id: idOf(productId), productId, ...terms, createdAt: SEEDED_AT, updatedAt: SEEDED_AT });
    before.set(productId, await rc.stored('assist_campaigns', idOf(productId)));
  }
  page = await renderPage('packages/merchant/campaigns/index', { cloud: rc.as(MERCHANT) });
  await page.waitForClass('campaign-product', 15_000);
}, 60_000);

afterAll(async () => {
  await rc?.close();
});

test.each(ROWS.map(([title, productId, , preview]) => [title, productId, preview] as const))('%s: saved unchanged through the editor, the stored campaign is the same', async (title, productId, preview) => {
  const { updatedAt: _bookkeeping, ...loaded } = await rc.call(MERCHANT, 'merchant', 'getAssistCampaign', { productId });
  const saves = callsTo('merchant.saveAssistCampaign').length;

  const row = page.all('campaign-product').find((el) => el.textContent?.includes(title));
  if (!row) throw new Error(`no product row ${title}`);
  await page.tapElement(row);
  // Every field is on the form: the preview is built from what the form holds.
  await waitFor(() => page.one('campaign-editor')?.textContent?.includes(title) && page.one('campaign-preview')?.textContent === preview, {
    timeout: 10_000,
    what: `the editor of ${title} (preview: "${page.one('campaign-preview')?.textContent}")`,
  });
  await page.tap('campaign-save');
  await waitFor(() => callsTo('merchant.saveAssistCampaign').length === saves + 1, { what: 'saveAssistCampaign' });
  await waitFor(() => callsTo('merchant.getAssistCampaign').filter((c) => c.payload.productId === productId).length === 2, { timeout: 10_000, what: 'the saved campaign read back' });
  expect(page.one('campaign-error')).toBeNull();

  expect(callsTo('merchant.saveAssistCampaign')[saves].payload).toEqual({ ...loaded, rev: 0 }); // with the revision read (none yet)
  const stored = await rc.doc('assist_campaigns', idOf(productId));
  expect(stored.updatedAt.getTime()).not.toBe(SEEDED_AT.getTime()); // it was written…
  expect(await rc.stored('assist_campaigns', idOf(productId))).toBe(before.get(productId)); // …and nothing else changed
});

test('a wrong value is named next to its field, and nothing is sent until it is fixed', async () => {
  // The editor is open on the cup's campaign (the last row).
  const saves = callsTo('merchant.saveAssistCampaign').length;
  await page.type('campaign-form__coupon-min-spend', '10');
  await page.waitForClass('field-error--couponMinSpend');
  expect(page.one('field-error--couponMinSpend')?.textContent).toBe('使用门槛不能低于券面金额');
  await page.type('campaign-form__open-tasks', '11');
  await page.waitForClass('field-error--openTasks');
  await page.type('campaign-form__ends', '2027-02-30 10:00');
  await page.waitForClass('field-error--endsAt');
  await page.tap('campaign-save');
  await page.waitForClass('campaign-problem');
  expect(callsTo('merchant.saveAssistCampaign')).toHaveLength(saves);
  expect(page.one('campaign-preview')).toBeNull();
});
