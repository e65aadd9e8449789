/**
 * The layer check checks what config/layers.ts declares: the rules dependency-cruiser gets are generated from the
 * declared list (one per layer, forbidding exactly the layers it may not use), the boundaries issue 16 names are in
 * that list, and `npm run check:layers` reports every deliberately bad import of test/fixtures/layers and no allowed one.
 * Modules of cloudfunctions/app are found by folder, their cycles by strongly connected sets, and only the listed ones
 * pass.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { ALLOWED_MODULE_CYCLES, appModuleOf, cycleProblems, LAYERS, layerOf, layerRules, mayImport, moduleCycles } from '../../config/layers';

const ROOT = path.resolve(__dirname, '../..');
const asList = (p: string | string[] | undefined) => (p === undefined ? [] : Array.isArray(p) ? p : [p]);

/** Would the generated rules refuse an import from a file of layer `from` into a file of layer `to`? */
function refused(from: string, to: string): boolean {
  const src = `${LAYERS.find((l) => l.name === from)!.path}/x.ts`;
  const dst = `${LAYERS.find((l) => l.name === to)!.path}/y.ts`;
  return layerRules().some((r) => {
    const fromPaths = asList(r.from.path);
    if (!fromPaths.some((p) => new RegExp(p).test(src))) return false;
    const to = r.to;
    if (to.path !== undefined && !asList(to.path).some((p) => new RegExp(p).test(dst))) return false;
    return !asList(to.pathNot).some((p) => new RegExp(p).test(dst));
  });
}

it('the boundaries issue 16 names are in the declared list', () => {
  const forbidden: [string, string][] = [
    ['domain', 'infra'],
    ['domain', 'functions'],
    ['domain', 'app'],
    ['domain', 'emulator'],
    ['functions', 'emulator'],
    ['app', 'emulator'],
    ['infra', 'emulator'],
    ['emulator', 'app'],
    ['emulator', 'domain'],
    ['emulator', 'infra'],
    ['src', 'domain'],
    ['src', 'app'],
    ['src', 'infra'],
    ['src', 'functions'],
    ['scripts', 'emulator'],
  ];
  for (const [from, to] of forbidden) expect(`${from} -> ${to}: ${mayImport(from, to)}`).toBe(`${from} -> ${to}: false`);
  const allowed: [string, string][] = [
    ['app', 'domain'],
    ['app', 'infra'],
    ['functions', 'app'],
    ['emulator', 'types'],
    ['emulator', 'config'],
    ['src', 'types'],
    ['scripts', 'app'],
    ['test', 'emulator'],
  ];
  for (const [from, to] of allowed) expect(`${from} -> ${to}: ${mayImport(from, to)}`).toBe(`${from} -> ${to}: true`);
});

it('the generated rules forbid exactly what the declared list does not allow, for every pair of layers', () => {
  const rules = layerRules();
  expect(rules.filter((r) => !r.name!.endsWith('-packages')).map((r) => r.name)).toEqual(LAYERS.filter((l) => l.mayUse !== '*').map((l) => `layer-${l.name}`));
  for (const a of LAYERS) for (const b of LAYERS) expect(`${a.name} -> ${b.name}: ${refused(a.name, b.name)}`).toBe(`${a.name} -> ${b.name}: ${!mayImport(a.name, b.name)}`);
  // Nested folders belong to the right layer (cloudfunctions/app is not cloudfunctions/application, nor the parent).
  expect(layerOf('cloudfunctions/app/users.ts')?.name).toBe('app');
  expect(layerOf('cloudfunctions/application/x.ts')).toBeUndefined();
  expect(() => layerRules([{ name: 'a', path: 'a', mayUse: ['nope'], why: '' }])).toThrow('not declared');
});

