import { useCallback, useEffect, useRef, useState } from 'react';
import { errorMessage } from '../services/cloud';

export type Remote<T> =
  | { status: 'loading'; data?: undefined; error?: undefined }
  | { status: 'error'; data?: undefined; error: string }
  | { status: 'ready'; data: T; error?: undefined };

export interface RemoteHandle<T> {
  state: Remote<T>;
  /** Load again showing the loading state (the 重试 button). */
  reload: () => Promise<void>;
  /** Load again keeping what is shown (after an action, on show, pull-to-refresh). */
  refresh: () => Promise<void>;
  /** Replace the data with what an action returned. */
  set: (data: T) => void;
}

/** One resource loaded on mount; answers to superseded loads are dropped; `enabled: false` waits. */
export function useRemote<T>(load: () => Promise<T>, deps: unknown[], enabled = true): RemoteHandle<T> {
  const [state, setState] = useState<Remote<T>>({ status: 'loading' });
  const generation = useRef(0);
  const loadRef = useRef(load);
  loadRef.current = load;

  const run = useCallback(async (showLoading: boolean) => {
    const mine = ++generation.current;
    if (showLoading) setState({ status: 'loading' });
    try {
      const data = await loadRef.current();
      if (mine === generation.current) setState({ status: 'ready', data });
    } catch (err) {
      if (mine !== generation.current) return;
      // A failed background refresh keeps what is shown; only a first load turns into the error state.
      setState((prev) => (showLoading || prev.status !== 'ready' ? { status: 'error', error: errorMessage(err) } : prev));
    }
  }, []);

  useEffect(() => {
    if (enabled) void run(true);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [enabled, ...deps]);

  const reload = useCallback(() => run(true), [run]);
  const refresh = useCallback(() => run(false), [run]);
  const set = useCallback((data: T) => {
    generation.current += 1;
    setState({ status: 'ready', data });
  }, []);
  return { state, reload, refresh, set };
}
