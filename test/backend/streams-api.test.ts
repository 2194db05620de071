import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { makeApiKey } from '../../backend/auth/api-keys.js';
import { signViewerToken } from '../../backend/auth/viewer-token.js';
import type { RunningServer } from '../../backend/main.js';
import { DEMO_CLASS_ID, DEMO_CLUB_ID } from '../../backend/store/seed.js';
import type { PlaybackInfo, StreamCreated, StreamInfo } from '../../protocol/streams.js';
import { startBackend } from '../support/backend.js';

/* The streaming REST API against the real backend (PGlite in memory): every endpoint, refusals. */

let server: RunningServer;
let key: string;
let otherKey: string;

before(async () => {
  server = await startBackend();
  const k = makeApiKey();
  await server.repos.apiKeys.add({ id: k.id, clubId: DEMO_CLUB_ID, secretHash: k.secretHash, label: 'test' });
  key = k.key;
  await server.repos.clubs.upsert({ id: 'other-club', name: 'Other Club', joinSecret: 'other-secret-other-secret-other', allowedOrigins: [] });
  const o = makeApiKey();
  await server.repos.apiKeys.add({ id: o.id, clubId: 'other-club', secretHash: o.secretHash, label: 'other' });
  otherKey = o.key;
});
after(() => server.stop());

const call = (p: string, auth: string | undefined, init: { method?: string; body?: unknown } = {}) =>
  fetch(`${server.url}/api${p}`, {
    method: init.method ?? 'GET',
    headers: { 'content-type': 'application/json', ...(auth ? { authorization: `Bearer ${auth}` } : {}) },
    ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
  });
const code = async (r: Response) => ((await r.json()) as { error: { code: string } }).error.code;

test('create, read, list, start, viewer tokens, playback, heartbeats, viewer limit, analytics, stop', async () => {
  // Bad input, no key, another club's class.
  assert.equal((await call('/v1/streams', undefined, { method: 'POST', body: {} })).status, 401);
  const bad = await call('/v1/streams', key, { method: 'POST', body: { title: '', source: { type: 'zoom' } } });
  assert.equal(bad.status, 400);
  assert.match(((await bad.json()) as { error: { message: string } }).error.message, /title|source/);
  assert.equal((await call('/v1/streams', otherKey, { method: 'POST', body: { title: 'X', source: { type: 'class', classId: DEMO_CLASS_ID } } })).status, 404);

  const res = await call('/v1/streams', key, { method: 'POST', body: { title: 'Saturday HIIT live', source: { type: 'class', classId: DEMO_CLASS_ID }, maxViewers: 2 } });
  assert.equal(res.status, 201);
  const created = (await res.json()) as StreamCreated;
  assert.equal(created.status, 'idle');
  assert.equal(created.ingest, null, 'a class stream has no RTMP key');
  assert.deepEqual([created.maxViewers, created.record, created.viewers], [2, false, 0]);

  // Another club sees nothing of it.
  assert.equal((await call(`/v1/streams/${created.id}`, otherKey)).status, 404);
  assert.equal(await code(await call(`/v1/streams/${created.id}/start`, otherKey, { method: 'POST' })), 'stream_not_found');
  assert.equal(((await (await call('/v1/streams', otherKey)).json()) as { streams: unknown[] }).streams.length, 0);
  assert.equal(((await (await call('/v1/streams', key)).json()) as { streams: StreamInfo[] }).streams[0]!.id, created.id);

  // Viewer tokens: minted by the club; bad body refused.
  assert.equal((await call(`/v1/streams/${created.id}/join`, key, { method: 'POST', body: { name: 'Ana' } })).status, 400);
  const viewerFor = async (identity: string) => ((await (await call(`/v1/streams/${created.id}/join`, key, { method: 'POST', body: { identity, name: identity, ttlSeconds: 600 } })).json()) as { token: string }).token;
  const ana = await viewerFor('ana');
  const ben = await viewerFor('ben');
  const cy = await viewerFor('cy');

  // Before it starts: the player shows "starts soon".
  const idle = (await (await call(`/v1/streams/${created.id}/playback`, ana)).json()) as PlaybackInfo;
  assert.deepEqual([idle.status, idle.masterUrl, idle.renditions.map((r) => r.name)], ['idle', null, ['720p', '480p', '360p']]);
  // A join token, an API key, another stream's token or a forged one cannot play.
  assert.equal((await call(`/v1/streams/${created.id}/playback`, key)).status, 401);
  const forged = await signViewerToken({ club: DEMO_CLUB_ID, stream: created.id, name: 'x', sub: 'x' }, 'not-the-secret', 600);
  assert.equal(await code(await call(`/v1/streams/${created.id}/playback`, forged)), 'token_invalid');
  const secret = (await server.repos.clubs.get(DEMO_CLUB_ID))!.joinSecret;
  const expired = await signViewerToken({ club: DEMO_CLUB_ID, stream: created.id, name: 'x', sub: 'x' }, secret, -10);
  assert.equal(await code(await call(`/v1/streams/${created.id}/playback`, expired)), 'token_expired');

  const started = (await (await call(`/v1/streams/${created.id}/start`, key, { method: 'POST' })).json()) as StreamInfo;
  assert.equal(started.status, 'live');
  assert.ok(started.startedAt);

  // Two viewers fit; the third is refused while they watch; a watcher's own heartbeat still passes.
  assert.deepEqual(await (await call(`/v1/streams/${created.id}/heartbeat`, ana, { method: 'POST' })).json(), { status: 'live', viewers: 1 });
  assert.deepEqual(await (await call(`/v1/streams/${created.id}/heartbeat`, ben, { method: 'POST' })).json(), { status: 'live', viewers: 2 });
  assert.equal(await code(await call(`/v1/streams/${created.id}/playback`, cy)), 'stream_full');
  assert.equal(await code(await call(`/v1/streams/${created.id}/heartbeat`, cy, { method: 'POST' })), 'stream_full');
  assert.equal((await call(`/v1/streams/${created.id}/heartbeat`, ana, { method: 'POST' })).status, 200);
  assert.deepEqual(await (await call(`/v1/streams/${created.id}/viewers`, key)).json(), { streamId: created.id, viewers: 2 });

  const stopped = (await (await call(`/v1/streams/${created.id}/stop`, key, { method: 'POST' })).json()) as StreamInfo;
  assert.equal(stopped.status, 'ended');
  assert.equal((await call(`/v1/streams/${created.id}/start`, key, { method: 'POST' })).status, 409);
  const analytics = (await (await call(`/v1/streams/${created.id}/analytics`, key)).json()) as { peakViewers: number; uniqueViewers: number; totalWatchSeconds: number; concurrency: unknown[] };
  assert.equal(analytics.uniqueViewers, 2);
  assert.equal(analytics.peakViewers, 2);
  assert.ok(analytics.concurrency.length >= 1, 'a sample is taken when the stream stops');
  assert.equal((await (await call(`/v1/streams/${created.id}/playback`, ana)).json() as PlaybackInfo).status, 'ended');
});

