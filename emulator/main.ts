/**
 * `npm start` / `npm run cloud`: the local cloud as one process.
 *   --port <n> (default 8787)   --data-dir <dir> (default .data)   --memory (no durable store)
 *   --no-app (do not serve the browser build)   --no-seed   --no-timers
 */
import path from 'node:path';
import { ROOT, startLocalCloud } from './index';

function flag(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}
const has = (name: string) => process.argv.includes(`--${name}`);

async function main() {
  const port = Number(flag('port') ?? process.env.PORT ?? 8787);
  const dataDir = has('memory') ? null : path.resolve(flag('data-dir') ?? path.join(ROOT, '.data'));
  const cloud = await startLocalCloud({
    port,
    dataDir,
    appDir: has('no-app') ? null : undefined,
    seed: !has('no-seed'),
    timers: !has('no-timers'),
  });
  console.log(`[local-cloud] admin API   ${cloud.adminUrl}   (env "${cloud.envId}", SecretId ${cloud.keys.secretId})`);
  console.log(`[local-cloud] storage     ${dataDir ?? 'in memory'}`);
  console.log(`[local-cloud] functions   ${cloud.host.names().join(', ') || '(none built: npm run build:functions)'}`);
  if (!has('no-app')) console.log(`[local-cloud] app         ${cloud.url}/   ← open in a browser`);
  const stop = async () => {
    await cloud.close();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
