import { useEffect, useState } from 'react';

/**
 * Milliseconds left, ticking each second. Counts from the server's `msLeft` at `loadedAt` rather than the device
 * clock, which may be off (and the local cloud's clock can be moved by tests).
 */
export function useCountdown(msLeft: number, loadedAt: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (msLeft <= 0) return undefined;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [msLeft, loadedAt]);
  return Math.max(0, msLeft - (now - loadedAt));
}
