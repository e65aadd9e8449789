/** 我的 when login fails: the message, then 重试 logs in again. */
import { callsTo, cloudRoutes, fail, ok, renderPage } from './harness';
import { me } from './fixtures';
import { ERRORS } from '../../types/errors';

test('a failed login shows its message and 重试 logs in again', async () => {
  let serviceUp = false;
  const page = await renderPage('pages/mine/index', {
    cloud: cloudRoutes({
      'user.login': () => (serviceUp ? ok(me({ inviteCode: 'Z9Z9Z9' })) : fail('UNAUTHENTICATED')),
    }),
  });
  await page.waitForClass('error-state');
  expect(page.one('error-message')?.textContent).toBe(ERRORS.UNAUTHENTICATED);
  expect(page.one('invite-code')).toBeNull();
  const failedLogins = callsTo('user.login').length; // the launch's, and the page's unless it shared that one

  serviceUp = true;
  await page.tap('retry-button');
  await page.waitForText('Z9Z9Z9');
  expect(callsTo('user.login')).toHaveLength(failedLogins + 1);
  expect(page.one('error-state')).toBeNull();
});
