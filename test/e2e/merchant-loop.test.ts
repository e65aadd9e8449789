/**
 * The merchant's loop in Chromium against the local cloud (the h5 build, issue 13), in one test:
 * 1. the merchant opens 商家 → 商品 → 新建, uploads a photo (a PNG made here, through the browser's file chooser and the
 *    local cloud's POST /storage/upload), creates a product with 颜色 红 / 蓝 at different prices and stocks, on sale;
 * 2. a shopper (a new guest in their own context) opens it, picks 蓝, buys it with a full address and pays;
 * 3. the merchant opens 订单, sees that order's full address (phone, district, street) and ships it;
 * 4. the merchant opens 报表, picks 近 30 天 and exports the CSV, whose rows the test parses.
 * The database is checked through the real SDK: the order shipped with the 蓝 SKU, 蓝's stock down by 1, 红's as set.
 * Screenshots: .artifacts/screenshots/merchant-loop-*.png. No page errors, no broken pictures.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { LocalCloud, startLocalCloud } from '../../emulator/index';
import { agreeToPrivacy, brokenPictures, launch, openAs, pictureLoaded, shot, visible } from '../support/browser';
import { sdkFor } from '../support/cloud';
import { makePng } from '../support/png';
import { IMAGE_TYPE_MESSAGE } from '../../types/imageUpload';

let cloud: LocalCloud;
let browser: Browser;
const pageErrors: string[] = [];

const TITLE = '手工青瓷茶杯';
const RED = { price: '39.90', stock: 5 };
const BLUE = { price: '45.00', stock: 3 };
const ADDRESS = { name: '李四', phone: '13912345678', region: ['浙江省', '杭州市', '西湖区'], detail: '文三路 100 号 3 幢 201 室' };

beforeAll(async () => {
  cloud = await startLocalCloud({ dataDir: null, quiet: true, timers: false, appDir: path.resolve(__dirname, '../../dist/h5') });
  browser = await launch();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await cloud?.close();
});

/** A 1×1 GIF: a picture the browser shows, in a format the shop does not take. */
const GIF = Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64');

/** A 240×240 picture of a cup: celadon on cream, so a screenshot shows it is the uploaded one. */
function cupPng(): Buffer {
  return makePng(240, 240, (x, y) => {
    const inCup = x >= 60 && x <= 170 && y >= 70 && y <= 190 && ((x - 115) / 55) ** 2 + (Math.max(0, y - 150) / 40) ** 2 <= 1;
    const inHandle = ((x - 182) / 22) ** 2 + ((y - 120) / 28) ** 2 <= 1 && ((x - 182) / 12) ** 2 + ((y - 120) / 16) ** 2 > 1;
    if (inCup || inHandle) return [120, 170, 150, 255];
    if (y > 195 && y < 205 && x > 40 && x < 190) return [180, 160, 130, 255];
    return [250, 244, 230, 255];
  });
}

async function fill(page: Page, selector: string, value: string) {
  await visible(page, `${selector} input, ${selector} textarea, input${selector}, textarea${selector}`).first().fill(value);
}

/** From the 商家 tab to one of its tools, as the merchant would. */
async function openTool(page: Page, title: string) {
  await page.goto(`${cloud.url}/#/pages/merchant/index`);
  await visible(page, '.merchant-tool__title').filter({ hasText: new RegExp(`^${title}$`) }).first().click({ timeout: 20000 });
}

