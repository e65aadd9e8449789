/**
 * 用户详情 of a merchant (compiled weapp page): 移除商家 asks first; 取消 sends nothing; 确认 sends removeMerchant, and
 * the server's refusal (only an owner may) is shown as it says.
 */
import { callsTo, cloudRoutes, fail, ok, renderPage, ui, waitFor, wxCallsTo, type RenderedPage } from './harness';
import { merchantMe } from './merchant-fixtures';
import type { ReferralTreeView } from '../../types/api';
import { fen } from '../../types/money';

const tree = (roles: ReferralTreeView['user']['roles']): ReferralTreeView => ({
  user: { openid: 'u-m', nickname: '小管', avatarUrl: '', inviteCode: 'M3RCH1', roles, createdAt: '2026-11-20T02:00:00.000Z', inviterId: null, invitees: 0, blocked: null, flags: [], flagTexts: [] },
  inviter: null,
  invitees: [],
  wallet: { cash: { availableFen: fen(0), frozenFen: fen(0), withdrawingFen: fen(0), debtFen: fen(0) }, points: { available: 0, frozen: 0 } },
  ledger: [],
  rewards: [],
});

let roles: ReferralTreeView['user']['roles'] = ['shopper', 'merchant'];
let refuse = false;
let page: RenderedPage;

beforeAll(async () => {
  page = await renderPage('packages/merchant/user/index', {
    query: { openid: 'u-m' },
    cloud: cloudRoutes({
      'user.login': () => ok(merchantMe()),
      'merchant.referralTree': () => ok(tree(roles)),
      'merchant.userPurchases': () => ok({ orders: [], refunds: [], addresses: [] }),
      'merchant.removeMerchant': () => {
        if (refuse) return fail('FORBIDDEN', '只有店主可以添加或移除商家');
        roles = ['shopper'];
        return ok(tree(roles).user);
      },
    }),
  });
  await page.waitForClass('user-remove-merchant');
});

test('取消 sends nothing; the server refusing shows its words; 确认 removes and the button goes', async () => {
  expect(page.text()).toContain('仅店主可以移除');
  ui.wxOverrides.showModal = () => ({ errMsg: 'showModal:ok', confirm: false, cancel: true });
  await page.tap('user-remove-merchant');
  await waitFor(() => wxCallsTo('showModal').length === 1, { what: 'the confirmation' });
  expect(wxCallsTo('showModal')[0]).toMatchObject({ title: '移除商家', content: expect.stringContaining('小管') });
  expect(callsTo('merchant.removeMerchant')).toHaveLength(0);
  delete ui.wxOverrides.showModal;

  refuse = true;
  await page.tap('user-remove-merchant');
  await waitFor(() => wxCallsTo('showToast').some((t) => t.title === '只有店主可以添加或移除商家'), { what: 'the refusal' });
  expect(page.all('user-remove-merchant')).toHaveLength(1);

  refuse = false;
  await page.tap('user-remove-merchant');
  await waitFor(() => wxCallsTo('showToast').some((t) => t.title === '已移除商家'), { what: 'the removal' });
  expect(callsTo('merchant.removeMerchant').at(-1)?.payload).toEqual({ openid: 'u-m' });
  await waitFor(() => page.all('user-remove-merchant').length === 0, { what: 'the refreshed page without the button' });
});
