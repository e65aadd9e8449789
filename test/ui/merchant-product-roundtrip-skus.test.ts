/**
 * @jest-environment-options {"customExportConditions": ["node", "require", "default"]}
 */
/**
 * 编辑商品 with 规格 against the real functions (issue 13): a stored product with SKUs (颜色 × 尺码, prices that differ,
 * one SKU at 0) is opened; while the form is open a shopper orders two units of 红 / M; the merchant saves without
 * touching anything. The page sends every field and the whole table with each SKU's price but no stock (none was
 * changed), and the stored product is byte for byte what it was after the order but its updatedAt.
 */
import { skuIdFor } from '../../cloudfunctions/domain/productSkus';
import { callsTo, renderPage, waitFor, wxCallsTo } from './harness';
import { startRealCloud, type RealCloud } from './real-cloud';

const MERCHANT = 'demo-merchant';
const SHOPPER = 'demo-shopper-a';
const SEEDED_AT = new Date('2026-11-01T00:00:00.000Z');
const ADDRESS = { name: '张三', phone: '13800138000', province: '浙江省', city: '杭州市', district: '西湖区', detail: '文三路 100 号' };

let rc: RealCloud;

beforeAll(async () => {
  rc = await startRealCloud();
}, 60_000);

afterAll(async () => {
  await rc?.close();
});

test('a product with SKUs saved unchanged while an order reserves 2 of 红 / M: the table goes out without stocks, the stored product keeps the reservation', async () => {
  const SKU_ID = 'p-roundtrip-skus';
  const options = [
    { name: '颜色', values: ['红', '蓝'] },
    { name: '尺码', values: ['M', 'L'] },
  ];
  const rows: [string, string, number, number][] = [
    ['红', 'M', 5900, 4],
    ['红', 'L', 6100, 3],
    ['蓝', 'M', 5900, 0],
    ['蓝', 'L', 6150, 8],
  ];
  const skus = rows.map(([c, size, priceFen, stockQty]) => {
    const spec = { 颜色: c, 尺码: size };
    return { skuId: skuIdFor(spec, options), spec, priceFen, stockQty };
  });
  // As saveProduct writes it (field order included): the lowest price, the summed stock.
  await rc.db.collection('products').add({
    _id: SKU_ID,
    title: '亚麻衬衫',
    description: '水洗亚麻。\n宽松版型。',
    images: ['/assets/demo/p-shirt.svg', 'cloud://env-1/products/shirt-2.png'],
    priceFen: 5900,
    stock: 15,
    onSale: true,
    sort: 3,
    createdAt: SEEDED_AT,
    updatedAt: SEEDED_AT,
    options,
    skus,
  });
  const skuPage = await renderPage('packages/merchant/product/index', { cloud: rc.as(MERCHANT), query: { id: SKU_ID } });
  await skuPage.waitForText('共 4 个组合，库存合计 15', 15_000);
  
  await rc.call(SHOPPER, 'shop', 'createOrder', { requestId: 'rt-order-sku', items: [{ productId: SKU_ID, skuId: skus[0].skuId, quantity: 2 }], address: ADDRESS });
  const afterOrder = await rc.stored('products', SKU_ID);
  expect(JSON.parse(afterOrder).skus[0].stockQty).toBe(2);
  expect(JSON.parse(afterOrder).stock).toBe(13);

  await skuPage.tap('product-form__save');
  await waitFor(() => wxCallsTo('navigateBack').length === 1, { timeout: 10_000, what: `the save (page: ${skuPage.text()})` });
  const sent = callsTo('merchant.saveProduct').map((c) => c.payload);
  expect(sent).toEqual([
    {
      id: SKU_ID,
      rev: 0,
      title: '亚麻衬衫',
      description: '水洗亚麻。\n宽松版型。',
      images: ['/assets/demo/p-shirt.svg', 'cloud://env-1/products/shirt-2.png'],
      priceFen: 5900,
      onSale: true,
      sort: 3,
      categoryId: null,
      options,
      skus: skus.map(({ spec, priceFen }) => ({ spec, priceFen })),
    },
  ]);
  expect((await rc.doc('products', SKU_ID)).updatedAt.getTime()).not.toBe(SEEDED_AT.getTime());
  expect(await rc.stored('products', SKU_ID)).toBe(afterOrder);
});
