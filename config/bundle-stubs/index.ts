/**
 * What the function bundles leave out of @cloudbase/node-sdk, and what they load only when first used.
 *
 * The SDK's entry loads every feature at startup (data models, MySQL, AI, storage, realtime, custom login…), about
 * two thirds of each bundle and most of its cold load. The functions here use the database, the WeChat open-API
 * calls (callWxPayApi, callWxOpenApi, callCompatibleWxOpenApi) and the invocation context, and one function uses
 * cloud storage (the poster's 小程序码), so:
 * - STUBS: a module on a path no function reaches is replaced by a small stub (the .js files next to this one)
 *   that throws a clear error (code STUBBED_IN_BUNDLE) if it is ever reached, so a wrong guess fails loudly —
 *   except in the bundles of the functions named in its `keptFor`, which carry the real module;
 * - DEFERRED: a module reachable only in some environments (axios: the SDK's Tencent Cloud metadata lookups when
 *   not on SCF) stays in the bundle but is evaluated on first use instead of at load.
 * A stub or deferral that no longer matches the SDK's files fails the build (see assertAllApplied), so an SDK
 * upgrade that moves things is noticed instead of silently bringing the whole SDK back.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Plugin } from 'esbuild';

export interface Stub {
  /** The import as the importing file writes it. */
  specifier: string;
  /** The importing file (path with forward slashes). */
  importer: RegExp;
  /** The stub file in this directory. */
  stub: string;
  /** What is left out and why nothing reaches it. */
  why: string;
  /** Functions whose bundles keep the real module (they use it). */
  keptFor?: readonly string[];
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
/** A file of @cloudbase/node-sdk's dist/, wherever node_modules puts it. */
const sdkFile = (rel: string) => new RegExp(`${escape(`/@cloudbase/node-sdk/dist/${rel}`)}$`);

export const STUBS: Stub[] = [
  {
    specifier: '@cloudbase/wx-cloud-client-sdk',
    importer: sdkFile('cloudbase.js'),
    stub: 'wx-cloud-client-sdk.js',
    why: 'data models (app.models) and MySQL (app.mysql/rdb); init() builds app.models eagerly, ~25 ms',
  },
  {
    specifier: './ai',
    importer: sdkFile('cloudbase.js'),
    stub: 'node-sdk-ai.js',
    why: 'app.ai(): @cloudbase/ai, @cloudbase/app, the wx_mp adapter, web-streams-polyfill',
  },
  {
    specifier: './storage',
    importer: sdkFile('cloudbase.js'),
    stub: 'node-sdk-storage.js',
    why: 'app.uploadFile() and the other file APIs: xml2js, xmlbuilder, sax',
    // referral.posterCode keeps the poster's 小程序码 in cloud storage (app/referral/posterCode.ts); merchant.saveProduct
    // checks that uploaded product pictures exist, are images and are small enough (app/merchant/productImages.ts).
    keptFor: ['referral', 'merchant'],
  },
  {
    specifier: 'jsonwebtoken',
    importer: sdkFile('auth/index.js'),
    stub: 'jsonwebtoken.js',
    why: 'app.auth().createTicket() (custom login) only',
  },
  {
    specifier: 'mime-types',
    importer: /\/node_modules\/form-data\/lib\/form_data\.js$/,
    stub: 'mime-types.js',
    why: 'form-data guesses a content type only for a value with a file name or path; callWxPayApi sends strings and Buffers',
  },
  {
    specifier: 'https-proxy-agent',
    importer: sdkFile('utils/request-core.js'),
    stub: 'proxy-agent.js',
    why: 'only with init({ proxy }); db.ts passes no proxy',
  },
  {
    specifier: 'http-proxy-agent',
    importer: sdkFile('utils/request-core.js'),
    stub: 'proxy-agent.js',
    why: 'only with init({ proxy }); db.ts passes no proxy',
  },
  {
    specifier: './realtime/websocket-client',
    importer: /\/@cloudbase\/database\/dist\/commonjs\/(query|document)\.js$/,
    stub: 'database-realtime.js',
    why: 'collection/doc .watch() only (realtime over a websocket)',
  },
];

