/** Product pictures (issue 17.4): a picture that fails to load (a 404 URL) shows a neutral placeholder, not a broken icon. */
import { cloudRoutes, ok, renderPage, waitFor, type RenderedPage } from './harness';
import { me, product } from './fixtures';

let page: RenderedPage;

beforeAll(async () => {
  page = await renderPage('pages/index/index', {
    cloud: cloudRoutes({
      'user.login': () => ok(me()),
      'shop.listProducts': () => ok({ items: [product('p1', { image: 'https://img.example.com/404.png' }), product('p2'), product('p3', { image: '' })], next: null }),
    }),
  });
  await page.waitForClass('product-card');
});

test('a card with no picture shows the placeholder in the picture box', () => {
  const cards = page.all('product-card');
  expect(cards[2].querySelector('[class*="product-image--placeholder"]')?.textContent).toBe('暂无图片');
  expect(cards[0].querySelector('[class*="product-image--placeholder"]')).toBeNull();
});

test('a picture that fails to load is replaced by the placeholder; the others stay', async () => {
  await page.fire('product-card__image', 'error', { errMsg: 'GET https://img.example.com/404.png 404 (Not Found)' });
  await waitFor(() => page.all('product-card')[0].querySelector('[class*="product-image--placeholder"]'), { what: 'the placeholder' });
  const [first, second] = page.all('product-card');
  expect(first.querySelector('[class*="product-card__image"]')?.className).toContain('product-image--placeholder');
  expect(second.querySelector('[class*="product-image--placeholder"]')).toBeNull();
});
