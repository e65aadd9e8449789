import { ERRORS, ErrorCode } from '../../types/errors';

/** A failure a use case reports on purpose: a catalogued code, and optionally a more specific Chinese message. */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message?: string,
  ) {
    super(message ?? ERRORS[code]);
  }
}

export const fail = (code: ErrorCode, message?: string): never => {
  throw new AppError(code, message);
};
