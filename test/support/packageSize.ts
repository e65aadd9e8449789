/**
 * Sizes of the compiled weapp (dist/weapp after `npm run build:weapp`): the main package is everything outside the
 * subpackage roots listed in app.json. WeChat counts file bytes; `du -b` also counts directories (4 KB each).
 */
import fs from 'node:fs';
import path from 'node:path';

export const WEAPP_DIR = path.resolve(__dirname, '../../dist/weapp');
/** Our own target for the main package (the platform's limit is 2 MB): the first screen loads before any subpackage. */
export const MAIN_PACKAGE_MAX_BYTES = 400 * 1024;

export interface Size {
  du: number;
  files: number;
}

/** Sizes under `dir` the way `du -b` counts them (files and directories, apparent size), and file bytes alone. */
export function sizeOf(dir: string, skip: Set<string> = new Set()): Size {
  let du = fs.lstatSync(dir).size;
  let files = 0;
  for (const name of fs.readdirSync(dir)) {
    const p = path.join(dir, name);
    if (skip.has(p)) continue;
    const st = fs.lstatSync(p);
    if (st.isDirectory()) {
      const inner = sizeOf(p, skip);
      du += inner.du;
      files += inner.files;
    } else {
      du += st.size;
      files += st.size;
    }
  }
  return { du, files };
}

export function subpackageRoots(weapp = WEAPP_DIR): string[] {
  const appJson = JSON.parse(fs.readFileSync(path.join(weapp, 'app.json'), 'utf8')) as { subPackages?: { root: string }[]; subpackages?: { root: string }[] };
  return (appJson.subPackages ?? appJson.subpackages ?? []).map((s) => path.join(weapp, s.root.replace(/\/+$/, '')));
}

export function weappSizes(weapp = WEAPP_DIR): { main: Size; total: Size; largestSubFiles: number } {
  const roots = subpackageRoots(weapp);
  return {
    main: sizeOf(weapp, new Set(roots)),
    total: sizeOf(weapp),
    largestSubFiles: Math.max(0, ...roots.map((r) => sizeOf(r).files)),
  };
}
