/** Error codes owned by the assist module (merged into the one catalogue in types/errors.ts). */
export const ASSIST_ERRORS = {
  // codes of this module
} as const;
