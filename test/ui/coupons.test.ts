/** 优惠券: usable coupons, then those held until a refund window passes. */
import { callsTo, cloudRoutes, fail, ok, renderPage, waitFor } from './harness';
import { me } from './fixtures';

test('lists coupons by status; an error shows with 重试', async () => {
  let heldCalls = 0;
  const page = await renderPage('packages/wallet/coupons/index', {
    cloud: cloudRoutes({
      'user.login': () => ok(me()),
      'wallet.coupons': (p) =>
        p.status === 'held'
          ? ++heldCalls === 1
            ? fail('INTERNAL')
            : ok([{ id: 'c-2', title: '邀请奖励券', amountFen: 2000, minSpendFen: 10000, status: 'held', expiresAt: null }])
          : ok([{ id: 'c-1', title: '新人券', amountFen: 500, minSpendFen: 5000, status: 'available', expiresAt: '2025-04-01T00:00:00.000Z' }]),
    }),
  });
  await page.waitForClass('coupon');
  expect(page.one('coupon__amount')?.textContent).toBe('¥5.00');
  expect(page.text()).toContain('满 ¥50.00 可用');
  expect(page.text()).toContain('到期');
  await page.tap('coupon-tab--held');
  await page.waitForText('服务开小差了');
  await page.tap('retry-button');
  await waitFor(() => page.text().includes('好友订单过了退款期后可用'), { what: 'held coupon' });
  expect(callsTo('wallet.coupons').map((c) => c.payload.status)).toEqual(['available', 'held', 'held']);
});
