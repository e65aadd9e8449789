/** 隐私与账号 (compiled weapp page): the notice again, a copy of one's data, and deletion only with the typed 注销. */
import { callsTo, cloudRoutes, fail, ok, renderPage, waitFor, wxCallsTo, type RenderedPage } from './harness';
import { me } from './fixtures';

let page: RenderedPage;

beforeAll(async () => {
  page = await renderPage('packages/profile/privacy/index', {
    cloud: cloudRoutes({
      'user.login': () => ok(me()),
      'user.exportData': () => ok({ exportedAt: '2026-12-05T08:00:00.000Z', openid: 'o-test-1', collections: { users: [{ _id: 'o-test-1' }], orders: [{ _id: 'o1' }, { _id: 'o2' }] } }),
      'user.deleteAccount': (_p, n) => (n === 1 ? fail('ACCOUNT_OPEN_ORDERS', '你有未完成的订单或退款，请等订单完成后再注销账号') : ok({ deleted: true })),
    }),
  });
  await page.waitForClass('privacy-export');
});

test('shows what is collected and why, with the contract one tap away', () => {
  expect(page.text()).toContain('收货人姓名、手机号和详细地址加密保存');
  expect(page.all('privacy-contract')).toHaveLength(1);
});

test('导出我的数据 hands over the JSON with its record count', async () => {
  await page.tap('privacy-export');
  await waitFor(() => callsTo('user.exportData').length === 1, { what: 'export' });
  await page.waitForClass('privacy-exported');
  // Sent to a chat as a file where WeChat can, else copied.
  expect(page.text()).toMatch(/(已发送数据文件|数据已复制到剪贴板)（共 3 条记录）/);
});

test('注销 needs the typed word; a refusal says why; then it deletes and goes home', async () => {
  await page.tap('privacy-delete');
  await page.waitForText('请输入“注销”以确认');
  expect(callsTo('user.deleteAccount')).toHaveLength(0);
  await page.type('privacy-delete__input', '注销');
  await page.tap('privacy-delete');
  await waitFor(() => callsTo('user.deleteAccount').length === 1, { what: 'first delete' });
  expect(wxCallsTo('showModal').pop().title).toBe('注销账号');
  await page.waitForText('你有未完成的订单或退款');
  await page.tap('privacy-delete');
  await waitFor(() => callsTo('user.deleteAccount').length === 2, { what: 'second delete' });
  expect(callsTo('user.deleteAccount')[1].payload).toEqual({ confirm: '注销' });
  await waitFor(() => wxCallsTo('reLaunch').length === 1, { what: 'home' });
});
