/**
 * What the merchant's editors read and write back (issue 13), through the real SDK on the local cloud: every read
 * answers every stored field, and sending the answer back unchanged leaves the stored document as it was except its
 * updatedAt. A product edit without a stock leaves alone the units orders reserved while the form was open.
 */
import { startTestCloud, TestCloud } from '../support/cloud';
import { addProduct, createOrder, MERCHANT, ok, stockOf, uniq } from './shop-support';

let t: TestCloud;

beforeAll(async () => {
  t = await startTestCloud();
});
afterAll(async () => {
  await t?.close();
});

const merchant = (action: string, payload: Record<string, unknown> = {}) => ok(t, MERCHANT, action, payload, 'merchant');
/** The stored document as text without its bookkeeping: equal text, equal document. */
async function stored(collection: string, id: string): Promise<string> {
  const { updatedAt: _bookkeeping, ...rest } = (await t.db.collection(collection).doc(id).get()).data[0];
  return JSON.stringify(rest);
}
const withoutUpdatedAt = <T extends { updatedAt?: unknown }>({ updatedAt: _u, ...rest }: T) => rest;

describe('products', () => {
  it('saving what getProduct answered, without the stock, changes nothing but updatedAt', async () => {
    const id = await addProduct(t, { stock: 7, priceFen: 1990, onSale: false });
    await t.db.collection('products').doc(id).update({ images: ['https://img.example.com/a.png', '/assets/demo/p-tea.svg', 'cloud://env-1/products/b.png'], sort: -3, description: '第一行\n第二行' });
    const before = await stored('products', id);
    const view = await merchant('getProduct', { id });
    // 归档 is its own action (archiveProduct), not a field of the editor.
    const { updatedAt: _u, stock: _s, archived: _a, ...fields } = view;
    await merchant('saveProduct', fields);
    expect(await stored('products', id)).toBe(before);
  });

  it('an edit without the stock keeps every unit that orders reserved while the form was open', async () => {
    const id = await addProduct(t, { stock: 50, priceFen: 990 });
    const opened = await merchant('getProduct', { id });
    const buyers = Array.from({ length: 10 }, () => uniq('buyer'));
    // Ten shoppers order one each while the merchant saves the form five times over (title edits, no stock).
    const results = await Promise.all([
      ...buyers.map((b) => createOrder(t, b, [{ productId: id, quantity: 1 }])),
      ...Array.from({ length: 5 }, (_, i) => merchant('saveProduct', { id, title: `改名 ${i}`, description: opened.description, images: opened.images, priceFen: opened.priceFen, onSale: true, sort: opened.sort })),
    ]);
    expect(results).toHaveLength(15);
    expect(await stockOf(t, id)).toBe(40);
    // The stock the merchant types is still theirs to set.
    await merchant('saveProduct', { id, title: '改名', description: opened.description, images: opened.images, priceFen: opened.priceFen, onSale: true, sort: opened.sort, stock: 100 });
    expect(await stockOf(t, id)).toBe(100);
  });

  it('a new product needs its stock', async () => {
    const res = await t.callAs(MERCHANT, 'merchant', { action: 'saveProduct', title: '新品', description: '', images: [], priceFen: 100, onSale: false });
    expect(res.body).toMatchObject({ ok: false, code: 'PRODUCT_INVALID' });
  });
});