it('npm run check:layers reports each bad import of the fixture and none of the allowed ones', async () => {
  const run = await promisify(execFile)(path.join(ROOT, 'node_modules/.bin/tsx'), ['config/check-layers.ts', '--base', 'test/fixtures/layers'], { cwd: ROOT }).then(
    (r) => ({ code: 0, out: r.stdout }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, out: e.stdout + e.stderr }),
  );
  expect(run.code).toBe(1);
  const found = [...run.out.matchAll(/error (layer-[a-z-]+): (\S+) → (\S+)/g)].map((m) => `${m[1]}: ${m[2]} → ${m[3].replace(/^.*node_modules\/(@cloudbase\/[^/]+).*$/, '$1')}`);
  expect(found.sort()).toEqual(
    [
      'layer-app: cloudfunctions/app/bad.ts → emulator/bad.ts',
      'layer-domain-packages: cloudfunctions/domain/bad.ts → @cloudbase/node-sdk',
      'layer-domain: cloudfunctions/domain/bad.ts → cloudfunctions/app/bad.ts',
      'layer-domain: cloudfunctions/domain/bad.ts → cloudfunctions/functions/shop/index.ts',
      'layer-domain: cloudfunctions/domain/bad.ts → cloudfunctions/infra/db.ts',
      'layer-domain: cloudfunctions/domain/bad.ts → emulator/bad.ts',
      'layer-emulator: emulator/bad.ts → cloudfunctions/app/bad.ts',
      'layer-emulator: emulator/bad.ts → cloudfunctions/domain/ok.ts',
      'layer-emulator: emulator/bad.ts → cloudfunctions/infra/db.ts',
      'layer-functions: cloudfunctions/functions/shop/index.ts → emulator/bad.ts',
      'layer-infra: cloudfunctions/infra/db.ts → emulator/bad.ts',
      'layer-scripts: scripts/bad.ts → emulator/bad.ts',
      'layer-src-packages: src/bad.ts → @cloudbase/node-sdk',
      'layer-src: src/bad.ts → cloudfunctions/domain/ok.ts',
    ].sort(),
  );
  expect(run.out).toContain('error raw-collection: cloudfunctions/app/bad.ts:10 calls .collection(');
  expect(run.out).toContain('15 forbidden import(s), module cycle(s) or untyped collection call(s)');
}, 60_000);

it('app modules are folders (or files) under cloudfunctions/app; cycles are the strongly connected sets', () => {
  expect(appModuleOf('cloudfunctions/app/wallet/tx.ts')).toBe('wallet');
  expect(appModuleOf('cloudfunctions/app/jobs.ts')).toBe('jobs');
  expect(appModuleOf('cloudfunctions/domain/ledger.ts')).toBeNull();
  // a → b → c → a is one cycle; d → a hangs off it; e ↔ f is another; g alone is none.
  const edges = [['a', 'b'], ['b', 'c'], ['c', 'a'], ['d', 'a'], ['e', 'f'], ['f', 'e'], ['g', 'g']] as const;
  expect(moduleCycles(edges)).toEqual([['a', 'b', 'c'], ['e', 'f']]);
  expect(moduleCycles([['a', 'b'], ['b', 'c']])).toEqual([]);
});

it('a cycle passes only when listed exactly: a new one, or a listed one grown by a module, is reported with its imports', () => {
  const via = (a: string, b: string) => [a, b, `cloudfunctions/app/${a}/x.ts → cloudfunctions/app/${b}/y.ts`] as const;
  const allowed = [{ modules: ['shop', 'group'], why: 'test' }];
  expect(cycleProblems([via('shop', 'group'), via('group', 'shop')], allowed)).toEqual([]);
  const grown = cycleProblems([via('shop', 'group'), via('group', 'shop'), via('shop', 'referral'), via('referral', 'shop')], allowed);
  expect(grown).toHaveLength(1);
  expect(grown[0]).toContain('module cycle group ↔ referral ↔ shop');
  expect(grown[0]).toContain('cloudfunctions/app/referral/x.ts → cloudfunctions/app/shop/y.ts');
  expect(cycleProblems([via('wallet', 'referral'), via('referral', 'wallet')], allowed)[0]).toContain('module cycle referral ↔ wallet');
  // The cycles the project allows name their reasons; shop ↔ referral, shop ↔ assist and referral ↔ merchant are not among them.
  for (const c of ALLOWED_MODULE_CYCLES) expect(c.why.length).toBeGreaterThan(20);
  const sets = ALLOWED_MODULE_CYCLES.map((c) => new Set(c.modules));
  for (const [a, b] of [['shop', 'referral'], ['shop', 'assist'], ['referral', 'merchant']]) expect(sets.some((m) => m.has(a) && m.has(b))).toBe(false);
});
