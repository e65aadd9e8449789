/**
 * How deep and how big a request may be. No action takes more than a few levels of nesting or more than a few
 * kilobytes, so anything far past these limits is refused before it is validated, logged or stored: a body nested
 * thousands of levels deep makes every recursive step after it (JSON.stringify on the way to a worker or to the
 * database, a log line) overflow the stack. Checked iteratively, never by recursion, and in bounded time: the walk
 * stops as soon as either limit is passed. Pure: used by the function handler and by the local cloud's gateway, so it
 * lives in the contract (types/), which both may import.
 */

/** Levels of nesting allowed; the request object itself is level 1. */
export const MAX_PAYLOAD_DEPTH = 64;
/** Bytes of JSON the gateway accepts; the handler applies the same budget to the event it is given (see below). */
export const MAX_PAYLOAD_BYTES = 1024 * 1024;

export type PayloadProblem = 'REQUEST_TOO_DEEP' | 'REQUEST_TOO_LARGE';

/**
 * Why a parsed request is refused, or null. The size is a lower bound of its JSON length (the characters of strings
 * and keys, one per number, boolean, null and container; no quotes, commas or escapes), so a body the gateway let
 * through is never refused here for size.
 */
export function payloadProblem(value: unknown, maxDepth = MAX_PAYLOAD_DEPTH, maxSize = MAX_PAYLOAD_BYTES): PayloadProblem | null {
  const stack: [unknown, number][] = [[value, 1]];
  let size = 0;
  while (stack.length) {
    const [v, depth] = stack.pop()!;
    if (typeof v === 'string') size += v.length;
    else if (v !== null && typeof v === 'object') {
      if (depth > maxDepth) return 'REQUEST_TOO_DEEP';
      size += 1;
      if (Array.isArray(v)) {
        for (let i = 0; i < v.length && size <= maxSize; i++, size++) stack.push([v[i], depth + 1]);
      } else {
        for (const key of Object.keys(v)) {
          size += key.length;
          if (size > maxSize) break;
          stack.push([(v as Record<string, unknown>)[key], depth + 1]);
        }
      }
    } else size += 1;
    if (size > maxSize) return 'REQUEST_TOO_LARGE';
  }
  return null;
}
