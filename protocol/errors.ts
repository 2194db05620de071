import { z } from 'zod';

export { ErrorCode } from './error-codes.js';

export const errorBodySchema = z.object({
  code: z.string(),
  message: z.string(),
});
/** Every failed request, REST or socket, answers with `{ error: ErrorBody }`. */
export type ErrorBody = z.infer<typeof errorBodySchema>;
