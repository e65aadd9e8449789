/**
 * The weapp main package stays within our 400 KB target (file bytes, as WeChat counts them) on the build the ui
 * tests run against: a size check, not a timed one. Every main-package page is there; the merchant tools are not.
 */
import fs from 'node:fs';
import path from 'node:path';
import { MAIN_PACKAGE_MAX_BYTES, subpackageRoots, WEAPP_DIR, weappSizes } from '../support/packageSize';

describe('weapp main package', () => {
  test(`is at most ${MAIN_PACKAGE_MAX_BYTES / 1024} KB of files, with the merchant pages in a subpackage`, () => {
    const { main } = weappSizes();
    expect(main.files).toBeGreaterThan(50 * 1024); // a real build is measured, not an empty folder
    expect(main.files).toBeLessThanOrEqual(MAIN_PACKAGE_MAX_BYTES);
    const roots = subpackageRoots().map((r) => path.relative(WEAPP_DIR, r));
    expect(roots).toContain('packages/merchant');
    expect(fs.existsSync(path.join(WEAPP_DIR, 'pages/index/index.js'))).toBe(true);
  });
});
