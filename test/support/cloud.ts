/**
 * Test harness: a local cloud in memory on a free port, the real @cloudbase/node-sdk pointed at it, and helpers to
 * call functions through the gateway as a given user.
 */
import tcb from '@cloudbase/node-sdk';
import { LocalCloud, LocalCloudOptions, startLocalCloud } from '../../emulator/index';

export interface TestCloud {
  cloud: LocalCloud;
  app: ReturnType<typeof tcb.init>;
  db: ReturnType<ReturnType<typeof tcb.init>['database']>;
  /** Call a function through the browser gateway as `openid` (a signed dev session). */
  callAs(openid: string, fn: string, data: Record<string, unknown>): Promise<{ status: number; body: any }>;
  /** A token for `openid`, via POST /__dev/login. */
  login(openid: string): Promise<string>;
  dev(route: string, body?: unknown): Promise<any>;
  /** A new, empty collection no other test uses. */
  newCollection(prefix: string): Promise<string>;
  close(): Promise<void>;
}

let collectionCounter = 0;

export function sdkFor(cloud: LocalCloud) {
  return tcb.init({ env: cloud.envId, serviceUrl: cloud.adminUrl, secretId: cloud.keys.secretId, secretKey: cloud.keys.secretKey });
}

export async function startTestCloud(opts: LocalCloudOptions = {}): Promise<TestCloud> {
  const cloud = await startLocalCloud({ dataDir: null, appDir: null, quiet: true, timers: false, ...opts });
  const app = sdkFor(cloud);
  const tokens = new Map<string, string>();
  const login = async (openid: string) => {
    const cached = tokens.get(openid);
    if (cached) return cached;
    const res = await fetch(`${cloud.url}/__dev/login`, { method: 'POST', body: JSON.stringify({ openid }) });
    const { token } = (await res.json()) as { token: string };
    tokens.set(openid, token);
    return token;
  };
  return {
    cloud,
    app,
    db: app.database(),
    login,
    async callAs(openid, fn, data) {
      const token = await login(openid);
      const res = await fetch(`${cloud.url}/fn/${fn}`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(data) });
      return { status: res.status, body: await res.json() };
    },
    async dev(route, body) {
      const res = await fetch(`${cloud.url}/__dev/${route}`, body === undefined ? {} : { method: 'POST', body: JSON.stringify(body) });
      return res.json();
    },
    async newCollection(prefix) {
      const name = `${prefix}_${Date.now().toString(36)}_${++collectionCounter}`;
      await app.database().createCollection(name);
      return name;
    },
    close: () => cloud.close(),
  };
}
