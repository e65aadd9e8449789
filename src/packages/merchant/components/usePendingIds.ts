/** Ids with an action in flight: a second tap on the same item does nothing until the first answers. */
import { useCallback, useRef, useState } from 'react';

export function usePendingIds() {
  const pending = useRef(new Set<string>());
  const [, bump] = useState(0);
  const run = useCallback(async (id: string, work: () => Promise<void>) => {
    if (pending.current.has(id)) return;
    pending.current.add(id);
    bump((n) => n + 1);
    try {
      await work();
    } finally {
      pending.current.delete(id);
      bump((n) => n + 1);
    }
  }, []);
  return { busy: (id: string) => pending.current.has(id), run };
}
