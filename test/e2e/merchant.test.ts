/**
 * The merchant tab in Chromium against the local cloud: the merchant creates a product and a 推三返一 rule in the
 * merchant pages; shoppers A, B, C, D go through the loop (B, C and D open A's card, consent, buy the new product
 * through the local payment system; the merchant ships in the 订单 page; they confirm receipt; the refund window
 * passes and the settle timer fires); the 看板 shows the funnel the scenario produced; A withdraws and the merchant
 * approves in 提现审核. Shoppers act through the function gateway with their own dev sessions (the shopper's pages
 * have their own e2e test). Screenshots go to .artifacts/screenshots/merchant-*.png.
 */
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { LocalCloud, startLocalCloud } from '../../emulator/index';
import { launch, phone, shot } from '../support/browser';

let cloud: LocalCloud;
let browser: Browser;
let ctx: BrowserContext;
let page: Page;
const pageErrors: string[] = [];
const DAY = 24 * 3600_000;
const ADDRESS = { name: '张三', phone: '13800138000', province: '浙江省', city: '杭州市', district: '西湖区', detail: '文三路 100 号' };

beforeAll(async () => {
  cloud = await startLocalCloud({ dataDir: null, quiet: true, timers: true, appDir: path.resolve(__dirname, '../../dist/h5') });
  browser = await launch();
  ctx = await phone(browser);
  // This browser is the merchant's phone: the dev identity the app logs in with.
  await ctx.addInitScript(() => sessionStorage.setItem('tsfy.devOpenid', 'demo-merchant'));
  page = await ctx.newPage();
  page.on('pageerror', (e) => pageErrors.push(e.message));
});

afterAll(async () => {
  await ctx?.close().catch(() => undefined);
  await browser?.close();
  await cloud?.close();
});

