/**
 * The local cloud's `/__dev/db/hold` (emulator/holds.ts) for tests that put one step of a use case at an exact moment.
 */
import type { HoldRule } from '../../emulator/holds';
import type { TestCloud } from './cloud';

/**
 * Arm a hold on `rule`, start `work`, and wait until its matching request is held. Answers the work (still running)
 * and `release`, which lets the request through and resolves with the work's answer.
 */
export async function heldDuring<T>(t: TestCloud, rule: Omit<HoldRule, 'fail'>, work: () => Promise<T>, what: string): Promise<{ release: () => Promise<T> }> {
  const { id } = await t.dev('db/hold', rule);
  const answer = work();
  for (let i = 0; !(await t.dev(`db/hold?id=${id}`)).waiting; i++) {
    if (i > 400) throw new Error(`${what}: the request was never held`);
    await new Promise((r) => setTimeout(r, 25));
  }
  return {
    release: async () => {
      await t.dev('db/release', { id });
      return answer;
    },
  };
}

/** Fail the next `times` requests matching `rule`; answers whether all of them were used. */
export async function failNext(t: TestCloud, rule: Omit<HoldRule, 'fail'>, times: number): Promise<{ used: () => Promise<boolean> }> {
  const { id } = await t.dev('db/hold', { ...rule, fail: times });
  return { used: async () => !(await t.dev(`db/hold?id=${id}`)).armed };
}
