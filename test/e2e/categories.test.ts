/**
 * 商品分类 in Chromium against the local cloud: a shopper's 首页 shows 全部 and the demo shop's three categories;
 * 家居日用 lists its two products only. The merchant's 商品分类 page shows each with its product count, adds 礼盒,
 * saves, and the shopper's 首页 gains the tab. Screenshots go to .artifacts/screenshots.
 */
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { LocalCloud, startLocalCloud } from '../../emulator/index';
import { agreeToPrivacy, launch, openAs, shot, visible } from '../support/browser';

let cloud: LocalCloud;
let browser: Browser;
const pageErrors: string[] = [];

beforeAll(async () => {
  cloud = await startLocalCloud({ dataDir: null, quiet: true, timers: false, appDir: path.resolve(__dirname, '../../dist/h5') });
  browser = await launch();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await cloud?.close();
});

it('a tab lists its own products; a category the merchant adds becomes a tab', async () => {
  const shopper = await openAs(browser, cloud.url, pageErrors);
  await agreeToPrivacy(shopper);
  await visible(shopper, '.product-card').first().waitFor({ timeout: 15000 });
  expect(await visible(shopper, '.category-tab').allTextContents()).toEqual(['全部', '茶饮冲调', '粮油零食', '家居日用']);
  await visible(shopper, '.category-tab').filter({ hasText: '家居日用' }).click();
  await visible(shopper, '.category-tab--on').filter({ hasText: '家居日用' }).waitFor();
  await shopper.waitForFunction(() => document.querySelectorAll('.product-card').length === 2);
  expect(await visible(shopper, '.product-card__title').allTextContents()).toEqual(['新疆长绒棉毛巾 3 条装', '316 不锈钢保温杯 500ml']);
  await shot(shopper, 'issue13-40-home-category');

  const merchant = await openAs(browser, `${cloud.url}/#/packages/merchant/categories/index`, pageErrors, 'demo-merchant');
  await agreeToPrivacy(merchant);
  await visible(merchant, '.category-row').nth(2).waitFor({ timeout: 15000 });
  expect(await visible(merchant, '.category-row').count()).toBe(3);
  await visible(merchant, '.categories-add').click();
  await visible(merchant, '.category-row__name--3 input').fill('礼盒');
  await shot(merchant, 'issue13-41-merchant-categories');
  await visible(merchant, '.categories-save').click();
  await merchant.getByText('已保存').waitFor();

  await shopper.reload();
  await visible(shopper, '.category-tab').filter({ hasText: '礼盒' }).waitFor({ timeout: 15000 });
  await visible(shopper, '.category-tab').filter({ hasText: '礼盒' }).click();
  await visible(shopper, '.empty-state').filter({ hasText: '「礼盒」暂无商品' }).waitFor();
  await shot(shopper, 'issue13-42-home-empty-category');
  expect(pageErrors).toEqual([]);
  await shopper.context().close();
  await merchant.context().close();
}, 120_000);