export interface Deferral {
  file: RegExp;
  /** The exact statement in the SDK's file, and what replaces it: the same binding, evaluated on first use. */
  from: string;
  to: string;
  why: string;
}

const LAZY_AXIOS = 'const axios_1 = { get default() { return __importDefault(require("axios")).default; } };';

export const DEFERRED: Deferral[] = [
  {
    file: sdkFile('utils/metadata.js'),
    from: 'const axios_1 = __importDefault(require("axios"));',
    to: LAZY_AXIOS,
    why: 'Tencent Cloud metadata lookups, made only outside SCF (TENCENTCLOUD_RUNENV is SCF on CloudBase and on the local cloud)',
  },
  {
    file: sdkFile('cloudbase.js'),
    from: 'const axios_1 = __importDefault(require("axios"));',
    to: LAZY_AXIOS,
    why: 'the app.requestClient shim',
  },
];

export interface BundleStubs {
  plugin: Plugin;
  /** Stubs and deferrals this build did not apply (the SDK no longer matches them). */
  unapplied(): string[];
}

const slash = (p: string) => p.split(path.sep).join('/');

/** One esbuild plugin per build (of function `fn`, when it is one): it records what it applied. */
export function bundleStubs(fn?: string): BundleStubs {
  const kept = new Set(STUBS.filter((s) => fn !== undefined && s.keptFor?.includes(fn)));
  const stubbed = new Set<Stub>();
  const deferred = new Set<Deferral>();
  const specifiers = new RegExp(`^(${[...new Set(STUBS.map((s) => escape(s.specifier)))].join('|')})$`);
  const plugin: Plugin = {
    name: 'bundle-stubs',
    setup(build) {
      build.onStart(() => {
        stubbed.clear();
        deferred.clear();
      });
      build.onResolve({ filter: specifiers }, (args) => {
        const importer = slash(args.importer);
        const stub = STUBS.find((s) => s.specifier === args.path && s.importer.test(importer));
        if (!stub || kept.has(stub)) return undefined;
        stubbed.add(stub);
        return { path: path.join(__dirname, stub.stub) };
      });
      build.onLoad({ filter: /[\\/]@cloudbase[\\/]node-sdk[\\/]dist[\\/].*\.js$/ }, async (args) => {
        const file = slash(args.path);
        const mine = DEFERRED.filter((d) => d.file.test(file));
        if (!mine.length) return undefined;
        let contents = await fs.promises.readFile(args.path, 'utf8');
        for (const d of mine) {
          if (!contents.includes(d.from)) {
            return { errors: [{ text: `bundle-stubs: ${file} no longer contains \`${d.from}\` (deferral: ${d.why})` }] };
          }
          contents = contents.replace(d.from, d.to);
          deferred.add(d);
        }
        return { contents, loader: 'js', resolveDir: path.dirname(args.path) };
      });
    },
  };
  return {
    plugin,
    unapplied: () => [
      ...STUBS.filter((s) => !stubbed.has(s) && !kept.has(s)).map((s) => `stub ${s.stub}: no import of '${s.specifier}' from ${s.importer}`),
      ...DEFERRED.filter((d) => !deferred.has(d)).map((d) => `deferral: no file matching ${d.file}`),
    ],
  };
}

/** Throw unless every stub and deferral was applied (call after a build that bundles @cloudbase/node-sdk). */
export function assertAllApplied(stubs: BundleStubs, what: string): void {
  const missing = stubs.unapplied();
  if (missing.length) {
    throw new Error(`${what}: @cloudbase/node-sdk no longer matches config/bundle-stubs:\n  ${missing.join('\n  ')}`);
  }
}
