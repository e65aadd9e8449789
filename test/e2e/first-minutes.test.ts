/**
 * Issue 17 in Chromium at 390×844: what a new shopper hit in their first minutes, each step a thing that must not
 * come back. Screenshots go to .artifacts/screenshots/issue17-*.png.
 */
import path from 'node:path';
import type { Browser, Locator } from 'playwright-core';
import { LocalCloud, startLocalCloud } from '../../emulator/index';
import { agreeToPrivacy, launch, openAs, phone, shot, visible } from '../support/browser';

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

const open = (url: string, openid?: string) => openAs(browser, url, pageErrors, openid);
const agree = agreeToPrivacy;

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

/** A function call through the gateway as `openid` (the dev login the app uses). */
async function callAs<T>(openid: string, fn: string, action: string, payload: Record<string, unknown> = {}): Promise<T> {
  const login = await fetch(`${cloud.url}/__dev/login`, { method: 'POST', body: JSON.stringify({ openid }) });
  const { token } = (await login.json()) as { token: string };
  const res = await fetch(`${cloud.url}/fn/${fn}`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ action, ...payload }) });
  const envelope = (await res.json()) as { ok: boolean; data: T; code?: string };
  if (!envelope.ok) throw new Error(`${fn}.${action}: ${envelope.code}`);
  return envelope.data;
}

it('h5 has a title bar like WeChat’s: home on a page opened from a link, back after navigating', async () => {
  const page = await open(`${cloud.url}/#/packages/shop/product/index?id=p-tea`);
  await agree(page);
  const bar = visible(page, '#taro-navigation-bar');
  await bar.filter({ hasText: '商品详情' }).waitFor({ timeout: 15000 });
  expect(await page.locator('#taro-navigation-bar').getAttribute('class')).toContain('taro-navigation-bar-home-icon');
  await visible(page, '.action-bar__home').waitFor();
  await shot(page, 'issue17-03-product-title-bar');
  await visible(page, '.taro-navigation-bar-home').click();
  await visible(page, '.product-card').first().waitFor({ timeout: 15000 });
  // The card of a product with an assist names its 助力价 (issue 17.8).
  await visible(page, '.product-card').filter({ hasText: '明前龙井' }).filter({ hasText: '助力价 ¥99.00' }).waitFor();
  await shot(page, 'issue17-12-home-cards');

  await visible(page, '.product-card').first().click();
  await visible(page, '.action-bar__buy').waitFor({ timeout: 15000 });
  expect(await page.locator('#taro-navigation-bar').getAttribute('class')).toContain('taro-navigation-bar-back-icon');
  await visible(page, '.taro-navigation-bar-back').click();
  await visible(page, '.product-card').first().waitFor({ timeout: 15000 });
  await page.context().close();
});

it('the dev pill never covers a sheet or a button: it sits in the title bar', async () => {
  const page = await open(`${cloud.url}/#/packages/shop/product/index?id=p-tea`);
  const pill = (await page.locator('#tsfy-devbar .pill').boundingBox())!;
  const bar = (await page.locator('#taro-navigation-bar').boundingBox())!;
  expect(pill.y + pill.height).toBeLessThanOrEqual(bar.y + bar.height);
  // The consent sheet's buttons and the product page's action bar are clear of it.
  const sheet = (await visible(page, '.consent-sheet .sheet').boundingBox())!;
  expect(sheet.y).toBeGreaterThan(pill.y + pill.height);
  await shot(page, 'issue17-14-dev-pill-sheet');
  await agree(page);
  const buy = (await visible(page, '.action-bar').boundingBox({ timeout: 15000 }))!;
  expect(buy.y).toBeGreaterThan(pill.y + pill.height);
  await page.context().close();
});

it('the note of who invited you shows below the title bar, not under it', async () => {
  const page = await open(`${cloud.url}/#/pages/index/index?inviter=DEMO02&source=card`);
  await agree(page);
  const note = visible(page, '.invited-by');
  await note.waitFor({ timeout: 15000 });
  const bar = await page.locator('#taro-navigation-bar').boundingBox();
  const box = await note.boundingBox();
  expect(box!.y).toBeGreaterThanOrEqual(bar!.y + bar!.height);
  await shot(page, 'issue17-11-invited-note-below-bar');
  await page.context().close();
});

it('while a page loads it shows a skeleton, not 加载中…', async () => {
  const ctx = await phone(browser);
  const page = await ctx.newPage();
  page.on('pageerror', (e) => pageErrors.push(e.message));
  // A slow network: the product arrives only once the skeleton has been seen (a fixed delay raced the consent steps
  // on a busy machine).
  let arrive: () => void = () => undefined;
  const arrived = new Promise<void>((resolve) => (arrive = resolve));
  await page.route('**/fn/shop', async (route) => {
    await arrived;
    await route.continue();
  });
  await page.goto(`${cloud.url}/#/packages/shop/product/index?id=p-tea`);
  await agree(page);
  await visible(page, '.skeleton').waitFor({ timeout: 15000 });
  expect(await page.locator('body').textContent()).not.toContain('加载中…');
  await shot(page, 'issue17-13-skeleton');
  arrive();
  await visible(page, '.action-bar__buy').waitFor({ timeout: 15000 });
  await ctx.close();
});

it('商品不存在 offers 返回首页, which leads into the shop', async () => {
  const page = await open(`${cloud.url}/#/packages/shop/product/index?id=p-nothing`);
  await agree(page);
  await visible(page, '.error-message').filter({ hasText: '商品不存在' }).waitFor({ timeout: 15000 });
  await shot(page, 'issue17-04-not-found');
  await visible(page, '.home-button').click();
  await visible(page, '.product-card').first().waitFor({ timeout: 15000 });
  await page.context().close();
});

