/** 提现: limits shown, amounts checked before sending, a confirmation, one requestId per intent. */
import { callsTo, cloudRoutes, fail, ok, renderPage, waitFor, wxCallsTo, type RenderedPage } from './harness';
import { me, walletSummary, withdrawal } from './fixtures';

let page: RenderedPage;
let attempts = 0;

beforeAll(async () => {
  page = await renderPage('packages/wallet/withdraw/index', {
    cloud: cloudRoutes({
      'user.login': () => ok(me()),
      'wallet.summary': () => ok(walletSummary()),
      'wallet.withdraw': () => (++attempts === 1 ? fail('NETWORK') : ok(withdrawal('w-1'))),
    }),
  });
  await page.waitForClass('withdraw-limits');
});

test('shows what can be withdrawn and the limits', () => {
  expect(page.one('withdraw-available')?.textContent).toBe('可提现 ¥123.45');
  expect(page.one('withdraw-limits')?.textContent).toBe('单笔最低 ¥1.00，最高 ¥1999.99；每天最多 3 次，今日还可提现 2 次。');
  // The merchant's time to 确认收款 (6 hours in the fixture), not a fixed 24.
  expect(page.one('withdraw-confirm-hours')?.textContent).toBe('审核未通过、转账失败或 6 小时内未确认收款，金额退回可提现余额。');
});

test('refuses a bad amount, one under the minimum and one over the balance, without calling', async () => {
  for (const [typed, message] of [
    ['12.345', '请输入正确的金额'],
    ['0.5', '最低提现 ¥1.00'],
    ['200', '可提现余额不足'],
  ]) {
    await page.type('withdraw-input', typed);
    await new Promise((resolve) => setTimeout(resolve, 50));
    await page.tap('withdraw-submit');
    await waitFor(() => page.one('withdraw-error')?.textContent?.includes(message), { what: message });
  }
  expect(callsTo('wallet.withdraw')).toHaveLength(0);
});

test('全部提现 fills the balance; confirming sends fen; a retry after a lost answer reuses the requestId', async () => {
  await page.tap('withdraw-all');
  await new Promise((resolve) => setTimeout(resolve, 50)); // the filled amount renders before the next tap
  await page.tap('withdraw-submit');
  await waitFor(() => page.one('withdraw-error')?.textContent?.includes('网络不给力'), { what: 'first attempt fails' });
  expect(wxCallsTo('showModal')[0].content).toContain('提现 ¥123.45 到微信零钱');
  await page.tap('withdraw-submit');
  await waitFor(() => wxCallsTo('redirectTo').length === 1, { what: 'back to the wallet' });
  const [first, second] = callsTo('wallet.withdraw');
  expect(first.payload.amountFen).toBe(12345);
  expect(second.payload).toEqual(first.payload);
  expect(wxCallsTo('redirectTo')[0].url).toBe('/packages/wallet/index');
  // No template configured in this build: no subscribe prompt, and nothing waited on one.
  expect(wxCallsTo('requestSubscribeMessage')).toHaveLength(0);
});
