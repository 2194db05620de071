import assert from 'node:assert/strict';
import http from 'node:http';
import zlib from 'node:zlib';
import { after, before, test } from 'node:test';
import type { RunningServer } from '../../backend/main.js';
import { startBackend } from '../support/backend.js';
import { until } from '../support/waits.js';

/*
 * Sentry's hosted service cannot run here: a local HTTP server stands in for its ingest endpoint
 * (the DSN points at it) and records the envelopes the real @sentry/node SDK sends. The store
 * failure is simulated (a repository method that throws, as a lost database connection would).
 */

let server: RunningServer;
let ingest: http.Server;
const envelopes: string[] = [];

before(async () => {
  ingest = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      envelopes.push((req.headers['content-encoding'] === 'gzip' ? zlib.gunzipSync(body) : body).toString('utf8'));
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((r) => ingest.listen(0, '127.0.0.1', () => r()));
  const port = (ingest.address() as { port: number }).port;
  server = await startBackend({ SENTRY_DSN: `http://public0key@127.0.0.1:${port}/42`, SENTRY_ENVIRONMENT: 'test' });
});
after(async () => {
  await server?.stop();
  ingest?.close();
});

test('an unexpected failure behind a request reaches Sentry, the client sees only internal_error', async () => {
  const original = server.repos.classes.get;
  const credential = ['do', 'not', 'forward', 'me'].join('-'); // built, so the SDK's source context cannot hold it
  server.repos.classes.get = async () => {
    throw new Error('connection to the database was lost (simulated)');
  };
  try {
    const res = await fetch(`${server.url}/api/classes/demo-hiit`, { headers: { authorization: `Bearer ${credential}` } });
    assert.equal(res.status, 500);
    assert.deepEqual(await res.json(), { error: { code: 'internal_error', message: 'Internal server error' } });
  } finally {
    server.repos.classes.get = original;
  }
  const event = await until('Sentry receives the event', () => envelopes.find((e) => e.includes('connection to the database was lost')), Boolean, 10_000);
  assert.match(event!, /"environment":"test"/);
  assert.match(event!, /"release":"fitlive@/);
  assert.ok(!event!.includes(['do', 'not', 'forward', 'me'].join('-')), 'no credentials in reports');
  assert.ok(!event!.includes('"ip_address"'), 'no addresses in reports');
});

test('expected errors (bad input, not found) are not reported', async () => {
  const before = envelopes.length;
  assert.equal((await fetch(`${server.url}/api/classes/no-such-class`)).status, 404);
  assert.equal((await fetch(`${server.url}/api/v1/club`, { headers: { authorization: 'Bearer nope' } })).status, 401);
  await new Promise((r) => setTimeout(r, 1500));
  assert.equal(envelopes.length, before);
});
