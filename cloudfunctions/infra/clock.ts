/**
 * The clock use cases read. In production it is the machine's time; on the local cloud the invocation context
 * carries the local cloud's clock offset (tests and the dev bar move it), so functions and the database agree.
 */
import { contextEnv, FunctionContext } from './identity';

export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

export function clockFrom(context: FunctionContext | undefined): Clock {
  if (process.env.LOCAL_CLOUD !== '1') return systemClock;
  const offset = Number(contextEnv(context).LOCAL_CLOUD_CLOCK_OFFSET_MS ?? 0);
  if (!Number.isFinite(offset) || offset === 0) return systemClock;
  return { now: () => new Date(Date.now() + offset) };
}

export function fixedClock(at: Date | number): Clock {
  const ms = typeof at === 'number' ? at : at.getTime();
  return { now: () => new Date(ms) };
}
