/** Shared steps of the assist integration tests (not a test file itself). */
import type { TestCloud } from '../support/cloud';

/* eslint-disable @typescript-eslint/no-explicit-any */
export const OWNER = 'demo-shopper-a';
export const MERCHANT = 'demo-merchant';
export const HOUR = 3600 * 1000;

export async function call(t: TestCloud, openid: string, fn: string, action: string, payload: Record<string, unknown> = {}): Promise<any> {
  const res = await t.callAs(openid, fn, { action, ...payload });
  if (res.status !== 200) throw new Error(`${fn}.${action} as ${openid}: HTTP ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

export async function ok(t: TestCloud, openid: string, fn: string, action: string, payload: Record<string, unknown> = {}): Promise<any> {
  const body = await call(t, openid, fn, action, payload);
  if (!body.ok) throw new Error(`${fn}.${action} as ${openid} refused: ${body.code} ${body.message}`);
  return body.data;
}

/** First open of the app (creates the user), as WeChat would on launch. */
export async function login(t: TestCloud, openid: string, extra: Record<string, unknown> = {}) {
  return ok(t, openid, 'user', 'login', extra);
}

export async function loginMany(t: TestCloud, openids: string[], concurrency = 50) {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < openids.length) {
        const id = openids[next++];
        await t.login(id);
        await login(t, id);
      }
    }),
  );
}

export async function startTask(t: TestCloud, owner: string, productId = 'p-tea') {
  return ok(t, owner, 'assist', 'start', { productId });
}

export async function task(t: TestCloud, taskId: string) {
  return (await t.db.collection('assist_tasks').doc(taskId).get()).data[0];
}

export async function notificationsFor(t: TestCloud, userId: string, kind: string) {
  return (await t.db.collection('notifications').where({ userId, kind }).limit(1000).get()).data;
}

/** Run the settle timer's jobs now (as the platform would). */
export async function settle(t: TestCloud) {
  return ok(t, MERCHANT, 'settle', 'run');
}

export async function saveCampaign(t: TestCloud, productId: string, overrides: Record<string, unknown> = {}) {
  return ok(t, MERCHANT, 'merchant', 'saveAssistCampaign', {
    productId,
    active: true,
    helpersNeeded: 3,
    durationHours: 24,
    success: { kind: 'price', priceFen: 100, validHours: 48 },
    fallback: { kind: 'points', pointsPerHelper: 10 },
    newUsersOnly: false,
    helperDailyCap: 3,
    openTasksPerShopper: 1,
    startsAt: null,
    endsAt: null,
    ...overrides,
  });
}
