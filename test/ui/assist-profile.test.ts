/**
 * Nobody is 微**户 (issue 17.3): before a friend without a name helps, WeChat's 头像昵称填写 (chooseAvatar + a nickname
 * input) is offered once — saved, then the help goes on; helpers without a picture get distinct generated avatars.
 */
import { callsTo, cloudRoutes, ok, renderPage, waitFor, wxCallsTo, type RenderedPage } from './harness';
import { assistTask, me } from './fixtures';

let page: RenderedPage;
let nickname = '微信用户';

beforeAll(async () => {
  page = await renderPage('packages/assist/task/index', {
    query: { taskId: 'at-1', inviter: 'K7Q2MZ', source: 'card' },
    launchQuery: { taskId: 'at-1', inviter: 'K7Q2MZ', source: 'card' },
    cloud: cloudRoutes({
      'user.login': () => ok(me({ openid: 'o-nameless', nickname })),
      'user.profile': (p) => {
        nickname = p.nickname as string;
        return ok(me({ openid: 'o-nameless', nickname, avatarUrl: (p.avatarUrl as string) ?? '' }));
      },
      'assist.get': () =>
        ok(
          assistTask({
            helpersList: [
              { name: '微信用户', avatarUrl: '', avatarSeed: '1a2b3c' },
              { name: '微信用户', avatarUrl: '', avatarSeed: 'zz9y8x' },
            ],
            helpers: 2,
            remaining: 1,
            viewer: { isOwner: false, helped: false, cannotHelp: null, actions: ['help', 'startOwn'] },
          }),
        ),
      'assist.help': () => ok({ taskId: 'at-1', helpers: 3, target: 3, completed: true, boundToOwner: true }),
    }),
  });
  await page.waitForClass('assist-help');
});

test('two nameless helpers read 微信用户 (not 微**户) and look different', () => {
  const avatars = page.all('avatar--generated');
  expect(avatars).toHaveLength(2);
  expect(avatars[0].getAttribute('style')).not.toBe(avatars[1].getAttribute('style'));
  expect(page.all('assist-slot__name').slice(0, 2).map((e) => e.textContent)).toEqual(['微信用户', '微信用户']);
  expect(page.text()).not.toContain('微**户');
});

test('帮TA助力 without a name: the sheet first (chooseAvatar, nickname input); 保存 saves, then the help is sent', async () => {
  await page.tap('assist-help');
  await page.waitForClass('profile-sheet');
  expect(callsTo('assist.help')).toHaveLength(0);
  expect(page.one('profile-sheet__choose')).not.toBeNull();
  expect(page.text()).toContain('好友在助力名单里就能认出你');

  await page.tap('profile-sheet__save');
  await page.waitForText('请填写昵称');
  await page.fire('profile-sheet__choose', 'chooseavatar', { avatarUrl: 'wxfile://tmp/me.jpeg' });
  await page.type('profile-sheet__nickname', '李雷');
  await page.waitForText('好友看到的是：李*');
  await page.tap('profile-sheet__save');
  await waitFor(() => callsTo('assist.help').length === 1, { what: 'the help after the save' });
  const [upload] = wxCallsTo('cloud.uploadFile');
  expect(upload.filePath).toBe('wxfile://tmp/me.jpeg');
  expect(callsTo('user.profile')[0].payload).toEqual({ nickname: '李雷', avatarUrl: `cloud://env-test/${upload.cloudPath}` });
  await waitFor(() => page.one('profile-sheet') === null, { what: 'the sheet to close' });
});
