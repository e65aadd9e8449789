/**
 * Fuzzing every action of every function (the catalogue, test/support/actions.ts) through the gateway as the
 * example's caller (the platform's own actions through the SDK): generated payloads, most mutating one field of a
 * valid one so they get past the first check — wrong types, missing and extra fields, huge strings and numbers,
 * negative and fractional amounts, `$` operators where a string belongs, other users' ids. Every answer is ok or a
 * catalogued code, never INTERNAL; the function's instance never crashes; a refused payload leaves the database as
 * it was (the store's write sequence does not move — or, when a use case wrote and compensated, every document reads
 * as before); and for an action whose every payload was refused the whole database hashes the same before and after. `FUZZ_PER_ACTION` sets the count (2,000 in `npm run bench`).
 */
import { isErrorCode } from '../../types/errors';
import { ACTIONS, actionKey, runnerOpenid } from '../support/actions';
import { startTestCloud, TestCloud } from '../support/cloud';
import { FuzzResult, fuzzAction, fuzzSummary } from '../support/fuzz';
import { buildScenario, Scenario } from '../support/scenario';

const PER_ACTION = Number(process.env.FUZZ_PER_ACTION ?? 150);
let t: TestCloud;
let s: Scenario;
const results: FuzzResult[] = [];

beforeAll(async () => {
  t = await startTestCloud();
  s = await buildScenario(t);
}, 60_000);

afterAll(async () => {
  const lines = fuzzSummary(results).map((r) => `  ${r.fn.padEnd(9)} ${String(r.actions).padStart(3)} actions ${String(r.payloads).padStart(7)} payloads  ${String(r.reachedPct).padStart(5)}% reached the use case  ${r.ok} ok`);
  const total = results.reduce((a, r) => a + r.payloads, 0);
  // A refusal may write and put back (createOrder reserves stock, then a coupon is refused): allowed, content unchanged.
  const restored = results.filter((r) => r.restored).map((r) => `${r.key} ${r.restored}`);
  console.log(`fuzz: ${total} payloads over ${results.length} actions\n${lines.join('\n')}\n  refusals that wrote and restored everything: ${restored.join(', ') || 'none'}`);
  await t?.close();
});

describe.each(ACTIONS.map((a) => [actionKey(a), a] as const))('%s', (_key, example) => {
  it(`answers ${PER_ACTION} generated payloads with catalogued codes, never INTERNAL, and a refusal writes nothing`, async () => {
    const r = await fuzzAction(t, { ...example, payload: example.payload(s) }, runnerOpenid(s, example.as), PER_ACTION, s.foreignIds, isErrorCode);
    results.push(r);
    expect(r.violations).toEqual([]);
    expect(r.payloads).toBe(PER_ACTION);
  });
});