/** RFC 4180 enough for the report: quoted cells with "" inside, CRLF rows. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') (cell += '"'), i++;
      else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') row.push(cell), (cell = '');
    else if (c === '\r' && text[i + 1] === '\n') row.push(cell), rows.push(row), (row = []), (cell = ''), i++;
    else cell += c;
  }
  if (cell || row.length) rows.push([...row, cell]);
  return rows;
}

it('商品 with a photo and 红/蓝 → a shopper buys 蓝 → 订单 shows the address and ships → 报表 CSV has the sale', async () => {
  const started = Date.now();
  const db = sdkFor(cloud).database();

  // 1. The merchant: 商家 → 商品 → 新建.
  const merchant = await openAs(browser, `${cloud.url}/#/pages/merchant/index`, pageErrors, 'demo-merchant');
  await agreeToPrivacy(merchant);
  await openTool(merchant, '商品');
  await visible(merchant, '.product-new').click({ timeout: 15000 });
  await visible(merchant, '.product-form__save').waitFor({ timeout: 15000 });

  // A GIF named .png passes the page's check (the browser says image/png) but not the local cloud's: its message shows,
  // nothing is stored or added.
  const [fake] = await Promise.all([merchant.waitForEvent('filechooser'), visible(merchant, '.image-manager__add').click()]);
  await fake.setFiles({ name: 'fake.png', mimeType: 'image/png', buffer: GIF });
  await merchant.getByText(IMAGE_TYPE_MESSAGE).waitFor({ timeout: 15000 });
  await merchant.getByText(IMAGE_TYPE_MESSAGE).waitFor({ state: 'hidden', timeout: 15000 });
  expect(await visible(merchant, '.image-manager__item').count()).toBe(0);
  expect(((await (await fetch(`${cloud.url}/__dev/files`)).json()) as { files: unknown[] }).files).toEqual([]);

  // The photo, through the browser's own file chooser.
  const photo = cupPng();
  const [chooser] = await Promise.all([merchant.waitForEvent('filechooser'), visible(merchant, '.image-manager__add').click()]);
  expect(chooser.isMultiple()).toBe(true);
  await chooser.setFiles({ name: 'cup.png', mimeType: 'image/png', buffer: photo });
  await visible(merchant, '.image-manager__item').first().waitFor({ timeout: 15000 });
  expect(await pictureLoaded(merchant, '.image-manager__item')).toBe(240);
  const images = (await visible(merchant, '.product-form__images textarea').inputValue()).trim();
  expect(images).toMatch(new RegExp(`^cloud://${cloud.envId}\\.[\\w-]+/products/\\d+-[0-9a-f]{12}\\.png$`));
  const stored = (await (await fetch(`${cloud.url}/__dev/files`)).json()) as { files: { path: string; size: number; contentType: string }[] };
  expect(stored.files.filter((f) => f.path.startsWith('products/'))).toEqual([expect.objectContaining({ path: images.slice(images.indexOf('products/')), size: photo.length, contentType: 'image/png' })]);

  await fill(merchant, '.product-form__title', TITLE);
  await fill(merchant, '.product-form__description', '龙泉青瓷，手工拉坯，容量 150 毫升。');
  await visible(merchant, '.sku-mode-multi').click();
  await fill(merchant, '.sku-option__name-0', '颜色');
  await fill(merchant, '.sku-option__new-0', '红，蓝');
  await visible(merchant, '.sku-option__add-0').click();
  await visible(merchant, '.sku-row-1').waitFor();
  expect(await visible(merchant, '.sku-row .sku-row__spec').allTextContents()).toEqual(['规格', '批量设置', '红', '蓝']);
  await fill(merchant, '.sku-price-0', RED.price);
  await fill(merchant, '.sku-stock-0', String(RED.stock));
  await fill(merchant, '.sku-price-1', BLUE.price);
  await fill(merchant, '.sku-stock-1', String(BLUE.stock));
  await visible(merchant, '.sku-editor__summary').filter({ hasText: `共 2 个组合，库存合计 ${RED.stock + BLUE.stock}` }).waitFor();
  await shot(merchant, 'merchant-loop-00-product-form-photo');
  await merchant.locator('.sku-editor').scrollIntoViewIfNeeded();
  await shot(merchant, 'merchant-loop-01-product-form-skus');
  await visible(merchant, '.product-form__save').click();
  const row = visible(merchant, '.product-row').filter({ hasText: TITLE });
  await row.waitFor({ timeout: 15000 });
  expect(await pictureLoaded(merchant, `.product-row:has-text("${TITLE}")`)).toBe(240);
  await shot(merchant, 'merchant-loop-02-products');

  const product = (await db.collection('products').where({ title: TITLE }).get()).data[0];
  expect(product).toMatchObject({ images: [images], onSale: true, priceFen: 3990, stock: RED.stock + BLUE.stock, options: [{ name: '颜色', values: ['红', '蓝'] }] });
  const skus = product.skus as { skuId: string; spec: Record<string, string>; priceFen: number; stockQty: number }[];
  expect(skus.map((s) => [s.spec, s.priceFen, s.stockQty])).toEqual([
    [{ 颜色: '红' }, 3990, RED.stock],
    [{ 颜色: '蓝' }, 4500, BLUE.stock],
  ]);
  const blue = skus[1];

  // 2. A shopper opens it, picks 蓝 and buys one.
  const shopper = await openAs(browser, `${cloud.url}/#/packages/shop/product/index?id=${product._id}`, pageErrors);
  await agreeToPrivacy(shopper);
  await visible(shopper, '.product-page__price').filter({ hasText: '¥39.90 起' }).waitFor({ timeout: 15000 });
  expect(await pictureLoaded(shopper, '.product-page__hero')).toBe(240);
  await shot(shopper, 'merchant-loop-03-shop-product');
  await visible(shopper, '.action-bar__buy').click();
  await visible(shopper, '.sku-chip').filter({ hasText: /^蓝$/ }).click();
  await visible(shopper, '.sku-sheet__chosen').filter({ hasText: '已选：蓝' }).waitFor();
  expect(await visible(shopper, '.sku-sheet__price').textContent()).toContain('45.00');
  await shot(shopper, 'merchant-loop-04-shop-sku-blue');
  await visible(shopper, '.sku-sheet__confirm').click();
  await visible(shopper, '.checkout-submit').waitFor({ timeout: 15000 });
  await visible(shopper, '.address-card').click();
  for (const [key, value] of Object.entries({ name: ADDRESS.name, phone: ADDRESS.phone, detail: ADDRESS.detail })) await visible(shopper, `.address-form__${key} input`).fill(value);
  await visible(shopper, '.address-form__region').click();
  for (const place of ADDRESS.region) await visible(shopper, '.region-sheet__option').filter({ hasText: place }).first().click({ timeout: 15000 });
  await visible(shopper, '.address-form__save').click();
  await visible(shopper, '.address-card__name').filter({ hasText: `${ADDRESS.name} ${ADDRESS.phone}` }).waitFor();
  await shot(shopper, 'merchant-loop-05-checkout');
  await visible(shopper, '.checkout-submit').click();
  await visible(shopper, '.pay-sheet__confirm').click({ timeout: 15000 });
  await visible(shopper, '.order-head__status').filter({ hasText: '待发货' }).waitFor({ timeout: 15000 });
  expect(await visible(shopper, '.order-payable').textContent()).toBe('¥45.00');
  await shot(shopper, 'merchant-loop-06-order-paid');
  expect(await brokenPictures(shopper)).toEqual([]);

  const order = (await db.collection('orders').where({ 'items.productId': product._id }).get()).data;
  expect(order).toHaveLength(1);
  const orderNo: string = order[0].orderNo ?? order[0]._id;

  // 3. 订单: the full address of that order, then 发货.
  await openTool(merchant, '订单');
  const card = visible(merchant, '.m-order').filter({ hasText: orderNo });
  await card.waitFor({ timeout: 15000 });
  // Which SKU to pack is on the card itself, not only in the 装箱单.
  expect(await card.locator('.m-order__items').textContent()).toBe(`${TITLE}（蓝） ×1`);
  const address = await card.locator('.m-address__text').textContent();
  expect(address).toBe(`${ADDRESS.name} ${ADDRESS.phone} ${ADDRESS.region.join(' ')} ${ADDRESS.detail}`);
  await shot(merchant, 'merchant-loop-07-orders');
  await card.locator('.m-order__ship').click();
  await card.locator('.ship-form__carrier input').fill('中通快递');
  await card.locator('.ship-form__tracking input').fill('ZT7788990011');
  await shot(merchant, 'merchant-loop-08-ship-form');
  await card.locator('.ship-form__submit').click();
  await card.waitFor({ state: 'detached', timeout: 15000 });
  await visible(merchant, '.order-filter-shipped').click();
  await visible(merchant, '.m-order').filter({ hasText: 'ZT7788990011' }).waitFor({ timeout: 15000 });
  await shot(merchant, 'merchant-loop-09-orders-shipped');

  // The database through the real SDK: shipped, with the 蓝 SKU; 蓝 one less, 红 as set.
  const shipped = (await db.collection('orders').doc(order[0]._id).get()).data[0];
  expect(shipped).toMatchObject({ status: 'shipped', payableFen: 4500, shipping: { carrier: '中通快递', trackingNo: 'ZT7788990011' } });
  expect(shipped.items).toEqual([expect.objectContaining({ productId: product._id, skuId: blue.skuId, spec: '蓝', quantity: 1, unitPriceFen: 4500 })]);
  const after = (await db.collection('products').doc(product._id).get()).data[0];
  expect(after.skus.map((s: { skuId: string; stockQty: number }) => [s.skuId, s.stockQty])).toEqual([
    [skus[0].skuId, RED.stock],
    [blue.skuId, BLUE.stock - 1],
  ]);
  expect(after.stock).toBe(RED.stock + BLUE.stock - 1);

  // 4. 报表: 近 30 天, 导出表格.
  await openTool(merchant, '报表');
  await visible(merchant, '.report-last-30').click({ timeout: 15000 });
  const reportRow = visible(merchant, '.report-product-row').filter({ hasText: TITLE });
  await reportRow.waitFor({ timeout: 15000 });
  expect(await reportRow.locator('.report-product-row__paid').textContent()).toBe('¥45.00');
  await merchant.evaluate(() => window.scrollTo(0, 0));
  await shot(merchant, 'merchant-loop-10-report');
  const [download] = await Promise.all([merchant.waitForEvent('download'), visible(merchant, '.report-export').click()]);
  expect(download.suggestedFilename()).toMatch(/^报表-\d{4}-\d\d-\d\d至\d{4}-\d\d-\d\d\.csv$/);
  const bytes = fs.readFileSync(await download.path());
  expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  const rows = parseCsv(bytes.toString('utf8').slice(1));
  expect(rows[0]).toEqual(['商品', '销量（件）', '实付金额（元）', '退款金额（元）']);
  expect(rows.filter((r) => r[0] === TITLE)).toEqual([[TITLE, '1', '45.00', '0.00']]);
  expect(rows.find((r) => r[0] === '合计')).toEqual(['合计', '1', '45.00', '0.00']);

  expect(await brokenPictures(merchant)).toEqual([]);
  expect(pageErrors).toEqual([]);
  await merchant.context().close();
  await shopper.context().close();
  console.log(`merchant loop: ${((Date.now() - started) / 1000).toFixed(1)} s`);
}, 120_000);
