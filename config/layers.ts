/**
 * The layers of the project and what each may import: the ONE declared list that `npm run check:layers`
 * (config/check-layers.ts, dependency-cruiser) turns into its rules. A layer may import its own files and the layers
 * in its `mayUse`, nothing else of the project (npm packages and Node's modules aside, except `packagesNot`).
 * Type-only imports count. To add a folder, declare it here; an import into an undeclared folder is refused.
 *
 * The boundaries DESIGN.md and issue 16 name: domain ↛ infra/app/functions/emulator; functions/app/infra ↛
 * emulator; emulator ↛ app/domain (the local cloud runs the built bundles, not the sources); src ↛ cloudfunctions.
 * Inside cloudfunctions/app, modules (a folder, or a file directly in it) must not import each other in a cycle: the
 * check finds every cycle of modules and fails on any not listed in ALLOWED_MODULE_CYCLES, each with its reason.
 */
import type { IRegularForbiddenRuleType } from 'dependency-cruiser';

export interface Layer {
  /** Short name, used in `mayUse` and in the rule names. */
  name: string;
  /** Folder from the repository root, no trailing slash. */
  path: string;
  /** The layers it may import ('*': any). */
  mayUse: readonly string[] | '*';
  /** npm packages it must not import (a name, or a scope ending in '/'). */
  packagesNot?: readonly string[];
  why: string;
}

export const LAYERS: readonly Layer[] = [
  { name: 'types', path: 'types', mayUse: [], why: 'the contract shared by the app and the functions; depends on nothing of ours' },
  { name: 'config', path: 'config', mayUse: ['types'], why: 'build config, the collection manifest, the local key pair' },
  {
    name: 'domain',
    path: 'cloudfunctions/domain',
    mayUse: ['types'],
    packagesNot: ['@cloudbase/'],
    why: 'pure rules: no SDK, no clock, no repositories',
  },
  { name: 'infra', path: 'cloudfunctions/infra', mayUse: ['domain', 'types', 'config'], why: 'CloudBase adapters, the handler, clock, identity' },
  { name: 'app', path: 'cloudfunctions/app', mayUse: ['domain', 'infra', 'types', 'config'], why: 'use cases: load, decide with domain, write' },
  { name: 'functions', path: 'cloudfunctions/functions', mayUse: ['app', 'domain', 'infra', 'types'], why: 'thin entries, one per deployed function' },
  { name: 'scripts', path: 'scripts', mayUse: ['app', 'domain', 'infra', 'types', 'config'], why: 'operator CLIs (npm run audit) that reach a cloud through the SDK' },
  { name: 'emulator', path: 'emulator', mayUse: ['config', 'types'], why: 'the local cloud: runs the built bundles, never their sources' },
  {
    name: 'src',
    path: 'src',
    mayUse: ['types'],
    packagesNot: ['@cloudbase/node-sdk', '@cloudbase/manager-node'],
    why: 'the Taro app: talks to functions only through callFunction',
  },
  { name: 'test', path: 'test', mayUse: '*', why: 'tests reach into every layer' },
];

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const under = (paths: readonly string[]) => `^(${paths.map(escape).join('|')})/`;

/** The layer a repository path (e.g. `cloudfunctions/app/users.ts`) belongs to, if any. */
export function layerOf(file: string, layers: readonly Layer[] = LAYERS): Layer | undefined {
  return layers.find((l) => file.startsWith(`${l.path}/`));
}

/** May a file of layer `from` import a file of layer `to` (by name)? */
export function mayImport(from: string, to: string, layers: readonly Layer[] = LAYERS): boolean {
  const l = layers.find((x) => x.name === from);
  if (!l) throw new Error(`no layer named ${from}`);
  return from === to || l.mayUse === '*' || l.mayUse.includes(to);
}

