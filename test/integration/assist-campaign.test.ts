/**
 * The merchant's campaign settings (`merchant.saveAssistCampaign`): role-checked on the server, validated, one
 * campaign per product, the rules in plain words; an open task keeps the rules it started with.
 */
import { startTestCloud, TestCloud } from '../support/cloud';
import { call, loginMany, MERCHANT, ok, saveCampaign, startTask, task } from './assist-support';

/* eslint-disable @typescript-eslint/no-explicit-any */
let t: TestCloud;
beforeAll(async () => {
  t = await startTestCloud();
  await loginMany(t, ['camp-shopper', 'camp-friend']);
});
afterAll(() => t.close());

const valid = {
  productId: 'p-towel',
  active: true,
  helpersNeeded: 2,
  durationHours: 12,
  success: { kind: 'price', priceFen: 1990, validHours: 24 },
  fallback: { kind: 'none' },
  newUsersOnly: false,
  helperDailyCap: 5,
  openTasksPerShopper: 1,
  startsAt: null,
  endsAt: null,
};

it('a shopper may not save a campaign', async () => {
  const r = await call(t, 'camp-shopper', 'merchant', 'saveAssistCampaign', valid);
  expect(r).toMatchObject({ ok: false, code: 'FORBIDDEN' });
  expect((await t.db.collection('assist_campaigns').where({ productId: 'p-towel' }).count()).total).toBe(0);
});

it.each([
  ['an assist price not below the list price', { success: { kind: 'price', priceFen: 4990, validHours: 24 } }, 'ASSIST_CAMPAIGN_INVALID'],
  ['a fallback worth as much as success', { fallback: { kind: 'coupon', amountFenPerHelper: 3000, minSpendFen: 9000, validDays: 3 } }, 'ASSIST_CAMPAIGN_INVALID'],
  ['an end before the start', { startsAt: '2030-01-02T00:00:00+08:00', endsAt: '2030-01-01T00:00:00+08:00' }, 'ASSIST_CAMPAIGN_INVALID'],
  ['zero helpers', { helpersNeeded: 0 }, 'INVALID_ARGUMENT'],
  ['fractional fen', { success: { kind: 'price', priceFen: 19.9, validHours: 24 } }, 'INVALID_ARGUMENT'],
  ['an unknown reward kind', { success: { kind: 'cash', amountFen: 100 } }, 'INVALID_ARGUMENT'],
  ['an unknown field', { random: true }, 'INVALID_ARGUMENT'],
  ['an unknown product', { productId: 'p-none' }, 'PRODUCT_NOT_FOUND'],
  ['a campaign id the server never gave out (it would add a second campaign beside the product’s own)', { campaignId: 'ac-made-up' }, 'ASSIST_CAMPAIGN_NOT_FOUND'],
])('refuses %s', async (_name, patch, code) => {
  const r = await call(t, MERCHANT, 'merchant', 'saveAssistCampaign', { ...valid, ...patch });
  expect(r).toMatchObject({ ok: false, code });
  expect((await t.db.collection('assist_campaigns').where({ productId: 'p-towel' }).count()).total).toBe(0);
});

it('saves one campaign per product and answers its rules in plain words', async () => {
  const saved = await ok(t, MERCHANT, 'merchant', 'saveAssistCampaign', valid);
  expect(saved).toMatchObject({ campaignId: 'ac-p-towel', productId: 'p-towel', active: true, helpersNeeded: 2 });
  expect(saved.rulesText[0]).toBe('邀请 2 位好友助力，12 小时内完成即可以 ¥19.90 购买本商品 1 件（原价 ¥49.90），助力成功后 24 小时内有效。');
  expect(saved.rulesText).toContain('到时未完成则任务结束，不发放奖励。');
  const again = await ok(t, MERCHANT, 'merchant', 'saveAssistCampaign', { ...valid, helpersNeeded: 4 });
  expect(again.campaignId).toBe('ac-p-towel');
  const all = (await t.db.collection('assist_campaigns').where({ productId: 'p-towel' }).get()).data;
  expect(all).toHaveLength(1);
  expect(all[0].helpersNeeded).toBe(4);
  // Edited by its id; a made-up id beside it changes nothing.
  expect((await ok(t, MERCHANT, 'merchant', 'saveAssistCampaign', { ...valid, campaignId: 'ac-p-towel', helpersNeeded: 3 })).helpersNeeded).toBe(3);
  expect(await call(t, MERCHANT, 'merchant', 'saveAssistCampaign', { ...valid, campaignId: 'ac-made-up', helpersNeeded: 5 })).toMatchObject({ ok: false, code: 'ASSIST_CAMPAIGN_NOT_FOUND' });
  expect((await t.db.collection('assist_campaigns').where({ productId: 'p-towel' }).get()).data.map((c: any) => [c._id, c.helpersNeeded])).toEqual([['ac-p-towel', 3]]);
});

it('switching the reward kind leaves no stale fields', async () => {
  await saveCampaign(t, 'p-towel', { success: { kind: 'coupon', amountFen: 500, minSpendFen: 3000, validDays: 7 } });
  const doc = (await t.db.collection('assist_campaigns').doc('ac-p-towel').get()).data[0];
  expect(doc.success).toEqual({ kind: 'coupon', amountFen: 500, minSpendFen: 3000, validDays: 7 });
});

it('an open task keeps the rules it started with; an inactive campaign starts nothing', async () => {
  await saveCampaign(t, 'p-towel', { helpersNeeded: 2, success: { kind: 'price', priceFen: 1990, validHours: 24 } });
  const { taskId } = await startTask(t, 'camp-shopper', 'p-towel');
  await saveCampaign(t, 'p-towel', { helpersNeeded: 5, active: false });
  expect((await task(t, taskId)).target).toBe(2);
  expect((await call(t, 'camp-friend', 'assist', 'start', { productId: 'p-towel' })).code).toBe('ASSIST_CAMPAIGN_NOT_FOUND');
  expect(await ok(t, 'camp-friend', 'assist', 'help', { taskId })).toMatchObject({ helpers: 1, target: 2 });
  const view = await ok(t, 'camp-friend', 'assist', 'get', { taskId });
  expect(view.viewer.actions).toEqual([]);
});

it('a campaign outside its window starts nothing', async () => {
  await saveCampaign(t, 'p-cup', { success: { kind: 'price', priceFen: 9900, validHours: 24 }, startsAt: '2099-01-01T00:00:00+08:00', endsAt: null });
  expect((await call(t, 'camp-shopper', 'assist', 'start', { productId: 'p-cup' })).code).toBe('ASSIST_CAMPAIGN_NOT_FOUND');
  const offer = await ok(t, 'camp-shopper', 'assist', 'campaign', { productId: 'p-cup' });
  expect(offer).toBeNull();
});
