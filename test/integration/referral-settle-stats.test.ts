/**
 * The settle job counts the rewards it posts (the dashboard's `rb_<form>_posted`) inside the wallet transaction that
 * posts them. These tests try to break that: a run that dies right after its commit (before the rewards' status and
 * anything else), a run whose function instance is killed at a random point, two runs at once — and after the reruns
 * the counters, day and all-time, equal the rewards posted (the ledger's entries, the coupons' statuses) exactly.
 */
import { postMaturedForUsers, postMaturedRewards } from '../../cloudfunctions/app/referral/jobs';
import { startTestCloud, TestCloud } from '../support/cloud';
import { expectAuditClean, MERCHANT, ok, settle, uniq } from './referral-support';

let t: TestCloud;

beforeAll(async () => {
  t = await startTestCloud({ seed: false });
});
afterAll(async () => {
  await t?.close();
});

type Doc = Record<string, any>;
type Sums = Record<string, number>;

const DAY = 86_400_000;
const nowOf = () => new Date(t.cloud.clock.now());
const ctx = () => ({ db: t.db as any, clock: { now: nowOf } });

async function all(name: string, where: Record<string, unknown> = {}): Promise<Doc[]> {
  const out: Doc[] = [];
  for (;;) {
    const res = await t.db.collection(name).where(where).skip(out.length).limit(1000).get();
    out.push(...(res.data as Doc[]));
    if (res.data.length < 1000) return out;
  }
}

/** The posted counters of every day document and of every all-time document, summed. */
async function postedCounters(): Promise<{ days: Sums; allTime: Sums }> {
  const days: Sums = {};
  const allTime: Sums = {};
  for (const d of await all('stats_daily')) {
    const into = d.day === 'all' ? allTime : /^\d{4}-\d\d-\d\d$/.test(d.day) ? days : null;
    for (const [k, v] of Object.entries((d.c ?? {}) as Sums)) if (into && k.endsWith('_posted')) into[k] = (into[k] ?? 0) + v;
  }
  return { days, allTime };
}

const minus = (a: Sums, b: Sums) => Object.fromEntries([...new Set([...Object.keys(a), ...Object.keys(b)])].map((k) => [k, (a[k] ?? 0) - (b[k] ?? 0)]).filter(([, v]) => v !== 0));

/**
 * `users` users, each with two matured cash rewards (100 fen), one of points (50) and one coupon (300 fen), frozen
 * as the settle job finds them (wallets and frozen entries as settlement leaves them).
 */
async function seedMixed(prefix: string, users: number): Promise<{ userIds: string[]; rewardIds: string[] }> {
  const at = new Date(nowOf().getTime() - DAY);
  const day = at.toISOString().slice(0, 10);
  const userIds = Array.from({ length: users }, (_x, i) => `${prefix}-u${i}`);
  const rewards: Doc[] = [];
  const entries: Doc[] = [];
  const reward = (userId: string, k: number, form: string, amount: number) => {
    const id = `rw_${userId}_m${k}`;
    rewards.push({ _id: id, userId, ruleId: 'rule-seed', ruleName: '种子', trigger: 'eachOrder', form, amount, coupon: form === 'coupon' ? { minSpendFen: 0, validDays: 30 } : null, orderId: `${userId}-o${k}`, members: [{ inviteeId: `${userId}-f${k}`, orderId: `${userId}-o${k}`, refundDeadline: at }], status: 'frozen', maturesAt: at, day, couponSyncAt: null, reason: null, createdAt: at, postedAt: null, voidedAt: null, updatedAt: at });
    if (form === 'coupon') return;
    const key = `reward:${id}:frozen|${form}|frozen`;
    entries.push({ _id: key, sourceKey: key, op: `reward:${id}:frozen`, userId, asset: form, bucket: 'frozen', amount, reason: 'reward_frozen', rewardId: id, orderId: `${userId}-o${k}`, withdrawalId: null, valueFen: null, note: null, createdAt: at });
  };
  for (const u of userIds) {
    reward(u, 0, 'cash', 100);
    reward(u, 1, 'cash', 100);
    reward(u, 2, 'points', 50);
    reward(u, 3, 'coupon', 300);
  }
  const wallets = userIds.map((_id) => ({ _id, cash: { available: 0, frozen: 200, withdrawing: 0, debt: 0 }, points: { available: 0, frozen: 50, withdrawing: 0, debt: 0 }, progress: {}, caps: {}, withdrawDay: { day: '', count: 0 }, version: 1, createdAt: at, updatedAt: at }));
  for (const [name, docs] of [['rewards', rewards], ['ledger', entries], ['wallets', wallets]] as const) {
    for (let i = 0; i < docs.length; i += 1000) await t.db.collection(name).add(docs.slice(i, i + 1000));
  }
  return { userIds, rewardIds: rewards.map((r) => r._id) };
}

