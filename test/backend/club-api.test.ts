import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import zlib from 'node:zlib';
import { after, before, test } from 'node:test';
import { decodeJwt } from 'jose';
import { makeApiKey } from '../../backend/auth/api-keys.js';
import type { RunningServer } from '../../backend/main.js';
import { DEMO_CLASS_ID, DEMO_CLUB_ID } from '../../backend/store/seed.js';
import type { StreamCreated } from '../../protocol/streams.js';
import { startBackend } from '../support/backend.js';
import { connect, connected, refused } from '../support/socket-client.js';

/* Clubs, API keys, join secrets and minted tokens over the real REST API (PGlite, Socket.IO). */

let server: RunningServer;
let key: string;
let otherKey: string;
const OTHER_CLUB = 'club-other';

before(async () => {
  server = await startBackend({ TOKEN_MAX_TTL_SECONDS: '3600' });
  const k = makeApiKey();
  await server.repos.apiKeys.add({ id: k.id, clubId: DEMO_CLUB_ID, secretHash: k.secretHash, label: 'test' });
  key = k.key;
  await server.repos.clubs.upsert({ id: OTHER_CLUB, name: 'Other Gym', joinSecret: crypto.randomBytes(32).toString('base64url'), allowedOrigins: [] });
  await server.repos.classes.create({ id: 'other-class', clubId: OTHER_CLUB, title: 'Not yours', coachName: 'X', startsAt: null, plan: [], durationMinutes: 30, capacity: 10 });
  const o = makeApiKey();
  await server.repos.apiKeys.add({ id: o.id, clubId: OTHER_CLUB, secretHash: o.secretHash, label: 'other' });
  otherKey = o.key;
});
after(() => server?.stop());

const call = (p: string, bearer: string | undefined, init: { method?: string; body?: unknown; headers?: Record<string, string> } = {}) =>
  fetch(`${server.url}/api${p}`, {
    method: init.method ?? 'GET',
    headers: { ...(bearer ? { authorization: `Bearer ${bearer}` } : {}), 'content-type': 'application/json', ...init.headers },
    ...(init.body !== undefined ? { body: typeof init.body === 'string' ? init.body : JSON.stringify(init.body) } : {}),
  });
const json = async (r: Response) => ({ status: r.status, body: (await r.json()) as any });

test('API keys: made and shown once, listed without secrets, revoked for good; another club’s keys are out of reach', async () => {
  const made = await json(await call('/v1/club/api-keys', key, { method: 'POST', body: { label: 'wordpress' } }));
  assert.equal(made.status, 201);
  assert.match(made.body.key, /^flk_[0-9a-f]{12}_/);
  assert.equal((await call('/v1/classes', made.body.key)).status, 200, 'the new key works');

  const club = await json(await call('/v1/club', key));
  assert.equal(club.status, 200);
  assert.equal(club.body.id, DEMO_CLUB_ID);
  const listed = club.body.apiKeys.find((k: { id: string }) => k.id === made.body.id);
  assert.deepEqual(Object.keys(listed).sort(), ['createdAt', 'id', 'label', 'revokedAt']);
  assert.equal(listed.label, 'wordpress');
  // The whole secret (base64url: it may itself contain '_').
  const secret = made.body.key.replace(/^flk_[0-9a-f]{12}_/, '');
  assert.ok(!JSON.stringify(club.body).includes(secret), 'the secret is never listed');

  assert.equal((await call(`/v1/club/api-keys/${made.body.id}`, otherKey, { method: 'DELETE' })).status, 404, 'another club cannot revoke it');
  assert.equal((await call(`/v1/club/api-keys/${made.body.id}`, key, { method: 'DELETE' })).status, 204);
  assert.equal((await call(`/v1/club/api-keys/${made.body.id}`, key, { method: 'DELETE' })).status, 404, 'revoked once');
  const after = await json(await call('/v1/classes', made.body.key));
  assert.equal(after.status, 401);
  assert.equal(after.body.error.code, 'unauthorized');
  assert.ok((await json(await call('/v1/club', key))).body.apiKeys.find((k: { id: string }) => k.id === made.body.id).revokedAt);

  // Bad input and the wrong callers.
  assert.equal((await json(await call('/v1/club/api-keys', key, { method: 'POST', body: { label: 'x'.repeat(81) } }))).body.error.code, 'bad_request');
  assert.equal((await json(await call('/v1/club/api-keys', key, { method: 'POST', body: { label: 'a', admin: true } }))).body.error.code, 'bad_request');
  assert.equal((await call('/v1/club', undefined)).status, 401);
  assert.equal((await call('/v1/club', 'flk_000000000000_notarealkeynotarealkeynotreal')).status, 401);
  const member = await json(await call('/v1/tokens', key, { method: 'POST', body: { classId: DEMO_CLASS_ID, role: 'member', identity: 'ana', name: 'Ana' } }));
  const asMember = await json(await call('/v1/club', member.body.token));
  assert.equal(asMember.status, 403, 'a member’s token is not the club');
  assert.equal(asMember.body.error.code, 'forbidden');
});

