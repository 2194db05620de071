import type { ErrorSink } from './logger.js';

/**
 * Sentry, only when a DSN is configured: the SDK is loaded then and only then (no cost, no
 * network, no global hooks otherwise). Errors reach it through the logger (see createLogger);
 * performance tracing stays off: metrics are Prometheus's job here.
 */
export async function sentrySink(sentry: { dsn: string; environment: string | undefined } | undefined, release: string): Promise<{ sink: ErrorSink; flush(): Promise<void> } | undefined> {
  if (!sentry) return undefined;
  const Sentry = await import('@sentry/node');
  Sentry.init({
    dsn: sentry.dsn,
    release: `fitlive@${release}`,
    ...(sentry.environment ? { environment: sentry.environment } : {}),
    tracesSampleRate: 0,
    // The process already survives uncaught errors (see main); Sentry must not exit it.
    integrations: (defaults) => defaults.filter((i) => i.name !== 'OnUncaughtException' && i.name !== 'OnUnhandledRejection'),
    // Who and what credentials: never (members' addresses and tokens stay here).
    beforeSend(event) {
      delete event.user;
      if (event.request) {
        delete event.request.cookies;
        delete event.request.headers;
        delete event.request.query_string;
      }
      return event;
    },
  });
  return {
    sink: (err, context) => {
      Sentry.captureException(err, { extra: context });
    },
    flush: async () => {
      await Sentry.flush(2000);
    },
  };
}
