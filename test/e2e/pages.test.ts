/**
 * The pages the loop does not pass through, in Chromium against the local cloud: 首页 with the tab bar, cart,
 * posters (a QR of the browser link), 我的, the profile form, the merchant's 商家 tab, an error state.
 */
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { LocalCloud, startLocalCloud } from '../../emulator/index';
import jsQR from 'jsqr';
import { PNG } from 'pngjs';
import { agreeToPrivacy, launch, openAs, shot, visible } from '../support/browser';
import { sdkFor } from '../support/cloud';

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

it('首页 after consent: banner, products with badges, and the tab bar without 商家 for a shopper', async () => {
  const page = await open(cloud.url);
  await agree(page);
  await visible(page, '.product-card').first().waitFor();
  expect(await visible(page, '.tab-bar__text').allTextContents()).toEqual(['首页', '邀请', '我的']);
  await shot(page, 'issue6-20-home');

  // 加入购物车 twice from the product page, then the cart.
  await visible(page, '.product-card').first().click();
  await visible(page, '.action-bar__add').click({ timeout: 15000 });
  await page.getByText('已加入购物车').waitFor();
  await visible(page, '.action-bar__cart').click();
  await visible(page, '.cart-line').first().waitFor({ timeout: 15000 });
  await visible(page, '.stepper__plus').click();
  await visible(page, '.stepper__value', ).filter({ hasText: '2' }).waitFor();
  expect(await visible(page, '.cart-total').textContent()).toBe('¥336.00');
  await shot(page, 'issue6-21-cart');
  await page.context().close();
});

it('posters: a product poster and the invite poster carry a QR of the browser link', async () => {
  const page = await open(`${cloud.url}/#/packages/profile/poster/index?productId=p-honey`);
  await agree(page);
  await visible(page, '.poster-page__image').waitFor({ timeout: 15000 });
  const src = await visible(page, '.poster-page__image img').getAttribute('src');
  expect(src).toMatch(/^data:image\/png;base64,/);
  await shot(page, 'issue6-22-poster-product');
  await page.goto(`${cloud.url}/#/packages/profile/poster/index`);
  await visible(page, '.poster-page__image').waitFor({ timeout: 15000 });
  await shot(page, 'issue6-23-poster-invite');
  await page.context().close();
});

it("the invite poster's 小程序码 (locally a QR of the browser link) opens the app as a poster invite", async () => {
  // A's code, as the poster page gets it; decoded as a phone camera would.
  const token = ((await (await fetch(`${cloud.url}/__dev/login`, { method: 'POST', body: JSON.stringify({ openid: 'demo-shopper-a' }) })).json()) as { token: string }).token;
  const call = (action: string) => fetch(`${cloud.url}/fn/referral`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: JSON.stringify({ action }) }).then((r) => r.json());
  const code = (await call('posterCode')).data;
  const png = PNG.sync.read(Buffer.from(await (await fetch(code.imageUrl)).arrayBuffer()));
  const link = jsQR(new Uint8ClampedArray(png.data.buffer, png.data.byteOffset, png.data.byteLength), png.width, png.height)?.data ?? '';
  expect(link).toBe(`${cloud.url}/#/pages/index/index?scene=${encodeURIComponent(code.scene)}`);

  // A new user opens it and agrees: bound to A, from a poster.
  const page = await open(link);
  await agree(page);
  await visible(page, '.product-card').first().waitFor({ timeout: 15000 });
  const guest = await page.evaluate(() => sessionStorage.getItem('tsfy.devOpenid'));
  const db = sdkFor(cloud).database();
  let referral: { inviterId?: string; source?: string } | undefined;
  for (let i = 0; i < 50 && !referral; i++) {
    referral = (await db.collection('referrals').doc(String(guest)).get()).data[0];
    if (!referral) await new Promise((r) => setTimeout(r, 200));
  }
  expect(referral).toMatchObject({ inviterId: 'demo-shopper-a', source: 'poster' });
  await page.context().close();
});

it('我的 and the profile form: a nickname and a preset avatar, shown masked to others', async () => {
  const page = await open(`${cloud.url}/#/pages/mine/index`);
  await agree(page);
  await visible(page, '.wallet-available').waitFor({ timeout: 15000 });
  await shot(page, 'issue6-24-mine');
  await visible(page, '.menu__profile').click();
  await visible(page, '.nickname-input input').fill('王小明');
  await visible(page, '.avatar-preset').nth(2).click();
  await visible(page, '.profile-form__masked').filter({ hasText: '王*明' }).waitFor();
  await shot(page, 'issue6-25-profile');
  await visible(page, '.profile-save').click();
  await page.getByText('已保存').waitFor({ timeout: 15000 });
  await page.goBack();
  await visible(page, '.profile__nickname').filter({ hasText: '王小明' }).waitFor({ timeout: 15000 });
  await page.context().close();
});

it('the merchant sees 商家 in the tab bar and their tab', async () => {
  const page = await open(cloud.url, 'demo-merchant');
  await agree(page);
  await visible(page, '.tab-bar__item--merchant').click({ timeout: 15000 });
  await visible(page, '.merchant-head__name').filter({ hasText: '店长' }).waitFor({ timeout: 15000 });
  expect(await visible(page, '.tab-bar__text').allTextContents()).toEqual(['首页', '邀请', '我的', '商家']);
  await shot(page, 'issue6-26-merchant-tab');
  await page.context().close();
});

it('a product that does not exist shows the catalogue message and 重试', async () => {
  const page = await open(`${cloud.url}/#/packages/shop/product/index?id=p-nothing`);
  await agree(page);
  await visible(page, '.error-message').filter({ hasText: '商品不存在' }).waitFor({ timeout: 15000 });
  await visible(page, '.retry-button').waitFor();
  await shot(page, 'issue6-27-error-state');
  await page.context().close();
  expect(pageErrors).toEqual([]);
});
