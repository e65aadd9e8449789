/** 钱包: cash by bucket, points, coupons, withdrawals with 确认收款 (wx.requestMerchantTransfer), recent entries. */
import { callsTo, cloudRoutes, ok, renderPage, waitFor, wxCallsTo, type RenderedPage } from './harness';
import { activity, me, walletSummary, withdrawal } from './fixtures';
import { fen } from '../../types/money';

let page: RenderedPage;
let confirmed = false;

beforeAll(async () => {
  page = await renderPage('packages/wallet/index', {
    cloud: cloudRoutes({
      'user.login': () => ok(me()),
      'wallet.summary': () => ok(walletSummary({ cash: { availableFen: fen(0), frozenFen: fen(5000), withdrawingFen: fen(3000), debtFen: fen(120) } })),
      'wallet.withdrawals': () =>
        ok({
          items: [
            confirmed
              ? withdrawal('w-2', { amountFen: fen(3000), status: 'paid', statusText: '已到账' })
              : withdrawal('w-2', {
                  amountFen: fen(3000),
                  status: 'transferring',
                  statusText: '待确认收款',
                  transfer: { provider: 'wechat', mchId: '1900000001', appId: 'wx-bill-app', packageInfo: 'pkg-abc', expiresAt: '2025-03-02T02:00:00.000Z' },
                }),
            withdrawal('w-1', { status: 'rejected', statusText: '未通过', failReason: '信息不符' }),
          ],
          next: null,
        }),
      'wallet.activity': () =>
        ok({
          items: [
            activity('reward:r1:cash'),
            activity('spend:o1:points', { kind: 'spend', asset: 'points', title: '下单积分抵扣', amount: -50, status: 'spent', statusText: '已抵扣', steps: ['已抵扣'], legs: [] }),
          ],
          next: null,
        }),
      'wallet.confirmTransfer': () => {
        confirmed = true;
        return ok(withdrawal('w-2', { amountFen: fen(3000), status: 'paid', statusText: '已到账' }));
      },
    }),
  });
  await page.waitForClass('wallet-buckets');
});

test('shows each bucket, with when frozen money becomes available and what a debt is', () => {
  expect(page.one('wallet-available')?.textContent).toBe('¥0.00');
  expect(page.one('wallet-frozen')?.textContent).toBe('¥50.00');
  expect(page.one('wallet-unfreeze')?.textContent).toContain('过了退款期后，自动转为可提现');
  expect(page.one('wallet-withdrawing')?.textContent).toBe('¥30.00');
  expect(page.one('wallet-debt')?.textContent).toBe('¥1.20');
  expect(page.one('wallet-points')?.textContent).toBe('300');
  expect(page.one('wallet-coupons')?.textContent).toBe('2 张可用 · 1 张冻结中 ›');
});

test('recent activity: one line per event with its status, signed amounts in ¥ or 积分', () => {
  expect(callsTo('wallet.activity')[0].payload).toEqual({ pageSize: 5 });
  expect(page.all('activity__title').map((e) => e.textContent)).toEqual(['邀请奖励', '下单积分抵扣']);
  expect(page.all('activity__amount').map((e) => e.textContent)).toEqual(['+¥50.00', '−50 积分']);
  expect(page.all('activity__status').map((e) => e.textContent)).toEqual(['可提现', '已抵扣']);
  expect(page.one('entry')).toBeNull();
});

test('确认收款 opens WeChat’s transfer confirmation, then the server checks and shows it paid', async () => {
  expect(page.all('withdrawal__status').map((e) => e.textContent)).toEqual(['待确认收款', '未通过']);
  expect(page.text()).toContain('信息不符');
  await page.tap('withdrawal__confirm');
  await waitFor(() => callsTo('wallet.confirmTransfer').length === 1, { what: 'confirmTransfer' });
  const [transfer] = wxCallsTo('requestMerchantTransfer');
  // The merchant id and appid the server made the bill with.
  expect(transfer).toMatchObject({ mchId: '1900000001', appId: 'wx-bill-app', package: 'pkg-abc' });
  expect(callsTo('wallet.confirmTransfer')[0].payload).toEqual({ withdrawalId: 'w-2' });
  await waitFor(() => page.one('withdrawal__status--paid') !== null, { what: 'paid' });
  expect(page.one('withdrawal__confirm')).toBeNull();
});
