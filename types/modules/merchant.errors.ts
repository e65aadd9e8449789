/** Error codes owned by the merchant module (merged into the one catalogue in types/errors.ts). */
export const MERCHANT_ERRORS = {
  // codes of this module
} as const;
