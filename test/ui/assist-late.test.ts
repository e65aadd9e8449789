/** 助力页 for a late friend: the task is done; they are told so and offered their own. Also the error state. */
import { cloudRoutes, fail, ok, renderPage } from './harness';
import { assistTask, me } from './fixtures';

test('a failed load shows the message; a finished task says so and offers 我也要, not 帮TA助力', async () => {
  let calls = 0;
  const page = await renderPage('packages/assist/task/index', {
    query: { taskId: 'at-2' },
    cloud: cloudRoutes({
      'user.login': () => ok(me()),
      'assist.get': () =>
        ++calls === 1
          ? fail('ASSIST_TASK_NOT_FOUND')
          : ok(
              assistTask({
                status: 'succeeded',
                helpers: 3,
                remaining: 0,
                msLeft: 0,
                viewer: { isOwner: false, helped: false, cannotHelp: 'ASSIST_TASK_DONE', actions: ['startOwn'] },
              }),
            ),
    }),
  });
  await page.waitForText('助力任务不存在');
  await page.tap('retry-button');
  await page.waitForText('好友的助力已完成，你也可以发起自己的助力');
  expect(page.one('assist-help')).toBeNull();
  expect(page.one('assist-start-own')?.textContent).toBe('我也要');
});
