/**
 * Conformance: aggregation stages through the real @cloudbase/node-sdk against the local cloud.
 */
import { startTestCloud, TestCloud } from '../support/cloud';
import { freshName, rejectsWithCode } from '../support/sdk-errors';

let t: TestCloud;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
let db: any;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
let _: any;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
let $: any;
let sales: string;
let people: string;
let orders: string;

const D = (s: string) => new Date(`${s}T00:00:00.000Z`);

beforeAll(async () => {
  t = await startTestCloud();
  db = t.db;
  _ = db.command;
  $ = _.aggregate;
  sales = freshName('sales');
  people = freshName('people');
  orders = freshName('orders');
  for (const c of [sales, people, orders]) await db.createCollection(c);
  await db.collection(sales).add([
    { _id: 's1', cat: 'fruit', item: 'apple', qty: 3, price: 2, day: D('2024-01-01'), tags: ['red', 'sweet'] },
    { _id: 's2', cat: 'fruit', item: 'pear', qty: 1, price: 4, day: D('2024-01-02'), tags: ['green'] },
    { _id: 's3', cat: 'veg', item: 'leek', qty: 5, price: 1, day: D('2024-01-02'), tags: [] },
    { _id: 's4', cat: 'veg', item: 'kale', qty: 2, price: 3.5, day: D('2024-01-03'), tags: ['green', 'bitter'] },
    { _id: 's5', cat: 'nuts', item: 'almond', qty: 10, price: 0.5, day: D('2024-01-04') },
  ]);
  await db.collection(people).add([
    { _id: 'p1', name: 'Ann', city: 'GZ' },
    { _id: 'p2', name: 'Bo', city: 'SZ' },
    { _id: 'p3', name: 'Cy', city: 'GZ' },
  ]);
  await db.collection(orders).add([
    { _id: 'o1', buyer: 'p1', amount: 10, status: 'paid' },
    { _id: 'o2', buyer: 'p1', amount: 5, status: 'refunded' },
    { _id: 'o3', buyer: 'p2', amount: 7, status: 'paid' },
  ]);
});

afterAll(async () => {
  await t.close();
});