/** The dependency-cruiser rules for `layers`: one per layer for its imports, one per layer with packages it must not use. */
export function layerRules(layers: readonly Layer[] = LAYERS): IRegularForbiddenRuleType[] {
  const names = new Set(layers.map((l) => l.name));
  for (const l of layers) {
    if (l.mayUse === '*') continue;
    for (const u of l.mayUse) if (!names.has(u)) throw new Error(`layer ${l.name} may use ${u}, which is not declared`);
  }
  const rules: IRegularForbiddenRuleType[] = [];
  for (const l of layers) {
    if (l.mayUse === '*') continue;
    const allowed = [l, ...layers.filter((x) => mayImport(l.name, x.name, layers) && x !== l)].map((x) => x.path);
    rules.push({
      name: `layer-${l.name}`,
      severity: 'error',
      comment: `${l.path}/ may import only ${allowed.map((p) => `${p}/`).join(', ')} (config/layers.ts: ${l.why})`,
      from: { path: under([l.path]) },
      // Any file of ours outside the allowed layers, declared or not; packages and Node's modules are not files of ours.
      to: { pathNot: [under(allowed), '(^|/)node_modules/'], dependencyTypesNot: ['core'] },
    });
    if (l.packagesNot?.length) {
      rules.push({
        name: `layer-${l.name}-packages`,
        severity: 'error',
        comment: `${l.path}/ must not import ${l.packagesNot.join(', ')} (config/layers.ts: ${l.why})`,
        from: { path: under([l.path]) },
        to: { path: `(^|/)node_modules/(${l.packagesNot.map((p) => (p.endsWith('/') ? `${escape(p)}` : `${escape(p)}/`)).join('|')})` },
      });
    }
  }
  return rules;
}

/** The folders the check cruises. */
export const layerRoots = (layers: readonly Layer[] = LAYERS) => layers.map((l) => l.path);

/** The use-case layer, whose modules must not form cycles. */
export const APP_PATH = 'cloudfunctions/app';

/** The module of a file under cloudfunctions/app: its first folder (`wallet`), or its name for a file there (`jobs`). */
export function appModuleOf(file: string): string | null {
  if (!file.startsWith(`${APP_PATH}/`)) return null;
  const rest = file.slice(APP_PATH.length + 1).split('/');
  return rest.length > 1 ? rest[0] : rest[0].replace(/\.(ts|tsx|d\.ts)$/, '');
}

/**
 * The module cycles that remain, each a set of modules with why it stays. Any other cycle, or one of these grown by
 * a module, fails `npm run check:layers`. Wallet/ledger (`wallet`), coupons (`coupons`), the dashboard's counters
 * (`stats`) and blocking (`accounts`) are one-way modules that import none of the modules using them; the job and order
 * step types live in `kernel`, apart from the lists that import every module.
 */
export const ALLOWED_MODULE_CYCLES: readonly { modules: readonly string[]; why: string }[] = [
  {
    modules: ['group', 'orderSteps', 'shop'],
    why:
      "the shop's outbox runs the list of every module's order steps (orderSteps.ts), which holds the shop's own; and a 拼团 order is " +
      "the shop's order whose group (group/seats, group/fate through shop/seams.ts) refunds it through the shop when it fails",
  },
];

/** Every cycle of modules in `edges` (strongly connected sets of two or more), each sorted, the list sorted. */
export function moduleCycles(edges: readonly (readonly [string, string])[]): string[][] {
  const next = new Map<string, Set<string>>();
  for (const [a, b] of edges) if (a !== b) next.set(a, (next.get(a) ?? new Set()).add(b));
  const nodes = [...new Set(edges.flat())];
  // Tarjan's strongly connected components.
  let index = 0;
  const idx = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const on = new Set<string>();
  const out: string[][] = [];
  const visit = (v: string) => {
    idx.set(v, index);
    low.set(v, index++);
    stack.push(v);
    on.add(v);
    for (const w of next.get(v) ?? []) {
      if (!idx.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (on.has(w)) low.set(v, Math.min(low.get(v)!, idx.get(w)!));
    }
    if (low.get(v) === idx.get(v)) {
      const scc: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        on.delete(w);
        scc.push(w);
      } while (w !== v);
      if (scc.length > 1) out.push(scc.sort());
    }
  };
  for (const v of nodes) if (!idx.has(v)) visit(v);
  return out.sort((a, b) => a.join().localeCompare(b.join()));
}

/** The cycles in `edges` that `allowed` does not list exactly, as messages naming the imports that close them. */
export function cycleProblems(edges: readonly (readonly [string, string, string])[], allowed = ALLOWED_MODULE_CYCLES): string[] {
  const listed = new Set(allowed.map((c) => [...c.modules].sort().join(',')));
  return moduleCycles(edges.map(([a, b]) => [a, b] as const))
    .filter((scc) => !listed.has(scc.join(',')))
    .map((scc) => {
      const inside = edges.filter(([a, b]) => a !== b && scc.includes(a) && scc.includes(b)).map(([, , via]) => `    ${via}`);
      return `module cycle ${scc.join(' ↔ ')} (config/layers.ts ALLOWED_MODULE_CYCLES does not list it):\n${[...new Set(inside)].join('\n')}`;
    });
}
