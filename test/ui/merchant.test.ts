/** 商家 tab for a merchant: their name and the merchant tools, each a page that exists in the merchant subpackage. */
import fs from 'node:fs';
import path from 'node:path';
import { cloudRoutes, DIST, ok, renderPage, wxCallsTo } from './harness';
import { me } from './fixtures';
import { MERCHANT_TOOLS } from '../../src/services/merchantTools';

test('shows the merchant’s name and links only to tool pages the build has', async () => {
  const page = await renderPage('pages/merchant/index', {
    cloud: cloudRoutes({ 'user.login': () => ok(me({ nickname: '店长', roles: ['shopper', 'merchant'] })) }),
  });
  await page.waitForClass('merchant-head__name');
  expect(page.one('merchant-head__name')?.textContent).toBe('店长');
  expect(page.all('merchant-tool__title').map((e) => e.textContent)).toEqual(MERCHANT_TOOLS.map((t) => t.title));

  const app = JSON.parse(fs.readFileSync(path.join(DIST, 'app.json'), 'utf8')) as { subPackages?: { root: string; pages: string[] }[] };
  const built = new Set((app.subPackages ?? []).flatMap((s) => s.pages.map((p) => `/${s.root.replace(/\/$/, '')}/${p}`)));
  for (const tool of MERCHANT_TOOLS) {
    expect(built.has(tool.path)).toBe(true);
    expect(fs.existsSync(path.join(DIST, `${tool.path}.js`))).toBe(true);
  }

  if (MERCHANT_TOOLS.length > 0) {
    await page.tap('merchant-tool');
    expect(wxCallsTo('navigateTo').map((o) => o.url)).toEqual([MERCHANT_TOOLS[0].path]);
  }
});
