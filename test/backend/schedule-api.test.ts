import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { makeApiKey } from '../../backend/auth/api-keys.js';
import { signJoinToken } from '../../backend/auth/join-token.js';
import type { RunningServer } from '../../backend/main.js';
import { DEMO_CLUB_ID } from '../../backend/store/seed.js';
import { startBackend } from '../support/backend.js';
import { connect, connected, request } from '../support/socket-client.js';

let server: RunningServer;
let key: string;

before(async () => {
  server = await startBackend();
  const k = makeApiKey();
  await server.repos.apiKeys.add({ id: k.id, clubId: DEMO_CLUB_ID, secretHash: k.secretHash, label: 'test' });
  key = k.key;
});
after(() => server.stop());

const call = (path: string, auth: string | undefined, init: { method?: string; body?: unknown } = {}) =>
  fetch(`${server.url}/api${path}`, {
    method: init.method ?? 'GET',
    headers: { 'content-type': 'application/json', ...(auth ? { authorization: `Bearer ${auth}` } : {}) },
    ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
  });

test('schedule: create, list, update, cancel with the club API key; public listing; refusals', async () => {
  const created = await call('/v1/classes', key, { method: 'POST', body: { title: 'Evening Spin', coachName: 'Coach Lee', startsAt: '2026-11-24T18:00:00Z', durationMinutes: 40, capacity: 20 } });
  assert.equal(created.status, 201);
  const cls = await created.json();
  assert.match(cls.id, /^evening-spin-[0-9a-f]{6}$/);
  assert.deepEqual({ ...cls, id: undefined }, { id: undefined, clubId: DEMO_CLUB_ID, title: 'Evening Spin', coachName: 'Coach Lee', startsAt: '2026-11-24T18:00:00.000Z', durationMinutes: 40, capacity: 20, status: 'scheduled' });

  assert.equal((await call('/v1/classes', key, { method: 'POST', body: { id: cls.id, title: 'Dup' } })).status, 409);
  const bad = await call('/v1/classes', key, { method: 'POST', body: { title: '', capacity: 0, startsAt: 'tomorrow', extra: 1 } });
  assert.equal(bad.status, 400);
  assert.match((await bad.json()).error.message, /title/);

  const listed = (await (await call('/v1/classes', key)).json()).classes.map((c: { id: string }) => c.id);
  assert.ok(listed.includes(cls.id) && listed.includes('demo-hiit'));

  const patched = await (await call(`/v1/classes/${cls.id}`, key, { method: 'PATCH', body: { capacity: 25, title: 'Evening Spin+' } })).json();
  assert.equal(patched.capacity, 25);
  assert.equal(patched.title, 'Evening Spin+');

  const pub = await call(`/public/clubs/${DEMO_CLUB_ID}/schedule`, undefined);
  assert.equal(pub.headers.get('access-control-allow-origin'), '*');
  const pubBody = await pub.json();
  assert.equal(pubBody.club.name, 'Northside Fitness');
  assert.ok(pubBody.classes.some((c: { id: string }) => c.id === cls.id));
  assert.equal(JSON.stringify(pubBody).includes('plan'), false, 'no plans in the public listing');

  // Refusals: no key, a wrong key, a member's token, someone else's class.
  assert.equal((await call('/v1/classes', undefined)).status, 401);
  assert.equal((await call('/v1/classes', 'flk_000000000000_aaaaaaaaaaaaaaaaaaaaaaaaaaaa')).status, 401);
  const secret = (await server.repos.clubs.get(DEMO_CLUB_ID))!.joinSecret;
  const member = await signJoinToken({ club: DEMO_CLUB_ID, class: cls.id, role: 'member', name: 'M', sub: 'm' }, secret, 600);
  assert.equal((await call('/v1/classes', member, { method: 'POST', body: { title: 'x' } })).status, 403);
  assert.equal((await call(`/v1/classes/${cls.id}`, member)).status, 200, 'a member may read their class');
  assert.equal((await call('/v1/classes/demo-hiit', member)).status, 403, 'but not another one');
  await server.repos.clubs.upsert({ id: 'other-club', name: 'Other', joinSecret: 'x'.repeat(40), allowedOrigins: [] });
  await server.repos.classes.upsert({ id: 'other-class', clubId: 'other-club', title: 'Theirs', coachName: '', startsAt: null, plan: [] });
  assert.equal((await call('/v1/classes/other-class', key)).status, 404, 'another club’s class does not exist for this key');

  // Cancel: the class cannot be joined any more.
  assert.equal((await (await call(`/v1/classes/${cls.id}`, key, { method: 'DELETE' })).json()).status, 'cancelled');
  const socket = connect(server, { token: member, classId: cls.id });
  await connected(socket);
  const caps = (await request(socket, 'room:capabilities', {})).data.routerRtpCapabilities;
  assert.equal((await request(socket, 'room:join', { rtpCapabilities: caps })).error?.code, 'class_ended');
  socket.disconnect();

  const revokedId = key.split('_')[1]!;
  assert.ok(await server.repos.apiKeys.revoke(revokedId, DEMO_CLUB_ID));
  assert.equal((await call('/v1/classes', key)).status, 401, 'a revoked key stops working');
});

test('CORS: a preflight passes; a request from another site is answered only if the club allows that site', async () => {
  const pre = await fetch(`${server.url}/api/v1/classes/demo-hiit/files`, { method: 'OPTIONS', headers: { origin: 'https://club.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type' } });
  assert.equal(pre.status, 204);
  assert.equal(pre.headers.get('access-control-allow-origin'), 'https://club.example');
  assert.match(pre.headers.get('access-control-allow-headers') ?? '', /authorization/);
  const k = makeApiKey();
  await server.repos.apiKeys.add({ id: k.id, clubId: DEMO_CLUB_ID, secretHash: k.secretHash, label: 'cors' });
  const from = (origin: string) => fetch(`${server.url}/api/v1/classes/demo-hiit`, { headers: { authorization: `Bearer ${k.key}`, origin } });
  const refused = await from('https://club.example');
  assert.equal(refused.status, 403);
  assert.equal(refused.headers.get('access-control-allow-origin'), 'https://club.example', 'the refusal is readable by the page');
  assert.equal(((await refused.json()) as { error: { code: string } }).error.code, 'origin_not_allowed');
  await server.repos.clubs.setAllowedOrigins(DEMO_CLUB_ID, ['https://club.example']);
  try {
    const ok = await from('https://club.example');
    assert.equal(ok.status, 200);
    assert.equal(ok.headers.get('access-control-allow-origin'), 'https://club.example');
    assert.equal((await from('https://evil.example')).status, 403);
  } finally {
    await server.repos.clubs.setAllowedOrigins(DEMO_CLUB_ID, []);
  }
});
