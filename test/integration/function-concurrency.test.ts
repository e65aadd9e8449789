/**
 * A function instance runs at most its concurrency of invocations at once (CloudBase's per-instance concurrency); the
 * others wait in line, in arrival order, and are all answered. An invocation past its time limit gives its place to
 * the next in line. Through the gateway and the real SDK, with the whoami fixture (it reports how many ran at once).
 */
import fs from 'node:fs';
import { startTestCloud, TestCloud } from '../support/cloud';
import { functionsDirWith } from '../support/fixture-functions';

let fnDir: string;
const clouds: TestCloud[] = [];

beforeAll(async () => {
  fnDir = await functionsDirWith({ fixtures: ['whoami'] });
});

afterAll(async () => {
  for (const c of clouds) await c.close();
  fs.rmSync(fnDir, { recursive: true, force: true });
});

async function cloud(opts: { functionConcurrency: number; functionTimeoutMs?: number }): Promise<TestCloud> {
  const c = await startTestCloud({ functionsDir: fnDir, ...opts });
  clouds.push(c);
  return c;
}

it('40 callers at once against a concurrency of 4: never more than 4 run, all 40 answered, each as itself', async () => {
  const t = await cloud({ functionConcurrency: 4 });
  const users = Array.from({ length: 40 }, (_, i) => `line-user-${i}`);
  await Promise.all(users.map((u) => t.login(u)));
  const results = await Promise.all(users.map((u) => t.callAs(u, 'whoami', { delayMs: 30 })));
  results.forEach((r, i) => {
    expect(r.status).toBe(200);
    expect(r.body.openid).toBe(users[i]);
  });
  const most = Math.max(...results.map((r) => r.body.mostAtOnce));
  expect(most).toBe(4);
  const stats = (await t.dev('stats')) as { functions: { concurrency: number; longestQueue: Record<string, number> } };
  expect(stats.functions.concurrency).toBe(4);
  expect(stats.functions.longestQueue.whoami).toBeGreaterThanOrEqual(30);
});

it('the same through the SDK (callFunction): 12 at once against a concurrency of 3', async () => {
  const t = await cloud({ functionConcurrency: 3 });
  const results = await Promise.all(Array.from({ length: 12 }, () => t.app.callFunction({ name: 'whoami', data: { delayMs: 20 } })));
  expect(results.every((r) => typeof (r.result as { mostAtOnce: number }).mostAtOnce === 'number')).toBe(true);
  expect(Math.max(...results.map((r) => (r.result as { mostAtOnce: number }).mostAtOnce))).toBe(3);
});

it('an invocation past its time limit frees its place: the caller in line behind it is answered', async () => {
  const t = await cloud({ functionConcurrency: 1, functionTimeoutMs: 300 });
  await Promise.all([t.login('slow-user'), t.login('next-user')]);
  const slow = t.callAs('slow-user', 'whoami', { delayMs: 5000 });
  await new Promise((r) => setTimeout(r, 50)); // the slow one holds the only place
  const started = Date.now();
  const next = await t.callAs('next-user', 'whoami', { delayMs: 0 });
  expect(next.status).toBe(200);
  expect(next.body.openid).toBe('next-user');
  // It waited for the slow one's limit, not for the slow one to finish.
  expect(Date.now() - started).toBeLessThan(3000);
  const refused = await slow;
  // The gateway answers a function that failed to answer as 502 INTERNAL (its message stays in the local cloud's log).
  expect(refused.status).toBe(502);
  expect(refused.body.code).toBe('INTERNAL');
});
