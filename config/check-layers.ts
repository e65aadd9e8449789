/**
 * `npm run check:layers`: check every import against the layers declared in config/layers.ts, with
 * dependency-cruiser. Prints each import that crosses a boundary it may not and exits 1; exits 0 when all hold.
 *   --base <dir>   check another tree laid out the same way (the unit test's fixture); default the repository
 */
import fs from 'node:fs';
import path from 'node:path';
import { layerRoots, layerRules, LAYERS } from './layers';

const root = path.resolve(__dirname, '..');

export async function checkLayers(baseDir = root): Promise<{ exitCode: number; output: string }> {
  // dependency-cruiser is ESM only: imported when run (this file is also loaded as CommonJS by tsx).
  const { cruise } = await import('dependency-cruiser');
  const { default: extractTSConfig } = await import('dependency-cruiser/config-utl/extract-ts-config');
  const roots = layerRoots().filter((p) => fs.existsSync(path.join(baseDir, p)));
  const result = await cruise(
    roots,
    {
      baseDir,
      ruleSet: { forbidden: layerRules(LAYERS) },
      validate: true,
      tsPreCompilationDeps: true, // type-only imports count: a layer's types are part of what it depends on
      doNotFollow: { path: '(^|/)node_modules/' },
      exclude: { path: '^dist/' }, // packages stay in the graph (unfollowed) for the packagesNot rules
      // Resolve packages as the bundler and tsc ("moduleResolution": "bundler") do, ESM-only exports included.
      enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default', 'types'] },
      outputType: 'err-long',
    },
    {},
    { tsConfig: extractTSConfig(path.join(root, 'tsconfig.json')) },
  );
  return { exitCode: result.exitCode, output: typeof result.output === 'string' ? result.output : JSON.stringify(result.output) };
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(__filename)) {
  const i = process.argv.indexOf('--base');
  const base = i >= 0 ? path.resolve(process.argv[i + 1]) : root;
  checkLayers(base)
    .then((r) => {
      console.log(r.output.trim());
      console.log(`layers (config/layers.ts: ${LAYERS.map((l) => l.name).join(', ')}): ${r.exitCode ? `${r.exitCode} forbidden import(s)` : 'every import within its layer\'s bounds'}`);
      process.exit(r.exitCode ? 1 : 0);
    })
    .catch((e) => {
      console.error(`check:layers failed: ${(e as Error).stack ?? e}`);
      process.exit(2);
    });
}
