import { z } from 'zod';

export { ErrorCode } from './error-codes.js';

export const errorBodySchema = z.object({
  code: z.string(),
  message: z.string(),
});
export type ErrorBody = z.infer<typeof errorBodySchema>;

/** Every failed request, REST or socket, answers with this shape. */
export interface ErrorResponse {
  error: ErrorBody;
}
