/**
 * Bundle each function in cloudfunctions/functions/<name>/index.ts into dist/cloudfunctions/<name>/index.js
 * (CommonJS, entry `main(event, context)`, @cloudbase/node-sdk inside) plus its package.json: the same bundle
 * deploys to CloudBase (cloudbaserc.json) and runs on the local cloud. The SDK's features no function uses are
 * stubbed out, and axios is loaded on first use (config/bundle-stubs): that halves each bundle's cold load.
 */
import fs from 'node:fs';
import path from 'node:path';
import { build, type BuildOptions } from 'esbuild';
import { assertAllApplied, bundleStubs } from './bundle-stubs';

const root = path.resolve(__dirname, '..');
const srcDir = path.join(root, 'cloudfunctions', 'functions');
const outDir = path.join(root, 'dist', 'cloudfunctions');

/** How every function is bundled (also used by test/unit/bundle-stubs.test.ts); add the bundleStubs() plugin. */
export function functionBuildOptions(): BuildOptions {
  return {
    bundle: true,
    platform: 'node',
    target: 'node18',
    format: 'cjs',
    minify: true,
    sourcemap: false,
    legalComments: 'none',
    logLevel: 'error',
  };
}

export async function buildFunctions(names?: string[]): Promise<{ name: string; bytes: number; ms: number }[]> {
  const all = fs.readdirSync(srcDir).filter((n) => fs.existsSync(path.join(srcDir, n, 'index.ts')));
  const chosen = names?.length ? all.filter((n) => names.includes(n)) : all;
  return Promise.all(
    chosen.map(async (name) => {
      const started = Date.now();
      const dir = path.join(outDir, name);
      fs.mkdirSync(dir, { recursive: true });
      const stubs = bundleStubs(name);
      await build({
        ...functionBuildOptions(),
        entryPoints: [path.join(srcDir, name, 'index.ts')],
        outfile: path.join(dir, 'index.js'),
        plugins: [stubs.plugin],
      });
      assertAllApplied(stubs, `function ${name}`);
      fs.writeFileSync(
        path.join(dir, 'package.json'),
        `${JSON.stringify({ name, version: '1.0.0', private: true, main: 'index.js', description: `推三返一 cloud function ${name} (bundled, no dependencies to install)` }, null, 2)}\n`,
      );
      return { name, bytes: fs.statSync(path.join(dir, 'index.js')).size, ms: Date.now() - started };
    }),
  );
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(__filename)) {
  buildFunctions(process.argv.slice(2))
    .then((rows) => {
      for (const r of rows) console.log(`built ${r.name.padEnd(10)} ${(r.bytes / 1024).toFixed(0).padStart(5)} KB  ${r.ms} ms`);
    })
    .catch((e) => {
      console.error(e);
      process.exit(1);
    });
}
