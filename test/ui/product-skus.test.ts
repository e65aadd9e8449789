/**
 * @jest-environment-options {"customExportConditions": ["node", "require", "default"]}
 */
/**
 * 选择规格 against the real functions (issue 13): a product with 颜色 红/蓝 × 尺码 M/L where 蓝/L is sold out. On the
 * product page 加入购物车 opens the sheet: after 蓝, L cannot be picked; 红 / M with 2 units goes into the cart as that
 * SKU. The cart shows 红 / M, checkout sends the SKU, the order (detail and list) shows 红 / M, and the SKU's stock —
 * not another's — went down by 2 in the stored product.
 */
import { callsTo, renderPage, waitFor, wxCallsTo, type RenderedPage } from './harness';
import { readyShopper, startRealCloud, type RealCloud } from './real-cloud';
import { SHIRT_ID as ID, SHIRT_SKUS as SKUS, seedShirt } from '../support/sku-shirt';
import { chip, isOff, isOn, pick } from './sku-sheet';

const SHOPPER = 'sku-shopper';
const RED_M = SKUS[0].skuId;

let rc: RealCloud;
let checkoutUrl = '';
let orderId = '';

const isDisabled = (page: RenderedPage) => Array.from(page.one('sku-sheet__confirm')!.classList).some((c) => c.endsWith('primary-button--disabled'));

beforeAll(async () => {
  rc = await startRealCloud();
  await seedShirt(rc.db);
  await readyShopper(rc, SHOPPER);
}, 60_000);

afterAll(async () => {
  await rc?.close();
});

describe('product page', () => {
  let page: RenderedPage;
  beforeAll(async () => {
    page = await renderPage('packages/shop/product/index', { cloud: rc.as(SHOPPER), query: { id: ID } });
    await page.waitForText('商品介绍', 15_000);
  }, 30_000);

  test('the price says 起 when the SKUs differ; 加入购物车 opens 选择规格 instead of adding', async () => {
    expect(page.one('product-page__price')?.textContent).toBe('¥39.00 起');
    await page.tap('action-bar__add');
    await page.waitForClass('sku-sheet');
    expect(callsTo('shop.addToCart')).toHaveLength(0);
    expect(page.all('sku-sheet__option-name').map((e) => e.textContent)).toEqual(['颜色', '尺码']);
    expect(page.one('sku-sheet__chosen')?.textContent).toBe('请选择 颜色 / 尺码');
    expect(isDisabled(page)).toBe(true);
  });

  test('after 蓝, L (sold out in 蓝) cannot be picked; without 蓝 it can', async () => {
    expect(isOff(chip(page, 'L'))).toBe(false);
    await pick(page, '蓝');
    expect(isOff(chip(page, 'L'))).toBe(true);
    expect(isOff(chip(page, 'M'))).toBe(false);
    await page.tapElement(chip(page, 'L'));
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(isOn(chip(page, 'L'))).toBe(false);
    expect(page.one('sku-sheet__chosen')?.textContent).toBe('请选择 尺码');
    expect(isDisabled(page)).toBe(true);
  });

  test('红 / M shows its price and stock; the stepper stops at the stock; 加入购物车 sends that SKU', async () => {
    await pick(page, '红');
    expect(isOn(chip(page, '蓝'))).toBe(false);
    await pick(page, 'M');
    await waitFor(() => page.one('sku-sheet__chosen')?.textContent === '已选：红 / M', { what: `红 / M chosen (${page.text()})` });
    expect(page.one('sku-sheet__price')?.textContent).toBe('¥39.00');
    expect(page.one('sku-sheet__stock')?.textContent).toBe('库存 5');
    expect(isDisabled(page)).toBe(false);
    const step = async (button: 'plus' | 'minus', expected: string) => {
      await page.tap(`sku-sheet__${button}`);
      await waitFor(() => page.one('sku-sheet__qty')?.textContent === expected, { what: `quantity ${expected}` });
    };
    for (const n of ['2', '3', '4', '5', '5']) await step('plus', n);
    for (const n of ['4', '3', '2']) await step('minus', n);

    await page.tap('sku-sheet__confirm');
    await waitFor(() => wxCallsTo('showToast').length > 0, { timeout: 10_000, what: 'a toast' });
    expect(wxCallsTo('showToast').map((t) => t.title)).toEqual(['已加入购物车']);
    expect(callsTo('shop.addToCart').map((c) => c.payload)).toEqual([{ productId: ID, skuId: RED_M, quantity: 2 }]);
    await waitFor(() => page.one('sku-sheet') === null, { what: 'the sheet closed' });
    const cart = await rc.doc('carts', SHOPPER);
    expect(cart.items.map((i: { productId: string; skuId: string; quantity: number }) => [i.productId, i.skuId, i.quantity])).toEqual([[ID, RED_M, 2]]);
  });
});

