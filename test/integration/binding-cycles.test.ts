/**
 * The binding graph stays a forest under concurrency (DESIGN rule 11), through the gateway: users binding to each
 * other at the same moment (pairs A⇄B, rings A→B→C→A), by typed code, by opening each other's card before consent
 * and consenting together — in every interleaving, no cycle forms, and a new friend of any of them can still bind.
 * Users whose documents predate the `hasInvitees` mark take the careful path and hold the same promise.
 */
import { startTestCloud, TestCloud } from '../support/cloud';
import { call, expectAuditClean, join, ok, uniq } from './referral-support';

let t: TestCloud;

beforeAll(async () => {
  t = await startTestCloud();
});
afterAll(() => t.close());

interface U {
  id: string;
  code: string;
}

async function fresh(prefix: string): Promise<U> {
  const id = uniq(prefix);
  const { login } = await join(t, id);
  return { id, code: login.inviteCode };
}

/** Every inviter chain of these users, walked in the database; answers the users found on a cycle. */
async function usersOnCycles(ids: string[]): Promise<string[]> {
  const _ = t.db.command;
  const res = await t.db.collection('users').where({ _id: _.in(ids) }).field({ inviterId: true }).limit(1000).get();
  const inviterOf = new Map((res.data as { _id: string; inviterId?: string | null }[]).map((u) => [u._id, u.inviterId ?? null]));
  const onCycle = new Set<string>();
  for (const start of ids) {
    const seen = new Set<string>([start]);
    let next = inviterOf.get(start) ?? null;
    while (next && inviterOf.has(next)) {
      if (seen.has(next)) {
        onCycle.add(start);
        break;
      }
      seen.add(next);
      next = inviterOf.get(next) ?? null;
    }
  }
  return [...onCycle];
}

/** 10 pairs binding both ways and 5 rings of three, all at once by typed code. Answers every user involved. */
async function bindAllAtOnce(): Promise<{ users: U[]; answers: { ok: boolean; code?: string }[] }> {
  const pairs = await Promise.all(Array.from({ length: 10 }, async () => [await fresh('P'), await fresh('Q')]));
  const rings = await Promise.all(Array.from({ length: 5 }, async () => [await fresh('R'), await fresh('S'), await fresh('T')]));
  const binds: [U, U][] = [];
  for (const [a, b] of pairs) binds.push([a, b], [b, a]);
  for (const [a, b, c] of rings) binds.push([a, b], [b, c], [c, a]);
  const answers = await Promise.all(binds.map(([who, to]) => call(t, who.id, 'user', 'bindCode', { inviteCode: to.code })));
  return { users: [...pairs.flat(), ...rings.flat()], answers };
}

it('10 pairs and 5 rings binding at the same moment, 20 times: 0 cycles, and every refusal is catalogued', async () => {
  let bound = 0;
  for (let round = 0; round < 20; round++) {
    const { users, answers } = await bindAllAtOnce();
    expect(await usersOnCycles(users.map((u) => u.id))).toEqual([]);
    for (const a of answers) if (!a.ok) expect(['BIND_CYCLE', 'ALREADY_BOUND']).toContain(a.code);
    bound += answers.filter((a) => a.ok && (a as { data?: { bound?: boolean } }).data?.bound).length;
    // Each pair binds exactly one way and each ring two of its three edges.
    expect(answers.filter((a) => a.ok && (a as { data?: { bound?: boolean } }).data?.bound).length).toBe(10 + 5 * 2);
  }
  expect(bound).toBe(20 * 20);
});

it('two users who opened each other’s card before consenting, consenting together: never a cycle', async () => {
  for (let round = 0; round < 10; round++) {
    const a = uniq('CA');
    const b = uniq('CB');
    const la = await ok(t, a, 'user', 'login', {});
    const lb = await ok(t, b, 'user', 'login', {});
    // Each opens the other's card: held as pending until consent.
    await ok(t, a, 'user', 'login', { inviteCode: lb.inviteCode, source: 'card' });
    await ok(t, b, 'user', 'login', { inviteCode: la.inviteCode, source: 'card' });
    const [ca, cb] = await Promise.all([ok(t, a, 'user', 'consent', { version: '2026-01' }), ok(t, b, 'user', 'consent', { version: '2026-01' })]);
    expect(await usersOnCycles([a, b])).toEqual([]);
    expect([ca.hasInviter, cb.hasInviter].filter(Boolean)).toHaveLength(1);
  }
});

it('a ring member’s new friend binds (no cycle left to make the chain look endless)', async () => {
  const { users } = await bindAllAtOnce();
  for (const member of users.slice(0, 6)) {
    const friend = uniq('NF');
    await join(t, friend, { code: member.code });
    expect((await t.db.collection('users').doc(friend).get()).data[0].inviterId).toBe(member.id);
  }
});

it('older user documents without the invitee mark take the careful path: still 0 cycles in 5 rounds', async () => {
  for (let round = 0; round < 5; round++) {
    const pairs = await Promise.all(Array.from({ length: 6 }, async () => [await fresh('OP'), await fresh('OQ')]));
    const rings = await Promise.all(Array.from({ length: 3 }, async () => [await fresh('OR'), await fresh('OS'), await fresh('OT')]));
    const all = [...pairs.flat(), ...rings.flat()];
    const _ = t.db.command;
    await t.db.collection('users').where({ _id: _.in(all.map((u) => u.id)) }).update({ hasInvitees: _.remove() });
    const binds: [U, U][] = [];
    for (const [a, b] of pairs) binds.push([a, b], [b, a]);
    for (const [a, b, c] of rings) binds.push([a, b], [b, c], [c, a]);
    await Promise.all(binds.map(([who, to]) => call(t, who.id, 'user', 'bindCode', { inviteCode: to.code })));
    expect(await usersOnCycles(all.map((u) => u.id))).toEqual([]);
  }
});

afterEach(async () => {
  await expectAuditClean(t);
});
