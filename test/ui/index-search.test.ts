/** 首页 search (compiled weapp page): the box sends `q` to shop.listProducts, no match reads in Chinese, 清除 lists all. */
import { callsTo, cloudRoutes, ok, renderPage, type RenderedPage } from './harness';
import { me, product } from './fixtures';

const all = [product('p1', { title: '明前龙井 250g' }), product('p2', { title: '五常大米 5kg' })];

let page: RenderedPage;
const titles = () => page.all('product-card__title').map((el) => el.textContent);
const waitUntil = async (ok: () => boolean, what: string) => {
  for (let i = 0; i < 100 && !ok(); i++) await new Promise((r) => setTimeout(r, 20));
  if (!ok()) throw new Error(`timed out waiting for ${what}`);
};

beforeAll(async () => {
  page = await renderPage('pages/index/index', {
    cloud: cloudRoutes({
      'user.login': () => ok(me()),
      // The server's literal title match, as the fake shop's.
      'shop.listProducts': (payload) => ok({ items: all.filter((p) => !payload.q || p.title.includes(payload.q as string)), next: null }),
    }),
  });
  await page.waitForClass('product-card');
});

test('the first list asks for every product (no q)', () => {
  expect(titles()).toEqual(['明前龙井 250g', '五常大米 5kg']);
  expect(callsTo('shop.listProducts')[0].payload).not.toHaveProperty('q');
  expect(page.one('search__input')).not.toBeNull();
});

test('搜索 sends the trimmed text as q and shows the matches', async () => {
  await page.type('search__input', '  龙井 ');
  await page.tap('search__go');
  await waitUntil(() => titles().join() === '明前龙井 250g', 'the search result');
  expect(callsTo('shop.listProducts').pop()!.payload).toMatchObject({ q: '龙井', pageSize: 10 });
});

test('the keyboard’s search key searches too; no match says so in Chinese and offers the whole shop', async () => {
  await page.fire('search__input', 'confirm', { value: '(.*)' });
  await page.waitForClass('empty-state');
  expect(callsTo('shop.listProducts').pop()!.payload).toMatchObject({ q: '(.*)' });
  expect(page.one('empty-state')!.textContent).toContain('没有找到与「(.*)」相关的商品');
  await page.tap('search__reset');
  await waitUntil(() => titles().length === 2, 'the whole shop');
  expect(callsTo('shop.listProducts').pop()!.payload).not.toHaveProperty('q');
  expect(page.one('search__clear')).toBeNull();
});
