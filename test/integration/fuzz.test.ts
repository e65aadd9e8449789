/**
 * Fuzzing every action through the gateway: generated payloads (most mutate one field of a valid one) each get a
 * catalogued error code or a success, never INTERNAL, never a crash; a refused payload writes nothing (the local
 * cloud's write sequence does not move). The full count runs in `npm run bench`.
 */
import { isErrorCode } from '../../types/errors';
import { ACTIONS, OTHER_IDS } from '../support/actions';
import { startTestCloud, TestCloud } from '../support/cloud';
import { mutate, prng } from '../support/fuzz';

const PER_ACTION = Number(process.env.FUZZ_PER_ACTION ?? 150);
let t: TestCloud;

beforeAll(async () => {
  t = await startTestCloud();
});
afterAll(() => t.close());

describe.each(ACTIONS.map((a) => [`${a.fn}.${a.action}`, a] as const))('%s', (_name, example) => {
  it(`answers ${PER_ACTION} mutated payloads with catalogued codes and refuses without writing`, async () => {
    const rnd = prng(0x5eed + example.action.length * 131 + example.fn.length);
    let reached = 0;
    for (let i = 0; i < PER_ACTION; i++) {
      const m = mutate(example.payload, rnd, OTHER_IDS);
      const before = t.cloud.store.seq;
      const res = await t.callAs(example.as, example.fn, { ...m.payload, action: example.action });
      const where = `${example.fn}.${example.action} ${JSON.stringify(m.payload).slice(0, 200)}`;
      expect({ where, status: res.status }).toEqual({ where, status: 200 });
      const body = res.body as { ok: boolean; code?: string };
      if (body.ok) {
        reached++;
        continue;
      }
      expect({ where, catalogued: isErrorCode(body.code) }).toEqual({ where, catalogued: true });
      expect({ where, code: body.code }).not.toEqual({ where, code: 'INTERNAL' });
      expect({ where, wrote: t.cloud.store.seq !== before }).toEqual({ where, wrote: false });
      if (body.code !== 'INVALID_ARGUMENT') reached++;
    }
    // Reported, not asserted: the share of payloads that got past validation to the use case.
    console.log(`${example.fn}.${example.action}: ${reached}/${PER_ACTION} reached the use case`);
  });
});
