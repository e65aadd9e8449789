/** 返利规则 (compiled weapp page): rules with their preview; the editor's preview, cost warning and save payload. */
import { callsTo, cloudRoutes, ok, renderPage, waitFor, type RenderedPage } from './harness';
import { merchantMe } from './merchant-fixtures';
import type { SavedRebateRule } from '../../types/api';
import { fen } from '../../types/money';

const rule = (over: Partial<SavedRebateRule>): SavedRebateRule => ({
  id: 'rule-1',
  name: '推三返一',
  active: true,
  priority: 10,
  reward: { form: 'cash', amountFen: fen(5000) },
  trigger: { kind: 'everyN', n: 3, minOrderFen: fen(0) },
  caps: { perInviterPerDay: null, perInviterTotal: null },
  productIds: null,
  startsAt: null,
  endsAt: null,
  updatedAt: '2026-11-23T10:00:00.000Z',
  ...over,
});

let page: RenderedPage;

beforeAll(async () => {
  page = await renderPage('packages/merchant/rules/index', {
    cloud: cloudRoutes({
      'user.login': () => ok(merchantMe()),
      'merchant.listRebateRules': () => ok([rule({}), rule({ id: 'rule-2', name: '每单返积分', active: false, priority: 1, reward: { form: 'points', points: 20000 }, trigger: { kind: 'eachOrder', minOrderFen: fen(0) } })]),
      'merchant.getShopSettings': () => ok({ refundWindowDays: 7, autoConfirmDays: 10, payTimeoutMinutes: 15 }),
      'merchant.listProducts': () => ok({ items: [{ id: 'p1', title: '毛巾', description: '', images: [], priceFen: fen(4990), stock: 5, onSale: true, sort: 0, updatedAt: '' }], next: null }),
      'merchant.saveRebateRule': (p) => ok({ ...rule({}), ...p, id: 'rule-1', updatedAt: '' }),
    }),
  });
  await page.waitForClass('rule-row');
});

test('every rule shows in plain words', () => {
  const rows = page.all('rule-row').map((el) => el.textContent ?? '');
  expect(rows[0]).toContain('每邀请 3 位好友首次下单，奖励 ¥50 现金，确认收货 7 天后可提现');
  expect(rows[1]).toContain('好友每下一单，奖励 20000 积分，确认收货 7 天后可使用');
});

test('editing a rule that pays more than its order earns shows a warning, and saves the same rule', async () => {
  // 20000 points = ¥200 on a ¥49.90 order
  await page.tap('rule-edit');
  await page.waitForClass('rule-editor');
  expect(page.one('rule-preview')?.textContent).toBe('每邀请 3 位好友首次下单，奖励 ¥50 现金，确认收货 7 天后可提现');
  expect(page.all('rule-warning')).toHaveLength(0);
  // N and the trigger of an existing rule are fixed (the server refuses a change)
  expect(page.text()).toContain('已有规则不能修改');
  await page.tap('rule-save');
  await waitFor(() => callsTo('merchant.saveRebateRule').length === 1, { what: 'saveRebateRule' });
  expect(callsTo('merchant.saveRebateRule')[0].payload).toEqual({
    id: 'rule-1',
    name: '推三返一',
    active: true,
    priority: 10,
    reward: { form: 'cash', amountFen: 5000 },
    trigger: { kind: 'everyN', n: 3, minOrderFen: 0 },
    caps: { perInviterPerDay: null, perInviterTotal: null },
    productIds: null,
    startsAt: null,
    endsAt: null,
  });
  await waitFor(() => !page.one('rule-editor'), { what: 'the editor to close' });
});

test('a points rule worth more than the cheapest order is flagged while editing', async () => {
  const edits = page.all('rule-edit');
  edits[1].dispatchEvent(new TouchEvent('touchstart', { bubbles: true, touches: [{ identifier: 0, target: edits[1], clientX: 0, clientY: 0, pageX: 0, pageY: 0, screenX: 0, screenY: 0 } as unknown as Touch], changedTouches: [] }));
  edits[1].dispatchEvent(new TouchEvent('touchend', { bubbles: true, touches: [], changedTouches: [{ identifier: 0, target: edits[1], clientX: 0, clientY: 0, pageX: 0, pageY: 0, screenX: 0, screenY: 0 } as unknown as Touch] }));
  await page.waitForClass('rule-warning');
  expect(page.one('rule-warning')?.textContent).toBe('奖励 ¥200 高于触发它的订单金额 ¥49.90（1 单 × ¥49.90），每次奖励都会亏钱');
});