const tokens = new Map<string, string>();
async function as<T = any>(openid: string, fn: string, action: string, payload: Record<string, unknown> = {}): Promise<T> {
  if (!tokens.has(openid)) {
    const res = await fetch(`${cloud.url}/__dev/login`, { method: 'POST', body: JSON.stringify({ openid }) });
    tokens.set(openid, ((await res.json()) as { token: string }).token);
  }
  const res = await fetch(`${cloud.url}/fn/${fn}`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${tokens.get(openid)}` }, body: JSON.stringify({ action, ...payload }) });
  const body = (await res.json()) as { ok: boolean; data: T; code?: string; message?: string };
  if (!body.ok) throw new Error(`${fn}.${action} as ${openid}: ${body.code} ${body.message}`);
  return body.data;
}

async function open(route: string) {
  await page.goto(`${cloud.url}/#/packages/merchant/${route}`);
}

async function fill(selector: string, value: string) {
  const input = page.locator(`${selector} input, ${selector} textarea, input${selector}, textarea${selector}`).first();
  await input.fill(value);
}

let productId = '';

it('the 商家 tab links to every merchant page', async () => {
  await page.goto(`${cloud.url}/#/pages/merchant/index`);
  // The demo merchant has not agreed to the privacy notice yet: the app asks first, on any page.
  await page.locator('.consent-sheet__agree').click({ timeout: 20000 });
  await page.locator('.consent-sheet').waitFor({ state: 'detached' });
  await page.getByText('商家工具').waitFor({ timeout: 20000 });
  for (const title of ['看板', '商品', '返利规则', '助力活动', '订单', '退款审核', '提现审核', '用户']) await page.locator('.merchant-tool__title', { hasText: title }).first().waitFor();
  await shot(page, 'merchant-00-tab');
});

it('the merchant creates a product', async () => {
  // As a merchant does: 商品 → + 新建商品, so the editor's navigateBack after saving returns to the list.
  await open('products/index');
  await page.locator('.product-new').click({ timeout: 20000 });
  await page.locator('.product-form__save').waitFor({ timeout: 20000 });
  await fill('.product-form__title', '高山云雾茶 100g');
  await fill('.product-form__price', '88');
  await fill('.product-form__stock', '30');
  await fill('.product-form__description', '海拔 1200 米茶园，春茶头采。');
  await fill('.product-form__images', '/assets/demo/p-tea.svg');
  await shot(page, 'merchant-01-product-form');
  await page.locator('.product-form__save').click();
  await page.waitForURL((url) => url.hash.includes('/products/index'), { timeout: 15000 });
  await page.locator('.product-row__title', { hasText: '高山云雾茶 100g' }).waitFor({ timeout: 15000 });
  await shot(page, 'merchant-02-products');
  const list = await as<{ items: { id: string; title: string; stock: number; priceFen: number }[] }>('demo-merchant', 'merchant', 'listProducts', {});
  const p = list.items.find((x) => x.title === '高山云雾茶 100g')!;
  expect(p).toMatchObject({ priceFen: 8800, stock: 30 });
  productId = p.id;
});

it('下架 on a list loaded before another device edited the product switches it off and keeps that edit', async () => {
  // The list shows ¥88.00; meanwhile the product is marked down to ¥78.00 elsewhere (the list does not know).
  const row = page.locator('.product-row', { hasText: '高山云雾茶 100g' });
  await row.getByText('¥88.00').waitFor();
  await as('demo-merchant', 'merchant', 'saveProduct', { id: productId, title: '高山云雾茶 100g', description: '海拔 1200 米茶园，春茶头采。', images: ['/assets/demo/p-tea.svg'], priceFen: 7800, onSale: true });
  await row.locator('.product-row__toggle').click();
  await row.locator('.product-row__toggle', { hasText: '上架' }).waitFor({ timeout: 15000 });
  await row.getByText('¥78.00').waitFor();
  await shot(page, 'merchant-02b-products-off-sale');
  const stored = await as<{ onSale: boolean; priceFen: number }>('demo-merchant', 'merchant', 'getProduct', { id: productId });
  expect(stored).toMatchObject({ onSale: false, priceFen: 7800 });
  // Back on sale for the pages below.
  await row.locator('.product-row__toggle').click();
  await row.locator('.product-row__toggle', { hasText: '下架' }).waitFor({ timeout: 15000 });
  expect(await as<{ onSale: boolean }>('demo-merchant', 'merchant', 'getProduct', { id: productId })).toMatchObject({ onSale: true, priceFen: 7800 });
  // And back at ¥88.00, the price the shoppers below buy at (the 看板 figures count it).
  await as('demo-merchant', 'merchant', 'saveProduct', { id: productId, title: '高山云雾茶 100g', description: '海拔 1200 米茶园，春茶头采。', images: ['/assets/demo/p-tea.svg'], priceFen: 8800, onSale: true });
});

it('the merchant creates a 推三返一 rule, seeing it in plain words first', async () => {
  await open('rules/index');
  await page.locator('.rule-new').click({ timeout: 20000 });
  await fill('.rule-form__name', '推三返一 · 春茶');
  await fill('.rule-form__amount', '30');
  await fill('.rule-form__priority', '50');
  await page.locator('.rule-preview').getByText('每邀请 3 位好友首次下单，奖励 ¥30 现金，确认收货 7 天后可提现').waitFor();
  await shot(page, 'merchant-03-rule-editor');
  // a reward above what three orders earn is flagged before saving
  await fill('.rule-form__amount', '500');
  await page.locator('.rule-warning').first().waitFor();
  await shot(page, 'merchant-04-rule-warning');
  await fill('.rule-form__amount', '30');
  await page.locator('.rule-save').click();
  await page.locator('.rule-row', { hasText: '推三返一 · 春茶' }).waitFor({ timeout: 15000 });
  await shot(page, 'merchant-05-rules');
});

const A = 'e2e-shopper-a';
const friends = ['e2e-friend-b', 'e2e-friend-c', 'e2e-friend-d'];
const orders: Record<string, string> = {};
const numbers: Record<string, string> = {};

it('shoppers go through the loop: B, C, D open A’s card, consent and buy the new product; the merchant ships in 订单', async () => {
  const a = await as(A, 'user', 'login', {});
  await as(A, 'user', 'consent', { version: '2026-01' });
  for (const f of friends) {
    await as(f, 'user', 'login', { inviteCode: a.inviteCode, source: 'card' });
    const consented = await as(f, 'user', 'consent', { version: '2026-01' });
    expect(consented.hasInviter).toBe(true);
    const { order } = await as(f, 'shop', 'createOrder', { requestId: `e2e-${f}-1`, items: [{ productId, quantity: 1 }], address: ADDRESS });
    const pay = await as(f, 'shop', 'pay', { orderId: order.id });
    const confirmed = await fetch(`${cloud.url}${pay.local.confirmPath}`, { method: 'POST', body: JSON.stringify({ outTradeNo: pay.outTradeNo }) });
    expect(confirmed.status).toBe(200);
    orders[f] = order.id;
    numbers[f] = order.orderNo ?? order.id;
  }
  // The merchant ships B's order in the page, the others through the same action.
  await open('orders/index');
  await page.locator('.m-order').first().waitFor({ timeout: 20000 });
  expect(await page.locator('.m-order').count()).toBe(3);
  await shot(page, 'merchant-06-orders');
  // The merchant's list names orders by their short human number.
  const card = page.locator('.m-order', { hasText: numbers[friends[0]] });
  await card.locator('.m-order__ship').click();
  await fill('.ship-form__tracking', 'SF1234567890');
  await shot(page, 'merchant-07-ship-form');
  await card.locator('.ship-form__submit').click();
  await page.locator('.m-order', { hasText: numbers[friends[0]] }).waitFor({ state: 'detached', timeout: 15000 });
  for (const f of friends.slice(1)) await as('demo-merchant', 'merchant', 'shipOrder', { orderId: orders[f], carrier: '顺丰速运', trackingNo: `SF00${f.length}${friends.indexOf(f)}9999` });
  for (const f of friends) await as(f, 'shop', 'confirmReceipt', { orderId: orders[f] });
});

it('after the refund window the 看板 shows the funnel the scenario produced', async () => {
  const res = await fetch(`${cloud.url}/__dev/clock`, { method: 'POST', body: JSON.stringify({ advanceMs: 8 * DAY }) });
  expect(res.status).toBe(200);
  // The settle timer posts A's reward and counts the confirmations.
  for (let i = 0; i < 100 && (await as(A, 'wallet', 'summary')).cash.availableFen !== 3000; i++) await new Promise((r) => setTimeout(r, 200));
  expect((await as(A, 'wallet', 'summary')).cash.availableFen).toBe(3000);
  await as(A, 'user', 'login', {});
  await open('dashboard/index');
  await page.locator('.range-30d').click({ timeout: 20000 });
  const funnel = page.locator('.chart--funnel .chart__summary');
  await funnel.getByText('打开分享卡片 3 → 从卡片登录 3（100%） → 绑定邀请关系 3（100%） → 首次下单 3（100%） → 过退款期确认 3（100%）').waitFor({ timeout: 20000 });
  await page.locator('.chart--funnel .chart__image').waitFor();
  expect(await page.locator('.chart__image').count()).toBe(6);
  expect(await page.locator('.kpi--orders .kpi__value').textContent()).toBe('3');
  expect(await page.locator('.kpi--gmv .kpi__value').textContent()).toBe('¥264');
  expect(await page.locator('.kpi--invited-users .kpi__value').textContent()).toBe('3');
  await page.locator('.rebate-card').getByText('现金 ¥30.00（1 笔）').waitFor();
  await shot(page, 'merchant-08-dashboard');
  await page.locator('.chart--users').scrollIntoViewIfNeeded();
  await shot(page, 'merchant-09-dashboard-charts');
  await page.locator('.assist-card').scrollIntoViewIfNeeded();
  await shot(page, 'merchant-10-dashboard-rebates');
});

it('A withdraws and the merchant approves in 提现审核, once', async () => {
  const w = await as(A, 'wallet', 'withdraw', { amountFen: 3000, requestId: 'e2e-withdraw-1' });
  expect(w.status).toBe('pending');
  await open('withdrawals/index');
  await page.locator('.withdrawal-row').first().waitFor({ timeout: 20000 });
  await shot(page, 'merchant-11-withdrawals');
  await page.locator('.withdrawal-approve').click();
  // The confirmation names the user and the amount before any money moves.
  await page.getByText('确认转账', { exact: true }).first().waitFor();
  await page.getByText(/转账 ¥30\.00 到微信零钱/).waitFor();
  await shot(page, 'merchant-11b-withdrawal-confirm');
  await page.getByText('确认转账', { exact: true }).last().click();
  await page.getByText('没有这类提现').waitFor({ timeout: 15000 });
  const after = await as<{ items: { id: string; status: string }[] }>('demo-merchant', 'merchant', 'listWithdrawals', {});
  expect(after.items.find((x) => x.id === w.id)?.status).toBe('transferring');
  await page.locator('.withdrawal-filter-transferring').click();
  await page.locator('.withdrawal-row').first().waitFor();
  await shot(page, 'merchant-12-withdrawal-approved');
});

it('用户: the merchant finds A, sees the invitees and the ledger', async () => {
  await open('users/index');
  await fill('.users-search__input', A);
  await page.locator('.users-search__go').click();
  await page.locator('.user-row').first().click({ timeout: 20000 });
  await page.locator('.invitee-row').first().waitFor({ timeout: 20000 });
  expect(await page.locator('.invitee-status--confirmed').count()).toBe(3);
  await page.locator('.ledger-row').first().waitFor();
  await shot(page, 'merchant-13-user');
  expect(pageErrors).toEqual([]);
});
