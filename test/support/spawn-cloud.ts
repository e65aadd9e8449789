/**
 * The local cloud as a separate process (`tsx emulator/main.ts --port 0 ...`), for tests that kill it or that send
 * input which might crash it (a crash there fails the test instead of the test runner).
 */
import { ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');

export interface SpawnedCloud {
  child: ChildProcess;
  port: number;
  host: string;
  adminUrl: string;
  output(): string;
  /** Still running (not exited). */
  alive(): boolean;
  /** kill -9 the process group (tsx and the server process it runs) and wait until nothing answers on the port. */
  kill9(): Promise<void>;
}

export async function spawnCloud(opts: { dataDir?: string; keys: { secretId: string; secretKey: string }; args?: string[] }): Promise<SpawnedCloud> {
  const storage = opts.dataDir ? ['--data-dir', opts.dataDir] : ['--memory'];
  const child = spawn(path.join(ROOT, 'node_modules/.bin/tsx'), ['emulator/main.ts', '--port', '0', ...storage, '--no-app', '--no-timers', ...(opts.args ?? [])], {
    cwd: ROOT,
    env: { ...process.env, TENCENTCLOUD_SECRETID: opts.keys.secretId, TENCENTCLOUD_SECRETKEY: opts.keys.secretKey, PORT: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true, // its own process group: tsx runs the server in a child process, and kill -9 must reach it
  });
  let out = '';
  child.stdout!.on('data', (c) => (out += c));
  child.stderr!.on('data', (c) => (out += c));
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`local cloud did not start:\n${out}`)), 30_000);
    const onData = () => {
      const m = /\[local-cloud\] local cloud\s+http:\/\/127\.0\.0\.1:(\d+)\/admin/.exec(out);
      if (m) {
        clearTimeout(timer);
        child.stdout!.off('data', onData);
        resolve(Number(m[1]));
      }
    };
    child.stdout!.on('data', onData);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`local cloud exited (${code ?? signal}) before listening:\n${out}`));
    });
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    child,
    port,
    host: `127.0.0.1:${port}`,
    adminUrl: `http://127.0.0.1:${port}/admin`,
    output: () => out,
    alive: () => child.exitCode === null && child.signalCode === null,
    async kill9() {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        /* already gone */
      }
      await exited;
      for (let i = 0; i < 200; i++) {
        try {
          process.kill(-child.pid!, 0); // anyone left in the group?
        } catch {
          break;
        }
        await new Promise((res) => setTimeout(res, 20));
      }
      const stillAnswers = await fetch(`http://127.0.0.1:${port}/__dev/clock`).then(
        () => true,
        () => false,
      );
      if (stillAnswers) throw new Error(`local cloud on port ${port} still answers after kill -9`);
    },
  };
}
