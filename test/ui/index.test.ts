/** 首页: products from shop.listProducts, paging, pull-to-refresh, tap. One render shared by the ordered steps. */
import { callsTo, cloudRoutes, ok, renderPage, wxCallsTo, type RenderedPage } from './harness';
import { me, product } from './fixtures';
import { fen } from '../../types/money';

const firstPage = [
  product('p1', { title: '云南高山蓝莓 125g', priceFen: fen(1290), badges: { rebate: true, assist: false }, soldQty: 86, priceVaries: true }),
  product('p2', { title: '五常大米 5kg', priceFen: fen(6900), stock: 0, badges: { rebate: false, assist: true }, assistPriceFen: fen(4900) }),
  product('p3', { title: '赣南脐橙', priceFen: fen(5), badges: { rebate: true, assist: true }, soldQty: 12_345 }),
];
const secondPage = [product('p4', { title: '阳澄湖大闸蟹', priceFen: fen(19900) })];

let page: RenderedPage;

const card = (title: string) => {
  const found = page.all('product-card').find((el) => el.textContent?.includes(title));
  if (!found) throw new Error(`no card for ${title}`);
  return found;
};

beforeAll(async () => {
  page = await renderPage('pages/index/index', {
    cloud: cloudRoutes({
      'user.login': () => ok(me()),
      'shop.listProducts': (payload) => ok(payload.cursor === 2 ? { items: secondPage, next: null } : { items: firstPage, next: 2 }),
      // No banner set by the merchant: the shop's first active rule, in its own words.
      'shop.homeBanners': () => ok({ banners: [{ heading: '推三返一', caption: '每邀请 3 位好友首次下单，奖励 ¥50 现金', productId: null }], fromRules: true }),
    }),
  });
  await page.waitForClass('product-card');
});

test('shows the banner and one card per product with title, price and badges', () => {
  expect(page.all('banner__title').map((el) => el.textContent)).toEqual(['推三返一']);
  expect(page.all('banner__text').map((el) => el.textContent)).toEqual(['每邀请 3 位好友首次下单，奖励 ¥50 现金']);
  expect(page.all('banner__hint')).toHaveLength(1); // a rule's banner says when the reward can be withdrawn
  expect(page.all('banner__go')).toHaveLength(0); // and links nowhere
  expect(page.all('product-card')).toHaveLength(3);
  expect(page.all('product-card__title').map((el) => el.textContent)).toEqual(['云南高山蓝莓 125g', '五常大米 5kg', '赣南脐橙']);
  // '起' when the SKU prices differ (the card shows the lowest).
  expect(page.all('product-card__price').map((el) => el.textContent)).toEqual(['¥12.90 起', '¥69.00', '¥0.05']);

  expect(card('蓝莓').textContent).toContain('返利');
  expect(card('蓝莓').textContent).not.toContain('助力');
  expect(card('大米').textContent).toContain('助力价 ¥49.00');
  // An assist without a price (a coupon reward) keeps the plain badge.
  expect(card('赣南脐橙').textContent).toContain('助力');
  expect(card('赣南脐橙').textContent).not.toContain('助力价');
  expect(card('大米').textContent).not.toContain('返利');
  expect(card('脐橙').textContent).toContain('返利');
  expect(card('脐橙').textContent).toContain('助力');
});

test('shows 已售 where orders hold units, nothing for a product nobody ordered', () => {
  expect(page.all('product-card__sold').map((el) => el.textContent)).toEqual(['已售 86', '已售 1.2万']);
  expect(card('大米').textContent).not.toContain('已售');
});

test('marks only the product with no stock as 售罄', () => {
  expect(card('大米').textContent).toContain('售罄');
  expect(card('蓝莓').textContent).not.toContain('售罄');
  expect(page.all('product-card__sold-out')).toHaveLength(1);
});

test('asks for the first page without a cursor, and logs in once at launch', () => {
  expect(callsTo('shop.listProducts')[0].payload).toEqual({ pageSize: 10 });
  expect(callsTo('user.login')).toHaveLength(1);
  expect(page.text()).toContain('上拉加载更多');
});

test('reaching the bottom loads the next page with the cursor and appends it', async () => {
  page.instance.onReachBottom();
  await page.waitForText('阳澄湖大闸蟹');
  expect(callsTo('shop.listProducts')[1].payload).toEqual({ cursor: 2, pageSize: 10 });
  expect(page.all('product-card')).toHaveLength(4);
  expect(page.text()).toContain('没有更多了');

  page.instance.onReachBottom(); // at the end: no further call
  await new Promise((resolve) => setTimeout(resolve, 50));
  expect(callsTo('shop.listProducts')).toHaveLength(2);
});

test('pull-to-refresh reloads the first page and stops the spinner', async () => {
  page.instance.onPullDownRefresh();
  await page.waitForText('上拉加载更多');
  expect(callsTo('shop.listProducts')).toHaveLength(3);
  expect(callsTo('shop.listProducts')[2].payload).toEqual({ pageSize: 10 });
  expect(page.all('product-card')).toHaveLength(3);
  expect(wxCallsTo('stopPullDownRefresh').length).toBeGreaterThanOrEqual(1);
});

test('tapping a product opens its page in the shop subpackage', async () => {
  await page.tap('product-card');
  expect(wxCallsTo('navigateTo').map((o) => o.url)).toEqual(['/packages/shop/product/index?id=p1']);
});
