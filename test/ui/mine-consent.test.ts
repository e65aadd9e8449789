/** 我的 for a user who declined the privacy notice: browsing goes on, and the notice can be reopened from here. */
import { callsTo, cloudRoutes, ok, renderPage, waitFor } from './harness';
import { me, walletSummary } from './fixtures';

test('declining closes the sheet; the card on 我的 opens it again', async () => {
  const page = await renderPage('pages/mine/index', {
    cloud: cloudRoutes({
      'user.login': () => ok(me({ consented: false })),
      'wallet.summary': () => ok(walletSummary()),
    }),
  });
  await page.waitForClass('consent-sheet');
  await page.tap('consent-sheet__decline');
  await waitFor(() => page.one('consent-sheet') === null, { what: 'sheet closed' });
  expect(page.one('consent-card__text')?.textContent).toContain('你还没有同意隐私保护指引');
  expect(page.one('wallet-available')?.textContent).toBe('¥123.45');
  await page.tap('consent-card');
  await page.waitForClass('consent-sheet');
  expect(callsTo('user.consent')).toHaveLength(0);
});