it('a friend on an assist card: 去逛逛 and the product lead into the shop; before helping, 头像昵称 (skippable)', async () => {
  const task = await callAs<{ taskId: string }>('demo-friend-b', 'assist', 'start', { productId: 'p-tea' });
  const page = await open(`${cloud.url}/#/packages/assist/task/index?taskId=${task.taskId}`);
  await agree(page);
  await visible(page, '.assist-browse').waitFor({ timeout: 15000 });
  await visible(page, '.assist-product__go').waitFor();
  await visible(page, '.assist-help').click();
  await visible(page, '.profile-sheet').waitFor({ timeout: 15000 });
  await visible(page, '.profile-sheet__preset').nth(3).click();
  await page.locator('.profile-sheet__nickname input').fill('韩梅梅');
  await visible(page, '.profile-sheet__masked').filter({ hasText: '韩*梅' }).waitFor();
  await shot(page, 'issue17-05-profile-sheet');
  await visible(page, '.profile-sheet__save').click();
  // The toast says it on one line (Taro's h5 toast wrapped its last characters onto a line of their own).
  const toast = page.locator('.taro__toast p').filter({ hasText: '助力成功' });
  await toast.waitFor({ timeout: 15000 });
  const lineHeight = await toast.evaluate((el) => parseFloat(getComputedStyle(el).lineHeight));
  expect((await toast.boundingBox())!.height).toBeLessThan(lineHeight * 1.5);
  await visible(page, '.assist-helped').waitFor({ timeout: 15000 });
  expect(await visible(page, '.assist-slot__name').first().textContent()).toBe('韩*梅');
  await shot(page, 'issue17-06-assist-friend');
  await visible(page, '.assist-browse').click();
  await visible(page, '.product-card').first().waitFor({ timeout: 15000 });
  await page.context().close();

  // The owner sees the helper by name; nameless users get distinct generated avatars, never 微**户.
  const owner = await open(`${cloud.url}/#/packages/assist/task/index?taskId=${task.taskId}`, 'demo-friend-b');
  await visible(owner, '.assist-slot__name').filter({ hasText: '韩*梅' }).waitFor({ timeout: 15000 });
  expect(await owner.locator('body').textContent()).not.toContain('微**户');
  await owner.context().close();
});

it('after paying: 支付成功 with a short order number and next steps; the shipment on the order page', async () => {
  const page = await open(`${cloud.url}/#/packages/shop/checkout/index?items=p-towel:1`);
  await agree(page);
  await visible(page, '.address-card').click({ timeout: 15000 });
  await page.locator('.address-form__name input').fill('王五');
  await page.locator('.address-form__phone input').fill('13900139000');
  await page.locator('.address-form__detail input').fill('中山路 8 号');
  await visible(page, '.address-form__region').click();
  for (const place of ['浙江省', '杭州市', '西湖区']) await visible(page, '.region-sheet__option').filter({ hasText: place }).first().click({ timeout: 15000 });
  await visible(page, '.address-form__save').click();
  await visible(page, '.address-card__name').filter({ hasText: '王五' }).waitFor({ timeout: 15000 });
  await visible(page, '.checkout-submit').click();
  await visible(page, '.pay-sheet__confirm').click({ timeout: 15000 });
  const success = visible(page, '.pay-success');
  await success.waitFor({ timeout: 15000 });
  expect(await success.textContent()).toMatch(/支付成功.*订单编号 \d{8}-\d{6}/);
  expect(await visible(page, '.pay-success__actions').textContent()).toBe('查看订单邀请好友继续逛');
  await shot(page, 'issue17-07-paid');
  const orderNo = /\d{8}-\d{6}/.exec((await success.textContent()) ?? '')![0];

  const paid = await callAs<{ items: { id: string; orderNo: string }[] }>('demo-merchant', 'merchant', 'listOrders', { status: 'paid' });
  const mine = paid.items.find((o) => o.orderNo === orderNo)!;
  await callAs('demo-merchant', 'merchant', 'shipOrder', { orderId: mine.id, carrier: '中通快递', trackingNo: 'ZT2026120500001' });
  await visible(page, '.pay-success__order').click();
  await page.reload();
  await visible(page, '.order-shipment').waitFor({ timeout: 15000 });
  expect(await visible(page, '.order-shipment__no').textContent()).toBe('ZT2026120500001');
  expect(await visible(page, '.order-no').textContent()).toBe(`订单编号 ${orderNo}`);
  await shot(page, 'issue17-08-order-shipped');
  await page.context().close();
});

it('names and avatars: 邀请 asks for a name before sharing; the merchant’s users each have their own avatar', async () => {
  const page = await open(`${cloud.url}/#/pages/invite/index`);
  await agree(page);
  await visible(page, '.profile-nudge').waitFor({ timeout: 15000 });
  await shot(page, 'issue17-09-invite-nudge');
  await visible(page, '.profile-nudge__skip').click();
  await visible(page, '.profile-nudge').waitFor({ state: 'detached' });
  await page.context().close();

  const merchant = await open(`${cloud.url}/#/packages/merchant/users/index`, 'demo-merchant');
  await agree(merchant);
  await visible(merchant, '.user-row').first().waitFor({ timeout: 15000 });
  const colours = await merchant.locator('.user-row__avatar').evaluateAll((els) => els.map((el) => getComputedStyle(el).backgroundColor));
  expect(new Set(colours).size).toBeGreaterThan(1);
  await shot(merchant, 'issue17-10-merchant-users');
  await merchant.context().close();
});

afterAll(() => {
  expect(pageErrors).toEqual([]);
});
