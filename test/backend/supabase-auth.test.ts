// Sign-in with Supabase Auth, against the real backend. Supabase's hosted auth service cannot run
// here (no network): its access tokens are minted in the test exactly as Supabase mints them
// (claims, audience, role, HS256 with the project secret, or ES256 with a key published in a JWKS
// that a local HTTP server serves), which is all the backend ever sees of Supabase.
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { SignJWT, decodeJwt, exportJWK, generateKeyPair } from 'jose';
import { makeApiKey } from '../../backend/auth/api-keys.js';
import type { RunningServer } from '../../backend/main.js';
import { DEMO_CLASS_ID, DEMO_CLUB_ID } from '../../backend/store/seed.js';
import type { StreamCreated } from '../../protocol/streams.js';
import { startBackend } from '../support/backend.js';
import { connect, connected, request } from '../support/socket-client.js';

const PROJECT = 'https://abcdefgh.supabase.co/auth/v1';
const JWT_SECRET = 'super-secret-jwt-token-with-at-least-32-characters-long';
const ANA = crypto.randomUUID();
const SAM = crypto.randomUUID();
const STRANGER = crypto.randomUUID();

let server: RunningServer;
let jwks: http.Server;
let jwksServer: RunningServer;
let esKey: CryptoKey;

/** An access token as Supabase Auth issues it (GoTrue's claims). */
function supabaseToken(sub: string, opts: { ttl?: number; aud?: string; role?: string; name?: string } = {}) {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({
    aud: opts.aud ?? 'authenticated',
    email: `${sub.slice(0, 6)}@example.com`,
    phone: '',
    app_metadata: { provider: 'email', providers: ['email'] },
    user_metadata: opts.name ? { full_name: opts.name } : {},
    role: opts.role ?? 'authenticated',
    aal: 'aal1',
    amr: [{ method: 'otp', timestamp: now }],
    session_id: crypto.randomUUID(),
    is_anonymous: false,
  })
    .setSubject(sub)
    .setIssuer(PROJECT)
    .setIssuedAt(now)
    .setExpirationTime(now + (opts.ttl ?? 3600));
}
const hs = (sub: string, opts?: Parameters<typeof supabaseToken>[1], secret = JWT_SECRET) => supabaseToken(sub, opts).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).sign(new TextEncoder().encode(secret));

before(async () => {
  server = await startBackend({ SUPABASE_JWT_SECRET: JWT_SECRET, SUPABASE_JWT_ISSUER: PROJECT, TOKEN_MAX_TTL_SECONDS: '3600' });
  await server.repos.clubMembers.set(DEMO_CLUB_ID, ANA, 'member');
  await server.repos.clubMembers.set(DEMO_CLUB_ID, SAM, 'staff');
  // The asymmetric case: a local JWKS, as https://<project>.supabase.co/auth/v1/.well-known/jwks.json serves.
  const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
  esKey = privateKey as CryptoKey;
  const jwk = { ...(await exportJWK(publicKey)), kid: 'key-1', alg: 'ES256', use: 'sig' };
  jwks = http.createServer((_req, res) => res.setHeader('content-type', 'application/json').end(JSON.stringify({ keys: [jwk] })));
  await new Promise<void>((r) => jwks.listen(0, '127.0.0.1', () => r()));
  jwksServer = await startBackend({ SUPABASE_JWKS_URL: `http://127.0.0.1:${(jwks.address() as AddressInfo).port}/auth/v1/.well-known/jwks.json`, SUPABASE_JWT_ISSUER: PROJECT });
  await jwksServer.repos.clubMembers.set(DEMO_CLUB_ID, ANA, 'member');
});
after(async () => {
  await server?.stop();
  await jwksServer?.stop();
  jwks?.close();
});

