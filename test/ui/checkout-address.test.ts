/** 结算 with no saved address: weapp's address picker fills one, saved on the server; a failed create keeps its requestId. */
import { callsTo, cloudRoutes, fail, ok, renderPage, waitFor, wxCallsTo } from './harness';
import { address, me, order, orderQuote, productDetail, walletSummary } from './fixtures';

test('chooseAddress → saveAddress; a create that failed on the network is retried with the same requestId', async () => {
  let creates = 0;
  const page = await renderPage('packages/shop/checkout/index', {
    query: { items: 'p-tea:1', assistTaskId: '' },
    cloud: cloudRoutes({
      'user.login': () => ok(me()),
      'shop.getProduct': () => ok(productDetail('p-tea')),
      'shop.listAddresses': () => ok([]),
      'shop.listCoupons': () => ok([]),
      'wallet.summary': () => ok(walletSummary()),
      'shop.quote': () => ok(orderQuote()),
      'shop.saveAddress': (p) => ok(address({ ...(p as object), id: 'addr-new', isDefault: true })),
      'shop.createOrder': () => (++creates === 1 ? fail('NETWORK') : ok({ order: order('o-1'), created: true })),
    }),
  });
  await page.waitForText('添加收货地址');
  await page.tap('checkout-submit');
  await page.waitForText('请先填写收货地址');
  expect(callsTo('shop.createOrder')).toHaveLength(0);

  await page.tap('address-card');
  await page.waitForText('张三 13800138000');
  expect(wxCallsTo('chooseAddress')).toHaveLength(1);
  expect(callsTo('shop.saveAddress')[0].payload).toEqual({
    name: '张三',
    phone: '13800138000',
    province: '浙江省',
    city: '杭州市',
    district: '西湖区',
    detail: '文三路 100 号',
    isDefault: true,
  });

  await page.tap('checkout-submit');
  await page.waitForText('网络不给力');
  await page.tap('checkout-submit');
  await waitFor(() => wxCallsTo('redirectTo').length === 1, { what: 'redirect' });
  const [first, second] = callsTo('shop.createOrder');
  expect(second.payload.requestId).toBe(first.payload.requestId);
  expect(first.payload.addressId).toBe('addr-new');
});
