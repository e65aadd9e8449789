/** 新建商品 (issue 17.4): the "至少需要一张图片" refusal goes away once an image is added; a failed picture shows the placeholder. */
import { callsTo, cloudRoutes, ok, renderPage, waitFor, wxCallsTo, type RenderedPage } from './harness';
import { merchantMe } from './merchant-fixtures';

let page: RenderedPage;

beforeAll(async () => {
  page = await renderPage('packages/merchant/product/index', {
    cloud: cloudRoutes({
      'user.login': () => ok(merchantMe()),
      'merchant.saveProduct': (payload) => ok({ ...payload, id: 'p-new', updatedAt: '' }),
      'merchant.getCategories': () => ok({ categories: [{ id: 'c-tea', name: '茶饮冲调', products: 2 }, { id: 'c-home', name: '家居日用', products: 1 }] }),
    }),
  });
  await page.waitForClass('product-form__save');
});

test('a new product’s bar says 新建商品 (the page’s config says 编辑商品)', () => {
  expect(wxCallsTo('setNavigationBarTitle').map((o) => o.title)).toEqual(['新建商品']);
});

test('an on-sale product without images is refused; the message clears when the field is fixed', async () => {
  await page.type('product-form__title', '手工皂');
  await page.type('product-form__price', '19.9');
  await page.tap('product-form__save');
  await page.waitForText('上架的商品至少需要一张图片');
  expect(callsTo('merchant.saveProduct')).toHaveLength(0);

  await page.type('product-form__images', 'https://img.example.com/soap.png');
  await waitFor(() => !page.text().includes('上架的商品至少需要一张图片'), { what: 'the stale message to clear' });
  expect(page.one('product-form__error')).toBeNull();
});

test('a preview that fails to load shows the placeholder', async () => {
  await page.waitForClass('thumb');
  await page.fire('thumb', 'error', { errMsg: '404' });
  await waitFor(() => page.one('product-image--placeholder'), { what: 'the placeholder' });
});

test('a new product sends every field: the stock, the sort and the category it was given, a cloud file as a picture', async () => {
  await waitFor(() => page.all('product-category').length === 3, { what: 'the categories' });
  expect(page.all('product-category').map((el) => el.textContent)).toEqual(['未分类', '茶饮冲调', '家居日用']);
  expect(page.all('product-category').filter((el) => el.className.includes('m-chip--on')).map((el) => el.textContent)).toEqual(['未分类']);
  await page.tapElement(page.all('product-category')[2]);
  await page.type('product-form__images', 'https://img.example.com/soap.png\ncloud://env-1/products/soap-2.png');
  await page.type('product-form__stock', '5');
  await page.type('product-form__sort', '-3');
  await page.type('product-form__description', '橄榄油冷制');
  await page.tap('product-form__save');
  await waitFor(() => callsTo('merchant.saveProduct').length === 1, { what: 'saveProduct' });
  expect(callsTo('merchant.saveProduct')[0].payload).toEqual({
    title: '手工皂',
    description: '橄榄油冷制',
    images: ['https://img.example.com/soap.png', 'cloud://env-1/products/soap-2.png'],
    priceFen: 1990,
    stock: 5,
    onSale: true,
    sort: -3,
    categoryId: 'c-home',
    rev: 0,
  });
});
