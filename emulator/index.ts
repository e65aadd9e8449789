/** Start the local cloud in this process: the store, the database engine, function instances, timers and HTTP. */
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { COLLECTIONS } from '../config/collections';
import { TEMPLATES } from '../config/subscribeMessages';
import { LOCAL_KEYS, localKeys } from '../config/localKeys';
import { Clock } from './clock';
import { DatabaseEngine } from './database';
import { FunctionHost } from './functions';
import { LocalPayments } from './payments';
import { LocalPayouts } from './payouts';
import { DEMO_IDENTITIES, DEMO_MERCHANT, seedDemoData } from './seed';
import { DatabaseHolds } from './holds';
import { createServer } from './server';
import { Sessions } from './sessions';
import { KeyPair } from './signing';
import { LocalStorage } from './storage';
import { Store } from './store';
import { readTimerTriggers, Timers } from './timers';
import { LocalTemplate, LocalWxOpenApi } from './wxopenapi';
import { LOCAL_PII_KEY } from './piiKey';

export const ROOT = path.resolve(__dirname, '..');

/** The local key pair (config/localKeys.ts), re-exported for the tests and benches that start a local cloud. */
export { LOCAL_KEYS, localKeys };

export interface LocalCloudOptions {
  port?: number;
  host?: string;
  /** Directory of the durable store; null for in-memory. */
  dataDir?: string | null;
  envId?: string;
  appDir?: string | null;
  functionsDir?: string;
  seed?: boolean;
  timers?: boolean;
  keys?: KeyPair;
  quiet?: boolean;
  /** Invocations one function instance runs at once (default LOCAL_CLOUD_FUNCTION_CONCURRENCY or 32). */
  functionConcurrency?: number;
  /** Every function's time limit, in place of the deployed ones (tests of the limit itself). */
  functionTimeoutMs?: number;
}

export interface LocalCloud {
  url: string;
  adminUrl: string;
  port: number;
  envId: string;
  keys: KeyPair;
  store: Store;
  engine: DatabaseEngine;
  clock: Clock;
  host: FunctionHost;
  timers: Timers;
  sessions: Sessions;
  payments: LocalPayments;
  payouts: LocalPayouts;
  storage: LocalStorage;
  wx: LocalWxOpenApi;
  close(): Promise<void>;
}

/**
 * Connections the kernel holds for the local cloud before it accepts them. Node's default (511) is smaller than a
 * share-card wave: when 1,000 phones connect at once the kernel drops the rest, TCP sends each again a second later,
 * and those calls read a second slower with nothing logged anywhere. The kernel caps this at net.core.somaxconn
 * (4096 on current Linux).
 */
const LISTEN_BACKLOG = 4096;

export async function startLocalCloud(opts: LocalCloudOptions = {}): Promise<LocalCloud> {
  const log = opts.quiet ? () => undefined : (m: string) => console.log(`[local-cloud] ${m}`);
  const envId = opts.envId ?? 'local';
  const keys = opts.keys ?? localKeys();
  const store = new Store(opts.dataDir === undefined ? path.join(ROOT, '.data') : opts.dataDir);
  store.applyManifest(COLLECTIONS);
  const clock = new Clock(store);
  const engine = new DatabaseEngine(store, () => clock.now());
  if (opts.seed !== false && seedDemoData(store, clock.now())) log('demo data written');
  const sessions = new Sessions(store);
  let adminUrl = '';
  const messages = localSubscribeTemplates();
  const host = new FunctionHost({
    functionsDir: opts.functionsDir ?? path.join(ROOT, 'dist', 'cloudfunctions'),
    envId,
    appId: 'wx-local-app',
    adminUrl: () => adminUrl,
    keys,
    clockOffset: () => clock.offset(),
    env: { MERCHANT_OPENIDS: process.env.MERCHANT_OPENIDS || DEMO_MERCHANT, PII_KEY: process.env.PII_KEY || LOCAL_PII_KEY, ...messages.env },
    concurrency: opts.functionConcurrency,
    timeoutMs: opts.functionTimeoutMs,
  });
  const payments = new LocalPayments(store, host, clock);
  const payouts = new LocalPayouts(store, clock);
  const baseUrl = () => adminUrl.replace(/\/admin$/, '');
  const storage = new LocalStorage(store, clock, envId, baseUrl);
  const wx = new LocalWxOpenApi(store, clock, baseUrl, messages.templates);
  const holds = new DatabaseHolds();
  const timers = new Timers(readTimerTriggers(path.join(ROOT, 'cloudbaserc.json')), clock, host, log);
  const server = createServer({
    engine,
    host,
    clock,
    sessions,
    timers,
    keys,
    envId,
    appDir: opts.appDir === undefined ? path.join(ROOT, 'dist', 'h5') : opts.appDir,
    dev: {
      reset: async () => {
        holds.releaseAll();
        engine.resetTransactions();
        store.wipe();
        storage.wipe();
        wx.wipe();
        clock.reset();
        timers.replan();
        seedDemoData(store, clock.now());
      },
      seed: () => void seedDemoData(store, clock.now()),
      identities: () => DEMO_IDENTITIES.map(({ openid, label, nickname }) => ({ openid, label, nickname })),
    },
    log,
    payments,
    payouts,
    storage,
    wx,
    holds,
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ port: opts.port ?? 0, host: opts.host ?? '127.0.0.1', backlog: LISTEN_BACKLOG }, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}`;
  adminUrl = `${url}/admin`;
  if (opts.timers !== false) timers.start();
  return {
    url,
    adminUrl,
    port,
    envId,
    keys,
    store,
    engine,
    clock,
    host,
    timers,
    sessions,
    payments,
    payouts,
    storage,
    wx,
    async close() {
      timers.stop();
      await host.stop();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      engine.close();
      store.close();
    },
  };
}

/**
 * Template ids for the functions on the local cloud: each template of config/subscribeMessages.ts gets
 * `local-<name>` unless its variable is set, so every kind is sent and the inbox can name what it received.
 */
function localSubscribeTemplates(): { env: Record<string, string>; templates: Record<string, LocalTemplate> } {
  const env: Record<string, string> = {};
  const templates: Record<string, LocalTemplate> = {};
  for (const [name, t] of Object.entries(TEMPLATES)) {
    const id = process.env[t.envVar] || `local-${name}`;
    env[t.envVar] = id;
    templates[id] = { title: t.title, fields: t.fields };
  }
  // The sender's and the poster code's settings, when set for this local cloud (tests, experiments).
  for (const k of ['NOTIFY_MAX_ATTEMPTS', 'NOTIFY_RETRY_BASE_MS', 'MESSAGE_JOB_BUDGET_MS', 'SUBSCRIBE_MINIPROGRAM_STATE', 'WXACODE_ENV_VERSION']) {
    const v = process.env[k];
    if (v) env[k] = v;
  }
  return { env, templates };
}
