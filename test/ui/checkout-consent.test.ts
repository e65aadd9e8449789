/**
 * 结算 for a shopper who has not agreed to the privacy notice: an order carries their name, phone and address, so
 * 提交订单 (and saving an address) shows the notice first and sends nothing; declining says why; agreeing records consent
 * and the order goes on. If the server still says PRIVACY_CONSENT_REQUIRED, the notice is shown again.
 */
import { callsTo, cloudRoutes, fail, ok, renderPage, waitFor, wxCallsTo, type RenderedPage } from './harness';
import { address, me, order, orderQuote, productDetail, walletSummary } from './fixtures';

let page: RenderedPage;
let serverConsented = false;

beforeAll(async () => {
  page = await renderPage('packages/shop/checkout/index', {
    query: { items: 'p-tea:1' },
    cloud: cloudRoutes({
      'user.login': () => ok(me({ consented: false })),
      'user.consent': () => {
        serverConsented = true;
        return ok(me({ consented: true }));
      },
      'shop.getProduct': () => ok(productDetail('p-tea')),
      'shop.listAddresses': () => ok([address({ id: 'addr-1', isDefault: true })]),
      'shop.listCoupons': () => ok([]),
      'wallet.summary': () => ok(walletSummary()),
      'shop.quote': () => ok(orderQuote()),
      'shop.createOrder': () => (serverConsented ? ok({ order: order('o-9'), created: true }) : fail('PRIVACY_CONSENT_REQUIRED', '请先阅读并同意隐私保护指引')),
    }),
  });
  // First open: the notice; the shopper declines and looks around.
  await page.waitForClass('consent-sheet');
  await page.tap('consent-sheet__decline');
  await waitFor(() => page.one('consent-sheet') === null, { what: 'sheet closed' });
  await page.waitForClass('checkout-item');
});

test('提交订单 without consent shows the notice and sends nothing; declining says why', async () => {
  await page.tap('checkout-submit');
  await page.waitForClass('consent-sheet');
  expect(page.text()).toContain('使用这项功能前');
  expect(callsTo('shop.createOrder')).toHaveLength(0);
  await page.tap('consent-sheet__decline');
  await page.waitForText('请先阅读并同意隐私保护指引');
  expect(callsTo('shop.createOrder')).toHaveLength(0);
  expect(callsTo('user.consent')).toHaveLength(0);
});

test('agreeing records consent, then the order is created and the page goes to it', async () => {
  await page.tap('checkout-submit');
  await page.waitForClass('consent-sheet');
  await page.fire('consent-sheet__agree', 'agreeprivacyauthorization', {});
  await waitFor(() => wxCallsTo('redirectTo').length === 1, { what: 'redirect to the order' });
  expect(callsTo('user.consent')).toHaveLength(1);
  expect(callsTo('shop.createOrder')).toHaveLength(1);
  expect(wxCallsTo('redirectTo')[0].url).toBe('/packages/shop/order/index?id=o-9&pay=1');
});
