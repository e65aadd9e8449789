/**
 * Runs the function bundles from dist/cloudfunctions/<name>/index.js, each in its own long-lived worker process
 * (an "instance"), with the environment a CloudBase function gets. Identity and the local clock travel in each
 * invocation's context, never in the process environment, so concurrent calls cannot see each other's caller.
 */
import { ChildProcess, fork } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { buildSync } from 'esbuild';
import { CloudError } from './errors';

export interface Caller {
  /** WeChat openid of the user calling (absent for timers and server-to-server calls). */
  openid?: string;
  source: 'wx_client' | 'timer' | 'server';
  triggerName?: string;
}

export interface FunctionHostOptions {
  functionsDir: string;
  envId: string;
  appId: string;
  adminUrl: () => string;
  keys: { secretId: string; secretKey: string };
  clockOffset: () => number;
  /** Extra environment for every function (configuration, e.g. the first merchant's openid). */
  env?: Record<string, string>;
  timeoutMs?: number;
  /**
   * Invocations one instance runs at once (CloudBase's per-instance concurrency); more wait in line here, in arrival
   * order, and their time limit starts when they run. Default LOCAL_CLOUD_FUNCTION_CONCURRENCY or 32.
   */
  concurrency?: number;
}

interface Pending {
  resolve: (v: unknown) => void;
  reject: (e: Error) => void;
  timer: NodeJS.Timeout;
}

interface Instance {
  child: ChildProcess;
  ready: Promise<void>;
  pending: Map<number, Pending>;
  loadMs?: number;
  /** Invocations running now (at most the concurrency), and those waiting for one of them to end. */
  running: number;
  waiting: (() => void)[];
}

let workerScript: string | null = null;

const alive = (i: Instance) => i.child.exitCode === null && i.child.signalCode === null;

function buildWorker(outDir: string): string {
  if (workerScript && fs.existsSync(workerScript)) return workerScript;
  const out = path.join(outDir, 'function-worker.js');
  buildSync({ entryPoints: [path.join(__dirname, 'function-worker.ts')], outfile: out, bundle: true, platform: 'node', format: 'cjs', target: 'node18', logLevel: 'error' });
  workerScript = out;
  return out;
}

export class FunctionHost {
  private readonly instances = new Map<string, Instance>();
  private seq = 0;
  readonly invocations: Record<string, number> = {};
  /** The longest line of invocations that waited for an instance, per function (load() reports it). */
  private readonly longestQueue: Record<string, number> = {};

  constructor(private readonly opts: FunctionHostOptions) {}

  names(): string[] {
    if (!fs.existsSync(this.opts.functionsDir)) return [];
    return fs
      .readdirSync(this.opts.functionsDir)
      .filter((n) => fs.existsSync(path.join(this.opts.functionsDir, n, 'index.js')))
      .sort();
  }

  has(name: string): boolean {
    return /^[a-zA-Z][a-zA-Z0-9_-]{0,59}$/.test(name) && fs.existsSync(path.join(this.opts.functionsDir, name, 'index.js'));
  }

  private running(name: string): boolean {
    const i = this.instances.get(name);
    return !!i && alive(i);
  }

  /** Time the instance took to load its bundle (ms), once started. */
  loadTime(name: string): number | undefined {
    return this.instances.get(name)?.loadMs;
  }

