/**
 * As a new user would: the local cloud serves the browser build; a first visitor gets a session, logs in and sees
 * the demo shop; the dev bar switches identity.
 */
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { LocalCloud, startLocalCloud } from '../../emulator/index';
import { launch, phone, shot } from '../support/browser';

let cloud: LocalCloud;
let browser: Browser;

beforeAll(async () => {
  cloud = await startLocalCloud({ dataDir: null, quiet: true, timers: false, appDir: path.resolve(__dirname, '../../dist/h5') });
  browser = await launch();
});

afterAll(async () => {
  await browser?.close();
  await cloud?.close();
});

it('a first visitor sees the demo products with prices and badges', async () => {
  const ctx = await phone(browser);
  const page = await ctx.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(cloud.url);
  await page.getByText('明前龙井 250g 礼盒').waitFor({ timeout: 15000 });
  await page.getByText('¥168.00').first().waitFor();
  expect(await page.locator('.product-card').count()).toBeGreaterThanOrEqual(5);
  await shot(page, 'issue2-home-first-visit');
  // A guest identity was created for this tab and the user exists on the server.
  const openid = await page.evaluate(() => sessionStorage.getItem('tsfy.devOpenid'));
  expect(openid).toMatch(/^guest-/);
  for (let i = 0; i < 50 && !cloud.store.get('users', openid!); i++) await new Promise((r) => setTimeout(r, 100));
  expect(cloud.store.get('users', openid!)).toBeDefined();
  expect(errors).toEqual([]);
  await ctx.close();
});

it('the dev bar switches to the merchant and 我的 shows who you are', async () => {
  const ctx = await phone(browser);
  const page = await ctx.newPage();
  await page.goto(cloud.url);
  await page.getByText('明前龙井 250g 礼盒').waitFor({ timeout: 15000 });
  await page.locator('#tsfy-devbar .pill').click();
  // Switching identity reloads the page: wait for that navigation, not the current page.
  await Promise.all([page.waitForEvent('framenavigated'), page.getByRole('button', { name: /商家/ }).click()]);
  await page.getByText('明前龙井 250g 礼盒').waitFor({ timeout: 15000 });
  expect(await page.evaluate(() => sessionStorage.getItem('tsfy.devOpenid'))).toBe('demo-merchant');
  // First open as this user: the privacy notice comes first.
  await page.locator('.consent-sheet__agree').click();
  await page.getByText('我的', { exact: true }).last().click();
  await page.getByText('DEMO05').waitFor({ timeout: 10000 });
  await shot(page, 'issue2-mine-merchant');
  await ctx.close();
});
