/**
 * A functions directory for a local cloud under test: copies of built bundles (dist/cloudfunctions/<name>) next to
 * fixture functions (test/fixtures/functions/<name>/index.ts) bundled as CloudBase would run them. Remove it after.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { build } from 'esbuild';

const ROOT = path.resolve(__dirname, '../..');

export async function functionsDirWith(opts: { built?: string[]; fixtures: string[] }): Promise<string> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fns-'));
  for (const name of opts.built ?? []) {
    fs.cpSync(path.join(ROOT, 'dist/cloudfunctions', name), path.join(dir, name), { recursive: true });
  }
  for (const name of opts.fixtures) {
    await build({
      entryPoints: [path.join(ROOT, 'test/fixtures/functions', name, 'index.ts')],
      outfile: path.join(dir, name, 'index.js'),
      bundle: true,
      platform: 'node',
      target: 'node18',
      format: 'cjs',
      logLevel: 'error',
    });
  }
  return dir;
}
