/** 钱包 when the wallet cannot load; the browser-style local transfer sheet for a local payout. */
import { callsTo, cloudRoutes, fail, ok, renderPage, waitFor, wxCallsTo } from './harness';
import { me, walletSummary, withdrawal } from './fixtures';

test('error state with 重试; a local payout is confirmed on the local provider’s sheet', async () => {
  let calls = 0;
  const page = await renderPage('packages/wallet/index', {
    cloud: cloudRoutes({
      'user.login': () => ok(me()),
      'wallet.summary': () => (++calls === 1 ? fail('INTERNAL') : ok(walletSummary())),
      'wallet.withdrawals': () =>
        ok({ items: [withdrawal('w-9', { status: 'transferring', statusText: '待确认收款', transfer: { provider: 'local', mchId: 'local-mch', appId: 'wx-local-app', packageInfo: 'local-pkg', expiresAt: '' } })], next: null }),
      'wallet.activity': () => ok({ items: [], next: null }),
      'wallet.confirmTransfer': () => ok(withdrawal('w-9', { status: 'paid', statusText: '已到账' })),
    }),
  });
  await page.waitForText('服务开小差了');
  await page.tap('retry-button');
  await page.tap('withdrawal__confirm');
  await page.waitForClass('transfer-sheet');
  expect(page.one('transfer-sheet__amount')?.textContent).toBe('¥50.00');
  await page.tap('transfer-sheet__confirm');
  await waitFor(() => callsTo('wallet.confirmTransfer').length === 1, { what: 'confirmTransfer' });
  expect(wxCallsTo('requestMerchantTransfer')).toHaveLength(0);
});
