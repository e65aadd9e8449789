/** 商品详情: price, the full rules before any action, 加入购物车 / 立即购买 / 发起助力 / share card / poster; error state. */
import { callsTo, cloudRoutes, ok, renderPage, waitFor, wxCallsTo, type RenderedPage } from './harness';
import { assistTask, cart, me, productDetail } from './fixtures';

let page: RenderedPage;

beforeAll(async () => {
  page = await renderPage('packages/shop/product/index', {
    query: { id: 'p-tea' },
    cloud: cloudRoutes({
      'user.login': () => ok(me({ inviteCode: 'K7Q2MZ' })),
      'shop.getProduct': () => ok(productDetail('p-tea')),
      'shop.addToCart': () => ok(cart([{ productId: 'p-tea' }])),
      'assist.start': () => ok(assistTask({ taskId: 'at-42' })),
    }),
  });
  await page.waitForText('商品介绍');
});

test('shows price, stock, badges and the full assist and rebate rules before any button', () => {
  expect(callsTo('shop.getProduct')[0].payload).toEqual({ productId: 'p-tea' });
  expect(page.one('product-page__price')?.textContent).toBe('¥168.00');
  expect(page.one('product-page__stock')?.textContent).toBe('库存 50');
  expect(page.text()).toContain('助力价 ¥99.00');
  const assist = page.one('product-page__assist-rules')!.textContent!;
  expect(assist).toContain('邀请 3 位好友助力，以 ¥99.00 购买');
  expect(assist).toContain('进度按好友人数计算，没有随机金额。');
  const rebate = page.one('product-page__rebate-rules')!.textContent!;
  expect(rebate).toContain('返利规则：推三返一');
  expect(rebate).toContain('只奖励直接邀请，不设多级。');
  expect(page.text()).toContain('杭州西湖产区明前采摘。');
});

test('加入购物车 adds one of this product (ids only, never a price)', async () => {
  await page.tap('action-bar__add');
  await waitFor(() => wxCallsTo('showToast').length > 0, { what: 'a toast' });
  expect(callsTo('shop.addToCart').map((c) => c.payload)).toEqual([{ productId: 'p-tea', quantity: 1 }]);
  expect(wxCallsTo('showToast').map((t) => t.title)).toEqual(['已加入购物车']);
});

test('立即购买 opens checkout with this product', async () => {
  await page.tap('action-bar__buy');
  expect(wxCallsTo('navigateTo').pop().url).toBe('/packages/shop/checkout/index?items=p-tea%3A1');
});

test('发起助力 starts a task and opens its assist page', async () => {
  await page.tap('product-page__start-assist');
  await waitFor(() => callsTo('assist.start').length === 1 && wxCallsTo('navigateTo').length === 2, { what: 'start and navigate' });
  expect(callsTo('assist.start').map((c) => c.payload)).toEqual([{ productId: 'p-tea' }]);
  expect(wxCallsTo('navigateTo').pop().url).toBe('/packages/assist/task/index?taskId=at-42');
});

test('the share card carries the inviter code and its source; 分享给好友 is WeChat’s share button', () => {
  const card = page.share();
  expect(card.path).toBe('/packages/shop/product/index?id=p-tea&inviter=K7Q2MZ&source=card');
  expect(card.title).toContain('明前龙井 250g 礼盒');
  expect(card.imageUrl).toBe('https://img.example.com/p-tea-1.png');
  expect(page.one('product-page__share')?.textContent).toBe('分享给好友');
});

test('生成海报 opens the poster for this product', async () => {
  await page.tap('product-page__poster');
  expect(wxCallsTo('navigateTo').pop().url).toBe('/packages/profile/poster/index?productId=p-tea');
});
