/**
 * `npm start`: build what changed, then run the local cloud with the browser app, and print a short summary.
 *
 * Each build (functions, h5) is skipped when a hash of its inputs (sources, config, lockfile, the env baked in) and of
 * its output (what the last build left in dist/) match the record of the last build this script made. The records live
 * in dist/.start/ (ignored by git; deleting dist/ forgets them). The webpack/esbuild output goes to
 * dist/.start/<target>.log; on failure its last lines are printed. `npm test` and `npm run build:*` always build fresh:
 * a build they make changes dist/, so the output hash no longer matches and the next start rebuilds.
 * `--rebuild` forces both builds; other flags are passed to the local cloud (see emulator/main.ts).
 */
import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..');
const STATE = path.join(ROOT, 'dist', '.start');

interface Target {
  name: 'functions' | 'h5';
  inputs: string[];
  /** Files whose content identifies the build in dist/ (missing = must build). */
  outputs: () => string[];
  env: string[];
  command: string[];
}

const TARGETS: Target[] = [
  {
    name: 'functions',
    inputs: ['cloudfunctions', 'types', 'config/build-functions.ts', 'config/bundle-stubs', 'config/collections.ts', 'package-lock.json', 'tsconfig.json'],
    outputs: () => {
      const dir = path.join(ROOT, 'dist', 'cloudfunctions');
      const src = path.join(ROOT, 'cloudfunctions', 'functions');
      return fs.readdirSync(src).filter((n) => fs.existsSync(path.join(src, n, 'index.ts'))).map((n) => path.join(dir, n, 'index.js'));
    },
    env: [],
    command: ['config/build-functions.ts'],
  },
  {
    name: 'h5',
    inputs: ['src', 'types', 'config', 'babel.config.js', 'tsconfig.json', 'package.json', 'package-lock.json', 'project.config.json'],
    outputs: () => [path.join(ROOT, 'dist', 'h5', 'index.html')],
    env: ['NODE_ENV', 'TARO_APP_CLOUD_URL', 'TARO_APP_CLOUD_ENV', 'TARO_APP_SHARE_BASE', 'SUBSCRIBE_TMPL_'],
    command: [],
  },
];

function walk(p: string, out: string[]) {
  if (!fs.existsSync(p)) return;
  const st = fs.statSync(p);
  if (st.isDirectory()) for (const n of fs.readdirSync(p).sort()) walk(path.join(p, n), out);
  else out.push(p);
}

function inputHash(t: Target): string {
  const h = crypto.createHash('sha256');
  const files: string[] = [];
  for (const rel of t.inputs) walk(path.join(ROOT, rel), files);
  for (const f of files) h.update(path.relative(ROOT, f)).update('\0').update(fs.readFileSync(f)).update('\0');
  for (const [k, v] of Object.entries(process.env).sort()) {
    if (t.env.some((e) => (e.endsWith('_') ? k.startsWith(e) : k === e))) h.update(`${k}=${v}\0`);
  }
  return h.digest('hex');
}

function outputHash(t: Target): string | null {
  const h = crypto.createHash('sha256');
  for (const f of t.outputs()) {
    if (!fs.existsSync(f)) return null;
    h.update(fs.readFileSync(f));
  }
  return h.digest('hex');
}

function run(t: Target): Promise<void> {
  const log = path.join(STATE, `${t.name}.log`);
  const out = fs.openSync(log, 'w');
  const args =
    t.name === 'h5'
      ? [path.join(ROOT, 'node_modules', '@tarojs', 'cli', 'bin', 'taro'), 'build', '--type', 'h5']
      : [path.join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs'), ...t.command];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', out, out], env: { ...process.env, FORCE_COLOR: '0' } });
    child.on('error', reject);
    child.on('exit', (code) => {
      fs.closeSync(out);
      if (code === 0) return resolve();
      // The log is webpack progress redrawn with escape codes; show its last meaningful lines.
      const text = fs.readFileSync(log, 'utf8').replace(/\x1b\[[0-9;]*[A-Za-z]/g, '');
      const lines = text.split('\n').filter((l) => l.trim() && !/^●|^\s*(Webpack|\w+Plugin)\s*$/.test(l));
      console.error(lines.slice(-40).join('\n'));
      reject(new Error(`${t.name} build failed (exit ${code}); full log: ${path.relative(ROOT, log)}`));
    });
  });
}

async function ensureBuilt(t: Target, force: boolean) {
  const record = path.join(STATE, `${t.name}.json`);
  const input = inputHash(t);
  let last: { input?: string; output?: string } = {};
  try {
    last = JSON.parse(fs.readFileSync(record, 'utf8'));
  } catch {
    /* first start */
  }
  if (!force && last.input === input && last.output && last.output === outputHash(t)) {
    console.log(`[start] ${t.name.padEnd(9)} unchanged, build reused`);
    return;
  }
  const started = Date.now();
  process.stdout.write(`[start] ${t.name.padEnd(9)} building… `);
  await run(t);
  fs.writeFileSync(record, JSON.stringify({ input, output: outputHash(t), at: new Date().toISOString() }));
  console.log(`${((Date.now() - started) / 1000).toFixed(1)} s (log: ${path.relative(ROOT, path.join(STATE, `${t.name}.log`))})`);
}

async function main() {
  const argv = process.argv.slice(2);
  const force = argv.includes('--rebuild');
  const passOn = argv.filter((a) => a !== '--rebuild');
  fs.mkdirSync(STATE, { recursive: true });
  const started = Date.now();
  for (const t of TARGETS) await ensureBuilt(t, force);
  console.log(`[start] ready to serve in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  const child = spawn(process.execPath, [path.join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs'), path.join(ROOT, 'emulator', 'main.ts'), ...passOn], {
    cwd: ROOT,
    stdio: 'inherit',
  });
  const forward = (sig: NodeJS.Signals) => child.kill(sig);
  process.on('SIGINT', forward);
  process.on('SIGTERM', forward);
  child.on('exit', (code) => process.exit(code ?? 0));
}

main().catch((e: Error) => {
  console.error(`[start] ${e.message}`);
  process.exit(1);
});
