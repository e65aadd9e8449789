/**
 * @jest-environment-options {"customExportConditions": ["node", "require", "default"]}
 */
/**
 * 编辑商品 against the real functions (issue 13): a stored product with every field set (three kinds of picture, a
 * negative sort, a multi-line description, a category) is opened; while the form is open a shopper orders two units;
 * the merchant saves without touching anything. The page sends every field it loaded but the stock (and, 单规格, no
 * 规格), and the stored product is what it was after the order (the reservation stands) but its updatedAt. A product with SKUs:
 * merchant-product-roundtrip-skus.test.ts.
 */
import { callsTo, renderPage, waitFor, wxCallsTo, type RenderedPage } from './harness';
import { startRealCloud, type RealCloud } from './real-cloud';

const MERCHANT = 'demo-merchant';
const SHOPPER = 'demo-shopper-a';
const ID = 'p-roundtrip';
const SEEDED_AT = new Date('2026-11-01T00:00:00.000Z');
const ADDRESS = { name: '张三', phone: '13800138000', province: '浙江省', city: '杭州市', district: '西湖区', detail: '文三路 100 号' };

let rc: RealCloud;
let page: RenderedPage;

beforeAll(async () => {
  rc = await startRealCloud();
  await rc.db.collection('products').add({
    _id: ID,
    title: '手作青瓷茶杯',
    description: '龙泉青瓷，手工拉坯。\n每只釉色略有不同。',
    images: ['https://img.example.com/cup-1.png', '/assets/demo/p-cup.svg', 'cloud://env-1/products/cup-3.png'],
    priceFen: 12345,
    stock: 9,
    onSale: true,
    sort: -7,
    categoryId: 'c-home',
    createdAt: SEEDED_AT,
    updatedAt: SEEDED_AT,
  });
  page = await renderPage('packages/merchant/product/index', { cloud: rc.as(MERCHANT), query: { id: ID } });
  await waitFor(() => page.all('image-manager__item').length === 3, { timeout: 15_000, what: 'the loaded product' });
}, 60_000);

afterAll(async () => {
  await rc?.close();
});

test('saved unchanged while orders reserve units: every field but the stock is sent, and the stored product keeps the reservation', async () => {
  // 单规格 and it never had SKUs: the page leaves 规格 (options, skus) out, and an omitted table keeps what is stored.
  // 归档 has its own action (archiveProduct), so saveProduct neither takes nor touches it.
  const { updatedAt: _bookkeeping, stock: _stock, archived: _archived, options, skus, ...loaded } = await rc.call(MERCHANT, 'merchant', 'getProduct', { id: ID });
  expect({ options, skus }).toEqual({ options: [], skus: [] });
  await rc.call(SHOPPER, 'shop', 'createOrder', { requestId: 'rt-order-1', items: [{ productId: ID, quantity: 2 }], address: ADDRESS });
  const afterOrder = await rc.stored('products', ID);
  expect(JSON.parse(afterOrder).stock).toBe(7);

  // The product's category is the one chosen among the shop's (未分类 and the three demo categories).
  const chosen = () => page.all('product-category').filter((el) => el.className.includes('m-chip--on')).map((el) => el.textContent);
  await waitFor(() => page.all('product-category').length === 4, { what: 'the categories' });
  expect(chosen()).toEqual(['家居日用']);
  await page.tap('product-form__save');
  await waitFor(() => wxCallsTo('navigateBack').length === 1, { timeout: 10_000, what: `the save (page: ${page.text()})` });
  expect(callsTo('merchant.saveProduct').map((c) => c.payload)).toEqual([{ ...loaded, rev: 0 }]); // with the revision read (none yet)
  expect(callsTo('merchant.saveProduct')[0].payload).not.toHaveProperty('options');
  expect(callsTo('merchant.saveProduct')[0].payload).not.toHaveProperty('skus');
  const stored = await rc.doc('products', ID);
  expect(stored.updatedAt.getTime()).not.toBe(SEEDED_AT.getTime()); // it was written…
  expect(await rc.stored('products', ID)).toBe(afterOrder); // …the order's two units stay reserved, nothing else changed
});
