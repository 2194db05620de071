import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { RunningServer } from '../../backend/main.js';
import { startBackend } from '../support/backend.js';

/*
 * Every path that is not a REST operation (the hostile-input suite covers those): HLS links, the
 * widget bundle, the demo site, docs, health. Odd encodings, traversal, overlong and control
 * characters must get a 4xx (or a plain answer), never a 5xx, and leave the process running.
 */

let server: RunningServer;
before(async () => {
  server = await startBackend();
});
after(() => server.stop());

const PREFIXES = ['/', '/hls/', '/hls/s_demo/1/sig/', '/hls/r_demo/9999999999/sig/', '/fitlive.js/', '/chunks/', '/coach.html/', '/api/docs/', '/healthz/', '/readyz/', '/files/', '/assets/'];
const SUFFIXES = [
  '%25E0', '%E0', '%E0%A4%A', '%', '%%', '%00', '%2e%2e%2f%2e%2e%2fetc%2fpasswd', '..%2f..%2f..%2fetc%2fpasswd', '....//....//etc/passwd', '%252e%252e%252f',
  'master.m3u8%00', 'index.m3u8%3F', '%C0%AE%C0%AE%2F', '%uFF0E%uFF0E', 'a'.repeat(8000), '%20'.repeat(500), '\u0001', 'seg_1.ts%0d%0aSet-Cookie:%20x=1', '~', ';', 'CON', '.env', '.git/config',
];

test('odd paths everywhere but the REST API: 4xx or a plain answer, never a 5xx', { timeout: 120_000 }, async () => {
  const tally = new Map<number, number>();
  const fives: string[] = [];
  for (const prefix of PREFIXES) {
    for (const suffix of SUFFIXES) {
      const url = `${server.url}${prefix}${suffix}`;
      const res = await fetch(url, { redirect: 'manual' }).catch(() => undefined);
      const status = res?.status ?? 0;
      await res?.arrayBuffer().catch(() => undefined);
      tally.set(status, (tally.get(status) ?? 0) + 1);
      if (status >= 500 || status === 0) fives.push(`${status} ${prefix}${suffix.slice(0, 40)}`);
    }
  }
  console.log(`# ${PREFIXES.length * SUFFIXES.length} odd paths: ${[...tally].sort((a, b) => a[0] - b[0]).map(([s, n]) => `${s} ×${n}`).join(', ')}`);
  assert.deepEqual(fives, [], 'no 5xx and no dropped connection');
  assert.equal((await fetch(`${server.url}/healthz`)).status, 200, 'still running');
});
