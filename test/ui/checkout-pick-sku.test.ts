/**
 * @jest-environment-options {"customExportConditions": ["node", "require", "default"]}
 */
/**
 * A checkout link that names no SKU of a product with 规格 (an assist voucher's, a group joined from its page; issue
 * 13), against the real functions: checkout prices nothing and asks for the 规格 (on the line, and on 提交订单), the
 * sheet keeps the link's quantity, and the chosen SKU is priced.
 */
import { callsTo, renderPage, waitFor } from './harness';
import { readyShopper, startRealCloud, type RealCloud } from './real-cloud';
import { SHIRT_ID as ID, SHIRT_SKUS as SKUS, seedShirt } from '../support/sku-shirt';
import { pick } from './sku-sheet';

const SHOPPER = 'sku-pick-shopper';
let rc: RealCloud;

beforeAll(async () => {
  rc = await startRealCloud();
  await seedShirt(rc.db);
  await readyShopper(rc, SHOPPER);
}, 60_000);

afterAll(async () => {
  await rc?.close();
});

describe('a checkout link that names no SKU (an assist voucher, a group joined from its page)', () => {
  test('checkout asks for the 规格 before pricing, then prices the chosen SKU', async () => {
    const page = await renderPage('packages/shop/checkout/index', { cloud: rc.as(SHOPPER), query: { items: `${ID}:1` } });
    await page.waitForClass('checkout-item__pick-spec', 15_000);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(callsTo('shop.quote')).toHaveLength(0);
    await page.tap('checkout-submit');
    await page.waitForClass('sku-sheet');
    expect(page.one('checkout-error')?.textContent).toBe('请先选择商品规格');
    expect(page.one('sku-sheet__quantity')).toBeNull(); // the link's quantity stands
    await pick(page, '红');
    await pick(page, 'L');
    await page.tap('sku-sheet__confirm');
    await waitFor(() => page.one('checkout-payable')?.textContent === '¥42.00', { timeout: 15_000, what: `the quote (${page.text()})` });
    expect(page.one('checkout-item__spec')?.textContent).toBe('红 / L');
    expect(page.one('checkout-item__pick-spec')).toBeNull();
    expect(callsTo('shop.quote').pop()!.payload.items).toEqual([{ productId: ID, skuId: SKUS[1].skuId, quantity: 1 }]);
  }, 40_000);
});
