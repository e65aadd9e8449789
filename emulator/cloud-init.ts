/**
 * `npm run cloud:init`: apply the collection manifest (config/collections.ts) to a real CloudBase environment with
 * CloudBase's management SDK — create missing collections, then create missing indexes (unique ones unique).
 * Reads ENV_ID, TENCENTCLOUD_SECRETID and TENCENTCLOUD_SECRETKEY from the environment; never from the repo.
 * `--dry-run` prints what it would do without calling the cloud.
 */
import CloudBase from '@cloudbase/manager-node';
import { COLLECTIONS, IndexSpec } from '../config/collections';

export function createIndexRequest(index: IndexSpec) {
  return {
    IndexName: index.name,
    MgoKeySchema: {
      MgoIndexKeys: Object.entries(index.keys).map(([Name, Direction]) => ({ Name, Direction: String(Direction) })),
      MgoIsUnique: !!index.unique,
    },
  };
}

async function main() {
  const dryRun = process.argv.includes('--dry-run');
  if (dryRun) {
    for (const c of COLLECTIONS) console.log(JSON.stringify({ collection: c.name, CreateIndexes: c.indexes.map(createIndexRequest) }));
    return;
  }
  const envId = process.env.ENV_ID;
  const secretId = process.env.TENCENTCLOUD_SECRETID;
  const secretKey = process.env.TENCENTCLOUD_SECRETKEY;
  if (!envId || !secretId || !secretKey) {
    console.error('Set ENV_ID, TENCENTCLOUD_SECRETID and TENCENTCLOUD_SECRETKEY (or use --dry-run).');
    process.exit(2);
  }
  const { database } = new CloudBase({ envId, secretId, secretKey });
  for (const c of COLLECTIONS) {
    await database.createCollectionIfNotExists(c.name);
    const missing: IndexSpec[] = [];
    for (const index of c.indexes) if (!(await database.checkIndexExists(c.name, index.name)).Exists) missing.push(index);
    if (missing.length) await database.updateCollection(c.name, { CreateIndexes: missing.map(createIndexRequest) } as never);
    console.log(`${c.name}: ok${missing.length ? `, created ${missing.map((i) => i.name).join(', ')}` : ''}`);
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
