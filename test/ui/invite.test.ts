/** 邀请: progress to the next 推三返一 reward, invitees and their status, code, share card, poster, typed code. */
import { callsTo, cloudRoutes, ok, renderPage, waitFor, wxCallsTo, type RenderedPage } from './harness';
import { invitee, inviteCard, me, progress } from './fixtures';

let page: RenderedPage;
let bound = false;

beforeAll(async () => {
  page = await renderPage('pages/invite/index', {
    cloud: cloudRoutes({
      'user.login': () => ok(me({ hasInviter: bound })),
      'referral.myInviteCard': () => ok(inviteCard()),
      'referral.progress': () => ok(progress({ current: 2, n: 3 })),
      'referral.myInvitees': () =>
        ok({ items: [invitee('小*', 'bound'), invitee('白**', 'bought', { source: 'assist' }), invitee('丁*', 'confirmed', { source: 'poster' })], next: null }),
      'user.bindCode': () => {
        bound = true;
        return ok({ bound: true, pending: false, reason: null });
      },
    }),
  });
  await page.waitForClass('invitee');
});

test('shows how many more friends the next reward needs, and the progress in friends', () => {
  expect(page.one('invite-hero__next')?.textContent).toBe('再邀请 1 位好友下单，即得现金奖励 ¥50.00');
  expect(page.all('progress-dots__dot--done')).toHaveLength(2);
  expect(page.all('progress-dots__dot')).toHaveLength(3);
  expect(page.text()).toContain('本轮进度 2/3');
});

test('lists invitees, masked, with their status and how they came', () => {
  expect(page.all('invitee__name').map((e) => e.textContent)).toEqual(['小*', '白**', '丁*']);
  expect(page.all('invitee__status').map((e) => e.textContent)).toEqual(['已绑定，待首单', '已下单，退款期内', '已完成']);
  expect(page.text()).toContain('助力');
  expect(page.text()).toContain('海报');
});

test('my code copies; the share card is the server’s share path with my code', async () => {
  expect(page.one('invite-code')?.textContent).toBe('K7Q2MZ');
  await page.tap('invite-code-card__copy');
  expect(wxCallsTo('setClipboardData').map((o) => o.data)).toEqual(['K7Q2MZ']);
  expect(page.share().path).toBe('/pages/index/index?inviter=K7Q2MZ&source=card');
  await page.tap('invite-poster');
  expect(wxCallsTo('navigateTo').pop().url).toBe('/packages/profile/poster/index');
});

test('a user without an inviter can type a friend’s code once', async () => {
  await page.type('bind-code__input', ' AB12CD ');
  await page.tap('bind-code__submit');
  await waitFor(() => callsTo('user.bindCode').length === 1, { what: 'bindCode' });
  expect(callsTo('user.bindCode')[0].payload).toEqual({ inviteCode: 'AB12CD' });
  await waitFor(() => page.one('bind-code') === null, { what: 'the card goes once bound' });
});
