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
  rev: 1,
  ...over,
});

let page: RenderedPage;

beforeAll(async () => {
  page = await renderPage('packages/merchant/rules/index', {
    cloud: cloudRoutes({
      'user.login': () => ok(merchantMe()),
      'merchant.listRebateRules': () => ok([rule({}), rule({ id: 'rule-2', name: '每单返积分', active: false, priority: 1, reward: { form: 'points', points: 20000 }, trigger: { kind: 'eachOrder', minOrderFen: fen(0) } })]),
      'merchant.getShopSettings': () => ok({ refundWindowDays: 7, autoConfirmDays: 10, payTimeoutMinutes: 15 }),
      'merchant.getReferralSettings': () => ok({ bindingValidityDays: null, pointsPerYuan: 100, pointsMaxShareBp: 5000, withdrawMinFen: fen(100), withdrawMaxFen: fen(199_999), withdrawDailyCount: 3, transferConfirmHours: 24 }),
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
    rev: 1,
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

test('every field is editable; a wrong value is named next to its field and nothing is sent until it is fixed', async () => {
  // The editor is open on 每单返积分 (points per order) from the test before.
  await page.tap('rule-basis-ratio');
  await page.type('rule-form__ratio', '150');
  await page.waitForClass('field-error--ratio');
  expect(page.one('field-error--ratio')?.textContent).toBe('返利比例请填写 0.01–100，最多两位小数');
  await page.type('rule-form__ratio', '2.5');
  await waitFor(() => !page.one('field-error--ratio'), { what: 'the ratio problem to clear' });

  await page.type('rule-form__cap-day', '两次');
  await page.waitForClass('field-error--capDay');
  await page.type('rule-form__cap-day', '4');
  await page.tap('rule-scope-some');
  await page.waitForClass('field-error--products');
  await page.tap('rule-product');
  await waitFor(() => !page.one('field-error--products'), { what: 'the products problem to clear' });

  await page.type('rule-form__starts', '2026-12-01 00:00');
  await page.type('rule-form__ends', '2026-11-30 00:00');
  await page.waitForClass('field-error--endsAt');
  expect(page.one('field-error--endsAt')?.textContent).toBe('结束时间须晚于开始时间');
  const saves = callsTo('merchant.saveRebateRule').length;
  await page.tap('rule-save');
  await page.waitForClass('rule-problem');
  expect(callsTo('merchant.saveRebateRule')).toHaveLength(saves);

  await page.type('rule-form__ends', '2026-12-31 23:59');
  await waitFor(() => !page.one('rule-problem'), { what: 'the summary to clear' });
  expect(page.one('rule-preview')?.textContent).toBe('好友每下一单，奖励订单实付 2.5% 折算的积分，确认收货 7 天后可使用，每人每天最多 4 次，仅限 1 件指定商品，活动时间 2026-12-01 00:00 至 2026-12-31 23:59');
  await page.tap('rule-save');
  await waitFor(() => callsTo('merchant.saveRebateRule').length === saves + 1, { what: 'saveRebateRule' });
  expect(callsTo('merchant.saveRebateRule')[saves].payload).toEqual({
    id: 'rule-2',
    name: '每单返积分',
    active: false,
    priority: 1,
    // The ratio decides the points; the rule's own points stay as they were.
    reward: { form: 'points', points: 20000 },
    trigger: { kind: 'eachOrder', minOrderFen: 0, ratioBp: 250 },
    caps: { perInviterPerDay: 4, perInviterTotal: null },
    productIds: ['p1'],
    startsAt: '2026-11-30T16:00:00.000Z',
    endsAt: '2026-12-31T15:59:00.000Z',
    rev: 1,
  });
});
