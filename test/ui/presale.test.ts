/**
 * 阶梯预售 on the product page (compiled weapp page, mocked cloud): deposit, windows, the tier table with the current
 * tier marked, the next tier and how many more reach it, the forfeit rule up front; 付定金 pays through WeChat Pay's
 * sheet and the page shows my deposit once the server says it is paid; after the pre-sale is priced, 付尾款 pays the
 * balance (final − deposit, the server's number).
 */
import type { PresalePayView, PresaleView } from '../../types/api';
import { fen } from '../../types/money';
import { callsTo, cloudRoutes, ok, renderPage, waitFor, wxCallsTo, type RenderedPage } from './harness';
import { me, productDetail } from './fixtures';

const RULES = ['预售结束后由系统按人数一次性确定最终价，尾款 = 最终价 − 定金，须在 12-10 10:00 前支付', '逾期未付尾款，定金不退'];

const presale = (over: Partial<PresaleView> = {}): PresaleView => ({
  presaleId: 'ps-p-tea',
  productId: 'p-tea',
  productTitle: '明前龙井 250g 礼盒',
  depositFen: fen(2000),
  basePriceFen: fen(16800),
  tiers: [
    { minDeposits: 50, priceFen: fen(12800) },
    { minDeposits: 200, priceFen: fen(9900) },
  ],
  startsAt: '2026-12-01T02:00:00.000Z',
  endsAt: '2026-12-08T02:00:00.000Z',
  balanceEndsAt: '2026-12-10T02:00:00.000Z',
  forfeitUnpaid: true,
  status: 'open',
  phase: 'deposit',
  depositCount: 63,
  currentPriceFen: fen(12800),
  finalPriceFen: null,
  nextTier: { minDeposits: 200, priceFen: fen(9900) },
  depositsToNext: 137,
  rulesText: RULES,
  mine: null,
  ...over,
});

const payView = (outTradeNo: string, payableFen: number): PresalePayView => ({
  depositId: 'pd-1',
  provider: 'wechat',
  outTradeNo,
  payableFen: fen(payableFen),
  wechat: { timeStamp: '1700000000', nonceStr: 'n0nce', package: 'prepay_id=wx123', signType: 'RSA', paySign: 'c2lnbg==' },
});

let current = presale();
let page: RenderedPage;

beforeAll(async () => {
  page = await renderPage('packages/shop/product/index', {
    query: { id: 'p-tea' },
    cloud: cloudRoutes({
      'user.login': () => ok(me({ inviteCode: 'K7Q2MZ' })),
      'shop.getProduct': () => ok(productDetail('p-tea')),
      'shop.presale': () => ok(current),
      'shop.payDeposit': () => {
        // WeChat Pay confirms, the notification lands: the next read shows the deposit paid and counted.
        current = presale({ depositCount: 64, depositsToNext: 136, mine: { depositId: 'pd-1', state: 'paid', depositFen: fen(2000), balanceFen: null } });
        return ok(payView('PD-pd-1-1', 2000));
      },
      'shop.payBalance': () => {
        current = presale({ status: 'priced', phase: 'balance', depositCount: 64, finalPriceFen: fen(12800), currentPriceFen: fen(12800), nextTier: null, depositsToNext: 0, mine: { depositId: 'pd-1', state: 'completed', depositFen: fen(2000), balanceFen: fen(10800) } });
        return ok(payView('PB-pd-1', 10800));
      },
    }),
  });
  await page.waitForClass('product-page__presale');
});

test('the pre-sale section states deposit, windows, tiers, the current and next tier and the forfeit rule before the button', () => {
  expect(callsTo('shop.presale')[0].payload).toEqual({ productId: 'p-tea' });
  const section = page.one('product-page__presale')!;
  expect(page.one('presale__summary')?.textContent).toBe('定金 ¥20.00 · 已有 63 人付定金 · 当前价 ¥128.00');
  expect(page.one('presale__forfeit')?.textContent).toBe('注意：逾期未付尾款，定金不退');
  expect(page.one('presale__forfeit')?.className).toContain('presale__forfeit--warn');
  expect(section.textContent).toContain('定金：');
  expect(section.textContent).toContain('尾款：最终价确定后至');
  const rows = page.all('presale__tier').map((r) => r.textContent);
  expect(rows).toEqual(['付定金人数最终价', '不足 50 人¥168.00', '满 50 人¥128.00', '满 200 人¥99.00']);
  expect(page.one('presale__tier--current')?.textContent).toBe('满 50 人¥128.00');
  expect(page.one('presale__next')?.textContent).toBe('再有 137 人付定金，价格降到 ¥99.00');
  for (const line of RULES) expect(section.textContent).toContain(line);
  expect(page.one('presale__pay-deposit')?.textContent).toBe('付定金 ¥20.00');
  expect(page.one('presale__pay-balance')).toBeNull();
  expect(page.one('presale__mine')).toBeNull();
});

test('付定金 pays through WeChat Pay and then shows my deposit as paid, with 退还定金 instead of the button', async () => {
  await page.tap('presale__pay-deposit');
  await waitFor(() => page.one('presale__mine') !== null, { what: 'my deposit' });
  expect(callsTo('shop.payDeposit').map((c) => c.payload)).toEqual([{ productId: 'p-tea' }]);
  expect(wxCallsTo('requestPayment')[0].package).toBe('prepay_id=wx123');
  expect(page.one('presale__mine-state')?.textContent).toBe('我的定金：¥20.00 · 已付定金');
  expect(page.one('presale__summary')?.textContent).toContain('已有 64 人付定金');
  expect(page.one('presale__pay-deposit')).toBeNull();
  expect(page.one('presale__withdraw')?.textContent).toBe('退还定金');
  expect(wxCallsTo('showToast').map((t) => t.title)).toContain('支付成功');
});

test('once priced, a shopper with a paid deposit sees the final price and pays the balance (final − deposit)', async () => {
  current = presale({ status: 'priced', phase: 'balance', depositCount: 64, finalPriceFen: fen(12800), currentPriceFen: fen(12800), nextTier: null, depositsToNext: 0, mine: { depositId: 'pd-1', state: 'paid', depositFen: fen(2000), balanceFen: fen(10800) } });
  // Back on the page days later: the section reads the pre-sale again.
  await page.instance.onShow?.();
  await waitFor(() => page.one('presale__pay-balance') !== null, { what: 'the balance button' });
  expect(page.one('presale__summary')?.textContent).toBe('定金 ¥20.00 · 已有 64 人付定金 · 最终价 ¥128.00');
  expect(page.one('presale__next')).toBeNull();
  expect(page.one('presale__pay-balance')?.textContent).toBe('付尾款 ¥108.00');
  await page.tap('presale__pay-balance');
  await waitFor(() => page.one('presale__mine-state')?.textContent?.includes('尾款已付') === true, { what: 'balance paid' });
  expect(callsTo('shop.payBalance').map((c) => c.payload)).toEqual([{ productId: 'p-tea' }]);
  expect(page.one('presale__pay-balance')).toBeNull();
});
