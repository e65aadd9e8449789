/**
 * One function instance: loads a bundle and runs its `main(event, context)` for each invocation the host sends.
 * Runs in its own process, with the environment a CloudBase function has, as an SCF instance does.
 */
interface Invoke {
  id: number;
  /** The event as JSON text: parsed here, so its depth never meets the IPC channel's recursive serializer. */
  eventJson: string;
  context: Record<string, unknown>;
}

const bundle = process.argv[2];
const started = process.hrtime.bigint();
// eslint-disable-next-line @typescript-eslint/no-require-imports
const mod = require(bundle) as { main?: (event: unknown, context: unknown) => unknown };
const loadMs = Number(process.hrtime.bigint() - started) / 1e6;
process.send?.({ type: 'ready', loadMs, hasMain: typeof mod.main === 'function' });

process.on('message', async (msg: Invoke) => {
  try {
    if (typeof mod.main !== 'function') throw new Error('the bundle exports no main(event, context)');
    const result = await mod.main(JSON.parse(msg.eventJson), msg.context);
    process.send?.({ type: 'result', id: msg.id, ok: true, result: result === undefined ? null : result });
  } catch (e) {
    const err = e as Error;
    process.send?.({ type: 'result', id: msg.id, ok: false, message: String(err?.message ?? err), stack: err?.stack });
  }
});

process.on('unhandledRejection', (reason) => {
  console.error('[function] unhandled rejection', reason);
});

// The host went away (even by kill -9): an instance never outlives its local cloud.
process.on('disconnect', () => process.exit(0));
