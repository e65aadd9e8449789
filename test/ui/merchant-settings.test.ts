/**
 * 店铺设置 (compiled weapp page, mocked cloud): every setting shown (money in yuan, shares in %), a wrong value named
 * next to its field with nothing sent, the save payloads in fen and basis points, a refusal from the server.
 */
import type { ReferralSettings } from '../../types/api';
import { fen } from '../../types/money';
import { callsTo, cloudRoutes, fail, ok, renderPage, waitFor, wxCallsTo, type RenderedPage } from './harness';
import { merchantMe } from './merchant-fixtures';

const referral: ReferralSettings = { bindingValidityDays: null, pointsPerYuan: 100, pointsMaxShareBp: 5000, withdrawMinFen: fen(100), withdrawMaxFen: fen(199_999), withdrawDailyCount: 3, transferConfirmHours: 24 };
let refuseNext = false;
let page: RenderedPage;

beforeAll(async () => {
  page = await renderPage('packages/merchant/settings/index', {
    cloud: cloudRoutes({
      'user.login': () => ok(merchantMe()),
      'merchant.getShopSettings': () => ok({ refundWindowDays: 7, autoConfirmDays: 10, payTimeoutMinutes: 15 }),
      'merchant.getReferralSettings': () => ok(referral),
      'merchant.saveShopSettings': (p) => ok({ ...p, payTimeoutMinutes: 15 }),
      'merchant.saveReferralSettings': (p) => {
        if (refuseNext) {
          refuseNext = false;
          return fail('INVALID_ARGUMENT', '单笔提现上限须不低于最低提现金额');
        }
        return ok({ ...referral, ...p });
      },
    }),
  });
  await page.waitForClass('settings-save');
});

test('every setting is on the page, with the pay timeout the deployment sets', () => {
  expect(page.text()).toContain('未付款订单 15 分钟后自动关闭');
  for (const label of ['退款期（天）', '自动确认收货（天）', '绑定有效期', '多少积分抵 1 元', '最多抵扣订单（%）', '最低提现（元）', '单笔最高（元）', '每天最多（次）', '等待确认收款（小时）']) {
    expect(page.text()).toContain(label);
  }
  expect(page.one('settings-binding-forever')?.className).toContain('m-chip--on');
  expect(page.one('field--bindingValidityDays')).toBeNull();
});

test('a wrong value is named next to its field, and nothing is sent', async () => {
  await page.type('settings-form__refundWindowDays', '91');
  await page.type('settings-form__withdrawMin', '0.1');
  await page.type('settings-form__pointsMaxShare', '100.5');
  await page.type('settings-form__transferConfirmHours', '25');
  await page.tap('settings-binding-days');
  await page.type('settings-form__bindingValidityDays', '0');
  await page.waitForClass('field-error--bindingValidityDays');
  expect(page.one('field-error--refundWindowDays')?.textContent).toBe('请填写 0–90 天的整数');
  expect(page.one('field-error--withdrawMin')?.textContent).toBe('请填写 0.30–1999.99 元，最多两位小数');
  expect(page.one('field-error--pointsMaxShare')?.textContent).toBe('请填写 0–100，最多两位小数');
  expect(page.one('field-error--transferConfirmHours')?.textContent).toBe('请填写 1–24 小时的整数');
  expect(page.one('field-error--bindingValidityDays')?.textContent).toBe('请填写 1–3650 天的整数');

  await page.type('settings-form__withdrawMin', '10');
  await page.type('settings-form__withdrawMax', '9.99');
  await page.waitForClass('field-error--withdrawMax');
  expect(page.one('field-error--withdrawMin')).toBeNull();
  expect(page.one('field-error--withdrawMax')?.textContent).toBe('单笔最高不能低于最低提现金额');

  await page.tap('settings-save');
  await page.waitForClass('settings-problem');
  expect(callsTo('merchant.saveShopSettings')).toHaveLength(0);
  expect(callsTo('merchant.saveReferralSettings')).toHaveLength(0);
});

test('fixed, 保存 sends both settings: days and counts as typed, yuan as fen, % as basis points', async () => {
  await page.type('settings-form__refundWindowDays', '3');
  await page.type('settings-form__pointsMaxShare', '37.5');
  await page.type('settings-form__transferConfirmHours', '12');
  await page.type('settings-form__bindingValidityDays', '45');
  await page.type('settings-form__withdrawMin', '2.5');
  await page.type('settings-form__withdrawMax', '500');
  await waitFor(() => page.all('m-field__error').length === 0, { what: 'every problem to clear' });
  expect(page.one('settings-problem')).toBeNull();
  await page.tap('settings-save');
  await waitFor(() => wxCallsTo('showToast').some((t) => t.title === '设置已保存'), { what: 'the save' });
  expect(callsTo('merchant.saveShopSettings').map((c) => c.payload)).toEqual([{ refundWindowDays: 3, autoConfirmDays: 10, rev: 0 }]);
  expect(callsTo('merchant.saveReferralSettings').map((c) => c.payload)).toEqual([
    { bindingValidityDays: 45, pointsPerYuan: 100, pointsMaxShareBp: 3750, withdrawMinFen: 250, withdrawMaxFen: 50_000, withdrawDailyCount: 3, transferConfirmHours: 12, rev: 0 },
  ]);
});

test('永久有效 sends no validity; a refusal from the server shows on the page', async () => {
  refuseNext = true;
  await page.tap('settings-binding-forever');
  await waitFor(() => !page.one('field--bindingValidityDays'), { what: 'the days field to go' });
  await page.tap('settings-save');
  await page.waitForClass('settings-error');
  expect(page.one('settings-error')?.textContent).toContain('单笔提现上限须不低于最低提现金额');
  expect(callsTo('merchant.saveReferralSettings')[1].payload).toMatchObject({ bindingValidityDays: null });
});