const perUser = { rb_cash_posted: 200, rb_points_posted: 50, rb_coupon_posted: 300 };
const times = (n: number, s: Sums) => Object.fromEntries(Object.entries(s).map(([k, v]) => [k, v * n]));

/** What the ledger and the rewards say was posted, for these rewards. */
async function postedTruth(rewardIds: string[]): Promise<{ sums: Sums; postings: Map<string, number>; statuses: Record<string, number> }> {
  const _ = t.db.command;
  const sums: Sums = {};
  const postings = new Map<string, number>();
  const statuses: Record<string, number> = {};
  for (let i = 0; i < rewardIds.length; i += 500) {
    const ids = rewardIds.slice(i, i + 500);
    for (const e of await all('ledger', { rewardId: _.in(ids), reason: 'reward_posted', bucket: 'frozen' })) {
      sums[`rb_${e.asset}_posted`] = (sums[`rb_${e.asset}_posted`] ?? 0) - e.amount;
      postings.set(e.rewardId, (postings.get(e.rewardId) ?? 0) + 1);
    }
    for (const r of await all('rewards', { _id: _.in(ids) })) {
      statuses[r.status] = (statuses[r.status] ?? 0) + 1;
      if (r.form === 'coupon' && r.status === 'available') sums.rb_coupon_posted = (sums.rb_coupon_posted ?? 0) + r.amount;
    }
  }
  return { sums, postings, statuses };
}

