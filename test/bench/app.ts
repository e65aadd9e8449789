/**
 * The shopper's app: weapp package sizes after `npm run build:weapp` (main package target ≤ 400 KB, the platform
 * limit is 2 MB) and the first-screen time of 首页 in Chromium on the local build — from navigation to the first
 * product card laid out, a first visit each time (new browser context: cold cache, new user), median of 5.
 * Builds weapp and h5 first; BENCH_APP_NO_BUILD=1 measures the dist/ already there.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { startLocalCloud } from '../../emulator/index';
import { launch } from '../support/browser';
import { BenchRow, row } from './report';
import { MAIN_PACKAGE_MAX_BYTES, weappSizes } from '../support/packageSize';

const ROOT = path.resolve(__dirname, '../..');
const WEAPP = path.join(ROOT, 'dist', 'weapp');
const H5 = path.join(ROOT, 'dist', 'h5');
const AREA = 'app';
const KB = 1024;

function build(type: 'weapp' | 'h5') {
  execFileSync(process.execPath, [path.join(ROOT, 'node_modules', '@tarojs', 'cli', 'bin', 'taro'), 'build', '--type', type], { cwd: ROOT, stdio: 'ignore' });
}

function packageSizes(): BenchRow[] {
  const { main, total, largestSubFiles: largestSub } = weappSizes(WEAPP);
  return [
    row(AREA, 'weapp main package (du -b, without subpackage dirs; directories add 4 KB each)', main.du / KB, 'KB'),
    row(AREA, 'weapp main package (file bytes, as WeChat counts; platform limit 2 MB, our target 400 KB)', main.files / KB, 'KB', { max: MAIN_PACKAGE_MAX_BYTES / KB }),
    row(AREA, 'weapp total, all packages (du -b)', total.du / KB, 'KB'),
    row(AREA, 'weapp largest subpackage (file bytes)', largestSub / KB, 'KB', { max: 2048 }),
  ];
}

/** Records, relative to navigation start, the first frame in which a product card is laid out on screen. */
const FIRST_CARD_PROBE = `(() => {
  const check = () => {
    const card = document.querySelector('.product-card');
    const box = card && card.getBoundingClientRect();
    if (box && box.height > 0 && box.top < window.innerHeight) window.__firstCard = performance.now();
    else requestAnimationFrame(check);
  };
  requestAnimationFrame(check);
})();`;

async function firstScreen(runs = 5): Promise<BenchRow[]> {
  const cloud = await startLocalCloud({ dataDir: null, quiet: true, timers: false, appDir: H5 });
  const browser = await launch();
  const times: number[] = [];
  try {
    for (let i = 0; i < runs; i += 1) {
      const ctx = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'zh-CN' });
      // A string, not a function: tsx would otherwise inject its helpers into code that runs in the page.
      await ctx.addInitScript(FIRST_CARD_PROBE);
      const page = await ctx.newPage();
      await page.goto(cloud.url);
      const handle = await page.waitForFunction('window.__firstCard', undefined, { timeout: 30000 });
      times.push(Number(await handle.jsonValue()));
      await ctx.close();
    }
  } finally {
    await browser.close();
    await cloud.close();
  }
  const sorted = [...times].sort((a, b) => a - b);
  return [
    row(AREA, `首页 first screen in Chromium, first visit (median of ${runs})`, sorted[Math.floor(runs / 2)], 'ms', { max: 1000 }),
    row(AREA, `首页 first screen, slowest of ${runs}`, sorted[runs - 1], 'ms'),
  ];
}

export async function benchApp(): Promise<BenchRow[]> {
  if (process.env.BENCH_APP_NO_BUILD !== '1') {
    build('weapp');
    build('h5');
  }
  return [...packageSizes(), ...(await firstScreen())];
}

if (process.argv[1] && path.resolve(process.argv[1]) === __filename) {
  benchApp().then(
    (rows) => console.table(rows),
    (e) => {
      console.error(e);
      process.exit(1);
    },
  );
}
