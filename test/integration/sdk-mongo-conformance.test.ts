/**
 * Conformance: where the local cloud must answer as MongoDB (so CloudBase) does, through the real
 * @cloudbase/node-sdk — field paths into arrays of mixed values, $jsonSchema, string and date aggregation operators,
 * a transaction's snapshot, updateAndReturn's count and ObjectIds outside _id (issue 16, part C).
 * Expected values follow MongoDB's documented behaviour and its server source (src/mongo/db/matcher/path.cpp,
 * expression_array.cpp; exec/expression for $indexOfCP and $substrBytes).
 */
import { startTestCloud, TestCloud } from '../support/cloud';
import { rejectsWithCode } from '../support/sdk-errors';

let t: TestCloud;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
let db: any;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
let _: any;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
let $: any;

const ids = (res: { data: { _id: string }[] }) => res.data.map((d) => d._id).sort();

beforeAll(async () => {
  t = await startTestCloud();
  db = t.db;
  _ = db.command;
  $ = _.aggregate;
});

afterAll(async () => {
  await t.close();
});

async function outside(coll: string, id: string) {
  return (await db.collection(coll).doc(id).get()).data[0];
}

describe('updateAndReturn counts the matched document as updated', () => {
  it('updated: 1 even when the value does not change (outside and inside a transaction); 0 and null without a match', async () => {
    const c = await t.newCollection('uar');
    await db.collection(c).add({ _id: 'u', v: 5 });
    expect(await db.collection(c).where({ _id: 'u' }).updateAndReturn({ v: 5 })).toMatchObject({ updated: 1, doc: { _id: 'u', v: 5 } });
    expect(await db.collection(c).where({ _id: 'u' }).updateAndReturn({ v: _.max(3) })).toMatchObject({ updated: 1, doc: { _id: 'u', v: 5 } });
    await db.runTransaction(async (tx: any) => {
      expect(await tx.collection(c).where({ _id: 'u' }).updateAndReturn({ v: 5 })).toMatchObject({ updated: 1, doc: { _id: 'u', v: 5 } });
    });
    expect(await db.collection(c).where({ _id: 'none' }).updateAndReturn({ v: 5 })).toMatchObject({ updated: 0, doc: null });
    expect(await outside(c, 'u')).toEqual({ _id: 'u', v: 5 });
  });
});
