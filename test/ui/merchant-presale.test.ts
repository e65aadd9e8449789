/**
 * 阶梯预售 setup (compiled weapp merchant page, mocked cloud): a product without a pre-sale gets a form (deposit,
 * base price, tiers, windows, the forfeit rule); a wrong tier is named and nothing is sent; 创建预售 sends fen and ISO
 * times; the saved pre-sale shows its state and deposit counts; once a deposit is counted the form is locked.
 */
import type { MerchantPresaleView, SavePresaleInput } from '../../types/api';
import { fen } from '../../types/money';
import { callsTo, cloudRoutes, ok, renderPage, waitFor, wxCallsTo, type RenderedPage } from './harness';
import { merchantMe } from './merchant-fixtures';

const product = { id: 'p-tea', title: '明前龙井 250g 礼盒', description: '', images: [], priceFen: fen(16800), stock: 50, onSale: true, sort: 0, archived: false, updatedAt: '2026-12-01T00:00:00.000Z' };

function saved(input: SavePresaleInput, over: Partial<MerchantPresaleView> = {}): MerchantPresaleView {
  return {
    ...input,
    presaleId: 'ps-p-tea',
    productTitle: product.title,
    status: 'open',
    phase: 'deposit',
    depositCount: 0,
    currentPriceFen: input.basePriceFen,
    finalPriceFen: null,
    nextTier: input.tiers[0],
    depositsToNext: input.tiers[0].minDeposits,
    rulesText: [],
    mine: null,
    round: 1,
    byState: {},
    rev: (input.rev ?? 0) + 1,
    ...over,
  };
}

let current: MerchantPresaleView | null = null;
let page: RenderedPage;

beforeAll(async () => {
  page = await renderPage('packages/merchant/presale/index', {
    query: { productId: 'p-tea' },
    cloud: cloudRoutes({
      'user.login': () => ok(merchantMe()),
      'merchant.getProduct': () => ok(product),
      'merchant.getPresale': () => ok(current),
      'merchant.savePresale': (p) => {
        current = saved(p as unknown as SavePresaleInput);
        return ok(current);
      },
    }),
  });
  await page.waitForClass('presale__save');
});

test('a product without a pre-sale gets the form, its base price the product’s', () => {
  expect(callsTo('merchant.getPresale')[0].payload).toEqual({ productId: 'p-tea' });
  expect(page.text()).toContain('明前龙井 250g 礼盒（原价 ¥168.00）');
  for (const label of ['定金（元）', '起始价（元）', '价格档位（按付定金人数）', '定金开始', '定金截止', '尾款截止', '未付尾款定金不退']) expect(page.text()).toContain(label);
  expect(page.one('presale__save')?.textContent).toBe('创建预售');
  expect(page.one('presale-status')).toBeNull();
});

test('a tier that is not cheaper than the one before is named, and nothing is sent', async () => {
  await page.type('presale__tier-min--0', '50');
  await page.type('presale__tier-price--0', '180');
  await page.waitForClass('field-error--tiers');
  expect(page.one('field-error--tiers')?.textContent).toBe('第 1 档：价格须低于上一档');
  await page.tap('presale__save');
  expect(callsTo('merchant.savePresale')).toHaveLength(0);
});

test('创建预售 sends fen, the tiers and ISO times; the page then shows the state and the deposit count', async () => {
  await page.type('presale__deposit', '20');
  await page.type('presale__tier-price--0', '128');
  await page.tap('presale__tier-add');
  await page.type('presale__tier-min--1', '200');
  await page.type('presale__tier-price--1', '99');
  await page.type('presale__starts', '2026-12-01 10:00');
  await page.type('presale__ends', '2026-12-08 10:00');
  await page.type('presale__balance-ends', '2026-12-10 10:00');
  await page.fire('presale__forfeit-switch', 'change', { value: true });
  await waitFor(() => page.one('field-error--tiers') === null, { what: 'a valid form' });
  await page.tap('presale__save');
  await waitFor(() => callsTo('merchant.savePresale').length === 1, { what: 'save' });
  expect(callsTo('merchant.savePresale')[0].payload).toEqual({
    productId: 'p-tea',
    active: true,
    depositFen: 2000,
    basePriceFen: 16800,
    tiers: [
      { minDeposits: 50, priceFen: 12800 },
      { minDeposits: 200, priceFen: 9900 },
    ],
    startsAt: '2026-12-01T02:00:00.000Z',
    endsAt: '2026-12-08T02:00:00.000Z',
    balanceEndsAt: '2026-12-10T02:00:00.000Z',
    forfeitUnpaid: true,
    rev: 0,
  });
  await waitFor(() => wxCallsTo('showToast').some((t) => t.title === '已保存'), { what: 'saved' });
  await page.waitForClass('presale-status');
  expect(page.one('presale-status__count')?.textContent).toBe('0 人已付定金');
  expect(page.one('presale__save')?.textContent).toBe('保存修改');
});

test('once deposits are counted, the counts by state show and the form is locked', async () => {
  current = saved(current as unknown as SavePresaleInput, { depositCount: 64, currentPriceFen: fen(12800), nextTier: { minDeposits: 200, priceFen: fen(9900) }, depositsToNext: 136, byState: { paid: 60, pending: 3, withdrawn: 1 } });
  // Back on the page later: it reads the pre-sale again.
  await page.instance.onShow?.();
  await waitFor(() => page.one('presale-status__count')?.textContent === '64 人已付定金', { what: 'the counts' });
  expect(page.one('presale-status__price')?.textContent).toBe('当前档位价 ¥128.00 · 再有 136 人到 ¥99.00');
  expect(page.all('presale-status__state').map((r) => r.textContent)).toEqual(['已付定金60 单', '定金待支付3 单', '定金已退还1 单']);
  expect(page.text()).toContain('已有顾客支付定金，规则不能再修改');
  expect(page.one('presale__save')?.className).toContain('primary-button--disabled');
});
