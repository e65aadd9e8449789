/**
 * First open from a friend's card: the privacy notice before anything personal; agreeing (WeChat's
 * agreePrivacyAuthorization button) records consent, which binds the held inviter, and says so once.
 * Later, WeChat's own privacy gate (a privacy API called before consent) shows the same sheet.
 */
import { callsTo, cloudRoutes, ok, renderPage, ui, waitFor, type RenderedPage } from './harness';
import { me, product } from './fixtures';

let page: RenderedPage;

beforeAll(async () => {
  page = await renderPage('pages/index/index', {
    launchQuery: { inviter: 'K7Q2MZ', source: 'card' },
    cloud: cloudRoutes({
      'user.login': () => ok(me({ isNew: true, consented: false, binding: { bound: false, pending: true, reason: null } })),
      'user.consent': () => ok(me({ isNew: true, consented: true, hasInviter: true, binding: { bound: true, pending: false, reason: null }, inviter: { nickname: '王*明' } })),
      'shop.listProducts': () => ok({ items: [product('p1')], next: null }),
    }),
  });
  await page.waitForClass('consent-sheet');
});

test('the card’s inviter goes to login; the notice shows before consent, with the guide one tap away', async () => {
  expect(callsTo('user.login')[0].payload).toEqual({ inviteCode: 'K7Q2MZ', source: 'card' });
  expect(page.text()).toContain('隐私保护提示');
  expect(page.text()).toContain('《推三返一隐私保护指引》');
  expect(page.one('consent-sheet__agree')?.textContent).toBe('同意并继续');
  expect(callsTo('user.consent')).toHaveLength(0);
});

test('agreeing records consent with the notice version and confirms who invited you', async () => {
  await page.fire('consent-sheet__agree', 'agreeprivacyauthorization', {});
  await page.waitForClass('invited-by');
  expect(callsTo('user.consent').map((c) => c.payload)).toEqual([{ version: '2025-01' }]);
  expect(page.one('invited-by__text')?.textContent).toBe('你已接受 王*明 的邀请');
  expect(page.one('consent-sheet')).toBeNull();
  await page.tap('invited-by__close');
  await waitFor(() => page.one('invited-by') === null, { what: 'note dismissed' });
});

test('WeChat’s privacy gate shows the same sheet; 不同意 answers it without consenting', async () => {
  const answers: unknown[] = [];
  expect(ui.privacyListener).toBeInstanceOf(Function);
  ui.privacyListener!((result) => answers.push(result), { referrer: 'chooseAddress' });
  await page.waitForClass('consent-sheet');
  expect(page.text()).toContain('使用这项功能前');
  await page.tap('consent-sheet__decline');
  await waitFor(() => page.one('consent-sheet') === null, { what: 'sheet closed' });
  expect(answers).toEqual([{ event: 'disagree' }]);
  expect(callsTo('user.consent')).toHaveLength(1);
});
