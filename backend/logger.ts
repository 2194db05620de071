import { pino, type Logger } from 'pino';

export type { Logger };

/** Receives every error the backend logs (Sentry, when configured). */
export type ErrorSink = (err: Error, context: Record<string, unknown>) => void;

/**
 * The backend's logger. Errors logged at `error` or `fatal` with an `err` also go to `errorSink`
 * (when one is given), so every place that already logs a failure reports it: no second path.
 */
export function createLogger(level: string, errorSink?: ErrorSink): Logger {
  return pino({
    level,
    base: { service: 'fitlive' },
    timestamp: pino.stdTimeFunctions.isoTime,
    ...(errorSink
      ? {
          hooks: {
            logMethod(args, method, levelValue) {
              if (levelValue >= 50 && args[0] && typeof args[0] === 'object') {
                const { err, ...context } = args[0] as { err?: unknown };
                if (err instanceof Error) {
                  try {
                    errorSink(err, { ...context, message: typeof args[1] === 'string' ? args[1] : undefined });
                  } catch {
                    // Reporting must never break logging.
                  }
                }
              }
              method.apply(this, args as Parameters<typeof method>);
            },
          },
        }
      : {}),
  });
}