test('allowed origins: validated, then enforced on REST (CORS) and on the socket handshake', async () => {
  for (const bad of [['https://club.example/path'], ['javascript:alert(1)'], ['not a url'], Array.from({ length: 51 }, (_, i) => `https://s${i}.example`), 'https://x.example']) {
    const r = await json(await call('/v1/club/origins', key, { method: 'PUT', body: { allowedOrigins: bad } }));
    assert.equal(r.status, 400, JSON.stringify(bad).slice(0, 60));
    assert.equal(r.body.error.code, 'bad_request');
  }
  const set = await json(await call('/v1/club/origins', key, { method: 'PUT', body: { allowedOrigins: ['https://club.example', 'https://club.example/', 'http://localhost:8080'] } }));
  assert.deepEqual(set.body.allowedOrigins, ['https://club.example', 'http://localhost:8080']);

  assert.equal((await call('/v1/classes', key, { headers: { origin: 'https://club.example' } })).status, 200);
  const evil = await json(await call('/v1/classes', key, { headers: { origin: 'https://evil.example' } }));
  assert.equal(evil.status, 403);
  assert.equal(evil.body.error.code, 'origin_not_allowed');

  const minted = (await json(await call('/v1/tokens', key, { method: 'POST', body: { classId: DEMO_CLASS_ID, role: 'member', identity: 'o1', name: 'O' } }))).body.token;
  assert.equal((await refused(connect(server, { token: minted, classId: DEMO_CLASS_ID }, { origin: 'https://evil.example' }))).code, 'origin_not_allowed');
  const ok = connect(server, { token: minted, classId: DEMO_CLASS_ID }, { origin: 'https://club.example' });
  await connected(ok);
  ok.disconnect();
});