  /**
   * Run `name` with `event`. `eventJson`, when given, is the event's JSON exactly as it arrived, handed to the
   * instance as text (as a platform would): an event too deep for JSON.stringify still reaches the function, whose
   * handler refuses it.
   */
  async invoke(name: string, event: unknown, caller: Caller, eventJson?: string): Promise<unknown> {
    // A running instance's bundle is there: the file system is asked only before one starts.
    if (!this.running(name) && !this.has(name)) throw new CloudError('FUNCTION_NOT_FOUND', `[ResourceNotFound.Function] function ${name} not found`);
    let json: string;
    try {
      // A call from the mini-program: WeChat injects `userInfo {appId, openId}` into the event (over anything the
      // client put there), as the platform does; the function must not read it (identity is in the context).
      if (caller.source === 'wx_client' && caller.openid && event && typeof event === 'object' && !Array.isArray(event)) {
        json = JSON.stringify({ ...(event as Record<string, unknown>), userInfo: { appId: this.opts.appId, openId: caller.openid } });
      } else {
        json = eventJson ?? JSON.stringify(event === undefined ? null : event);
      }
    } catch (e) {
      throw new CloudError('INVALID_PARAM', `the event cannot be sent to the function: ${(e as Error).message}`);
    }
    this.invocations[name] = (this.invocations[name] ?? 0) + 1;
    const instance = this.instance(name);
    await instance.ready;
    await this.admit(name, instance);
    if (!alive(instance)) {
      this.release(instance);
      throw new CloudError('FUNCTIONS_EXECUTE_FAIL', `${name}: instance exited`);
    }
    const id = ++this.seq;
    const context = this.context(name, caller);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        instance.pending.delete(id);
        this.release(instance); // its late answer is ignored; its place goes to the next in line
        reject(new CloudError('FUNCTIONS_EXECUTE_FAIL', `[FunctionTimeout] ${name} did not answer in ${this.timeout(name)} ms`));
      }, this.timeout(name));
      instance.pending.set(id, { resolve, reject, timer });
      instance.child.send({ id, eventJson: json, context }, (err) => {
        if (err) this.settle(instance, id, { ok: false, message: err.message });
      });
    });
  }

  /** Stop every instance (their bundles are re-read on the next call). */
  async stop() {
    const children = [...this.instances.values()].map((i) => i.child);
    this.instances.clear();
    await Promise.all(
      children.map(
        (c) =>
          new Promise<void>((resolve) => {
            if (c.exitCode !== null || c.signalCode !== null) return resolve();
            c.once('exit', () => resolve());
            c.kill('SIGKILL');
          }),
      ),
    );
  }

  /** Per-instance concurrency and the longest line seen per function (GET /__dev/stats). */
  load(): { concurrency: number; longestQueue: Record<string, number> } {
    return { concurrency: this.concurrency, longestQueue: { ...this.longestQueue } };
  }

  /** A place among the instance's running invocations: now, or when one ends (first come, first served). */
  private admit(name: string, instance: Instance): Promise<void> {
    if (instance.running < this.concurrency) {
      instance.running++;
      return Promise.resolve();
    }
    return new Promise<void>((resolve) => {
      instance.waiting.push(resolve);
      this.longestQueue[name] = Math.max(this.longestQueue[name] ?? 0, instance.waiting.length);
    });
  }

  /** An invocation ended: its place goes to the first in line (the running count stays), or is freed. */
  private release(instance: Instance) {
    const next = instance.waiting.shift();
    if (next) next();
    else instance.running--;
  }

  private get concurrency(): number {
    return this.opts.concurrency ?? (Number(process.env.LOCAL_CLOUD_FUNCTION_CONCURRENCY) || 32);
  }

  /** As deployed (cloudbaserc.json): the settle timer's function may run a minute; the others are given 20 s here. */
  private timeout(name?: string) {
    return this.opts.timeoutMs ?? (name === 'settle' ? 60_000 : 20_000);
  }

  private context(name: string, caller: Caller) {
    const environment: Record<string, string> = {
      SCF_NAMESPACE: this.opts.envId,
      TCB_ENV: this.opts.envId,
      TCB_SOURCE: caller.source === 'wx_client' ? 'wx_client' : caller.source === 'timer' ? 'timer' : 'server',
      LOCAL_CLOUD_CLOCK_OFFSET_MS: String(this.opts.clockOffset()),
    };
    if (caller.openid) {
      environment.WX_OPENID = caller.openid;
      environment.WX_APPID = this.opts.appId;
      environment.WX_CONTEXT_KEYS = 'WX_OPENID,WX_APPID';
    }
    if (caller.source === 'timer') environment.TRIGGER_SRC = 'timer';
    return {
      callbackWaitsForEmptyEventLoop: false,
      memory_limit_in_mb: 256,
      time_limit_in_ms: this.timeout(name),
      request_id: crypto.randomUUID(),
      function_name: name,
      function_version: '$LATEST',
      namespace: this.opts.envId,
      environ: Object.entries(environment)
        .map(([k, v]) => `${k}=${v}`)
        .join(';'),
      environment: JSON.stringify(environment),
    };
  }

  private instance(name: string): Instance {
    const existing = this.instances.get(name);
    if (existing && alive(existing)) return existing;
    const bundle = path.join(this.opts.functionsDir, name, 'index.js');
    const script = buildWorker(path.join(path.dirname(this.opts.functionsDir), 'local-cloud'));
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      NODE_ENV: process.env.NODE_ENV ?? 'development',
      TZ: 'UTC',
      TENCENTCLOUD_RUNENV: 'SCF',
      TENCENTCLOUD_REGION: process.env.TENCENTCLOUD_REGION || 'ap-shanghai',
      SCF_NAMESPACE: this.opts.envId,
      SCF_FUNCTIONNAME: name,
      TENCENTCLOUD_SECRETID: this.opts.keys.secretId,
      TENCENTCLOUD_SECRETKEY: this.opts.keys.secretKey,
      TCB_CONTEXT_CNFG: JSON.stringify({ URL: this.opts.adminUrl() }),
      LOCAL_CLOUD: '1',
      ...this.opts.env,
    };
    // execArgv: [] — an instance is a plain Node process running a built bundle, as on CloudBase; it must not inherit
    // the host's own flags (under tsx those load a TypeScript loader into every instance, hundreds of ms per start).
    const child = fork(script, [bundle], { env, execArgv: [], stdio: ['ignore', 'inherit', 'inherit', 'ipc'], serialization: 'json' });
    const pending = new Map<number, Pending>();
    let markReady!: () => void;
    let failReady!: (e: Error) => void;
    const ready = new Promise<void>((res, rej) => {
      markReady = res;
      failReady = rej;
    });
    ready.catch(() => undefined);
    const instance: Instance = { child, ready, pending, running: 0, waiting: [] };
    child.on('message', (msg: { type: string; id?: number; ok?: boolean; result?: unknown; message?: string; loadMs?: number; hasMain?: boolean }) => {
      if (msg.type === 'ready') {
        instance.loadMs = msg.loadMs;
        if (msg.hasMain) markReady();
        else failReady(new CloudError('FUNCTIONS_EXECUTE_FAIL', `${name}: the bundle exports no main`));
      } else if (msg.type === 'result' && msg.id !== undefined) {
        this.settle(instance, msg.id, msg);
      }
    });
    child.on('exit', (code, signal) => {
      failReady(new CloudError('FUNCTIONS_EXECUTE_FAIL', `${name}: instance exited while loading (${code ?? signal})`));
      for (const [id] of pending) this.settle(instance, id, { ok: false, message: `${name}: instance exited (${code ?? signal})` });
      // Those in line are let through: each finds the instance gone and fails (a new call starts a new instance).
      for (const next of instance.waiting.splice(0)) next();
      if (this.instances.get(name) === instance) this.instances.delete(name);
    });
    this.instances.set(name, instance);
    return instance;
  }

  private settle(instance: Instance, id: number, msg: { ok?: boolean; result?: unknown; message?: string }) {
    const p = instance.pending.get(id);
    if (!p) return;
    instance.pending.delete(id);
    clearTimeout(p.timer);
    this.release(instance);
    if (msg.ok) p.resolve(msg.result);
    else p.reject(new CloudError('FUNCTIONS_EXECUTE_FAIL', msg.message ?? 'function failed'));
  }
}
