/**
 * The dashboard counters of one payment through the real SDK: a day document and its month's all-time document of
 * the same shard are counted in one guarded update (infra/stats.ts applyPair). Attacked with the same batch 20 times
 * at once and with each document having counted part of a batch before: every event counts once on each document.
 */
import { sumByDay } from '../../cloudfunctions/domain/stats';
import { prepareStatsDocs, recordStats, shardOf } from '../../cloudfunctions/infra/stats';
import { startTestCloud, TestCloud } from '../support/cloud';

let t: TestCloud;

beforeAll(async () => {
  t = await startTestCloud({ seed: false });
});
afterAll(async () => {
  await t?.close();
});

type Doc = Record<string, any>;

describe('a day document and its all-time companion in one update', () => {
  const at = new Date('2031-03-05T04:00:00Z');
  const ctx = { db: null as never, clock: { now: () => at } };
  const shard = shardOf('inv-pair');
  const ids = { day: `2031-03-05#${shard}`, all: `all:2031-03#${shard}` };
  const paid = (o: string) => ({ eventKey: `order:${o}:paid`, at, shardKey: 'inv-pair', counters: { ordersPaid: 1, gmvFen: 990 } });
  const reward = (r: string) => ({ eventKey: `reward:${r}:issued`, at, shardKey: 'inv-pair', counters: { rb_cash_n: 1, rb_cash_amt: 500 } });
  const read = async () => {
    const docs = (await t.db.collection('stats_daily').where({ _id: t.db.command.in([ids.day, ids.all]) }).get()).data as Doc[];
    const byId = new Map(docs.map((d) => [d._id, d]));
    return { day: byId.get(ids.day)!, all: byId.get(ids.all)! };
  };

  beforeAll(async () => {
    ctx.db = t.db as never;
    await prepareStatsDocs(ctx); // as the settle timer does ahead of the day
  });

  it('a completing payment (order, conversion, reward) sent 20 times at once counts once on each document', async () => {
    const batch = [paid('p1'), { eventKey: 'firstBuy:buyer-p1', at, shardKey: 'inv-pair', counters: { converted: 1 } }, reward('p1')];
    const counted = await Promise.all(Array.from({ length: 20 }, () => recordStats(ctx, batch)));
    expect(counted.reduce((a, b) => a + b, 0)).toBe(3);
    const { day: d, all: a } = await read();
    expect(d.c).toEqual({ ordersPaid: 1, gmvFen: 990, converted: 1, rb_cash_n: 1, rb_cash_amt: 500 });
    expect(a.c.rb_cash_amt).toBe(500);
    // the all-time view keeps balances only, whatever else shared the update
    const all = sumByDay([a as never]).get('all')!;
    expect(all.rb_cash_amt).toBe(500);
    expect(all.ordersPaid).toBeUndefined();
    expect(all.rb_cash_n).toBeUndefined();
  });

  it('when the day document counted part of a batch before, each document still counts each event once', async () => {
    expect(await recordStats(ctx, [paid('p2')])).toBe(1); // day document only (no balance)
    // a rerun brings the order again with its reward: the day refuses the pair update, the all-time one takes it
    expect(await recordStats(ctx, [paid('p2'), reward('p2')])).toBe(1);
    const { day: d, all: a } = await read();
    expect(d.c.ordersPaid).toBe(2);
    expect(d.c.rb_cash_amt).toBe(1000);
    expect(a.c.rb_cash_amt).toBe(1000);
    expect(await recordStats(ctx, [paid('p2'), reward('p2')])).toBe(0);
    expect((await read()).all.c.rb_cash_amt).toBe(1000);
  });

  it('when the all-time document has a key the day lacks, the day counts it and the all-time does not again', async () => {
    await t.db.collection('stats_daily').doc(ids.all).update({ keys: t.db.command.push(['reward:p3:issued']) });
    expect(await recordStats(ctx, [reward('p3')])).toBe(1);
    const { day: d, all: a } = await read();
    expect(d.c.rb_cash_amt).toBe(1500);
    expect(a.c.rb_cash_amt).toBe(1000);
  });
});

