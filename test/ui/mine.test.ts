/** 我的: the signed-in shopper from the launch login. */
import { callsTo, cloudRoutes, ok, renderPage, ui, wxCallsTo } from './harness';
import { me } from './fixtures';

test('shows nickname and invite code from the one launch login, which carried the share params', async () => {
  const page = await renderPage('pages/mine/index', {
    launchQuery: { inviteCode: 'INV001', source: 'card' },
    cloud: cloudRoutes({ 'user.login': () => ok(me({ nickname: '小红', inviteCode: 'R8T5WX' })) }),
  });
  await page.waitForClass('invite-code');
  expect(page.one('invite-code')?.textContent).toBe('R8T5WX');
  expect(page.one('profile__nickname')?.textContent).toBe('小红');
  expect(page.one('profile__avatar--placeholder')?.textContent).toBe('小');

  // app launch and the page share one login
  expect(callsTo('user.login')).toHaveLength(1);
  expect(callsTo('user.login')[0].payload).toEqual({ inviteCode: 'INV001', source: 'card' });
  // the weapp build initialises the cloud SDK once, on the bound env
  expect(ui.cloudInit).toHaveLength(1);

  await page.tap('invite-card__copy');
  expect(wxCallsTo('setClipboardData').map((o) => o.data)).toEqual(['R8T5WX']);
});
