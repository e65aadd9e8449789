/**
 * 拼团页 (compiled weapp page): a friend who opened the card sees the members (masked), the time left and the rules
 * before the join button, and 参团 goes to 结算 for this group; the share card names the price and how many are
 * missing; after the group is decided the page says plainly what happened (成团 / 未成团 and refunded).
 */
import type { GroupView } from '../../types/api';
import type { Fen } from '../../types/money';
import { callsTo, cloudRoutes, ok, renderPage, wxCallsTo, waitFor, type RenderedPage } from './harness';
import { me } from './fixtures';

const RULES = ['3 人成团，拼团价 ¥69.00（单买 ¥99.00），每单限购 1 件。', '拼团失败的，每位成员的订单自动全额退款：支付金额原路退回，使用的优惠券、余额和积分一并退还，无需申请。'];

const view = (over: Partial<GroupView> = {}): GroupView => ({
  groupId: 'gp-1',
  status: 'open',
  product: { id: 'p-tea', title: '明前龙井', image: '', listPriceFen: 9900 as Fen, groupPriceFen: 6900 as Fen },
  size: 3,
  paidCount: 2,
  remaining: 1,
  seatsLeft: 1,
  members: [
    { name: '安*', avatarUrl: '', isLeader: true },
    { name: '小*', avatarUrl: '', isLeader: false },
  ],
  openedAt: '2026-03-01T02:00:00.000Z',
  deadline: '2026-03-02T02:00:00.000Z',
  msLeft: 5 * 3600_000 + 4 * 60_000,
  decidedAt: null,
  rulesText: RULES,
  viewer: { isMember: false, isLeader: false, orderId: null, orderState: null, cannotJoin: null, actions: ['join', 'openOwn'] },
  ...over,
});

let current: GroupView = view();
let page: RenderedPage;

beforeAll(async () => {
  page = await renderPage('packages/shop/group/index', {
    query: { groupId: 'gp-1', inviter: 'K7Q2MZ', source: 'card' },
    launchQuery: { groupId: 'gp-1', inviter: 'K7Q2MZ', source: 'card' },
    cloud: cloudRoutes({
      'user.login': () => ok(me({ openid: 'o-friend', nickname: '小红', inviteCode: 'FRIEND1' })),
      'shop.getGroup': () => ok(current),
    }),
  });
  await page.waitForClass('group-join');
});

test('a friend sees whose group it is, the members, the time left and the rules before the button', () => {
  expect(callsTo('shop.getGroup')[0].payload).toEqual({ groupId: 'gp-1' });
  expect(page.one('group-head__who')?.textContent).toBe('安* 邀请你一起拼团');
  expect(page.one('group-head__status')?.textContent).toBe('还差 1 人成团');
  expect(page.one('group-head__countdown')?.textContent).toContain('剩余');
  expect(page.one('group-members__count')?.textContent).toBe('2/3');
  expect(page.all('group-slot__name').map((n) => n.textContent)).toEqual(['团长 安*', '小*', '待参团']);
  for (const line of RULES) expect(page.text()).toContain(line);
  expect(page.one('group-join')?.textContent).toBe('¥69.00 参团');
});

test('参团 opens 结算 for this group (the price is the server’s)', async () => {
  await page.tap('group-join');
  await waitFor(() => wxCallsTo('navigateTo').length === 1, { what: 'navigate' });
  expect(wxCallsTo('navigateTo')[0].url).toBe('/packages/shop/checkout/index?items=p-tea%3A1&groupId=gp-1');
});

test('the share card names the group price and how many are missing', () => {
  const card = page.share('menu');
  expect(card.title).toBe('¥69.00 拼「明前龙井」，还差 1 人');
  expect(card.path).toContain('/packages/shop/group/index?groupId=gp-1');
});

test('a full group refuses a late friend in words', async () => {
  current = view({ seatsLeft: 0, viewer: { isMember: false, isLeader: false, orderId: null, orderState: null, cannotJoin: 'GROUP_FULL', actions: ['openOwn'] } });
  await page.instance.onShow?.();
  await page.waitForClass('group-cannot');
  expect(page.one('group-cannot')?.textContent).toBe('这个团已经满员了，可以发起自己的拼团');
  expect(page.one('group-join')).toBeNull();
  expect(page.one('group-open-own')?.textContent).toBe('我也发起拼团');
});

test('after success a member is told it ships', async () => {
  current = view({
    status: 'succeeded',
    paidCount: 3,
    remaining: 0,
    msLeft: 0,
    members: [...view().members, { name: '红*', avatarUrl: '', isLeader: false }],
    viewer: { isMember: true, isLeader: false, orderId: 'o-1', orderState: 'succeeded', cannotJoin: null, actions: ['viewOrder'] },
  });
  await page.instance.onShow?.();
  await page.waitForText('拼团成功');
  expect(page.one('group-head__countdown')).toBeNull();
  expect(page.one('group-outcome')?.textContent).toBe('3 人已成团，商家将尽快发货。');
  expect(page.one('group-order')?.textContent).toBe('查看我的订单');
});

test('after failure a member is told the order was refunded in full, automatically', async () => {
  current = view({ status: 'failed', remaining: 0, msLeft: 0, viewer: { isMember: true, isLeader: false, orderId: 'o-1', orderState: 'failed', cannotJoin: null, actions: ['viewOrder', 'openOwn'] } });
  await page.instance.onShow?.();
  await page.waitForText('拼团未成团');
  expect(page.one('group-outcome')?.textContent).toBe('到期未凑满人数，你的订单已自动全额退款：款项原路退回，优惠券、余额和积分已退还。');
  expect(page.one('group-join')).toBeNull();
  expect(page.one('group-share')).toBeNull();
});