async function settleUntilDone(rewardIds: string[], timeoutMs = 60_000) {
  const _ = t.db.command;
  const until = Date.now() + timeoutMs;
  // frozen, or a coupon operation still owed
  const left = async () => {
    let n = 0;
    for (let i = 0; i < rewardIds.length; i += 500) {
      const ids = _.in(rewardIds.slice(i, i + 500));
      n += (await t.db.collection('rewards').where({ _id: ids, status: 'frozen' }).count()).total;
      n += (await t.db.collection('rewards').where({ _id: ids, couponSyncAt: _.neq(null) }).count()).total;
    }
    return n;
  };
  while ((await left()) > 0) {
    if (Date.now() > until) throw new Error(`settle did not finish: ${await left()} left`);
    await settle(t);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Every reward posted once, counted once: the counters' growth equals the postings, day and all-time. */
async function expectCountedOnce(before: { days: Sums; allTime: Sums }, users: number, rewardIds: string[]) {
  const after = await postedCounters();
  const truth = await postedTruth(rewardIds);
  const expected = times(users, perUser);
  expect(truth.statuses).toEqual({ available: rewardIds.length });
  expect(truth.sums).toEqual(expected);
  expect(truth.postings.size).toBe(users * 3); // cash and points rewards; each with one posting
  expect([...truth.postings.values()].every((n) => n === 1)).toBe(true);
  expect(minus(after.days, before.days)).toEqual(expected);
  expect(minus(after.allTime, before.allTime)).toEqual(expected);
  await expectAuditClean(t);
}

/**
 * The database of a run that dies at the rewards' status update after its commit, as if killed there: before the
 * update ('commit') or just after it ('status').
 */
function diesAt(db: any, where: 'commit' | 'status'): any {
  const wrap = <T extends object>(target: T, get: (key: PropertyKey) => unknown): T =>
    new Proxy(target, {
      get(obj, key) {
        const own = get(key);
        if (own !== undefined) return own;
        const v = (obj as any)[key];
        return typeof v === 'function' ? v.bind(obj) : v;
      },
    });
  return wrap(db, (key) =>
    key === 'collection'
      ? (name: string) => {
          const coll = db.collection(name);
          if (name !== 'rewards') return coll;
          return wrap(coll, (k) =>
            k === 'where'
              ? (q: unknown) =>
                  wrap(coll.where(q), (w) =>
                    w === 'update'
                      ? async (patch: unknown) => {
                          if (where === 'status') await coll.where(q).update(patch);
                          throw new Error(`killed after the ${where}`);
                        }
                      : undefined,
                  )
              : undefined,
          );
        }
      : undefined,
  );
}

it.each(['commit', 'status'] as const)('a run that dies right after its %s: the rerun posts nothing twice, counts everything once', async (where) => {
  const before = await postedCounters();
  const { userIds, rewardIds } = await seedMixed(uniq(`after-${where}`), 40);
  // The first 25 users: their transaction commits (ledger, wallets, coupons' status, counters), then the run dies,
  // before or after the status update of their cash and points rewards.
  await expect(postMaturedForUsers({ db: diesAt(t.db, where), clock: { now: nowOf } }, userIds.slice(0, 25), nowOf())).rejects.toThrow(`killed after the ${where}`);
  const half = await postedTruth(rewardIds);
  expect(half.sums).toEqual(times(25, perUser)); // posted and committed
  expect(half.statuses).toEqual(where === 'commit' ? { frozen: 25 * 3 + 15 * 4, available: 25 } : { frozen: 15 * 4, available: 25 * 4 });
  expect(minus((await postedCounters()).allTime, before.allTime)).toEqual(times(25, perUser)); // counted with the commit

  await settleUntilDone(rewardIds);
  await expectCountedOnce(before, 40, rewardIds);
  // one 奖励已解冻 message per user: the rerun found the first 25 users' rewards posted and told nobody twice
  const _ = t.db.command;
  expect((await t.db.collection('notifications').where({ kind: 'reward.available', userId: _.in(userIds) }).count()).total).toBe(40);
  // the coupons were issued and activated once each
  const coupons = await all('coupons', { sourceKey: _.in(rewardIds.map((id) => `rebate:${id}`)) });
  expect(coupons).toHaveLength(40);
});

it('the same crash, many times over: every run dies after its commit until none is left, then counts are still exact', async () => {
  const before = await postedCounters();
  const { userIds, rewardIds } = await seedMixed(uniq('crashy'), 30);
  for (let i = 0; i < userIds.length; i += 7) {
    // overlapping batches: each dies after committing; the next batch starts with rewards a dead one already posted
    await postMaturedForUsers({ db: diesAt(t.db, 'commit'), clock: { now: nowOf } }, userIds.slice(Math.max(0, i - 3), i + 7), nowOf()).catch((e) => {
      if (!/killed after the commit/.test(String(e))) throw e;
    });
  }
  await settleUntilDone(rewardIds);
  await expectCountedOnce(before, 30, rewardIds);
});

it('a settle run killed at a random point (its function instance stopped) and run again counts each reward once', async () => {
  const before = await postedCounters();
  const { rewardIds } = await seedMixed(uniq('killed'), 600);
  const _ = t.db.command;
  const posted = async () => (await t.db.collection('ledger').where({ reason: 'reward_posted', bucket: 'available', rewardId: _.in(rewardIds.slice(0, 1000)) }).count()).total;
  const run = settle(t).catch((e) => e);
  while ((await posted()) === 0) await new Promise((r) => setTimeout(r, 5));
  await t.cloud.host.stop();
  await run;
  // Run again until done. A transaction the killed run left open holds its wallets (and its counter lane) until it
  // expires (30 s); the other users go on meanwhile.
  await settleUntilDone(rewardIds, 90_000);
  await expectCountedOnce(before, 600, rewardIds);
}, 120_000);

it('two settle runs at once (and the job called directly beside them) count each reward once', async () => {
  const before = await postedCounters();
  const { rewardIds } = await seedMixed(uniq('twice'), 300);
  for (let round = 0; round < 10; round++) {
    await Promise.all([settle(t), settle(t), postMaturedRewards(ctx())]);
    if ((await postedTruth(rewardIds)).statuses.frozen === undefined) break;
  }
  await settleUntilDone(rewardIds);
  await expectCountedOnce(before, 300, rewardIds);
}, 120_000);

it('the dashboard reads every counter document of 30 days, lanes included, in the same 2 requests', async () => {
  const dash = async () => ok(t, MERCHANT, 'merchant', 'stats', { range: '30d' });
  await dash(); // warm the instance
  const requests = t.cloud.engine.stats.requests;
  const view = await dash();
  expect(t.cloud.engine.stats.requests - requests).toBe(2);
  const { allTime } = await postedCounters();
  expect(view.rebateBalances.available).toEqual({ cashFen: allTime.rb_cash_posted, couponFen: allTime.rb_coupon_posted, points: allTime.rb_points_posted });
});
