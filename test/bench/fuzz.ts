/**
 * The action catalogue in the bench, on a local cloud with the scenario built (test/support/scenario.ts):
 *  - database round trips of every action's example call, counted at the local cloud around that one call;
 *  - the full fuzz: FUZZ_PER_ACTION (2,000) generated payloads for every action, the same checks as
 *    test/integration/fuzz.test.ts (catalogued codes, never INTERNAL, no crash, a refusal writes nothing), with the
 *    share of payloads that got past validation to the use case, per function.
 */
import { isErrorCode } from '../../types/errors';
import { ACTIONS, actionKey, runnerOpenid } from '../support/actions';
import { startTestCloud, TestCloud } from '../support/cloud';
import { FuzzResult, fuzzAction, fuzzSummary } from '../support/fuzz';
import { buildScenario } from '../support/scenario';
import { BenchRow, row } from './report';

const PER_ACTION = Number(process.env.FUZZ_PER_ACTION ?? 2000);

async function example(t: TestCloud, fn: string, openid: string | null, data: Record<string, unknown>) {
  if (openid) return (await t.callAs(openid, fn, data)).body as { ok: boolean; code?: string };
  return ((await t.app.callFunction({ name: fn, data })) as { result: { ok: boolean; code?: string } }).result;
}

/** Database requests per action: the example payload once, as its caller, on a fresh scenario. */
export async function benchRoundTrips(): Promise<BenchRow[]> {
  const t = await startTestCloud();
  const rows: BenchRow[] = [];
  try {
    const s = await buildScenario(t);
    // Warm every function's instance (its first call also loads the bundle and opens connections).
    for (const fn of [...new Set(ACTIONS.map((a) => a.fn))]) await example(t, fn, s.merchant, { action: 'noSuchAction' });
    for (const a of ACTIONS) {
      const before = t.cloud.engine.stats.requests;
      const res = await example(t, a.fn, runnerOpenid(s, a.as), { ...a.payload(s), action: a.action });
      const trips = t.cloud.engine.stats.requests - before;
      // Information: the modules' own benches hold the targets (createOrder, a payment notification, a help).
      rows.push(row('round trips per action', `${actionKey(a)}${res.ok ? '' : ` (${res.code})`}`, trips, 'db requests'));
    }
  } finally {
    await t.close();
  }
  return rows;
}

export async function benchFuzz(): Promise<BenchRow[]> {
  const t = await startTestCloud();
  const results: FuzzResult[] = [];
  try {
    const s = await buildScenario(t);
    for (const a of ACTIONS) {
      const r = await fuzzAction(t, { ...a, payload: a.payload(s) }, runnerOpenid(s, a.as), PER_ACTION, s.foreignIds, isErrorCode);
      results.push(r);
      for (const v of r.violations) console.error(`fuzz violation: ${v}`);
    }
  } finally {
    await t.close();
  }
  const AREA = 'fuzz';
  const rows: BenchRow[] = [];
  for (const f of fuzzSummary(results)) {
    rows.push(row(AREA, `${f.fn}: ${f.actions} actions × ${PER_ACTION} payloads, answers outside the catalogue / INTERNAL / writes on refusal / crashes`, f.violations, 'violations', { max: 0 }));
    rows.push(row(AREA, `${f.fn}: payloads that reached the use case behind validation`, f.reachedPct, '%'));
  }
  const total = results.reduce((n, r) => n + r.payloads, 0);
  const violations = results.reduce((n, r) => n + r.violations.length, 0);
  const restored = results.reduce((n, r) => n + r.restored, 0);
  rows.push(row(AREA, `every action (${results.length}) × ${PER_ACTION}: payloads answered, 0 violations required`, violations === 0 ? total : 0, 'payloads', { min: ACTIONS.length * 2000 }));
  rows.push(row(AREA, 'refusals that wrote and put everything back (compensated, content unchanged)', restored, 'payloads'));
  return rows;
}
