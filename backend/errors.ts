import { ErrorCode, type ErrorBody } from '../protocol/errors.js';

/** An expected failure with a stable code; anything else is reported as `internal_error`. */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly httpStatus = 400,
  ) {
    super(message);
    this.name = 'AppError';
  }
}

/** The body sent to a client for any thrown value; internals never leak. */
export function toErrorBody(err: unknown): ErrorBody {
  if (err instanceof AppError) return { code: err.code, message: err.message };
  return { code: ErrorCode.Internal, message: 'Internal server error' };
}
