import type { ErrorBody } from '../../protocol/errors.js';

/** An error with a stable code, as the backend and `fit-error` events report it. */
export class FitError extends Error implements ErrorBody {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'FitError';
  }

  toJSON(): ErrorBody {
    return { code: this.code, message: this.message };
  }
}
