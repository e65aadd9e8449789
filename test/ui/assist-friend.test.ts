/** 助力页 as a friend who opened the card: whose task, what helping does, 帮TA助力, then 我也要. */
import { callsTo, cloudRoutes, ok, renderPage, waitFor, wxCallsTo, type RenderedPage } from './harness';
import { assistTask, me } from './fixtures';

let page: RenderedPage;
let helped = false;
const friendView = () =>
  assistTask({
    helpers: helped ? 2 : 1,
    remaining: helped ? 1 : 2,
    helpersList: helped ? [{ name: '小*', avatarUrl: '', avatarSeed: 'seed1' }, { name: '红*', avatarUrl: '', avatarSeed: 'seed2' }] : [{ name: '小*', avatarUrl: '', avatarSeed: 'seed3' }],
    viewer: { isOwner: false, helped, cannotHelp: helped ? 'ASSIST_ALREADY_HELPED' : null, actions: helped ? ['startOwn'] : ['help', 'startOwn'] },
  });

beforeAll(async () => {
  page = await renderPage('packages/assist/task/index', {
    query: { taskId: 'at-1', inviter: 'K7Q2MZ', source: 'card' },
    launchQuery: { taskId: 'at-1', inviter: 'K7Q2MZ', source: 'card' },
    cloud: cloudRoutes({
      'user.login': () => ok(me({ openid: 'o-friend', nickname: '小红', inviteCode: 'FRIEND1' })),
      'assist.get': () => ok(friendView()),
      'assist.help': () => {
        helped = true;
        return ok({ taskId: 'at-1', helpers: 2, target: 3, completed: false, boundToOwner: true });
      },
      'assist.start': () => ok(assistTask({ taskId: 'at-mine' })),
    }),
  });
  await page.waitForClass('assist-help');
});

test('the card’s open logs in with the inviter and the task', () => {
  expect(callsTo('user.login')[0].payload).toEqual({ inviteCode: 'K7Q2MZ', taskId: 'at-1', source: 'card' });
});

test('says whose task it is and what helping does, before the button', () => {
  expect(page.one('assist-head__who')?.textContent).toBe('安* 邀请你帮TA助力');
  expect(page.text()).toContain('你的助力计 1 人');
  expect(page.text()).toContain('助力不花钱');
  expect(page.one('assist-help')?.textContent).toBe('帮TA助力');
});

test('帮TA助力 helps once and shows the new progress, then offers 我也要', async () => {
  await page.tap('assist-help');
  await page.waitForClass('assist-helped');
  expect(callsTo('assist.help').map((c) => c.payload)).toEqual([{ taskId: 'at-1' }]);
  expect(wxCallsTo('showToast').map((t) => t.title)).toEqual(['助力成功，已有 2/3 位好友']);
  expect(page.one('assist-progress__count')?.textContent).toBe('2/3');
  expect(page.one('assist-help')).toBeNull();
  expect(page.one('assist-start-own')?.textContent).toBe('我也要');
});

test('我也要 starts their own task on the same product and opens it', async () => {
  await page.tap('assist-start-own');
  await waitFor(() => wxCallsTo('redirectTo').length === 1, { what: 'redirect' });
  expect(callsTo('assist.start').map((c) => c.payload)).toEqual([{ productId: 'p-tea' }]);
  expect(wxCallsTo('redirectTo')[0].url).toBe('/packages/assist/task/index?taskId=at-mine');
});
