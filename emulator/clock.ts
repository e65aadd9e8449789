/** The local cloud's clock: wall time plus an offset that dev endpoints and tests move. Persisted across restarts. */
import type { Store } from './store';

export class Clock {
  private offsetMs: number;

  constructor(private readonly store: Store) {
    this.offsetMs = Number(store.meta('clockOffsetMs') ?? 0) || 0;
  }

  now(): number {
    return Date.now() + this.offsetMs;
  }

  offset(): number {
    return this.offsetMs;
  }

  advance(ms: number) {
    this.setOffset(this.offsetMs + ms);
  }

  set(epochMs: number) {
    this.setOffset(epochMs - Date.now());
  }

  reset() {
    this.setOffset(0);
  }

  private setOffset(ms: number) {
    this.offsetMs = Math.round(ms);
    this.store.setMeta('clockOffsetMs', String(this.offsetMs));
  }
}
