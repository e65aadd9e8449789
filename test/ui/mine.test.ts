/** 我的: the signed-in shopper from the launch login, the wallet at a glance, orders by status, tools. */
import { callsTo, cloudRoutes, ok, renderPage, ui, wxCallsTo, type RenderedPage } from './harness';
import { me, walletSummary } from './fixtures';
import { fen } from '../../types/money';

let page: RenderedPage;

beforeAll(async () => {
  page = await renderPage('pages/mine/index', {
    launchQuery: { inviteCode: 'INV001', source: 'card' },
    cloud: cloudRoutes({
      'user.login': () => ok(me({ nickname: '小红', inviteCode: 'R8T5WX' })),
      'wallet.summary': () => ok(walletSummary({ cash: { availableFen: fen(12345), frozenFen: fen(5000), withdrawingFen: fen(2000), debtFen: fen(300) } })),
    }),
  });
  await page.waitForClass('wallet-available');
});

test('shows nickname and invite code from the one launch login, which carried the share params', async () => {
  expect(page.one('invite-code')?.textContent).toBe('R8T5WX');
  expect(page.one('profile__nickname')?.textContent).toBe('小红');
  // No picture: the generated avatar with the initial, in the user's own colour (issue 17.3).
  expect(page.one('avatar--generated')?.textContent).toBe('小');
  expect(page.one('avatar--generated')?.className).toContain('profile__avatar');
  // app launch and the page share one login
  expect(callsTo('user.login')).toHaveLength(1);
  expect(callsTo('user.login')[0].payload).toEqual({ inviteCode: 'INV001', source: 'card' });
  // the weapp build initialises the cloud SDK once, on the bound env
  expect(ui.cloudInit).toHaveLength(1);

  await page.tap('invite-card__copy');
  expect(wxCallsTo('setClipboardData').map((o) => o.data)).toEqual(['R8T5WX']);
});

test('shows the wallet by bucket: available, frozen, points, coupons, withdrawing and debt', () => {
  expect(page.one('wallet-available')?.textContent).toBe('¥123.45');
  expect(page.one('wallet-frozen')?.textContent).toBe('¥50.00');
  expect(page.one('wallet-points')?.textContent).toBe('300');
  expect(page.one('wallet-coupons')?.textContent).toBe('2');
  expect(page.one('wallet-card__extra')?.textContent).toBe('提现中 ¥20.00 · 待抵扣 ¥3.00');
});

test('its buttons open the wallet, withdraw, orders by status, assists and profile', async () => {
  await page.tap('wallet-card__withdraw');
  await page.tap('orders-card__tab--shipped');
  await page.tap('menu__assists');
  await page.tap('menu__profile');
  expect(wxCallsTo('navigateTo').map((o) => o.url)).toEqual([
    '/packages/wallet/withdraw/index',
    '/packages/shop/orders/index?status=shipped',
    '/packages/assist/mine/index',
    '/packages/profile/index',
  ]);
});
