/** Error codes owned by the referral module (merged into the one catalogue in types/errors.ts). */
export const REFERRAL_ERRORS = {
  // codes of this module
} as const;
