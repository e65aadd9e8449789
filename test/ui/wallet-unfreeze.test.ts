/** 钱包: with a dated frozen reward, the frozen bucket says when the earliest one becomes available. */
import { cloudRoutes, ok, renderPage, type RenderedPage } from './harness';
import { me, walletSummary } from './fixtures';

let page: RenderedPage;

beforeAll(async () => {
  page = await renderPage('packages/wallet/index', {
    cloud: cloudRoutes({
      'user.login': () => ok(me()),
      // 04:30 UTC is 12:30 in Asia/Shanghai.
      'wallet.summary': () => ok(walletSummary({ nextUnfreezeAt: '2025-03-08T04:30:00.000Z' })),
      'wallet.withdrawals': () => ok({ items: [], next: null }),
      'wallet.activity': () => ok({ items: [], next: null }),
    }),
  });
  await page.waitForClass('wallet-buckets');
});

test('the frozen bucket names the earliest unfreeze time, in Beijing time', () => {
  const note = page.one('wallet-unfreeze')?.textContent ?? '';
  expect(note).toContain('最早一笔将于');
  expect(note).toContain('03-08 12:30');
  expect(note).toContain('转为可提现');
});
