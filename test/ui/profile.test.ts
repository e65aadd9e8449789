/** 个人资料 in weapp: WeChat's chooseAvatar button and nickname input; the avatar goes to cloud storage. */
import { callsTo, cloudRoutes, ok, renderPage, waitFor, wxCallsTo, type RenderedPage } from './harness';
import { me } from './fixtures';

let page: RenderedPage;

beforeAll(async () => {
  page = await renderPage('packages/profile/index', {
    cloud: cloudRoutes({
      'user.login': () => ok(me({ nickname: '微信用户' })),
      'user.profile': (p) => ok(me({ nickname: p.nickname as string, avatarUrl: (p.avatarUrl as string) ?? '' })),
    }),
  });
  await page.waitForClass('nickname-input');
});

test('an empty nickname is refused before any call', async () => {
  await page.tap('profile-save');
  await page.waitForText('请填写昵称');
  expect(callsTo('user.profile')).toHaveLength(0);
});

test('shows how others will see the name (masked)', async () => {
  await page.type('nickname-input', '王小明');
  await page.waitForText('其他用户看到的是：王*明');
});

test('chooseAvatar + nickname: the avatar is uploaded, then the profile saved with its fileID', async () => {
  await page.fire('avatar-button', 'chooseavatar', { avatarUrl: 'wxfile://tmp/avatar.jpeg' });
  await new Promise((resolve) => setTimeout(resolve, 50));
  await page.tap('profile-save');
  await waitFor(() => callsTo('user.profile').length === 1, { what: 'profile saved' });
  const [upload] = wxCallsTo('cloud.uploadFile');
  expect(upload.filePath).toBe('wxfile://tmp/avatar.jpeg');
  expect(upload.cloudPath).toMatch(/^avatars\/o-test-1-\d+\.jpeg$/);
  expect(callsTo('user.profile')[0].payload).toEqual({ nickname: '王小明', avatarUrl: `cloud://env-test/${upload.cloudPath}` });
  await waitFor(() => wxCallsTo('showToast').some((t) => t.title === '已保存'), { what: 'saved toast' });
});