describe('aggregate', () => {
  it('match answers {data, requestId}', async () => {
    const res = await db.collection(sales).aggregate().match({ cat: 'fruit' }).end();
    expect(typeof res.requestId).toBe('string');
    expect(res.data.map((d: { _id: string }) => d._id).sort()).toEqual(['s1', 's2']);
  });

  it('match with command operators and Dates', async () => {
    const res = await db.collection(sales).aggregate().match({ qty: _.gte(3), day: _.gte(D('2024-01-02')) }).sort({ qty: 1 }).end();
    expect(res.data.map((d: { _id: string }) => d._id)).toEqual(['s3', 's5']);
    expect(res.data[0].day).toBeInstanceOf(Date);
    const or = await db.collection(sales).aggregate().match(_.or([{ item: 'apple' }, { qty: _.gt(5) }])).sort({ _id: 1 }).end();
    expect(or.data.map((d: { _id: string }) => d._id)).toEqual(['s1', 's5']);
  });

  it('group with $sum, $avg, $max, $min, $push, $addToSet, $first, count via $sum 1', async () => {
    const res = await db
      .collection(sales)
      .aggregate()
      .sort({ _id: 1 })
      .group({
        _id: '$cat',
        totalQty: $.sum('$qty'),
        n: $.sum(1),
        avgPrice: $.avg('$price'),
        maxQty: $.max('$qty'),
        minPrice: $.min('$price'),
        items: $.push('$item'),
        days: $.addToSet('$day'),
        firstItem: $.first('$item'),
        revenue: $.sum($.multiply(['$qty', '$price'])),
      })
      .sort({ _id: 1 })
      .end();
    expect(res.data.map((g: { _id: string }) => g._id)).toEqual(['fruit', 'nuts', 'veg']);
    const [fruit, nuts, veg] = res.data;
    expect(fruit).toMatchObject({ totalQty: 4, n: 2, avgPrice: 3, maxQty: 3, minPrice: 2, items: ['apple', 'pear'], firstItem: 'apple', revenue: 10 });
    expect(nuts).toMatchObject({ totalQty: 10, n: 1, avgPrice: 0.5, items: ['almond'], revenue: 5 });
    expect(veg).toMatchObject({ totalQty: 7, n: 2, avgPrice: 2.25, maxQty: 5, minPrice: 1, items: ['leek', 'kale'], revenue: 12 });
    expect(veg.days).toHaveLength(2);
    expect(veg.days[0]).toBeInstanceOf(Date);
  });

  it('group by null totals everything', async () => {
    const res = await db.collection(sales).aggregate().group({ _id: null, total: $.sum('$qty'), n: $.sum(1) }).end();
    expect(res.data).toEqual([{ _id: null, total: 21, n: 5 }]);
  });

  it('sort, skip, limit', async () => {
    const res = await db.collection(sales).aggregate().sort({ qty: -1 }).skip(1).limit(2).end();
    expect(res.data.map((d: { _id: string }) => d._id)).toEqual(['s3', 's1']);
    const multi = await db.collection(sales).aggregate().sort({ cat: 1, qty: -1 }).end();
    expect(multi.data.map((d: { _id: string }) => d._id)).toEqual(['s1', 's2', 's5', 's3', 's4']);
  });

  it('project (include, exclude, computed)', async () => {
    const inc = await db.collection(sales).aggregate().match({ _id: 's1' }).project({ item: 1, _id: 0 }).end();
    expect(inc.data).toEqual([{ item: 'apple' }]);
    const exc = await db.collection(sales).aggregate().match({ _id: 's2' }).project({ day: 0, tags: 0 }).end();
    expect(exc.data).toEqual([{ _id: 's2', cat: 'fruit', item: 'pear', qty: 1, price: 4 }]);
    const calc = await db
      .collection(sales)
      .aggregate()
      .match({ _id: 's4' })
      .project({ _id: 0, item: 1, total: $.multiply(['$qty', '$price']), big: $.gt(['$qty', 1]), label: $.concat(['$cat', ':', '$item']) })
      .end();
    expect(calc.data).toEqual([{ item: 'kale', total: 7, big: true, label: 'veg:kale' }]);
  });

  it('unwind (string form, includeArrayIndex / preserveNullAndEmptyArrays)', async () => {
    const res = await db.collection(sales).aggregate().unwind('$tags').sort({ _id: 1, tags: 1 }).project({ _id: 1, tags: 1 }).end();
    expect(res.data).toEqual([
      { _id: 's1', tags: 'red' },
      { _id: 's1', tags: 'sweet' },
      { _id: 's2', tags: 'green' },
      { _id: 's4', tags: 'bitter' },
      { _id: 's4', tags: 'green' },
    ]);
    const kept = await db
      .collection(sales)
      .aggregate()
      .unwind({ path: '$tags', preserveNullAndEmptyArrays: true, includeArrayIndex: 'idx' })
      .match({ _id: _.in(['s3', 's5', 's4']) })
      .sort({ _id: 1, idx: 1 })
      .project({ _id: 1, tags: 1, idx: 1 })
      .end();
    expect(kept.data).toEqual([
      { _id: 's3', idx: null },
      { _id: 's4', tags: 'green', idx: 0 },
      { _id: 's4', tags: 'bitter', idx: 1 },
      { _id: 's5', idx: null },
    ]);
  });

  it('count', async () => {
    const res = await db.collection(sales).aggregate().match({ cat: 'veg' }).count('howMany').end();
    expect(res.data).toEqual([{ howMany: 2 }]);
  });

  it('addFields', async () => {
    const res = await db
      .collection(sales)
      .aggregate()
      .match({ _id: 's1' })
      .addFields({ total: $.multiply(['$qty', '$price']), fixed: 'x', tagCount: $.size('$tags') })
      .project({ _id: 0, total: 1, fixed: 1, tagCount: 1, item: 1 })
      .end();
    expect(res.data).toEqual([{ item: 'apple', total: 6, fixed: 'x', tagCount: 2 }]);
  });

  it('lookup (localField / foreignField)', async () => {
    const res = await db
      .collection(people)
      .aggregate()
      .lookup({ from: orders, localField: '_id', foreignField: 'buyer', as: 'orders' })
      .sort({ _id: 1 })
      .end();
    expect(res.data.map((p: { _id: string; orders: { _id: string }[] }) => [p._id, p.orders.map((o) => o._id).sort()])).toEqual([
      ['p1', ['o1', 'o2']],
      ['p2', ['o3']],
      ['p3', []],
    ]);
  });

  it('lookup with let / pipeline ($.pipeline() and _.expr)', async () => {
    const res = await db
      .collection(people)
      .aggregate()
      .lookup({
        from: orders,
        let: { pid: '$_id' },
        pipeline: $.pipeline()
          .match(_.expr($.and([$.eq(['$buyer', '$$pid']), $.eq(['$status', 'paid'])])))
          .project({ _id: 0, amount: 1 })
          .done(),
        as: 'paid',
      })
      .project({ _id: 1, paid: 1 })
      .sort({ _id: 1 })
      .end();
    expect(res.data).toEqual([
      { _id: 'p1', paid: [{ amount: 10 }] },
      { _id: 'p2', paid: [{ amount: 7 }] },
      { _id: 'p3', paid: [] },
    ]);
  });

  it('lookup then group: paid totals per city', async () => {
    const res = await db
      .collection(orders)
      .aggregate()
      .match({ status: 'paid' })
      .lookup({ from: people, localField: 'buyer', foreignField: '_id', as: 'person' })
      .unwind('$person')
      .group({ _id: '$person.city', total: $.sum('$amount') })
      .sort({ _id: 1 })
      .end();
    expect(res.data).toEqual([
      { _id: 'GZ', total: 10 },
      { _id: 'SZ', total: 7 },
    ]);
  });

  it('match with _.expr at the top level', async () => {
    const res = await db.collection(sales).aggregate().match(_.expr($.gt([$.multiply(['$qty', '$price']), 6]))).sort({ _id: 1 }).end();
    expect(res.data.map((d: { _id: string }) => d._id)).toEqual(['s4']);
  });

  it('an empty result is []', async () => {
    const res = await db.collection(sales).aggregate().match({ cat: 'none' }).end();
    expect(res.data).toEqual([]);
  });

  it('errors: missing collection, missing lookup collection, unknown stage', async () => {
    await rejectsWithCode(db.collection('agg_missing').aggregate().match({}).end(), 'DATABASE_COLLECTION_NOT_EXIST');
    await rejectsWithCode(
      db.collection(people).aggregate().lookup({ from: 'agg_missing', localField: '_id', foreignField: 'x', as: 'y' }).end(),
      'DATABASE_COLLECTION_NOT_EXIST',
    );
    await rejectsWithCode(db.collection(sales).options({ raw: true }).aggregate([{ $nope: {} }]).end(), 'INVALID_PARAM');
  });

  it('raw pipeline via options({raw:true}).aggregate([...])', async () => {
    const res = await db
      .collection(sales)
      .options({ raw: true })
      .aggregate([{ $match: { qty: { $gt: 2 } } }, { $group: { _id: null, n: { $sum: 1 } } }])
      .end();
    expect(res.data).toEqual([{ _id: null, n: 3 }]);
  });
});
