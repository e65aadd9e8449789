/**
 * 商品 (compiled weapp page): the 在售 / 已下架 / 已归档 filter asks the server for that status; 归档 asks first and
 * archives, 恢复 restores, 删除 of an ordered product shows the server's refusal and the row stays.
 */
import { callsTo, cloudRoutes, fail, ok, renderPage, ui, waitFor, wxCallsTo, type RenderedPage } from './harness';
import { merchantMe } from './merchant-fixtures';
import type { MerchantProductView } from '../../types/api';
import { fen } from '../../types/money';

const p = (id: string, over: Partial<MerchantProductView> = {}): MerchantProductView => ({ id, title: `商品${id}`, description: '好', images: [`https://img.example.com/${id}.png`], priceFen: fen(1990), stock: 12, onSale: false, sort: 0, archived: false, updatedAt: '', rev: 1, ...over });

/** The merchant's products as the server holds them. */
const products = new Map<string, MerchantProductView>([
  ['1', p('1', { onSale: true })],
  ['2', p('2')],
  ['3', p('3', { archived: true })],
]);
const matches = (v: MerchantProductView, status: unknown) =>
  status === undefined || (status === 'onSale' ? v.onSale : status === 'offSale' ? !v.onSale && !v.archived : v.archived);

let page: RenderedPage;
const titles = () => page.all('product-row__title').map((el) => el.textContent);
const chip = (cls: string) => page.tapElement(page.all(cls)[0]);

beforeAll(async () => {
  page = await renderPage('packages/merchant/products/index', {
    cloud: cloudRoutes({
      'user.login': () => ok(merchantMe()),
      'merchant.listProducts': (payload) => ok({ items: [...products.values()].filter((v) => matches(v, payload.status)), next: null }),
      'merchant.archiveProduct': (payload) => {
        const v = products.get(payload.id as string)!;
        const next = { ...v, archived: payload.archived as boolean, onSale: payload.archived ? false : v.onSale };
        products.set(v.id, next);
        return ok(next);
      },
      'merchant.deleteProduct': () => fail('PRODUCT_HAS_ORDERS', '商品已有订单，不能删除，可以归档'),
    }),
  });
  await page.waitForClass('product-row');
});

test('the four filters, each asking the server for its status', async () => {
  expect(page.all('m-chip').slice(0, 4).map((el) => el.textContent)).toEqual(['全部', '在售', '已下架', '已归档']);
  expect(titles()).toEqual(['商品1', '商品2', '商品3']);
  await chip('filter-archived');
  await waitFor(() => titles().join() === '商品3', { what: 'the archived list' });
  expect(callsTo('merchant.listProducts').pop()!.payload).toMatchObject({ status: 'archived' });
  expect(page.all('product-row')[0].textContent).toContain('已归档');
  expect(page.all('product-row__restore')).toHaveLength(1);
  expect(page.all('product-row__toggle')).toHaveLength(0);
  await chip('filter-onSale');
  await waitFor(() => titles().join() === '商品1', { what: 'the on-sale list' });
  expect(callsTo('merchant.listProducts').pop()!.payload).toMatchObject({ status: 'onSale' });
  // An on-sale product is neither archived nor deleted from its row: take it off sale first.
  expect(page.all('product-row__archive')).toHaveLength(0);
  expect(page.all('product-row__delete')).toHaveLength(0);
});

test('归档 asks first; 取消 sends nothing, 确认 archives and the product leaves 已下架', async () => {
  await chip('filter-offSale');
  await waitFor(() => titles().join() === '商品2', { what: 'the off-sale list' });
  ui.wxOverrides.showModal = () => ({ errMsg: 'showModal:ok', confirm: false, cancel: true });
  await page.tap('product-row__archive');
  await waitFor(() => wxCallsTo('showModal').length === 1, { what: 'the confirmation' });
  expect(wxCallsTo('showModal')[0]).toMatchObject({ title: '归档商品', content: expect.stringContaining('已有订单不受影响') });
  expect(callsTo('merchant.archiveProduct')).toHaveLength(0);
  delete ui.wxOverrides.showModal;
  await page.tap('product-row__archive');
  await waitFor(() => callsTo('merchant.archiveProduct').length === 1, { what: 'archiveProduct' });
  expect(callsTo('merchant.archiveProduct')[0].payload).toEqual({ id: '2', archived: true });
  await waitFor(() => titles().length === 0, { what: 'the refreshed off-sale list' });
});

test('恢复 brings an archived product back to 已下架', async () => {
  await chip('filter-archived');
  await waitFor(() => titles().join() === '商品2,商品3', { what: 'the archived list' });
  await page.tapElement(page.all('product-row__restore')[1]);
  await waitFor(() => callsTo('merchant.archiveProduct').length === 2, { what: 'the restore' });
  expect(callsTo('merchant.archiveProduct')[1].payload).toEqual({ id: '3', archived: false });
  await waitFor(() => titles().join() === '商品2', { what: 'the refreshed archived list' });
});

test('删除 of a product with orders shows the server’s reason and the row stays', async () => {
  await page.tap('product-row__delete');
  await waitFor(() => callsTo('merchant.deleteProduct').length === 1, { what: 'deleteProduct' });
  expect(callsTo('merchant.deleteProduct')[0].payload).toEqual({ id: '2' });
  await waitFor(() => wxCallsTo('showToast').some((c) => c.title === '商品已有订单，不能删除，可以归档'), { what: 'the refusal toast' });
  expect(titles()).toEqual(['商品2']);
});