test('minted tokens: the right claims, a short default life, the maximum enforced, only for the club’s own classes and streams', async () => {
  const t = await json(await call('/v1/tokens', key, { method: 'POST', body: { classId: DEMO_CLASS_ID, role: 'member', identity: 'ana-1', name: 'Ana', moderator: true } }));
  assert.equal(t.status, 201);
  const claims = decodeJwt(t.body.token);
  assert.deepEqual([claims.club, claims.class, claims.role, claims.name, claims.sub, claims.mod], [DEMO_CLUB_ID, DEMO_CLASS_ID, 'member', 'Ana', 'ana-1', true]);
  assert.equal(claims.exp! - claims.iat!, 900, 'default lifetime 15 minutes');
  assert.ok(Math.abs(Date.parse(t.body.expiresAt) - claims.exp! * 1000) < 2000);
  const long = decodeJwt((await json(await call('/v1/tokens', key, { method: 'POST', body: { classId: DEMO_CLASS_ID, role: 'coach', identity: 'c', name: 'C', ttlSeconds: 86_400 } }))).body.token);
  assert.equal(long.exp! - long.iat!, 3600, 'capped at TOKEN_MAX_TTL_SECONDS');

  const s = (await json(await call('/v1/streams', key, { method: 'POST', body: { title: 'Live', source: { type: 'rtmp' } } }))).body as StreamCreated;
  const v = await json(await call('/v1/tokens', key, { method: 'POST', body: { streamId: s.id, role: 'viewer', identity: 'v-1', name: 'Vee' } }));
  assert.equal(v.status, 201);
  assert.equal(decodeJwt(v.body.token).stream, s.id);
  assert.equal((await call(`/v1/streams/${s.id}/playback`, v.body.token)).status, 200, 'the viewer token plays');

  const refusedWith = async (body: unknown, bearer = key) => {
    const r = await json(await call('/v1/tokens', bearer, { method: 'POST', body }));
    return `${r.status} ${r.body.error?.code}`;
  };
  assert.equal(await refusedWith({ classId: 'other-class', role: 'member', identity: 'a', name: 'A' }), '404 class_not_found', 'another club’s class');
  assert.equal(await refusedWith({ classId: DEMO_CLASS_ID, role: 'member', identity: 'a', name: 'A' }, otherKey), '404 class_not_found');
  assert.equal(await refusedWith({ streamId: s.id, role: 'viewer', identity: 'a', name: 'A' }, otherKey), '404 stream_not_found');
  assert.equal(await refusedWith({ classId: DEMO_CLASS_ID, role: 'viewer', identity: 'a', name: 'A' }), '400 bad_request', 'a viewer needs a stream');
  assert.equal(await refusedWith({ streamId: s.id, role: 'member', identity: 'a', name: 'A' }), '400 bad_request', 'a member needs a class');
  assert.equal(await refusedWith({ classId: DEMO_CLASS_ID, streamId: s.id, role: 'member', identity: 'a', name: 'A' }), '400 bad_request');
  assert.equal(await refusedWith({ classId: DEMO_CLASS_ID, role: 'admin', identity: 'a', name: 'A' }), '400 bad_request');
  assert.equal(await refusedWith({ classId: DEMO_CLASS_ID, role: 'coach', identity: 'a', name: 'A', moderator: true }), '400 bad_request');
  assert.equal(await refusedWith({ classId: DEMO_CLASS_ID, role: 'member', identity: '', name: 'A' }), '400 bad_request');
  assert.equal(await refusedWith({ classId: DEMO_CLASS_ID, role: 'member', identity: 'a', name: 'A', ttlSeconds: 5 }), '400 bad_request');
  assert.equal(await refusedWith('{"classId":'), '400 bad_request', 'broken JSON');
  assert.equal(await refusedWith({ classId: DEMO_CLASS_ID, role: 'member', identity: 'a', name: 'A' }, t.body.token), '403 forbidden', 'a member cannot mint');
});

test('rotating the join secret: tokens signed with the old one are refused, new ones work', async () => {
  const old = (await json(await call('/v1/tokens', key, { method: 'POST', body: { classId: DEMO_CLASS_ID, role: 'member', identity: 'r1', name: 'R' } }))).body.token;
  const rotated = await json(await call('/v1/club/join-secret', key, { method: 'POST' }));
  assert.equal(rotated.status, 200);
  assert.equal(rotated.body.joinSecret.length, 43);
  assert.equal(rotated.body.joinSecret, (await server.repos.clubs.get(DEMO_CLUB_ID))!.joinSecret);
  assert.equal((await refused(connect(server, { token: old, classId: DEMO_CLASS_ID }))).code, 'token_invalid');
  const fresh = (await json(await call('/v1/tokens', key, { method: 'POST', body: { classId: DEMO_CLASS_ID, role: 'member', identity: 'r1', name: 'R' } }))).body.token;
  const s = connect(server, { token: fresh, classId: DEMO_CLASS_ID });
  await connected(s);
  s.disconnect();
});

