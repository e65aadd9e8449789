/** Helpers for asserting what the real SDK throws when the local cloud answers `{code, message}`. */

/** Awaits `p`, expects it to reject with an error carrying `code`, and returns that error. */
export async function rejectsWithCode(p: Promise<unknown>, code: string | number): Promise<{ code: unknown; message: string }> {
  let error: unknown;
  try {
    await p;
  } catch (e) {
    error = e;
  }
  if (error === undefined) throw new Error(`expected a rejection with code ${code}, but the call succeeded`);
  const err = error as { code?: unknown; message?: string };
  expect(err.code).toBe(code);
  return { code: err.code, message: String(err.message ?? '') };
}

let counter = 0;
/** A collection name no other test uses. */
export function freshName(prefix: string): string {
  counter += 1;
  return `${prefix}_${Date.now().toString(36)}_${counter}`;
}
