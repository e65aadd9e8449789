/**
 * A friend landing on an assist card (issue 17.2) can reach the shop: the card's product (去看看 ›) and 去逛逛 to
 * 首页; 助力任务不存在 offers 返回首页 beside 重试.
 */
import { cloudRoutes, fail, ok, renderPage, waitFor, wxCallsTo } from './harness';
import { assistTask, me } from './fixtures';

test('助力任务不存在 offers 返回首页; the loaded card leads to its product and to 首页', async () => {
  let calls = 0;
  const page = await renderPage('packages/assist/task/index', {
    query: { taskId: 'at-1', inviter: 'K7Q2MZ', source: 'card' },
    launchQuery: { taskId: 'at-1', inviter: 'K7Q2MZ', source: 'card' },
    cloud: cloudRoutes({
      'user.login': () => ok(me({ openid: 'o-friend', nickname: '小红', inviteCode: 'FRIEND1' })),
      'assist.get': () =>
        ++calls === 1
          ? fail('ASSIST_TASK_NOT_FOUND')
          : ok(assistTask({ viewer: { isOwner: false, helped: true, cannotHelp: 'ASSIST_ALREADY_HELPED', actions: ['startOwn'] } })),
    }),
  });
  await page.waitForText('助力任务不存在');
  expect(page.one('home-button')?.textContent).toBe('返回首页');

  await page.tap('retry-button');
  await page.waitForClass('assist-browse');
  expect(page.one('assist-product__go')?.textContent).toBe('去看看 ›');
  await page.tap('assist-product');
  await waitFor(() => wxCallsTo('navigateTo').length === 1, { what: 'the product' });
  expect(wxCallsTo('navigateTo')[0].url).toMatch(/^\/packages\/shop\/product\/index\?id=p-tea/);
  await page.tap('assist-browse');
  await waitFor(() => wxCallsTo('switchTab').length === 1, { what: '去逛逛' });
  expect(wxCallsTo('switchTab')[0].url).toBe('/pages/index/index');
});
