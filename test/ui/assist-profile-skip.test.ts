/** 跳过 on the 头像昵称 sheet (issue 17.3): the help goes on at once, nothing is saved, and it is not asked again. */
import { callsTo, cloudRoutes, ok, renderPage, waitFor } from './harness';
import { assistTask, me } from './fixtures';

test('跳过 helps without a name and does not ask twice', async () => {
  let helps = 0;
  const page = await renderPage('packages/assist/task/index', {
    query: { taskId: 'at-1' },
    cloud: cloudRoutes({
      'user.login': () => ok(me({ openid: 'o-skipper', nickname: '微信用户' })),
      'assist.get': () => ok(assistTask({ viewer: { isOwner: false, helped: false, cannotHelp: null, actions: ['help', 'startOwn'] } })),
      'assist.help': () => ok({ taskId: 'at-1', helpers: 2 + ++helps, target: 9, completed: false, boundToOwner: false }),
    }),
  });
  await page.waitForClass('assist-help');
  await page.tap('assist-help');
  await page.waitForClass('profile-sheet');
  await page.tap('profile-sheet__skip');
  await waitFor(() => callsTo('assist.help').length === 1, { what: 'the help after 跳过' });
  expect(callsTo('user.profile')).toHaveLength(0);

  await waitFor(() => page.one('assist-help')?.textContent === '帮TA助力' && callsTo('assist.get').length >= 2, { what: 'the first help to finish' });
  await page.tap('assist-help');
  await waitFor(() => callsTo('assist.help').length === 2, { what: 'a second help, no sheet' });
  expect(page.one('profile-sheet')).toBeNull();
});
