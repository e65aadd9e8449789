/** 助力页 as the owner: progress, masked helpers, countdown, share card with the task and inviter, poster. */
import { callsTo, cloudRoutes, ok, renderPage, wxCallsTo, type RenderedPage } from './harness';
import { assistTask, me } from './fixtures';

let page: RenderedPage;

beforeAll(async () => {
  page = await renderPage('packages/assist/task/index', {
    query: { taskId: 'at-1' },
    cloud: cloudRoutes({
      'user.login': () => ok(me({ inviteCode: 'K7Q2MZ' })),
      'assist.get': () => ok(assistTask({ helpers: 1, remaining: 2, helpersList: [{ name: '小*', avatarUrl: '', avatarSeed: 'seed1' }] })),
    }),
  });
  await page.waitForClass('assist-progress');
});

test('shows progress as a count of friends, the masked helper and empty slots, and a countdown', () => {
  expect(callsTo('assist.get')[0].payload).toEqual({ taskId: 'at-1' });
  expect(page.one('assist-head__who')?.textContent).toBe('我发起的助力');
  expect(page.one('assist-head__status')?.textContent).toBe('还差 2 位好友助力');
  expect(page.one('assist-progress__count')?.textContent).toBe('1/3');
  expect(page.all('assist-slot__name').map((e) => e.textContent)).toEqual(['小*', '待助力', '待助力']);
  expect(page.one('assist-head__countdown')?.textContent).toMatch(/^剩余 01:02:0[0-5]$/);
  expect(page.text()).toContain('进度按好友人数计算，没有随机金额。');
  // The owner cannot help themself; the page offers sharing, not a help button.
  expect(page.one('assist-help')).toBeNull();
});

test('邀请好友助力 is WeChat’s share button; the card opens this task with the owner as inviter', () => {
  expect(page.one('assist-share')?.textContent).toBe('邀请好友助力');
  const card = page.share();
  expect(card.path).toBe('/packages/assist/task/index?taskId=at-1&inviter=K7Q2MZ&source=card');
  expect(card.title).toBe('帮我助力一下：明前龙井 250g 礼盒');
  // No wording that promises anything for sharing itself.
  expect(`${card.title}${page.text()}`).not.toMatch(/分享(即|就)(得|送|领)|转发(有|得)奖/);
});

test('tapping share asks for no subscription when no template is configured (never a gate)', async () => {
  await page.tap('assist-share');
  expect(wxCallsTo('requestSubscribeMessage')).toHaveLength(0);
});

test('生成海报 opens the poster for this task', async () => {
  await page.tap('assist-poster');
  expect(wxCallsTo('navigateTo').pop().url).toBe('/packages/profile/poster/index?taskId=at-1');
});
