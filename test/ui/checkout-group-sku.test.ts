/**
 * @jest-environment-options {"customExportConditions": ["node", "require", "default"]}
 */
/**
 * Opening a 拼团 on a product with 规格, against the real functions: the group price applies to whichever SKU is
 * bought, so the checkout's estimate and its 选择规格 sheet show it (not the SKU's list price), as the quote charges.
 */
import { renderPage, waitFor } from './harness';
import { readyShopper, startRealCloud, type RealCloud } from './real-cloud';
import { SHIRT_ID as ID, seedShirt } from '../support/sku-shirt';
import { pick } from './sku-sheet';

const SHOPPER = 'sku-group-shopper';
let rc: RealCloud;

beforeAll(async () => {
  rc = await startRealCloud();
  await seedShirt(rc.db);
  await readyShopper(rc, SHOPPER);
}, 60_000);

afterAll(async () => {
  await rc?.close();
});

describe('a 拼团 checkout of a product with 规格', () => {
  test('opening a 拼团 on it: the estimate and the sheet show the group price (whatever the SKU), as the quote charges', async () => {
    const now = new Date();
    await rc.db.collection('group_offers').add({ _id: `go-${ID}`, productId: ID, active: true, groupSize: 2, groupPriceFen: 2500, timeLimitHours: 24, allowJoinAny: true, newUsersOnly: false, maxOpenPerShopper: 2, leaderReward: { kind: 'none' }, minSizeAtDeadline: null, createdAt: now, updatedAt: now });
    const page = await renderPage('packages/shop/checkout/index', { cloud: rc.as(SHOPPER), query: { items: `${ID}:1`, openGroup: '1' } });
    await page.waitForClass('checkout-item__pick-spec', 15_000);
    await waitFor(() => page.one('checkout-estimate')?.textContent === '¥25.00', { timeout: 15_000, what: `the group price estimate (${page.text()})` });
    await page.tap('checkout-item__pick-spec');
    await page.waitForClass('sku-sheet');
    expect(page.one('sku-sheet__price')?.textContent).toBe('¥25.00');
    await pick(page, '红');
    await pick(page, 'L');
    expect(page.one('sku-sheet__price')?.textContent).toBe('¥25.00'); // not 红 / L's ¥42.00
    await page.tap('sku-sheet__confirm');
    await waitFor(() => page.one('checkout-payable')?.textContent === '¥25.00', { timeout: 15_000, what: `the quote (${page.text()})` });
  }, 40_000);
});
