/**
 * 报表 in Chromium against the local cloud (the h5 build): a shopper's paid order shows in today's report, and
 * 导出表格 downloads the CSV through a Blob and <a download> — the bytes start with the UTF-8 BOM and the Chinese header.
 * Screenshot: .artifacts/screenshots/merchant-reports.png.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { LocalCloud, startLocalCloud } from '../../emulator/index';
import { lastDays } from '../../types/reportRange';
import { agreeToPrivacy, launch, openAs, shot, visible } from '../support/browser';

let cloud: LocalCloud;
let browser: Browser;
const pageErrors: string[] = [];
const ADDRESS = { name: '张三', phone: '13800138000', province: '浙江省', city: '杭州市', district: '西湖区', detail: '文三路 100 号' };

beforeAll(async () => {
  cloud = await startLocalCloud({ dataDir: null, quiet: true, timers: false, appDir: path.resolve(__dirname, '../../dist/h5') });
  browser = await launch();
});

afterAll(async () => {
  await browser?.close();
  await cloud?.close();
});

async function as<T = any>(openid: string, fn: string, action: string, payload: Record<string, unknown> = {}): Promise<T> {
  const login = await fetch(`${cloud.url}/__dev/login`, { method: 'POST', body: JSON.stringify({ openid }) });
  const { token } = (await login.json()) as { token: string };
  const res = await fetch(`${cloud.url}/fn/${fn}`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ action, ...payload }) });
  const body = (await res.json()) as { ok: boolean; data: T; code?: string; message?: string };
  if (!body.ok) throw new Error(`${fn}.${action} as ${openid}: ${body.code} ${body.message}`);
  return body.data;
}

it('today\'s order in the report, and 导出表格 downloads a CSV Excel reads', async () => {
  const buyer = 'e2e-report-buyer';
  await as(buyer, 'user', 'login');
  await as(buyer, 'user', 'consent', { version: '2026-01' });
  const { order } = await as<{ order: { id: string; payableFen: number } }>(buyer, 'shop', 'createOrder', { requestId: 'e2e-report-1', items: [{ productId: 'p-honey', quantity: 2 }], address: ADDRESS });
  const prepared = await as<{ outTradeNo: string }>(buyer, 'shop', 'pay', { orderId: order.id });
  expect((await fetch(`${cloud.url}/__pay/confirm`, { method: 'POST', body: JSON.stringify({ outTradeNo: prepared.outTradeNo }) })).status).toBe(200);

  const page = await openAs(browser, `${cloud.url}/#/packages/merchant/reports/index`, pageErrors, 'demo-merchant');
  await agreeToPrivacy(page);
  const row = visible(page, '.report-product-row').first();
  await row.waitFor({ timeout: 15000 });
  expect(await row.textContent()).toContain('销量 2 件');
  const range = lastDays(new Date());
  expect(await visible(page, '.report-start__text').textContent()).toBe(range.startDay);
  await shot(page, 'merchant-reports');

  const [download] = await Promise.all([page.waitForEvent('download'), visible(page, '.report-export').click()]);
  expect(download.suggestedFilename()).toBe(`报表-${range.startDay}至${range.endDay}.csv`);
  const file = await download.path();
  const bytes = fs.readFileSync(file);
  expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  const text = bytes.toString('utf8').slice(1);
  expect(text.split('\r\n')[0]).toBe('商品,销量（件）,实付金额（元）,退款金额（元）');
  expect(text).toMatch(/\r\n合计,2,\d+\.\d\d,0\.00\r\n/);
  expect(pageErrors).toEqual([]);
  await page.context().close();
});
