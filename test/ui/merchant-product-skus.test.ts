/**
 * @jest-environment-options {"customExportConditions": ["node", "require", "default"]}
 */
/**
 * 规格 on the product editor (issue 13) against the real functions: a new product is switched to 多规格, given 颜色
 * 红/蓝 (typed at once as "红，蓝") × 尺码 M/L, the table filled with 批量设置 and then per row; a row priced 0 shows its
 * problem under that row and nothing is sent; fixed, the save stores exactly the table that was typed.
 */
import { callsTo, renderPage, waitFor, wxCallsTo, type RenderedPage } from './harness';
import { startRealCloud, type RealCloud } from './real-cloud';

const MERCHANT = 'demo-merchant';
const TITLE = '规格测试T恤';

let rc: RealCloud;
let page: RenderedPage;

beforeAll(async () => {
  rc = await startRealCloud();
  page = await renderPage('packages/merchant/product/index', { cloud: rc.as(MERCHANT) });
  await page.waitForClass('product-form__save');
}, 60_000);

afterAll(async () => {
  await rc?.close();
});

const rowTexts = () => page.all('sku-row__spec').map((el) => (el.textContent ?? '').trim());

test('多规格: options as chips, one row per combination; 批量设置 fills every row', async () => {
  await page.type('product-form__title', TITLE);
  await page.type('product-form__images', '/assets/demo/tee.svg');
  await page.tap('sku-mode-multi');
  await waitFor(() => page.one('sku-option__name-0'), { what: 'the first option' });
  expect(page.one('product-form__price')).toBeNull(); // price and stock are each row's now

  await page.type('sku-option__name-0', '颜色');
  await page.type('sku-option__new-0', '红，蓝');
  await page.tap('sku-option__add-0');
  await waitFor(() => page.all('sku-value').length === 2, { what: 'two values' });
  await page.tap('sku-editor__add-option');
  await page.type('sku-option__name-1', '尺码');
  await page.type('sku-option__new-1', 'M L M');
  await page.tap('sku-option__add-1');
  await waitFor(() => page.all('sku-value').length === 4, { what: 'M and L (the second M dropped)' });
  expect(rowTexts()).toEqual(['规格', '批量设置', '红 / M', '红 / L', '蓝 / M', '蓝 / L']);

  await page.type('sku-bulk__price', '39');
  await page.type('sku-bulk__stock', '5');
  await page.tap('sku-bulk__apply');
  await page.waitForText('共 4 个组合，库存合计 20');
  expect(page.text()).not.toContain('请填写');
});

test('a row priced 0 shows its problem under that row, and nothing is sent', async () => {
  await page.type('sku-price-1', '0');
  await page.waitForText('价格请填写大于 0 的金额');
  await page.tap('product-form__save');
  await waitFor(() => page.one('sku-error-1'), { what: 'the row error' });
  expect(page.one('sku-error-1')!.textContent).toContain('价格请填写大于 0 的金额');
  expect(page.one('sku-error-0')).toBeNull();
  expect(callsTo('merchant.saveProduct')).toHaveLength(0);
});

test('fixed, the save stores the table exactly as typed', async () => {
  await page.type('sku-price-1', '41.5');
  await page.type('sku-price-3', '42');
  await page.type('sku-stock-2', '0');
  await page.type('sku-stock-3', '12');
  await page.waitForText('库存合计 22');
  expect(page.one('sku-error-1')).toBeNull();
  await page.tap('product-form__save');
  await waitFor(() => wxCallsTo('navigateBack').length === 1, { timeout: 10_000, what: `the save (page: ${page.text()})` });

  const options = [
    { name: '颜色', values: ['红', '蓝'] },
    { name: '尺码', values: ['M', 'L'] },
  ];
  const typed = [
    { spec: { 颜色: '红', 尺码: 'M' }, priceFen: 3900, stockQty: 5 },
    { spec: { 颜色: '红', 尺码: 'L' }, priceFen: 4150, stockQty: 5 },
    { spec: { 颜色: '蓝', 尺码: 'M' }, priceFen: 3900, stockQty: 0 },
    { spec: { 颜色: '蓝', 尺码: 'L' }, priceFen: 4200, stockQty: 12 },
  ];
  const [call] = callsTo('merchant.saveProduct');
  expect(call.payload).toMatchObject({ title: TITLE, priceFen: 3900, options, skus: typed });
  expect(call.payload).not.toHaveProperty('stock');

  const stored = (await rc.db.collection('products').where({ title: TITLE }).get()).data;
  expect(stored).toHaveLength(1);
  expect(stored[0]).toMatchObject({ options, priceFen: 3900, stock: 22 });
  expect(stored[0].skus.map(({ spec, priceFen, stockQty }: any) => ({ spec, priceFen, stockQty }))).toEqual(typed);
});
