/** 商品 (compiled weapp page): on- and off-sale products; 下架 switches only the sale state and the list refreshes. */
import { callsTo, cloudRoutes, ok, renderPage, waitFor, type RenderedPage } from './harness';
import { merchantMe } from './merchant-fixtures';
import type { MerchantProductView } from '../../types/api';
import { fen } from '../../types/money';

const p = (id: string, over: Partial<MerchantProductView> = {}): MerchantProductView => ({ id, title: `商品${id}`, description: '好', images: [`https://img.example.com/${id}.png`], priceFen: fen(1990), stock: 12, onSale: true, sort: 0, archived: false, updatedAt: '', rev: 1, ...over });

let page: RenderedPage;
let onSale = true;

beforeAll(async () => {
  page = await renderPage('packages/merchant/products/index', {
    cloud: cloudRoutes({
      'user.login': () => ok(merchantMe()),
      'merchant.listProducts': () => ok({ items: [p('1', { onSale }), p('2', { onSale: false, stock: 0 })], next: null }),
      'merchant.setProductOnSale': (payload) => {
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

test('下架 sends only the switch: nothing the list shows (maybe stale by now) is written back', async () => {
  await page.tap('product-row__toggle');
  await waitFor(() => callsTo('merchant.setProductOnSale').length === 1, { what: 'setProductOnSale' });
  // Not the title, price, pictures or stock the list loaded: another device may have changed them since.
  expect(callsTo('merchant.setProductOnSale')[0].payload).toEqual({ id: '1', onSale: false });
  expect(callsTo('merchant.saveProduct')).toHaveLength(0);
  await waitFor(() => page.all('product-row__toggle')[0]?.textContent === '上架', { what: 'the refreshed list' });
});
