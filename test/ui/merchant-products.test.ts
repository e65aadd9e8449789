/** 商品 (compiled weapp page): on- and off-sale products; 下架 saves the same product off sale and the list refreshes. */
import { callsTo, cloudRoutes, ok, renderPage, waitFor, type RenderedPage } from './harness';
import { merchantMe } from './merchant-fixtures';
import type { MerchantProductView } from '../../types/api';
import { fen } from '../../types/money';

const p = (id: string, over: Partial<MerchantProductView> = {}): MerchantProductView => ({ id, title: `商品${id}`, description: '好', images: [`https://img.example.com/${id}.png`], priceFen: fen(1990), stock: 12, onSale: true, sort: 0, archived: false, updatedAt: '', ...over });

let page: RenderedPage;
let onSale = true;

beforeAll(async () => {
  page = await renderPage('packages/merchant/products/index', {
    cloud: cloudRoutes({
      'user.login': () => ok(merchantMe()),
      'merchant.listProducts': () => ok({ items: [p('1', { onSale }), p('2', { onSale: false, stock: 0 })], next: null }),
      'merchant.saveProduct': (payload) => {
        onSale = payload.onSale as boolean;
        return ok(p('1', { onSale }));
      },
    }),
  });
  await page.waitForClass('product-row');
});

test('lists products with price, stock and sale state', () => {
  expect(page.all('product-row').map((el) => el.textContent)).toEqual([expect.stringContaining('¥19.90 · 库存 12'), expect.stringContaining('已下架')]);
  expect(page.all('product-row__toggle').map((el) => el.textContent)).toEqual(['下架', '上架']);
});

test('下架 saves the product off sale with everything else unchanged, and leaves the stock to the orders', async () => {
  await page.tap('product-row__toggle');
  await waitFor(() => callsTo('merchant.saveProduct').length === 1, { what: 'saveProduct' });
  // No stock: the list's 12 may be stale by now, and writing it back would undo reservations.
  expect(callsTo('merchant.saveProduct')[0].payload).toEqual({ id: '1', title: '商品1', description: '好', images: ['https://img.example.com/1.png'], priceFen: 1990, onSale: false, sort: 0 });
  await waitFor(() => page.all('product-row__toggle')[0]?.textContent === '上架', { what: 'the refreshed list' });
});