describe('assist campaigns', () => {
  it('getAssistCampaign answers every field of a switched-off campaign; saved back, the campaign is the same', async () => {
    const productId = await addProduct(t, { stock: 10, priceFen: 20000 });
    const at = new Date('2026-11-01T00:00:00.000Z');
    expect(await merchant('getAssistCampaign', { productId })).toBeNull();
    await t.db.collection('assist_campaigns').add({
      _id: `ac-${productId}`,
      productId,
      active: false,
      helpersNeeded: 4,
      durationHours: 36,
      success: { kind: 'price', priceFen: 12000, validHours: 72 },
      fallback: { kind: 'coupon', amountFenPerHelper: 500, minSpendFen: 5000, validDays: 14 },
      newUsersOnly: true,
      helperDailyCap: 2,
      openTasksPerShopper: 3,
      startsAt: new Date('2026-12-01T01:02:03.456Z'),
      endsAt: new Date('2027-01-01T00:00:00.000Z'),
      createdAt: at,
      updatedAt: at,
    });
    const before = await stored('assist_campaigns', `ac-${productId}`);
    const campaign = await merchant('getAssistCampaign', { productId });
    expect(campaign).toEqual({
      campaignId: `ac-${productId}`,
      productId,
      active: false,
      helpersNeeded: 4,
      durationHours: 36,
      success: { kind: 'price', priceFen: 12000, validHours: 72 },
      fallback: { kind: 'coupon', amountFenPerHelper: 500, minSpendFen: 5000, validDays: 14 },
      newUsersOnly: true,
      helperDailyCap: 2,
      openTasksPerShopper: 3,
      startsAt: '2026-12-01T01:02:03.456Z',
      endsAt: '2027-01-01T00:00:00.000Z',
      updatedAt: at.toISOString(),
    });
    await merchant('saveAssistCampaign', withoutUpdatedAt(campaign));
    expect(await stored('assist_campaigns', `ac-${productId}`)).toBe(before);
  });

  it('of two campaigns on a product, the running one is what the editor gets, even when the other was saved later', async () => {
    const productId = await addProduct(t, { stock: 10, priceFen: 10000 });
    const base = { productId, helpersNeeded: 2, durationHours: 24, success: { kind: 'price', priceFen: 5000, validHours: 24 }, fallback: { kind: 'none' }, newUsersOnly: false, helperDailyCap: 3, openTasksPerShopper: 1, startsAt: null, endsAt: null };
    await t.db.collection('assist_campaigns').add({ _id: `live-${productId}`, ...base, active: true, createdAt: new Date('2026-01-01T00:00:00Z'), updatedAt: new Date('2026-01-01T00:00:00Z') });
    await t.db.collection('assist_campaigns').add({ _id: `off-${productId}`, ...base, active: false, createdAt: new Date('2026-02-01T00:00:00Z'), updatedAt: new Date('2026-02-01T00:00:00Z') });
    expect((await merchant('getAssistCampaign', { productId })).campaignId).toBe(`live-${productId}`);
  });
});

describe('settings', () => {
  it('getReferralSettings answers the defaults until the merchant saves; every field saved back unchanged changes nothing', async () => {
    expect(await merchant('getReferralSettings')).toEqual({
      bindingValidityDays: null,
      pointsPerYuan: 100,
      pointsMaxShareBp: 5000,
      withdrawMinFen: 100,
      withdrawMaxFen: 199_999,
      withdrawDailyCount: 3,
      transferConfirmHours: 24,
    });
    const every = { bindingValidityDays: 45, pointsPerYuan: 250, pointsMaxShareBp: 3333, withdrawMinFen: 250, withdrawMaxFen: 88_888, withdrawDailyCount: 5, transferConfirmHours: 12 };
    expect(await merchant('saveReferralSettings', every)).toEqual(every);
    const before = await stored('settings', 'referral');
    const loaded = await merchant('getReferralSettings');
    expect(loaded).toEqual(every);
    await merchant('saveReferralSettings', loaded);
    expect(await stored('settings', 'referral')).toBe(before);

    await merchant('saveShopSettings', { refundWindowDays: 0, autoConfirmDays: 60 });
    const shopBefore = await stored('shop_settings', 'default');
    const { payTimeoutMinutes: _config, ...shop } = await merchant('getShopSettings');
    expect(shop).toEqual({ refundWindowDays: 0, autoConfirmDays: 60 });
    await merchant('saveShopSettings', shop);
    expect(await stored('shop_settings', 'default')).toBe(shopBefore);
  });

  it('the bounds the settings page checks are the ones the server holds', async () => {
    for (const [payload, code] of [
      [{ withdrawMinFen: 29 }, 'INVALID_ARGUMENT'],
      [{ transferConfirmHours: 25 }, 'INVALID_ARGUMENT'],
      [{ bindingValidityDays: 0 }, 'INVALID_ARGUMENT'],
      [{ pointsMaxShareBp: 10_001 }, 'INVALID_ARGUMENT'],
    ] as const) {
      const res = await t.callAs(MERCHANT, 'merchant', { action: 'saveReferralSettings', ...payload });
      expect(res.body).toMatchObject({ ok: false, code });
    }
    const res = await t.callAs(MERCHANT, 'merchant', { action: 'saveShopSettings', refundWindowDays: 91, autoConfirmDays: 10 });
    expect(res.body).toMatchObject({ ok: false, code: 'INVALID_ARGUMENT' });
  });
});
