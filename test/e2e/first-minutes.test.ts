/**
 * Issue 17 in Chromium at 390×844: what a new shopper hit in their first minutes, each step a thing that must not
 * come back. Screenshots go to .artifacts/screenshots/issue17-*.png.
 */
import path from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { LocalCloud, startLocalCloud } from '../../emulator/index';
import { launch, phone, shot } from '../support/browser';

let cloud: LocalCloud;
let browser: Browser;
const pageErrors: string[] = [];

beforeAll(async () => {
  cloud = await startLocalCloud({ dataDir: null, quiet: true, timers: false, appDir: path.resolve(__dirname, '../../dist/h5') });
  browser = await launch();
});

afterAll(async () => {
  await browser?.close();
  await cloud?.close();
});

/** A tab of its own; `openid` picks a demo identity (as the dev bar does), else a new guest. */
async function open(url: string, openid?: string): Promise<Page> {
  const ctx = await phone(browser);
  if (openid) await ctx.addInitScript(`sessionStorage.setItem('tsfy.devOpenid', ${JSON.stringify(openid)})`);
  const page = await ctx.newPage();
  page.on('pageerror', (e) => pageErrors.push(e.message));
  await page.goto(url);
  return page;
}

const visible = (page: Page, selector: string) => page.locator(`${selector} >> visible=true`);

async function agree(page: Page) {
  await visible(page, '.consent-sheet__agree').click({ timeout: 15000 });
  await page.locator('.consent-sheet').waitFor({ state: 'detached' });
}

/** Wholly inside the 390×844 viewport (not merely in the document). */
async function inViewport(locator: Locator): Promise<boolean> {
  const box = await locator.boundingBox();
  return !!box && box.y >= 0 && box.y + box.height <= 844 && box.x >= 0 && box.x + box.width <= 390;
}

it('结算: address refusals show beside their fields in view; the region comes from a picker', async () => {
  const page = await open(`${cloud.url}/#/packages/shop/checkout/index?items=p-tea:1`);
  await agree(page);
  await visible(page, '.address-card').click({ timeout: 15000 });
  await visible(page, '.address-form').waitFor();
  expect(await page.locator('.address-form__province').count()).toBe(0);

  await visible(page, '.address-form__save').click();
  const nameError = visible(page, '.address-form__error--name');
  await nameError.waitFor();
  expect(await nameError.textContent()).toBe('请填写收货人姓名');
  expect(await inViewport(nameError)).toBe(true);
  expect(await visible(page, '.address-form__error--region').textContent()).toBe('请选择所在地区');

  // Whitespace and a short number are refused beside their own fields.
  await page.locator('.address-form__name input').fill('   ');
  await page.locator('.address-form__phone input').fill('1380013');
  await page.locator('.address-form__detail input').fill('文三路 100 号');
  await visible(page, '.address-form__save').click();
  await visible(page, '.address-form__error--phone').filter({ hasText: '11 位' }).waitFor();
  expect(await inViewport(visible(page, '.address-form__error--name'))).toBe(true);
  await shot(page, 'issue17-01-address-errors');

  await page.locator('.address-form__name input').fill('张三');
  await page.locator('.address-form__phone input').fill('13800138000');
  await visible(page, '.address-form__region').click();
  await visible(page, '.region-sheet__option').first().waitFor({ timeout: 15000 });
  await shot(page, 'issue17-02-region-sheet');
  for (const place of ['浙江省', '杭州市', '西湖区']) await visible(page, '.region-sheet__option').filter({ hasText: place }).first().click();
  await visible(page, '.address-form__region').filter({ hasText: '浙江省 杭州市 西湖区' }).waitFor();
  await visible(page, '.address-form__save').click();
  await visible(page, '.address-card__name').filter({ hasText: '张三 13800138000' }).waitFor({ timeout: 15000 });
  await page.context().close();
});

afterAll(() => {
  expect(pageErrors).toEqual([]);
});
