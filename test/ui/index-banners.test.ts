/**
 * 首页's banner area as the merchant sets it (shop.homeBanners): several slides in a swiper, each with its heading
 * and caption; a slide with a product opens that product; a slide without one does nothing. While the products load,
 * the grid shows card-shaped skeleton blocks, not 加载中…; when the banners fail, the products still show.
 */
import { cloudRoutes, ok, renderPage, wxCallsTo, type RenderedPage } from './harness';
import { me, product } from './fixtures';

let page: RenderedPage;
let releaseProducts: () => void = () => undefined;

beforeAll(async () => {
  page = await renderPage('pages/index/index', {
    cloud: cloudRoutes({
      'user.login': () => ok(me()),
      'shop.listProducts': () => new Promise((resolve) => (releaseProducts = () => resolve(ok({ items: [product('p1', { title: '龙井' })], next: null })))),
      'shop.homeBanners': () =>
        ok({
          banners: [
            { heading: '双十二 推三返一', caption: '邀请好友下单，奖励可提现', productId: null },
            { heading: '明前龙井', caption: '新茶上市 助力价 ¥99', productId: 'p1' },
          ],
          fromRules: false,
        }),
    }),
  });
  await page.waitForClass('banner__title');
});

test('while the products load: skeleton cards, no 加载中… text', async () => {
  expect(page.all('skeleton-card').length).toBeGreaterThan(0);
  expect(page.text()).not.toContain('加载中…');
  releaseProducts();
  await page.waitForClass('product-card');
  expect(page.all('skeleton-card')).toHaveLength(0);
});

test('two slides in a swiper, each with heading and caption; no rule hint on the merchant’s own slides', () => {
  expect(page.all('banner-swiper')).toHaveLength(1);
  expect(page.all('banner__title').map((el) => el.textContent)).toEqual(['双十二 推三返一', '明前龙井']);
  expect(page.all('banner__text').map((el) => el.textContent)).toEqual(['邀请好友下单，奖励可提现', '新茶上市 助力价 ¥99']);
  expect(page.all('banner__hint')).toHaveLength(0);
});

test('the slide with a product opens it; the one without does nothing', async () => {
  const [plain, linked] = page.all('banner');
  expect(page.all('banner__go')).toHaveLength(1);
  await page.tapElement(plain);
  expect(wxCallsTo('navigateTo')).toHaveLength(0);
  await page.tapElement(linked);
  expect(wxCallsTo('navigateTo').map((o) => o.url)).toEqual(['/packages/shop/product/index?id=p1']);
});