const exchange = (srv: RunningServer, bearer: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${srv.url}/api/v1/auth/exchange`, { method: 'POST', headers: { authorization: `Bearer ${bearer}`, 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) }).then(async (r) => ({ status: r.status, body: (await r.json()) as any }));

test('a member signed in with Supabase gets a join token and joins as themselves; staff may coach; others may not', async () => {
  const ana = await exchange(server, await hs(ANA, { name: 'Ana Ruiz' }), { classId: DEMO_CLASS_ID });
  assert.equal(ana.status, 200, JSON.stringify(ana.body));
  assert.deepEqual([ana.body.role, ana.body.identity, ana.body.displayName], ['member', ANA, 'Ana Ruiz']);
  const claims = decodeJwt(ana.body.token);
  assert.deepEqual([claims.club, claims.class, claims.role, claims.sub], [DEMO_CLUB_ID, DEMO_CLASS_ID, 'member', ANA]);
  assert.equal(claims.exp! - claims.iat!, 900, 'a short join token; the widget asks again before it runs out');

  const socket = connect(server, { token: ana.body.token, classId: DEMO_CLASS_ID });
  await connected(socket);
  const caps = (await request(socket, 'room:capabilities', {})).data.routerRtpCapabilities;
  const joined = await request(socket, 'room:join', { rtpCapabilities: caps });
  assert.equal(joined.data.self.displayName, 'Ana Ruiz');

  // A long class: a fresh token (same person, class, role) renews the session on the same socket.
  const again = await exchange(server, await hs(ANA, { name: 'Ana Ruiz' }), { classId: DEMO_CLASS_ID });
  await new Promise((r) => setTimeout(r, 1100));
  const renewed = await request(socket, 'session:refresh', { token: again.body.token });
  assert.ok(renewed.data.expiresAt >= decodeJwt(again.body.token).exp! * 1000, 'the session now ends with the new token');
  const samToken = (await exchange(server, await hs(SAM), { classId: DEMO_CLASS_ID, role: 'coach' })).body.token;
  assert.equal((await request(socket, 'session:refresh', { token: samToken })).error?.code, 'forbidden', 'not someone else’s token');
  assert.equal((await request(socket, 'session:refresh', { token: 'nope' })).error?.code, 'token_invalid');
  socket.disconnect();

  assert.equal((await exchange(server, await hs(ANA), { classId: DEMO_CLASS_ID, role: 'coach' })).body.error.code, 'forbidden', 'a member cannot coach');
  assert.equal(decodeJwt((await exchange(server, await hs(SAM), { classId: DEMO_CLASS_ID, role: 'coach' })).body.token).role, 'coach', 'staff can');
  const stranger = await exchange(server, await hs(STRANGER), { classId: DEMO_CLASS_ID });
  assert.equal(stranger.status, 403, 'signed in, but not a member of this club');
  assert.equal(stranger.body.error.code, 'forbidden');
  assert.equal((await exchange(server, await hs(ANA), { classId: 'no-such-class' })).body.error.code, 'class_not_found');
  assert.equal((await exchange(server, await hs(ANA), { classId: DEMO_CLASS_ID }, { origin: 'https://evil.example' })).body.error.code, 'origin_not_allowed');
  assert.equal((await exchange(server, await hs(ANA), { classId: DEMO_CLASS_ID, streamId: 'x' })).body.error.code, 'bad_request');
  assert.equal((await exchange(server, await hs(ANA), { classId: DEMO_CLASS_ID, role: 'viewer' })).body.error.code, 'bad_request');

  // Removed from the club: the next exchange is refused.
  await server.repos.clubMembers.remove(DEMO_CLUB_ID, ANA);
  assert.equal((await exchange(server, await hs(ANA), { classId: DEMO_CLASS_ID })).status, 403);
  await server.repos.clubMembers.set(DEMO_CLUB_ID, ANA, 'member');
});

test('a viewer signed in with Supabase gets a viewer token for the club’s stream', async () => {
  const k = makeApiKey();
  await server.repos.apiKeys.add({ id: k.id, clubId: DEMO_CLUB_ID, secretHash: k.secretHash, label: 's' });
  const stream = (await (await fetch(`${server.url}/api/v1/streams`, { method: 'POST', headers: { authorization: `Bearer ${k.key}`, 'content-type': 'application/json' }, body: JSON.stringify({ title: 'Live', source: { type: 'rtmp' } }) })).json()) as StreamCreated;
  const v = await exchange(server, await hs(ANA), { streamId: stream.id });
  assert.equal(v.body.role, 'viewer');
  assert.equal((await fetch(`${server.url}/api/v1/streams/${stream.id}/playback`, { headers: { authorization: `Bearer ${v.body.token}` } })).status, 200);
});

test('forged, expired, anonymous, wrong-audience and other-project Supabase tokens are refused', async () => {
  const code = async (bearer: string, srv = server) => {
    const r = await exchange(srv, bearer, { classId: DEMO_CLASS_ID });
    return `${r.status} ${r.body.error?.code}`;
  };
  assert.equal(await code(await hs(ANA, {}, 'another-projects-secret-another-projects-secret')), '401 token_invalid');
  assert.equal(await code(await hs(ANA, { ttl: -120 })), '401 token_expired');
  assert.equal(await code(await hs(ANA, { role: 'anon' })), '401 token_invalid', 'the anon key is not a user');
  assert.equal(await code(await hs(ANA, { aud: 'other' })), '401 token_invalid');
  const none = `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${Buffer.from(JSON.stringify({ sub: ANA, aud: 'authenticated', role: 'authenticated', exp: 9e9 })).toString('base64url')}.`;
  assert.equal(await code(none), '401 token_invalid', 'alg none');
  const otherIssuer = await new SignJWT({ aud: 'authenticated', role: 'authenticated' }).setProtectedHeader({ alg: 'HS256' }).setSubject(ANA).setIssuer('https://zzzz.supabase.co/auth/v1').setExpirationTime('1h').sign(new TextEncoder().encode(JWT_SECRET));
  assert.equal(await code(otherIssuer), '401 token_invalid', 'another project');
  assert.equal(await code('not-a-jwt'), '401 token_invalid');
  const noAuth = await fetch(`${server.url}/api/v1/auth/exchange`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
  assert.equal(noAuth.status, 401);

  // JWKS (asymmetric keys): the published key works; an HS256 token or another ES256 key does not.
  const es = (key: CryptoKey, kid = 'key-1') => supabaseToken(ANA, { name: 'Ana' }).setProtectedHeader({ alg: 'ES256', typ: 'JWT', kid }).sign(key);
  const ok = await exchange(jwksServer, await es(esKey), { classId: DEMO_CLASS_ID });
  assert.equal(ok.status, 200, JSON.stringify(ok.body));
  assert.equal(decodeJwt(ok.body.token).sub, ANA);
  const { privateKey: rogue } = await generateKeyPair('ES256');
  assert.equal(await code(await es(rogue as CryptoKey), jwksServer), '401 token_invalid', 'a key that is not in the JWKS');
  assert.equal(await code(await es(rogue as CryptoKey, 'other-kid'), jwksServer), '401 token_invalid');
  assert.equal(await code(await hs(ANA), jwksServer), '401 token_invalid', 'HS256 where the project signs with keys');

  // Without Supabase settings the exchange does not exist.
  const plain = await startBackend();
  try {
    assert.equal((await exchange(plain, await hs(ANA), { classId: DEMO_CLASS_ID })).body.error.code, 'not_found');
  } finally {
    await plain.stop();
  }
});