describe('cart', () => {
  let page: RenderedPage;
  beforeAll(async () => {
    page = await renderPage('packages/shop/cart/index', { cloud: rc.as(SHOPPER) });
    await page.waitForClass('cart-line', 15_000);
  }, 30_000);

  test('the line shows 红 / M under its title and goes to checkout with its SKU', async () => {
    expect(page.one('cart-line__title')?.textContent).toBe('纯棉短袖 T 恤');
    expect(page.one('cart-line__spec')?.textContent).toBe('红 / M');
    await page.tap('cart-checkout');
    checkoutUrl = wxCallsTo('navigateTo').pop().url;
    expect(checkoutUrl).toBe(`/packages/shop/checkout/index?items=${encodeURIComponent(`${ID}:2:${RED_M}`)}&fromCart=1`);
  });
});

describe('checkout, then the order', () => {
  test('checkout prices the SKU, shows 红 / M and orders it; the SKU’s stock goes down by 2', async () => {
    const query = Object.fromEntries(new URLSearchParams(checkoutUrl.split('?')[1]));
    const page = await renderPage('packages/shop/checkout/index', { cloud: rc.as(SHOPPER), query });
    await waitFor(() => page.one('checkout-payable')?.textContent === '¥78.00', { timeout: 15_000, what: `the quote (${page.text()})` });
    expect(page.one('checkout-item__spec')?.textContent).toBe('红 / M');
    expect(callsTo('shop.quote').pop()!.payload.items).toEqual([{ productId: ID, skuId: RED_M, quantity: 2 }]);

    await page.tap('checkout-submit');
    await waitFor(() => wxCallsTo('redirectTo').length === 1, { timeout: 15_000, what: `the order (${page.text()})` });
    orderId = new URLSearchParams(wxCallsTo('redirectTo')[0].url.split('?')[1]).get('id')!;
    const order = await rc.doc('orders', orderId);
    expect(order.items.map((i: { skuId: string; spec: string; quantity: number }) => [i.skuId, i.spec, i.quantity])).toEqual([[RED_M, '红 / M', 2]]);
    const product = await rc.doc('products', ID);
    expect(product.skus.map((k: { stockQty: number }) => k.stockQty)).toEqual([3, 4, 3, 0]);
    expect((await rc.doc('carts', SHOPPER)).items).toEqual([]);
  }, 40_000);

  test('the order page shows 红 / M under the title', async () => {
    const page = await renderPage('packages/shop/order/index', { cloud: rc.as(SHOPPER), query: { id: orderId } });
    await page.waitForClass('order-item__spec', 15_000);
    expect(page.one('order-item__spec')?.textContent).toBe('红 / M');
  }, 30_000);

  test('the order list shows 红 / M under the title', async () => {
    const page = await renderPage('packages/shop/orders/index', { cloud: rc.as(SHOPPER) });
    await page.waitForClass('order-card__spec', 15_000);
    expect(page.all('order-card__spec').map((e) => e.textContent)).toEqual(['红 / M']);
  }, 30_000);
});
