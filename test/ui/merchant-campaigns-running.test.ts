/** 助力活动 (compiled weapp page): the product list marks the products whose assist campaign is already running. */
import { callsTo, cloudRoutes, ok, renderPage, type RenderedPage } from './harness';
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
