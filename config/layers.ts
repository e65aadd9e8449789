/**
 * The layers of the project and what each may import: the ONE declared list that `npm run check:layers`
 * (config/check-layers.ts, dependency-cruiser) turns into its rules. A layer may import its own files and the layers
 * in its `mayUse`, nothing else of the project (npm packages and Node's modules aside, except `packagesNot`).
 * Type-only imports count. To add a folder, declare it here; an import into an undeclared folder is refused.
 *
 * The boundaries DESIGN.md and issue 16 name: domain ↛ infra/app/functions/emulator; functions/app/infra ↛
 * emulator; emulator ↛ app/domain (the local cloud runs the built bundles, not the sources); src ↛ cloudfunctions.
 * Module cycles (shop ↔ referral, …) are separate work and are not checked yet.
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
