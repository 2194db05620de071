import { loadConfig } from '../../backend/config.js';
import { start, type RunningServer } from '../../backend/main.js';

/**
 * Starts the real backend in this process on a free loopback port: real mediasoup worker,
 * real Socket.IO, PGlite in memory (or DATA_DIR when given), the demo club seeded.
 */
export function startBackend(env: Record<string, string> = {}): Promise<RunningServer> {
  return start(
    loadConfig({
      PORT: '0',
      HOST: '127.0.0.1',
      DATA_DIR: ':memory:',
      FITLIVE_DEV: '1',
      LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
      MEDIASOUP_WORKERS: '1',
      RTC_LISTEN_IP: '127.0.0.1',
      RTC_ANNOUNCED_ADDRESS: '127.0.0.1',
      JOIN_RATE_PER_MINUTE: '1000',
      // Tests tap, join and fuzz faster than people; the message budget itself is tested at 1.
      SOCKET_RATE_SCALE: '100',
      // Tests send many bad keys on purpose; the limit itself is tested with a low value.
      AUTH_FAILURES_PER_MINUTE: '10000',
      // No always-on demo broadcast: it would encode whenever a test's coach joins the demo class.
      DEMO_BROADCAST: '0',
      ...env,
    }),
  );
}
