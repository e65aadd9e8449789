/**
 * 首页's category tabs (shop.categories): 全部 and the merchant's categories in order; a tab lists its products only
 * (shop.listProducts with its categoryId) and a search runs inside it; an empty tab says so by name and 看看全部商品
 * goes back to 全部 with the search cleared.
 */
import { callsTo, cloudRoutes, ok, renderPage, waitFor, type RenderedPage } from './harness';
import { me, product } from './fixtures';

let page: RenderedPage;

const BY_CATEGORY: Record<string, ReturnType<typeof product>[]> = {
  all: [product('p-tea', { title: '明前龙井' }), product('p-cup', { title: '保温杯' })],
  'c-tea': [product('p-tea', { title: '明前龙井' })],
  'c-home': [],
};

beforeAll(async () => {
  page = await renderPage('pages/index/index', {
    cloud: cloudRoutes({
      'user.login': () => ok(me()),
      'shop.homeBanners': () => ok({ banners: [], fromRules: true }),
      'shop.categories': () =>
        ok({
          categories: [
            { id: 'c-tea', name: '茶饮冲调' },
            { id: 'c-home', name: '家居日用' },
          ],
        }),
      'shop.listProducts': (p) => {
        const items = BY_CATEGORY[(p.categoryId as string | undefined) ?? 'all'];
        const q = p.q as string | undefined;
        return ok({ items: q ? items.filter((i) => i.title.includes(q)) : items, next: null });
      },
    }),
  });
  await page.waitForClass('product-card');
  await page.waitForClass('category-tab');
});

const titles = () => page.all('product-card__title').map((e) => e.textContent);
const lastList = () => callsTo('shop.listProducts').at(-1)!.payload;

test('全部 first and on, then the categories in the merchant’s order', () => {
  expect(page.all('category-tab').map((e) => e.textContent)).toEqual(['全部', '茶饮冲调', '家居日用']);
  expect(page.all('category-tab--on').map((e) => e.textContent)).toEqual(['全部']);
  expect(lastList()).not.toHaveProperty('categoryId');
  expect(titles()).toEqual(['明前龙井', '保温杯']);
});

test('a tab lists its own products; a search runs inside the tab', async () => {
  await page.tapElement(page.all('category-tab')[1]);
  await waitForTitles(['明前龙井']);
  expect(page.all('category-tab--on').map((e) => e.textContent)).toEqual(['茶饮冲调']);
  expect(lastList()).toMatchObject({ categoryId: 'c-tea' });
  await page.type('search__input', '龙井');
  await page.tap('search__go');
  await waitForTitles(['明前龙井']);
  expect(lastList()).toMatchObject({ categoryId: 'c-tea', q: '龙井' });
});

test('an empty tab says so by name; 看看全部商品 goes back to 全部 with the search cleared', async () => {
  await page.tapElement(page.all('category-tab')[2]);
  await page.waitForText('在「家居日用」里没有找到与「龙井」相关的商品');
  expect(lastList()).toMatchObject({ categoryId: 'c-home', q: '龙井' });
  await page.tap('search__reset');
  await waitForTitles(['明前龙井', '保温杯']);
  expect(lastList()).not.toHaveProperty('categoryId');
  expect(lastList()).not.toHaveProperty('q');
  expect(page.all('category-tab--on').map((e) => e.textContent)).toEqual(['全部']);
});

async function waitForTitles(want: string[]) {
  await waitFor(() => JSON.stringify(titles()) === JSON.stringify(want), { what: `titles ${want.join(',')} (page: ${page.text()})` });
}
