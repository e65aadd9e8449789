/**
 * Identity must not leak between concurrent invocations in one instance: each call reads its own caller from its
 * own context, even after awaiting the database and a random delay while 199 other calls are in flight.
 */
import fs from 'node:fs';
import { startTestCloud, TestCloud } from '../support/cloud';
import { functionsDirWith } from '../support/fixture-functions';

let t: TestCloud;
let fnDir: string;

beforeAll(async () => {
  fnDir = await functionsDirWith({ built: ['user', 'shop'], fixtures: ['whoami'] });
  // An instance may run all 200 at once here (the local cloud's default is 32): the leak shows best with many in flight.
  t = await startTestCloud({ functionsDir: fnDir, functionConcurrency: 200 });
});

afterAll(async () => {
  await t.close();
  fs.rmSync(fnDir, { recursive: true, force: true });
});

it('200 concurrent callers each see only their own openid', async () => {
  const users = Array.from({ length: 200 }, (_, i) => `iso-user-${i}`);
  await Promise.all(users.map((u) => t.login(u)));
  const results = await Promise.all(users.map((u, i) => t.callAs(u, 'whoami', { delayMs: (i * 37) % 50 })));
  results.forEach((r, i) => {
    expect(r.status).toBe(200);
    expect(r.body.openid).toBe(users[i]);
  });
  // They really were in flight together (not answered one after another).
  expect(Math.max(...results.map((r) => r.body.mostAtOnce))).toBeGreaterThan(100);
  // The SDK's own view reads process-wide env, which the instance never sets per call: it must not name anyone.
  expect(results.every((r) => r.body.sdkView === null || r.body.sdkView === undefined || r.body.sdkView === '')).toBe(true);
});

it('200 concurrent first logins create 200 distinct users, each answered with its own openid', async () => {
  const users = Array.from({ length: 200 }, (_, i) => `login-user-${i}`);
  const results = await Promise.all(users.map((u) => t.callAs(u, 'user', { action: 'login' })));
  results.forEach((r, i) => {
    expect(r.body.ok).toBe(true);
    expect(r.body.data.openid).toBe(users[i]);
    expect(r.body.data.isNew).toBe(true);
  });
  const codes = new Set(results.map((r) => r.body.data.inviteCode));
  expect(codes.size).toBe(200);
  const _ = t.db.command;
  const { total } = await t.db.collection('users').where({ _id: _.in(users) }).count();
  expect(total).toBe(200);
});

it('a second login is not new and keeps the invite code', async () => {
  const first = await t.callAs('again-user', 'user', { action: 'login' });
  const second = await t.callAs('again-user', 'user', { action: 'login' });
  expect(second.body.data.isNew).toBe(false);
  expect(second.body.data.inviteCode).toBe(first.body.data.inviteCode);
});
