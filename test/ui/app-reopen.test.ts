/**
 * A share card tapped while the app is in the background (compiled weapp app and page): WeChat brings the running app
 * back (onShow with the card's query) instead of launching it, and the card's invite still goes to user.login, so the
 * friend is bound by the server's rules and the open counts. A plain return to the app logs in again for nothing.
 */
import { callsTo, cloudRoutes, ok, renderPage, ui, waitFor } from './harness';
import { me, product } from './fixtures';

beforeAll(async () => {
  const page = await renderPage('pages/index/index', {
    launchQuery: {},
    cloud: cloudRoutes({
      'user.login': () => ok(me()),
      'shop.listProducts': () => ok({ items: [product('p1')], next: null }),
    }),
  });
  await page.waitForText('p1');
});

const show = (query: Record<string, string>) => (ui.app as Record<string, any>).onShow({ path: 'pages/index/index', query, scene: 1007, referrerInfo: {} });

test('opened without an invite: one login; back to the foreground with nothing new: no other', async () => {
  expect(callsTo('user.login').map((c) => c.payload)).toEqual([{}]);
  show({});
  await new Promise((r) => setTimeout(r, 50));
  expect(callsTo('user.login')).toHaveLength(1);
});

test('back through a friend’s card: the card’s invite logs in; the same card again does not repeat it', async () => {
  show({ inviter: 'K7Q2MZ', source: 'card' });
  await waitFor(() => callsTo('user.login').length === 2, { what: 'a login with the card' });
  expect(callsTo('user.login')[1].payload).toEqual({ inviteCode: 'K7Q2MZ', source: 'card' });
  show({ inviter: 'K7Q2MZ', source: 'card' });
  await new Promise((r) => setTimeout(r, 50));
  expect(callsTo('user.login')).toHaveLength(2);
  // Another friend's assist card: that one goes too.
  show({ inviter: 'P4X9QA', taskId: 'at-0123456789abcdef' });
  await waitFor(() => callsTo('user.login').length === 3, { what: 'a login with the assist card' });
  expect(callsTo('user.login')[2].payload).toMatchObject({ inviteCode: 'P4X9QA', source: 'card' });
});
