/**
 * 选择规格 in Chromium against the local cloud (issue 13): a shopper opens a product with 颜色 × 尺码 (蓝/L sold out),
 * 加入购物车 opens the sheet, 蓝 disables L, 红 / M goes into the cart, which shows 红 / M. Screenshots of the sheet and
 * the cart go to .artifacts/screenshots.
 */
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { LocalCloud, startLocalCloud } from '../../emulator/index';
import { agreeToPrivacy, launch, openAs, shot, visible } from '../support/browser';
import { sdkFor } from '../support/cloud';
import { seedShirt } from '../support/sku-shirt';

let cloud: LocalCloud;
let browser: Browser;
const pageErrors: string[] = [];

beforeAll(async () => {
  cloud = await startLocalCloud({ dataDir: null, quiet: true, timers: false, appDir: path.resolve(__dirname, '../../dist/h5') });
  browser = await launch();
  await seedShirt(sdkFor(cloud).database());
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await cloud?.close();
});

it('选择规格: 蓝 disables L, 红 / M goes into the cart and the cart shows it', async () => {
  const page = await openAs(browser, `${cloud.url}/#/packages/shop/product/index?id=p-shirt`, pageErrors);
  await agreeToPrivacy(page);
  await visible(page, '.product-page__price').filter({ hasText: '起' }).waitFor({ timeout: 15000 });
  await visible(page, '.action-bar__add').click();
  const chip = (value: string) => visible(page, '.sku-chip').filter({ hasText: new RegExp(`^${value}$`) });
  await chip('蓝').click();
  await visible(page, '.sku-chip--off').filter({ hasText: /^L$/ }).waitFor();
  await shot(page, 'issue13-30-sku-sheet-blue');
  await chip('红').click();
  await chip('M').click();
  await visible(page, '.sku-sheet__chosen').filter({ hasText: '已选：红 / M' }).waitFor();
  await visible(page, '.sku-sheet__plus').click();
  await visible(page, '.sku-sheet__qty').filter({ hasText: '2' }).waitFor();
  await shot(page, 'issue13-31-sku-sheet-red-m');
  await visible(page, '.sku-sheet__confirm').click();
  await page.getByText('已加入购物车').waitFor();
  await visible(page, '.action-bar__cart').click();
  await visible(page, '.cart-line__spec').first().waitFor({ timeout: 15000 });
  expect(await visible(page, '.cart-line__spec').allTextContents()).toEqual(['红 / M']);
  expect(await visible(page, '.cart-total').textContent()).toBe('¥78.00');
  await shot(page, 'issue13-32-cart-spec');
  expect(pageErrors).toEqual([]);
  await page.context().close();
}, 90_000);
