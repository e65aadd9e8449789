/**
 * @jest-environment-options {"customExportConditions": ["node", "require", "default"]}
 */
/**
 * 商品分类 against the real functions: the demo shop's three categories with their product counts are shown and saved
 * unchanged (the stored list stays the same but its updatedAt); a category products hold cannot be removed from the
 * page; a new row with a duplicate name shows its problem next to the field and sends nothing; renamed, added and
 * moved up, it is saved and the shop's tabs follow.
 */
import { callsTo, renderPage, waitFor, wxCallsTo, type RenderedPage } from './harness';
import { startRealCloud, type RealCloud } from './real-cloud';

const MERCHANT = 'demo-merchant';

let rc: RealCloud;
let page: RenderedPage;
let before: string;
let seededAt: number;

beforeAll(async () => {
  rc = await startRealCloud();
  before = await rc.stored('settings', 'categories');
  seededAt = (await rc.doc('settings', 'categories')).updatedAt.getTime();
  page = await renderPage('packages/merchant/categories/index', { cloud: rc.as(MERCHANT) });
  await page.waitForClass('categories-save', 15_000);
}, 60_000);

afterAll(async () => {
  await rc?.close();
});

const saved = () => wxCallsTo('showToast').filter((t) => t.title === '已保存').length;

test('every category with its product count, saved unchanged: the stored list is the same', async () => {
  expect(page.all('category-row')).toHaveLength(3);
  expect(page.text().match(/2 件商品/g)).toHaveLength(3);
  await page.tap('categories-save');
  await waitFor(() => saved() === 1, { timeout: 10_000, what: `the save (page: ${page.text()})` });
  expect(callsTo('merchant.saveCategories').map((c) => c.payload)).toEqual([
    {
      categories: [
        { id: 'c-tea', name: '茶饮冲调' },
        { id: 'c-food', name: '粮油零食' },
        { id: 'c-home', name: '家居日用' },
      ],
      rev: 0,
    },
  ]);
  expect((await rc.doc('settings', 'categories')).updatedAt.getTime()).not.toBe(seededAt); // it was written…
  expect(await rc.stored('settings', 'categories')).toBe(before); // …and holds what it held
});

test('a category products hold is not removed: the page says why and keeps it', async () => {
  await page.tapElement(page.all('category-row__remove')[0]);
  expect(wxCallsTo('showToast').at(-1).title).toBe('还有 2 件商品，请先移到其他分类');
  expect(page.all('category-row')).toHaveLength(3);
});

test('a duplicate name: the problem next to the field, nothing sent; fixed, added and moved up, it is saved', async () => {
  await page.tap('categories-add');
  await waitFor(() => page.all('category-row').length === 4, { what: 'the new row' });
  await page.type('category-row__name--3', '茶饮冲调');
  await page.tap('categories-save');
  await page.waitForClass('field-error--category-3');
  expect(page.one('field-error--category-3')?.textContent).toBe('分类名称重复了');
  expect(callsTo('merchant.saveCategories')).toHaveLength(1);
  await page.type('category-row__name--3', '礼盒');
  await page.tapElement(page.all('category-row__up')[3]);
  await waitFor(() => page.all('category-row')[2].textContent?.includes('新分类'), { what: 'the new row moved up' });
  await page.tap('categories-save');
  await waitFor(() => saved() === 2, { timeout: 10_000, what: `the second save (page: ${page.text()})` });
  expect(callsTo('merchant.saveCategories').at(-1)!.payload).toEqual({
    categories: [
      { id: 'c-tea', name: '茶饮冲调' },
      { id: 'c-food', name: '粮油零食' },
      { id: null, name: '礼盒' },
      { id: 'c-home', name: '家居日用' },
    ],
    // The revision the first save answered: the same page saves again without reading.
    rev: 1,
  });
  const shop = await rc.call('demo-shopper-a', 'shop', 'categories', {});
  expect(shop.categories.map((c: { name: string }) => c.name)).toEqual(['茶饮冲调', '粮油零食', '礼盒', '家居日用']);
});