test('HLS links are signed: a forged or stretched path is refused', async () => {
  const good = server.config && (await fetch(`${server.url}/hls/s_x/${Math.floor(Date.now() / 1000) + 600}/AAAAAAAAAAAAAAAAAAAAAA/master.m3u8`));
  assert.equal(good!.status, 401);
  assert.equal(good!.headers.get('access-control-allow-origin'), '*');
  assert.equal((await fetch(`${server.url}/hls/s_x/1/AAAAAAAAAAAAAAAAAAAAAA/../../etc/passwd`)).status, 404);
});

test('a viewer token plays only on the sites the club allows', async () => {
  const created = (await (await call('/v1/streams', key, { method: 'POST', body: { title: 'Origins', source: { type: 'class', classId: DEMO_CLASS_ID } } })).json()) as StreamCreated;
  const { token } = (await (await call(`/v1/streams/${created.id}/join`, key, { method: 'POST', body: { identity: 'o', name: 'O' } })).json()) as { token: string };
  const from = (origin: string) => fetch(`${server.url}/api/v1/streams/${created.id}/playback`, { headers: { authorization: `Bearer ${token}`, origin } });
  assert.equal(await code(await from('https://copycat.example')), 'origin_not_allowed');
  // Never from a query string (it would sit in access logs and browser history).
  const inUrl = await fetch(`${server.url}/api/v1/streams/${created.id}/playback?token=${encodeURIComponent(token)}`);
  assert.equal(inUrl.status, 401);
  assert.match(((await inUrl.json()) as { error: { message: string } }).error.message, /Authorization: Bearer/);
  await server.repos.clubs.setAllowedOrigins(DEMO_CLUB_ID, ['https://club.example']);
  try {
    assert.equal((await from('https://club.example')).status, 200);
  } finally {
    await server.repos.clubs.setAllowedOrigins(DEMO_CLUB_ID, []);
  }
});
