/** 用户详情 (compiled weapp page): invitees one level down with status, flags, wallet, rewards and ledger; block and void need a reason. */
import { callsTo, cloudRoutes, ok, renderPage, waitFor, type RenderedPage } from './harness';
import { merchantMe } from './merchant-fixtures';
import type { MerchantUserPurchases, ReferralTreeView } from '../../types/api';
import { fen } from '../../types/money';

const tree: ReferralTreeView = {
  user: { openid: 'u-a', nickname: '小安', avatarUrl: '', inviteCode: 'K7Q2MZ', roles: ['shopper'], createdAt: '2026-11-20T02:00:00.000Z', inviterId: null, invitees: 3, blocked: null, flags: ['invitees_refund'], flagTexts: ['下单的好友（至少 2 位）全部退款了'] },
  inviter: null,
  invitees: [
    { openid: 'u-b', nickname: '小白', source: 'card', status: 'confirmed', boundAt: '2026-11-20T03:00:00.000Z', conversions: 1, orderId: 'o-b' },
    { openid: 'u-c', nickname: '小程', source: 'poster', status: 'reversed', boundAt: '2026-11-20T04:00:00.000Z', conversions: 1, orderId: null },
    { openid: 'u-d', nickname: '小丁', source: 'code', status: 'bound', boundAt: '2026-11-20T05:00:00.000Z', conversions: 0, orderId: null },
  ],
  wallet: { cash: { availableFen: fen(5000), frozenFen: fen(0), withdrawingFen: fen(0), debtFen: fen(0) }, points: { available: 10, frozen: 0 } },
  ledger: [{ id: 'l1', asset: 'cash', bucket: 'frozen', amount: 5000, reason: 'reward_frozen', title: '邀请奖励（冻结中，好友退款期结束后可用）', note: null, createdAt: '2026-11-20T06:00:00.000Z' }],
  rewards: [{ id: 'rw1', userId: 'u-a', ruleId: 'r', ruleName: '推三返一', trigger: 'everyN', form: 'cash', amount: 5000, status: 'available', orderId: 'o-b', memberOrderIds: ['o-b'], maturesAt: null, reason: null, createdAt: '2026-11-20T06:00:00.000Z' }],
};

const purchases: MerchantUserPurchases = {
  orders: [
    { id: 'o-2', orderNo: '20261121-000007', createdAt: '2026-11-21T04:05:00.000Z', items: [{ title: '青瓷茶杯', spec: '青 / 大', quantity: 2, subtotalFen: fen(6000) }, { title: '紫砂茶壶', spec: '', quantity: 1, subtotalFen: fen(2000) }], payableFen: fen(7500), status: 'received', refundStatus: 'requested' },
    { id: 'o-1', orderNo: 'abcd1234', createdAt: '2026-11-20T04:05:00.000Z', items: [{ title: '紫砂茶壶', spec: '', quantity: 1, subtotalFen: fen(2000) }], payableFen: fen(2000), status: 'refunded', refundStatus: 'refunded' },
  ],
  refunds: [
    { orderId: 'o-2', orderNo: '20261121-000007', amountFen: fen(7500), status: 'requested', reason: '杯子有裂纹', requestedAt: '2026-11-22T02:00:00.000Z' },
    { orderId: 'o-1', orderNo: 'abcd1234', amountFen: fen(2000), status: 'refunded', reason: '不想要了', requestedAt: '2026-11-20T06:00:00.000Z' },
  ],
  addresses: [{ id: 'ad1', name: '张三', phoneMasked: '138****8000', province: '浙江省', city: '杭州市', district: '西湖区', detail: '文三路 100 号', isDefault: true }],
};

let page: RenderedPage;

beforeAll(async () => {
  page = await renderPage('packages/merchant/user/index', {
    query: { openid: 'u-a' },
    cloud: cloudRoutes({
      'user.login': () => ok(merchantMe()),
      'merchant.referralTree': () => ok(tree),
      'merchant.userPurchases': () => ok(purchases),
    }),
  });
  await page.waitForClass('invitee-row');
  await page.waitForClass('user-order-row');
});

test('购买记录: orders with number, date, items with spec, amount and status; refunds with reason; addresses with the masked phone', () => {
  expect(callsTo('merchant.userPurchases')[0].payload).toEqual({ openid: 'u-a' });
  const orders = page.all('user-order-row');
  expect(orders).toHaveLength(2);
  expect(orders[0].textContent).toContain('订单 20261121-000007');
  expect(orders[0].textContent).toContain('青瓷茶杯（青 / 大） ×2、紫砂茶壶 ×1');
  expect(orders[0].textContent).toContain('11-21 12:05 下单');
  expect(page.all('user-order-row__amount').map((el) => el.textContent)).toEqual(['¥75.00', '¥20.00']);
  expect(page.all('user-order-row__status').map((el) => el.textContent)).toEqual(['已收货 · 退款待审核', '已退款']);
  const refunds = page.all('user-refund-row');
  expect(refunds.map((el) => el.textContent)).toEqual([expect.stringContaining('原因：杯子有裂纹'), expect.stringContaining('原因：不想要了')]);
  expect(page.all('user-refund-row__status').map((el) => el.textContent)).toEqual(['待审核', '已退款']);
  expect(refunds[0].textContent).toContain('¥75.00');
  expect(page.one('user-address-row')?.textContent).toContain('张三 138****8000 · 默认');
  expect(page.one('user-address-row')?.textContent).toContain('浙江省杭州市西湖区 文三路 100 号');
});

test('shows the user, the flag, the wallet and the invitees one level down with their status', () => {
  expect(page.all('user-remove-merchant')).toHaveLength(0); // a shopper: no merchant role to take back
  expect(callsTo('merchant.referralTree')[0].payload).toEqual({ openid: 'u-a' });
  expect(page.one('user-page__name')?.textContent).toBe('小安');
  expect(page.one('user-page__flag')?.textContent).toBe('下单的好友（至少 2 位）全部退款了');
  expect(page.one('user-flag--invitees_refund')?.textContent).toBe('好友全部退款');
  expect(page.one('user-wallet')?.textContent).toContain('可用 ¥50.00');
  expect(page.all('invitee-status').map((el) => el.textContent)).toEqual(['已确认', '已退款', '已绑定']);
  expect(page.all('invitee-row')[1].textContent).toContain('来源 海报');
  expect(page.one('ledger-row')?.textContent).toContain('+¥50.00');
});

test('封禁 and 作废 each ask for a reason before anything is sent', async () => {
  await page.tap('user-block');
  await page.tap('reason-box__confirm');
  await page.waitForText('请填写原因，用户会看到它');
  await page.tap('reason-box__cancel');
  await waitFor(() => page.all('reason-box').length === 0, { what: 'the block box to close' });
  await page.tap('reward-void');
  await page.waitForClass('reason-box');
  await page.tap('reason-box__confirm');
  await page.waitForText('请填写原因，用户会看到它');
  expect(callsTo('merchant.blockUser')).toHaveLength(0);
  expect(callsTo('merchant.voidReward')).toHaveLength(0);
});
