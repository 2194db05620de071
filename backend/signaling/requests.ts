import type { Socket } from 'socket.io';
import type { ZodType } from 'zod';
import { ErrorCode } from '../../protocol/error-codes.js';
import { AppError, toErrorBody } from '../errors.js';
import { assertCleanPayload } from '../input-guards.js';
import type { Logger } from '../logger.js';

/**
 * How every socket request is answered, in both namespaces: only with an acknowledgement (one
 * without cannot be answered and is dropped), after the edge guards and the message's schema,
 * as `{ data }` or `{ error: { code, message } }`; an unexpected failure is logged, never thrown.
 */
export async function answerRequest<P>(
  name: string,
  schema: ZodType<P>,
  payload: unknown,
  ack: unknown,
  run: (payload: P) => Promise<unknown>,
  log: Logger,
  /** Told how each answered request ended (`ok` or the error code) and how long it took (metrics). */
  done?: (outcome: string, seconds: number) => void,
): Promise<void> {
  if (typeof ack !== 'function') return;
  const t0 = performance.now();
  const send = ack as (res: { data?: unknown; error?: { code: string } }) => void;
  const reply = (res: { data?: unknown; error?: { code: string; message: string } }) => {
    send(res);
    done?.(res.error ? res.error.code : 'ok', (performance.now() - t0) / 1000);
  };
  try {
    assertCleanPayload(payload);
  } catch (err) {
    reply({ error: toErrorBody(err) });
    return;
  }
  const parsed = schema.safeParse(payload ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    reply({ error: { code: ErrorCode.BadRequest, message: `Invalid ${name}: ${issue ? `${issue.path.join('.') || 'payload'} ${issue.message}` : 'bad payload'}` } });
    return;
  }
  try {
    reply({ data: await run(parsed.data) });
  } catch (err) {
    if (!(err instanceof AppError)) log.error({ err, message: name }, 'handler failed');
    reply({ error: toErrorBody(err) });
  }
}

/** Answers any event that is not one of `known` (own keys only: "__proto__" is unknown too). */
export function answerUnknown(socket: Socket, known: object): void {
  socket.onAny((event: string, ...args: unknown[]) => {
    if (Object.hasOwn(known, event)) return;
    const ack = args[args.length - 1];
    if (typeof ack === 'function') ack({ error: { code: ErrorCode.BadRequest, message: `Unknown message "${event}"` } });
  });
}
