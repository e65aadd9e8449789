/** Debian's chromium driven by playwright-core (no browser downloads), one isolated context per simulated user. */
import fs from 'node:fs';
import path from 'node:path';
import { Browser, BrowserContext, chromium, Page } from 'playwright-core';

export const SCREENSHOT_DIR = path.resolve(__dirname, '../../.artifacts/screenshots');

export function chromiumPath(): string {
  const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter(Boolean) as string[];
  const found = candidates.find((p) => fs.existsSync(p));
  if (!found) throw new Error("Debian's chromium is not installed (apt-get install -y chromium); .ci/run installs it");
  return found;
}

export async function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath(),
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** A phone-sized context: one WeChat user. */
export async function phone(browser: Browser): Promise<BrowserContext> {
  return browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'zh-CN' });
}

export async function shot(page: Page, name: string) {
  fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
  // Let page transitions (h5 slides pages in) and fades finish, so the picture shows the page at rest.
  await page
    .waitForFunction(() => document.getAnimations().every((a) => a.playState !== 'running'), undefined, { timeout: 2000 })
    .catch(() => undefined);
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}.png`) });
}

/** Visible matches only (h5 keeps earlier pages of the stack in the DOM, hidden). */
export const visible = (page: Page, selector: string) => page.locator(`${selector} >> visible=true`);

/**
 * A tab of its own, at `url`: one WeChat user; `openid` picks a demo identity (as the dev bar does), else a new guest.
 * Page errors are pushed to `errors`.
 */
export async function openAs(browser: Browser, url: string, errors: string[], openid?: string): Promise<Page> {
  const ctx = await phone(browser);
  if (openid) await ctx.addInitScript(`sessionStorage.setItem('tsfy.devOpenid', ${JSON.stringify(openid)})`);
  const page = await ctx.newPage();
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(url);
  return page;
}

/** 同意并继续 on the first-open privacy sheet, and wait for it to go. */
export async function agreeToPrivacy(page: Page) {
  await visible(page, '.consent-sheet__agree').click({ timeout: 15000 });
  await page.locator('.consent-sheet').waitFor({ state: 'detached' });
}

/**
 * Waits until the picture inside `selector` (a ProductImage: Taro's h5 <Image> wraps an <img>) has loaded and decoded,
 * and answers its natural width; a placeholder or a broken picture times out.
 */
export async function pictureLoaded(page: Page, selector: string, timeout = 15000): Promise<number> {
  const img = visible(page, `${selector} img`).first();
  await img.waitFor({ timeout });
  const handle = await page.waitForFunction((el) => (el as HTMLImageElement).complete && (el as HTMLImageElement).naturalWidth > 0 && (el as HTMLImageElement).naturalWidth, await img.elementHandle(), { timeout });
  return (await handle.jsonValue()) as number;
}

/** Every <img> on the page that finished loading but has no picture (a broken link), as its src. */
export async function brokenPictures(page: Page): Promise<string[]> {
  return page.evaluate(() => Array.from(document.querySelectorAll('img')).filter((i) => i.complete && i.src && i.naturalWidth === 0 && i.offsetParent !== null).map((i) => i.src));
}
