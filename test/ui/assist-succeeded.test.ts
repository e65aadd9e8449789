/** 助力页 for the owner of a succeeded task: the assist price and 以助力价购买 into checkout. */
import { cloudRoutes, ok, renderPage, wxCallsTo } from './harness';
import { assistTask, me } from './fixtures';
import { fen } from '../../types/money';

test('3/3 and a voucher: buying opens checkout carrying the task', async () => {
  const page = await renderPage('packages/assist/task/index', {
    query: { taskId: 'at-7' },
    cloud: cloudRoutes({
      'user.login': () => ok(me()),
      'assist.get': () =>
        ok(
          assistTask({
            taskId: 'at-7',
            status: 'succeeded',
            helpers: 3,
            remaining: 0,
            msLeft: 0,
            helpersList: [{ name: '小*', avatarUrl: '', avatarSeed: 'seed1' }, { name: '白*', avatarUrl: '', avatarSeed: 'seed2' }, { name: '丁*', avatarUrl: '', avatarSeed: 'seed3' }],
            voucher: { priceFen: fen(9900), validUntil: '2025-03-03T02:00:00.000Z', state: 'available' },
            viewer: { isOwner: true, helped: false, cannotHelp: null, actions: ['buy'] },
          }),
        ),
    }),
  });
  await page.waitForClass('assist-buy');
  expect(page.one('assist-head__status')?.textContent).toBe('助力成功');
  expect(page.one('assist-progress__count')?.textContent).toBe('3/3');
  expect(page.one('assist-head__countdown')).toBeNull();
  expect(page.one('assist-buy')?.textContent).toBe('以助力价 ¥99.00 购买');
  expect(page.text()).toContain('前以助力价下单');
  await page.tap('assist-buy');
  expect(wxCallsTo('navigateTo').pop().url).toBe('/packages/shop/checkout/index?items=p-tea%3A1&assistTaskId=at-7');
});
