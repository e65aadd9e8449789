/**
 * The shop's public face through the gateway: the merchant publishes name, qualifications and a service phone; every
 * shopper reads them with every active rule in full, in the very words of the product and task pages.
 */
import { campaignRulesText } from '../../cloudfunctions/domain/assistPolicy';
import { startTestCloud, TestCloud } from '../support/cloud';
import { call, MERCHANT, ok, onlyRule } from './referral-support';

let t: TestCloud;
beforeAll(async () => {
  t = await startTestCloud();
});
afterAll(() => t.close());

it('before anything is published: the default name and no qualifications', async () => {
  const info = await ok(t, 'store-shopper-1', 'shop', 'storeInfo');
  expect(info).toMatchObject({ storeName: '推三返一', qualifications: [], servicePhone: '' });
});

it('the merchant publishes; shoppers read it with the active rules, as the product and task pages word them', async () => {
  const profile = { storeName: '推三返一旗舰店', qualifications: ['营业执照：91330100MA00000000', '食品经营许可证：JY13301000000000'], servicePhone: '0571-88888888' };
  expect(await ok(t, MERCHANT, 'merchant', 'saveStoreProfile', profile)).toEqual(profile);
  expect(await ok(t, MERCHANT, 'merchant', 'getStoreProfile')).toEqual(profile);
  await onlyRule(t, { name: '推三返一', reward: { form: 'cash', amountFen: 5000 }, trigger: { kind: 'everyN', n: 3, minOrderFen: 0 } });

  const info = await ok(t, 'store-shopper-2', 'shop', 'storeInfo');
  expect(info).toMatchObject(profile);
  expect(info.rebateRules).toHaveLength(1);
  const product = await ok(t, 'store-shopper-2', 'shop', 'getProduct', { productId: 'p-tea' });
  expect(info.rebateRules[0]).toMatchObject({ name: '推三返一', summary: product.rules.rebate[0].summary, details: product.rules.rebate[0].details });
  const tea = info.assistCampaigns.find((c: { productId: string }) => c.productId === 'p-tea');
  expect(tea.details).toEqual(product.rules.assist.details);
  const campaign = (await t.db.collection('assist_campaigns').where({ productId: 'p-tea' }).get()).data[0];
  expect(tea.details).toEqual(campaignRulesText(campaign, product.priceFen));
});

it('bad input is refused with a Chinese message and changes nothing; shoppers cannot publish', async () => {
  const before = await ok(t, MERCHANT, 'merchant', 'getStoreProfile');
  const bad = await call(t, MERCHANT, 'merchant', 'saveStoreProfile', { storeName: '', qualifications: [], servicePhone: 'abc' });
  expect(bad).toMatchObject({ ok: false, code: 'INVALID_ARGUMENT' });
  expect(bad.message).not.toMatch(/[A-Za-z]{3,}/);
  expect(await call(t, 'store-shopper-3', 'merchant', 'saveStoreProfile', { storeName: 'x', qualifications: [], servicePhone: '' })).toMatchObject({ ok: false, code: 'FORBIDDEN' });
  expect(await ok(t, MERCHANT, 'merchant', 'getStoreProfile')).toEqual(before);
});
