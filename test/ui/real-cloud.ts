/**
 * A real local cloud behind the compiled pages: a ui test's `wx.cloud.callFunction` goes through the function gateway
 * to the real functions as one user, and the test reads what they stored through the real SDK. For round trips where
 * the stored document, not a mock's payload, is what must not change.
 *
 * The cloud runs in its own process (test/support/spawn-cloud.ts, the functions from dist/cloudfunctions: run
 * `npm run build:functions` first): the in-process one cannot start under jsdom, whose Uint8Array is not Node's.
 * A file that uses this needs Node's package exports for the SDK (bson), in its first docblock:
 *   @jest-environment-options {"customExportConditions": ["node", "require", "default"]}
 */
import http from 'node:http';
import tcb from '@cloudbase/node-sdk';
import { LOCAL_KEYS } from '../../config/localKeys';
import { spawnCloud, type SpawnedCloud } from '../support/spawn-cloud';
import type { CloudHandler } from './harness';

export interface RealCloud {
  db: ReturnType<ReturnType<typeof tcb.init>['database']>;
  /** Answers the page's calls as `openid` (a signed dev session), with the envelope the function answered. */
  as(openid: string): CloudHandler;
  /** Calls a function as `openid` from the test itself; resolves with its data, rejects on a refusal. */
  call<T = any>(openid: string, fn: string, action: string, payload?: Record<string, unknown>): Promise<T>;
  /** The stored document as JSON text without its bookkeeping (updatedAt): equal text, equal document. */
  stored(collection: string, id: string): Promise<string>;
  /** The stored document as the SDK reads it. */
  doc(collection: string, id: string): Promise<Record<string, any>>;
  close(): Promise<void>;
}

function post(url: string, body: unknown, headers: Record<string, string> = {}): Promise<any> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => (text += chunk));
      res.on('end', () => {
        try {
          resolve(JSON.parse(text));
        } catch {
          reject(new Error(`${url} answered ${res.statusCode}: ${text.slice(0, 200)}`));
        }
      });
    });
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}

export async function startRealCloud(): Promise<RealCloud> {
  // The SDK outside Tencent's cloud probes the metadata address on every request unless told (test/integration/env.ts).
  process.env.TENCENTCLOUD = 'true';
  const spawned: SpawnedCloud = await spawnCloud({ keys: LOCAL_KEYS });
  const base = `http://${spawned.host}`;
  const db = tcb.init({ env: 'local', serviceUrl: spawned.adminUrl, secretId: LOCAL_KEYS.secretId, secretKey: LOCAL_KEYS.secretKey }).database();
  const tokens = new Map<string, Promise<string>>();
  const token = (openid: string) => {
    if (!tokens.has(openid)) tokens.set(openid, post(`${base}/__dev/login`, { openid }).then((r: { token: string }) => r.token));
    return tokens.get(openid)!;
  };
  const invoke = async (openid: string, fn: string, action: string, payload: Record<string, unknown>) =>
    post(`${base}/fn/${fn}`, { action, ...payload }, { authorization: `Bearer ${await token(openid)}` });
  const doc = async (collection: string, id: string) => {
    const found = (await db.collection(collection).doc(id).get()).data?.[0];
    if (!found) throw new Error(`${collection}/${id} is not stored`);
    return found as Record<string, any>;
  };
  return {
    db,
    as: (openid) => (fn, action, payload) => invoke(openid, fn, action, payload),
    async call(openid, fn, action, payload = {}) {
      const body = await invoke(openid, fn, action, payload);
      if (!body.ok) throw new Error(`${fn}.${action} as ${openid}: ${body.code} ${body.message}`);
      return body.data;
    },
    doc,
    async stored(collection, id) {
      // Bookkeeping aside: updatedAt and the editor revision (a save from an editor counts it up).
      const { updatedAt: _bookkeeping, rev: _rev, ...rest } = await doc(collection, id);
      return JSON.stringify(rest);
    },
    async close() {
      const exited = new Promise<void>((resolve) => (spawned.alive() ? spawned.child.once('exit', () => resolve()) : resolve()));
      try {
        process.kill(-spawned.child.pid!, 'SIGKILL');
      } catch {
        /* already gone */
      }
      await exited;
    },
  };
}

/** A shopper ready to check out: logged in, agreed to the privacy notice, with a default address. */
export async function readyShopper(rc: RealCloud, openid: string): Promise<void> {
  await rc.call(openid, 'user', 'login', {});
  await rc.call(openid, 'user', 'consent', { version: '2025-01' });
  await rc.call(openid, 'shop', 'saveAddress', { name: '张三', phone: '13800138000', province: '浙江省', city: '杭州市', district: '西湖区', detail: '文三路 100 号', isDefault: true });
}
