/** 助力活动 (compiled weapp page): the product list marks the products whose assist campaign is already running. */
import { callsTo, cloudRoutes, ok, renderPage, ui, waitFor, wxCallsTo, type RenderedPage } from './harness';
import { product } from './fixtures';
import { merchantMe } from './merchant-fixtures';
import type { MerchantProductView } from '../../types/api';
import { fen } from '../../types/money';

const mine = (id: string, title: string) => ({ id, title, priceFen: fen(10000), images: [], onSale: true }) as unknown as MerchantProductView;

let page: RenderedPage;

beforeAll(async () => {
  page = await renderPage('packages/merchant/campaigns/index', {
    cloud: cloudRoutes({
      'user.login': () => ok(merchantMe()),
      'merchant.listProducts': () => ok({ items: [mine('p-tea', '龙井'), mine('p-honey', '蜂蜜'), mine('p-cup', '茶杯')], next: null }),
      'shop.listProducts': () =>
        ok({ items: [product('p-tea', { badges: { rebate: false, assist: true } }), product('p-honey', { badges: { rebate: true, assist: false } }), product('p-cup', { badges: { rebate: false, assist: true } })], next: null }),
    }),
  });
  await page.waitForClass('campaign-product__running');
});

test('products with a running campaign are marked 已有助力活动; the others are not', () => {
  expect(callsTo('shop.listProducts')[0].payload).toEqual({ pageSize: 50 });
  const rows = page.all('campaign-product').map((el) => (el.textContent ?? '').replace(/\s+/g, ''));
  expect(rows).toEqual([expect.stringContaining('龙井¥100.00已有助力活动'), expect.not.stringContaining('已有助力活动'), expect.stringContaining('茶杯¥100.00已有助力活动')]);
});

test('moving to another product while a save is read back: the other product’s form keeps its own campaign, and its save sends it', async () => {
  const campaign = (productId: string, helpersNeeded: number) => ({
    campaignId: `c-${productId}`,
    updatedAt: '2026-12-01T00:00:00.000Z',
    productId,
    active: true,
    helpersNeeded,
    durationHours: 24,
    success: { kind: 'price' as const, priceFen: fen(5000), validHours: 48 },
    fallback: { kind: 'points' as const, pointsPerHelper: 10 },
    newUsersOnly: false,
    helperDailyCap: 3,
    openTasksPerShopper: 1,
    startsAt: null,
    endsAt: null,
  });
  let releaseReadBack: () => void = () => undefined;
  const readBack = new Promise<void>((resolve) => (releaseReadBack = resolve));
  let teaReads = 0;
  ui.cloud = cloudRoutes({
    'user.login': () => ok(merchantMe()),
    'merchant.getAssistCampaign': async (payload) => {
      if (payload.productId === 'p-honey') return ok(campaign('p-honey', 7));
      // The tea's second read is the save's read-back: it answers late.
      if (++teaReads === 2) await readBack;
      return ok(campaign('p-tea', 3));
    },
    'merchant.saveAssistCampaign': (payload) => ok({ ...payload }),
  });
  const row = (title: string) => page.all('campaign-product').find((el) => el.textContent?.includes(title))!;
  await page.tapElement(row('龙井'));
  await waitFor(() => page.one('campaign-editor')?.textContent?.includes('龙井'), { what: 'the tea editor' });
  await waitFor(() => callsTo('merchant.getAssistCampaign').length === 1, { what: 'the tea campaign read' });
  await page.waitForClass('campaign-save');
  await new Promise((r) => setTimeout(r, 50));
  await page.tap('campaign-save');
  await waitFor(() => callsTo('merchant.getAssistCampaign').length === 2, { what: 'the save read back' });
  expect(callsTo('merchant.saveAssistCampaign')[0].payload).toMatchObject({ productId: 'p-tea', helpersNeeded: 3 });

  await page.tapElement(row('蜂蜜'));
  await waitFor(() => callsTo('merchant.getAssistCampaign').length === 3, { what: 'the honey campaign read' });
  await waitFor(() => page.one('campaign-editor')?.textContent?.includes('蜂蜜'), { what: 'the honey editor' });
  releaseReadBack();
  await waitFor(() => wxCallsTo('showToast').some((t) => t.title === '活动已保存'), { what: 'the tea save finished' });
  await new Promise((r) => setTimeout(r, 50));
  await page.tap('campaign-save');
  await waitFor(() => callsTo('merchant.saveAssistCampaign').length === 2, { what: 'the honey save' });
  expect(callsTo('merchant.saveAssistCampaign')[1].payload).toMatchObject({ productId: 'p-honey', campaignId: 'c-p-honey', helpersNeeded: 7 });
});
