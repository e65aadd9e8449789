/** 邀请 when the referral calls fail, then with no active rule. */
import { cloudRoutes, fail, ok, renderPage } from './harness';
import { inviteCard, me, progress } from './fixtures';

test('error state with 重试; without an active rule it says so instead of a goal', async () => {
  let calls = 0;
  const page = await renderPage('pages/invite/index', {
    cloud: cloudRoutes({
      'user.login': () => ok(me()),
      'referral.myInviteCard': () => ok(inviteCard()),
      'referral.progress': () => (++calls === 1 ? fail('INTERNAL') : ok(progress({ ruleId: null, ruleName: null, current: 0, invitees: 0 }))),
      'referral.myInvitees': () => ok({ items: [], next: null }),
    }),
  });
  await page.waitForText('服务开小差了，请稍后重试');
  await page.tap('retry-button');
  await page.waitForText('当前没有进行中的邀请奖励活动');
  expect(page.text()).toContain('还没有好友');
});
