/**
 * The action catalogue (test/support/actions.ts) covers exactly the actions the functions serve, with the access
 * each declares. The list comes from the functions themselves: every cloudfunctions/functions/<name>/index.ts is
 * loaded with createHandler wrapped to record the action map it is given, so a new action (or function) that is
 * not in the catalogue fails here before the fuzzer or the authorization matrix can miss it.
 */
import fs from 'node:fs';
import path from 'node:path';
import { ACTIONS, actionKey } from '../support/actions';

const mockServed: { file: string; actions: Record<string, { access: string }> }[] = [];
let mockLoading = '';

jest.mock('../../cloudfunctions/infra/handler', () => {
  const actual = jest.requireActual('../../cloudfunctions/infra/handler');
  return {
    ...actual,
    createHandler: (fn: string, actions: Record<string, { access: string }>) => {
      mockServed.push({ file: mockLoading, actions });
      return actual.createHandler(fn, actions);
    },
  };
});

const FUNCTIONS_DIR = path.resolve(__dirname, '../../cloudfunctions/functions');

function servedActions(): Map<string, string> {
  const out = new Map<string, string>();
  for (const fn of fs.readdirSync(FUNCTIONS_DIR).sort()) {
    const entry = path.join(FUNCTIONS_DIR, fn, 'index.ts');
    if (!fs.existsSync(entry)) continue;
    mockLoading = fn;
    jest.isolateModules(() => {
      require(entry);
    });
    const maps = mockServed.filter((m) => m.file === fn);
    if (maps.length !== 1) throw new Error(`${fn}: expected one createHandler call, saw ${maps.length}`);
    for (const [action, def] of Object.entries(maps[0].actions)) out.set(`${fn}.${action}`, def.access);
  }
  return out;
}

const served = servedActions();

it('lists every action every function serves, and nothing else', () => {
  expect(served.size).toBeGreaterThan(50);
  expect(ACTIONS.map(actionKey).sort()).toEqual([...served.keys()].sort());
});

it('gives each action the access level its function declares', () => {
  const declared = Object.fromEntries(ACTIONS.map((a) => [actionKey(a), a.access]));
  expect(declared).toEqual(Object.fromEntries(served));
});

it('runs each example as someone the access level admits', () => {
  const bad = ACTIONS.filter((a) => {
    if (a.access === 'user') return a.as === 'platform';
    if (a.access === 'merchant') return a.as !== 'merchant';
    if (a.access === 'platform') return a.as !== 'platform';
    return a.as !== 'merchant' && a.as !== 'platform';
  });
  expect(bad.map(actionKey)).toEqual([]);
});