test('security headers on every answer; the widget bundle stays loadable from club sites', async () => {
  for (const p of ['/api/v1/classes', '/api/rtp-capabilities', '/fitlive.js', '/index.html']) {
    const r = await fetch(`${server.url}${p}`, { headers: { authorization: `Bearer ${key}` } });
    assert.equal(r.headers.get('x-content-type-options'), 'nosniff', p);
    assert.ok(r.headers.get('strict-transport-security'), p);
    assert.equal(r.headers.get('referrer-policy'), 'no-referrer', p);
    assert.equal(r.headers.get('x-powered-by'), null, p);
  }
  const bundle = await fetch(`${server.url}/fitlive.js`);
  assert.equal(bundle.headers.get('cross-origin-resource-policy'), 'cross-origin');
  assert.equal(bundle.headers.get('access-control-allow-origin'), '*');
  assert.equal(bundle.headers.get('cache-control'), 'public, max-age=300', 'the release stub is cached briefly');
  // The versioned entry the manifest names: cached for good, and exactly the bytes its SRI hash pins.
  const manifest = (await (await fetch(`${server.url}/fitlive.manifest.json`)).json()) as { entry: string; integrity: string };
  assert.match(await bundle.text(), new RegExp(`from '\\./${manifest.entry.replace(/\./g, '\\.')}'`));
  const versioned = await fetch(`${server.url}/${manifest.entry}`);
  assert.equal(versioned.headers.get('cache-control'), 'public, max-age=31536000, immutable');
  assert.equal(versioned.headers.get('access-control-allow-origin'), '*');
  assert.equal(`sha384-${crypto.createHash('sha384').update(Buffer.from(await versioned.arrayBuffer())).digest('base64')}`, manifest.integrity);
  // Compressed once at build time: Brotli when the browser takes it, gzip otherwise, the file as
  // it is without Accept-Encoding; the cache headers are the same for all three.
  assert.ok(['br', 'gzip'].includes(versioned.headers.get('content-encoding') ?? ''), 'fetch asks for compression');
  assert.match(versioned.headers.get('vary') ?? '', /accept-encoding/i);
  const raw = fs.readFileSync(path.join('dist', manifest.entry));
  for (const [accept, encoding] of [['br, gzip', 'br'], ['gzip', 'gzip'], ['identity', null]] as const) {
    const res = await new Promise<http.IncomingMessage & { body: Buffer }>((resolve, reject) =>
      http.get(`${server.url}/${manifest.entry}`, { headers: { 'accept-encoding': accept } }, (r) => {
        const chunks: Buffer[] = [];
        r.on('data', (c: Buffer) => chunks.push(c)).on('end', () => resolve(Object.assign(r, { body: Buffer.concat(chunks) })));
      }).on('error', reject),
    );
    assert.equal(res.headers['content-encoding'], encoding ?? undefined, accept);
    assert.equal(res.headers['cache-control'], 'public, max-age=31536000, immutable', accept);
    assert.ok((encoding === 'gzip' ? zlib.gunzipSync(res.body) : encoding === 'br' ? zlib.brotliDecompressSync(res.body) : res.body).equals(raw), `${accept}: the same bytes`);
    if (encoding) assert.ok(res.body.length < raw.length / 2.5, `${accept}: ${res.body.length} of ${raw.length} bytes`);
  }
});

test('failed authentications and token minting are rate limited', async () => {
  const limited = await startBackend({ AUTH_FAILURES_PER_MINUTE: '5', TOKEN_MINT_RATE_PER_MINUTE: '3' });
  try {
    const k = makeApiKey();
    await limited.repos.apiKeys.add({ id: k.id, clubId: DEMO_CLUB_ID, secretHash: k.secretHash, label: 't' });
    const hit = (bearer: string, p = '/v1/classes', method = 'GET', body?: unknown) =>
      fetch(`${limited.url}/api${p}`, { method, headers: { authorization: `Bearer ${bearer}`, 'content-type': 'application/json' }, ...(body ? { body: JSON.stringify(body) } : {}) });
    for (let i = 0; i < 3; i++) assert.equal((await hit(key.replace(/.$/, 'X'))).status, 401);
    assert.equal((await hit(k.key)).status, 200, 'a few mistakes do not lock anyone out');
    for (let i = 0; i < 2; i++) assert.equal((await hit('not-a-token')).status, 401);
    const locked = await hit(k.key);
    assert.equal(locked.status, 429, 'after 5 failures even a good key waits');
    assert.equal(((await locked.json()) as { error: { code: string } }).error.code, 'rate_limited');
    assert.ok(Number(locked.headers.get('retry-after')) > 0);

    const mint = async () => (await fetch(`${limited.url}/api/v1/tokens`, { method: 'POST', headers: { authorization: `Bearer ${k.key}`, 'content-type': 'application/json', 'x-forwarded-for': '10.0.0.9' }, body: JSON.stringify({ classId: DEMO_CLASS_ID, role: 'member', identity: 'm', name: 'M' }) })).status;
    // (The lock above is per address; loopback is trusted as a proxy, so this comes from 10.0.0.9.)
    assert.deepEqual([await mint(), await mint(), await mint(), await mint()], [201, 201, 201, 429]);
  } finally {
    await limited.stop();
  }
});
