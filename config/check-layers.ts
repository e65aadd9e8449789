/**
 * `npm run check:layers`: check every import against the layers declared in config/layers.ts, with
 * dependency-cruiser. Prints each import that crosses a boundary it may not and exits 1; exits 0 when all hold.
 *   --base <dir>   check another tree laid out the same way (the unit test's fixture); default the repository
 */
import fs from 'node:fs';
import path from 'node:path';
import { APP_PATH, appModuleOf, cycleProblems, layerRoots, layerRules, LAYERS } from './layers';

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
  const cycles = fs.existsSync(path.join(baseDir, APP_PATH)) ? await appModuleCycles(baseDir) : [];
  const raw = untypedCollectionCalls(baseDir);
  const output = typeof result.output === 'string' ? result.output : JSON.stringify(result.output);
  return { exitCode: result.exitCode + cycles.length + raw.length, output: [output, ...cycles, ...raw].join('\n') };
}

/**
 * Use cases reach the database only through the typed collections of cloudfunctions/infra/collections.ts: a
 * `.collection(` call in cloudfunctions/app (a string-named, untyped collection) is reported with its line.
 */
function untypedCollectionCalls(baseDir: string): string[] {
  const dir = path.join(baseDir, APP_PATH);
  if (!fs.existsSync(dir)) return [];
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { recursive: true, encoding: 'utf8' })) {
    if (!entry.endsWith('.ts')) continue;
    const file = `${APP_PATH}/${entry.split(path.sep).join('/')}`;
    fs.readFileSync(path.join(baseDir, file), 'utf8')
      .split('\n')
      .forEach((line, i) => {
        if (/\.collection\(/.test(line)) out.push(`error raw-collection: ${file}:${i + 1} calls .collection( — use collection(db, name) / txCollection(t, name) from cloudfunctions/infra/collections.ts`);
      });
  }
  return out;
}

/** The cycles of cloudfunctions/app's modules not allowed by config/layers.ts (type-only imports count). */
async function appModuleCycles(baseDir: string): Promise<string[]> {
  const { cruise } = await import('dependency-cruiser');
  const { default: extractTSConfig } = await import('dependency-cruiser/config-utl/extract-ts-config');
  const result = await cruise(
    [APP_PATH],
    { baseDir, tsPreCompilationDeps: true, doNotFollow: { path: '(^|/)node_modules/' }, includeOnly: `^${APP_PATH}/`, outputType: 'json' },
    {},
    { tsConfig: extractTSConfig(path.join(root, 'tsconfig.json')) },
  );
  const graph = (typeof result.output === 'string' ? JSON.parse(result.output) : result.output) as { modules: { source: string; dependencies: { resolved: string }[] }[] };
  const edges: [string, string, string][] = [];
  for (const m of graph.modules) {
    const from = appModuleOf(m.source);
    for (const d of m.dependencies) {
      const to = appModuleOf(d.resolved);
      if (from && to && from !== to) edges.push([from, to, `${m.source} → ${d.resolved}`]);
    }
  }
  return cycleProblems(edges);
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(__filename)) {
  const i = process.argv.indexOf('--base');
  const base = i >= 0 ? path.resolve(process.argv[i + 1]) : root;
  checkLayers(base)
    .then((r) => {
      console.log(r.output.trim());
      console.log(`layers (config/layers.ts: ${LAYERS.map((l) => l.name).join(', ')}): ${r.exitCode ? `${r.exitCode} forbidden import(s), module cycle(s) or untyped collection call(s)` : 'every import within its layer\'s bounds, no module cycle but the listed ones, the database only through typed collections'}`);
      process.exit(r.exitCode ? 1 : 0);
    })
    .catch((e) => {
      console.error(`check:layers failed: ${(e as Error).stack ?? e}`);
      process.exit(2);
    });
}
