/**
 * The typed collections (cloudfunctions/infra/collections.ts) and the collection manifest (config/collections.ts,
 * which the local cloud and `npm run cloud:init` create) name the same collections: a collection the functions can
 * reach always exists, and one the manifest creates always has a document type.
 */
import fs from 'node:fs';
import path from 'node:path';
import { COLLECTIONS } from '../../config/collections';

const source = fs.readFileSync(path.resolve(__dirname, '../../cloudfunctions/infra/collections.ts'), 'utf8');

function docTypeNames(): string[] {
  const body = /export interface DocTypes \{([\s\S]*?)\n\}/.exec(source)?.[1] ?? '';
  return [...body.matchAll(/^\s+([a-z_]+):/gm)].map((m) => m[1]);
}

it('every collection of the manifest has a document type, and every typed collection is in the manifest', () => {
  const typed = docTypeNames();
  expect(typed.length).toBeGreaterThan(20);
  expect(new Set(typed).size).toBe(typed.length);
  expect([...typed].sort()).toEqual(COLLECTIONS.map((c) => c.name).sort());
});
