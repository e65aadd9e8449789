/**
 * `npm start` / `npm run cloud`: the local cloud as one process.
 *   --port <n> (default 8787)   --data-dir <dir> (default .data)   --memory (no durable store)
 *   --no-app (do not serve the browser build)   --no-seed   --no-timers
 */
import path from 'node:path';
import { ROOT, startLocalCloud } from './index';
import { DEMO_IDENTITIES } from './seed';

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
  const lines = [
    ...(has('no-app') ? [] : [`app          ${cloud.url}/   ← open in a browser (each tab is a new WeChat user)`]),
    `local cloud  ${cloud.adminUrl}   (env "${cloud.envId}", SecretId ${cloud.keys.secretId})`,
    `storage      ${dataDir ?? 'in memory'}${has('no-seed') ? '' : '   (POST /__dev/reset wipes and reseeds)'}`,
    `functions    ${cloud.host.names().join(', ') || '(none built: npm run build:functions)'}`,
    ...(has('no-seed') ? [] : [`demo users   ${DEMO_IDENTITIES.map((u) => `${u.label} (${u.nickname})`).join(', ')}`]),
    ...(has('no-app') ? [] : ['switch user  the 身份 pill at the right of the title bar: a demo user, a new user, or move the clock']),
  ];
  console.log(lines.map((l) => `[local-cloud] ${l}`).join('\n'));
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
