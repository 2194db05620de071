import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Socket } from 'socket.io-client';
import { signJoinToken } from '../../backend/auth/join-token.js';
import type { RunningServer } from '../../backend/main.js';
import { DEMO_CLASS_ID, DEMO_CLUB_ID } from '../../backend/store/seed.js';
import { requestSchemas } from '../../protocol/signaling.js';
import { startBackend } from '../support/backend.js';
import { connect, connected, devToken, nextEvent, refused, request } from '../support/socket-client.js';

/* Real backend, real Socket.IO, real mediasoup worker: the protocol's edge under good and bad input. */

let server: RunningServer;
let secret: string;
const sockets: Socket[] = [];
const open = (auth: unknown, headers?: Record<string, string>) => {
  const s = connect(server, auth, headers);
  sockets.push(s);
  return s;
};

before(async () => {
  server = await startBackend();
  secret = (await server.repos.clubs.get(DEMO_CLUB_ID))!.joinSecret;
});

after(async () => {
  for (const s of sockets) s.disconnect();
  await server.stop();
});

const token = (over: Partial<{ class: string; role: 'coach' | 'member'; name: string; sub: string }> = {}, ttl = 600) =>
  signJoinToken({ club: DEMO_CLUB_ID, class: DEMO_CLASS_ID, role: 'member', name: 'Ana', sub: `user-${Math.random()}`, ...over }, secret, ttl);

async function joined(over: Parameters<typeof token>[0] = {}, ttl?: number) {
  const socket = open({ token: await token(over, ttl), classId: DEMO_CLASS_ID });
  await connected(socket);
  const caps = await request(socket, 'room:capabilities', {});
  // The router's own capabilities are a valid client capability set (what a device would send).
  const res = await request(socket, 'room:join', { rtpCapabilities: caps.data.routerRtpCapabilities });
  assert.ok(res.data, JSON.stringify(res.error));
  return { socket, join: res.data };
}

describe('handshake', () => {
  test('no token, junk, wrong club secret, other class, expired: refused with a stable code', async () => {
    assert.equal((await refused(open(undefined))).code, 'unauthorized');
    assert.equal((await refused(open({ token: 'junk', classId: DEMO_CLASS_ID }))).code, 'token_invalid');
    const alien = await signJoinToken({ club: DEMO_CLUB_ID, class: DEMO_CLASS_ID, role: 'coach', name: 'X', sub: 'x' }, 'not-the-club-secret', 600);
    assert.equal((await refused(open({ token: alien, classId: DEMO_CLASS_ID }))).code, 'token_invalid');
    assert.equal((await refused(open({ token: await token(), classId: 'demo-yoga' }))).code, 'class_mismatch');
    assert.equal((await refused(open({ token: await token({ class: 'no-such-class' }), classId: 'no-such-class' }))).code, 'class_not_found');
    assert.equal((await refused(open({ token: await token({}, -10), classId: DEMO_CLASS_ID }))).code, 'token_expired');
  });

  test('a page on a site the club has not allowed is refused', async () => {
    const err = await refused(open({ token: await token(), classId: DEMO_CLASS_ID }, { origin: 'https://evil.example' }));
    assert.equal(err.code, 'origin_not_allowed');
    await server.repos.clubs.upsert({ id: DEMO_CLUB_ID, name: 'Northside Fitness', joinSecret: secret, allowedOrigins: [] });
  });
});

describe('messages', () => {
  test('every request kind answers junk with bad_request and the server goes on', async () => {
    const socket = open({ token: await token(), classId: DEMO_CLASS_ID });
    await connected(socket);
    for (const name of Object.keys(requestSchemas)) {
      for (const junk of [42, 'x', [1, 2], { unexpected: true, transportId: { $gt: '' } }]) {
        const res = await request(socket, name, junk);
        assert.equal(res.error?.code, 'bad_request', `${name} with ${JSON.stringify(junk)}: ${JSON.stringify(res)}`);
        assert.match(res.error!.message, new RegExp(name));
      }
    }
    assert.equal((await request(socket, 'room:hack', {})).error?.code, 'bad_request');
    socket.emit('room:join', { rtpCapabilities: {} }); // no ack: dropped, no crash
    assert.equal((await request(socket, 'transport:create', { direction: 'send' })).error?.code, 'not_joined');
    assert.equal((await request(socket, 'room:join', { rtpCapabilities: { codecs: 'nope' } })).error?.code, 'bad_request');
    assert.equal((await request(socket, 'transport:connect', { transportId: 'nope', dtlsParameters: {} })).error?.code, 'not_joined');
    const health = await (await fetch(`${server.url}/healthz`)).json();
    assert.equal(health.status, 'ok');
  });

  test('joined: media requests on unknown ids or with bad parameters fail cleanly', async () => {
    const { socket } = await joined();
    const first = await request(socket, 'transport:create', { direction: 'send' });
    // Joining again on the same connection starts the seat's media over, same participant.
    const caps = (await request(socket, 'room:capabilities', {})).data.routerRtpCapabilities;
    const again = await request(socket, 'room:join', { rtpCapabilities: caps });
    assert.ok(again.data, JSON.stringify(again.error));
    assert.equal((await request(socket, 'transport:connect', { transportId: first.data.id, dtlsParameters: {} })).error?.code, 'not_found', 'the old transports are gone');
    const send = await request(socket, 'transport:create', { direction: 'send' });
    assert.ok(send.data.id && send.data.iceCandidates.length > 0);
    assert.equal(send.data.iceCandidates[0].address, '127.0.0.1', 'announced address');
    assert.equal((await request(socket, 'transport:connect', { transportId: 'nope', dtlsParameters: {} })).error?.code, 'not_found');
    assert.equal((await request(socket, 'transport:connect', { transportId: send.data.id, dtlsParameters: { fingerprints: 'x' } })).error?.code, 'media_error');
    const produce = await request(socket, 'media:produce', { transportId: send.data.id, kind: 'video', rtpParameters: { codecs: [] }, source: 'camera' });
    assert.equal(produce.error?.code, 'media_error');
    const screen = await request(socket, 'media:produce', { transportId: send.data.id, kind: 'video', rtpParameters: {}, source: 'screen' });
    assert.equal(screen.error?.code, 'forbidden', 'a member cannot share a screen');
    assert.equal((await request(socket, 'media:unproduce', { producerId: 'nope' })).error?.code, 'not_found');
    const wrongKind = await request(socket, 'media:produce', { transportId: send.data.id, kind: 'audio', rtpParameters: {}, source: 'camera' });
    assert.equal(wrongKind.error?.code, 'bad_request');
    assert.equal((await request(socket, 'media:consume', { producerId: 'nope' })).error?.code, 'not_found');
    assert.equal((await request(socket, 'consumer:resume', { consumerId: 'nope' })).error?.code, 'not_found');
  });

  test("a join with the browser's DTLS fingerprint connects its transports at once; its tracks come unpaused", async () => {
    const coach = await joined({ role: 'coach', name: 'Coach Dee', sub: 'coach-dee' });
    await server.publishPlain(DEMO_CLASS_ID, coach.join.self.id, 'video', { codecs: [{ mimeType: 'video/VP8', payloadType: 101, clockRate: 90000 }], encodings: [{ ssrc: 2222 }] });
    const socket = open({ token: await token(), classId: DEMO_CLASS_ID });
    await connected(socket);
    const caps = (await request(socket, 'room:capabilities', {})).data.routerRtpCapabilities;
    const fingerprint = Array.from({ length: 32 }, (_, i) => (i * 7).toString(16).padStart(2, '0').toUpperCase()).join(':');
    // Refused at the edge: a role the browser does not play, a fingerprint that is not one.
    for (const bad of [{ role: 'server', fingerprints: [{ algorithm: 'sha-256', value: fingerprint }] }, { role: 'client', fingerprints: [{ algorithm: 'sha-256', value: 'zz' }] }, { role: 'client', fingerprints: [] }]) {
      assert.equal((await request(socket, 'room:join', { rtpCapabilities: caps, dtlsParameters: bad })).error?.code, 'bad_request', JSON.stringify(bad));
    }
    const res = await request(socket, 'room:join', { rtpCapabilities: caps, dtlsParameters: { role: 'client', fingerprints: [{ algorithm: 'sha-256', value: fingerprint }] } });
    assert.ok(res.data, JSON.stringify(res.error));
    assert.equal(res.data.transportsConnected, true);
    for (const t of [res.data.transports.send, res.data.transports.recv]) {
      assert.equal((await request(socket, 'transport:connect', { transportId: t.id, dtlsParameters: { role: 'client', fingerprints: [{ algorithm: 'sha-256', value: fingerprint }] } })).error?.code, 'media_error', 'already connected by the join');
    }
    const offered = res.data.consumers.find((c: { participantId: string; kind: string }) => c.participantId === coach.join.self.id && c.kind === 'video');
    assert.ok(offered, 'the coach camera is offered');
    assert.equal(offered.paused, false, 'no resume needed');
    assert.deepEqual(server.videoConsumers(DEMO_CLASS_ID, res.data.self.id).map((c) => c.paused), [false], 'flowing on the SFU once the transport connects');

    // Without it: as before, the client connects each transport itself.
    const plain = await joined();
    assert.equal(plain.join.transportsConnected, false);
    assert.deepEqual(await request(plain.socket, 'transport:connect', { transportId: plain.join.transports.recv.id, dtlsParameters: { role: 'client', fingerprints: [{ algorithm: 'sha-256', value: fingerprint }] } }), { data: {} });
    // A track announced later is consumed paused, for the client to resume once wired.
    const added = nextEvent<{ producerId: string }>(plain.socket, 'producer:added');
    await server.publishPlain(DEMO_CLASS_ID, coach.join.self.id, 'audio', { codecs: [{ mimeType: 'audio/opus', payloadType: 100, clockRate: 48000, channels: 2 }], encodings: [{ ssrc: 3333 }] });
    const later = await request(plain.socket, 'media:consume', { producerId: (await added).producerId });
    assert.ok(later.data, JSON.stringify(later.error));
    assert.equal(later.data.paused, true);
    for (const s of [socket, plain.socket, coach.socket]) await request(s, 'room:leave', {});
  });

  test('an oversized message drops only that connection', async () => {
    const socket = open({ token: await token(), classId: DEMO_CLASS_ID });
    await connected(socket);
    const gone = nextEvent(socket, 'disconnect');
    socket.emit('room:join', { rtpCapabilities: { blob: 'x'.repeat(200_000) } }, () => undefined);
    await gone;
    const other = open({ token: await token(), classId: DEMO_CLASS_ID });
    await connected(other);
  });
});

describe('class membership', () => {
  test('join and leave reach the others; roles come from the token; attendance is recorded', async () => {
    const coach = await joined({ role: 'coach', name: 'Coach Sam', sub: 'coach-sam' });
    assert.equal(coach.join.self.role, 'coach');
    const seen = nextEvent(coach.socket, 'participant:joined');
    const ana = await joined({ role: 'member', name: 'Ana', sub: 'ana' });
    assert.deepEqual(await seen, ana.join.self);
    assert.ok(ana.join.participants.some((p: { id: string; role: string }) => p.id === coach.join.self.id && p.role === 'coach'));
    const left = nextEvent(coach.socket, 'participant:left');
    assert.deepEqual(await request(ana.socket, 'room:leave', {}), { data: {} });
    assert.deepEqual(await left, { participantId: ana.join.self.id });
    const visits = await server.repos.attendance.listForClass(DEMO_CLASS_ID);
    const anaVisit = visits.find((v) => v.identity === 'ana');
    assert.ok(anaVisit && anaVisit.left_at, 'Ana’s visit is closed');
    assert.equal(visits.find((v) => v.identity === 'coach-sam')?.left_at, null, 'the coach is still there');
  });

  test('the same person joining from a second tab replaces the first (no duplicate tile)', async () => {
    const coach = await joined({ role: 'coach', name: 'Coach Sam', sub: 'coach-2' });
    const first = await joined({ sub: 'ben', name: 'Ben' });
    const closed = nextEvent(first.socket, 'room:closed');
    const second = await joined({ sub: 'ben', name: 'Ben' });
    assert.deepEqual(await closed, { reason: 'replaced' });
    assert.equal(second.join.self.id, first.join.self.id, 'same participant id for the same person');
    await new Promise((r) => setTimeout(r, 200));
    const again = await request(coach.socket, 'room:capabilities', {});
    assert.ok(again.data);
  });

  test('a token that expires mid-class ends the session', async () => {
    const { socket } = await joined({ sub: 'short' }, 2);
    assert.deepEqual(await nextEvent(socket, 'room:closed', 5000), { reason: 'removed' });
  });
});

describe('REST', () => {
  test('router capabilities are public, cross-origin, and the same every class router has', async () => {
    const res = await fetch(`${server.url}/api/rtp-capabilities`);
    assert.equal(res.headers.get('access-control-allow-origin'), '*');
    const { routerRtpCapabilities } = await res.json();
    const socket = open({ token: await token(), classId: DEMO_CLASS_ID });
    await connected(socket);
    const viaSocket = await request(socket, 'room:capabilities', {});
    assert.deepEqual(routerRtpCapabilities, viaSocket.data.routerRtpCapabilities);
    assert.ok(routerRtpCapabilities.codecs.some((c: { mimeType: string }) => c.mimeType === 'video/VP8'));
  });

  test('dev token endpoint validates input; unknown API paths are JSON 404s', async () => {
    const bad = await fetch(`${server.url}/api/dev/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ role: 'admin' }) });
    assert.equal(bad.status, 400);
    assert.equal((await bad.json()).error.code, 'bad_request');
    const missing = await fetch(`${server.url}/api/dev/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ classId: 'nope', role: 'member', name: 'A' }) });
    assert.equal((await missing.json()).error.code, 'class_not_found');
    const nope = await fetch(`${server.url}/api/nope`);
    assert.equal(nope.status, 404);
    assert.equal((await nope.json()).error.code, 'not_found');
    assert.ok(await devToken(server, { role: 'member', name: 'Ana' }));
  });
});

test('joins are rate-limited per address', async () => {
  const limited = await startBackend({ JOIN_RATE_PER_MINUTE: '3' });
  try {
    const key = (await limited.repos.clubs.get(DEMO_CLUB_ID))!.joinSecret;
    const t = await signJoinToken({ club: DEMO_CLUB_ID, class: DEMO_CLASS_ID, role: 'member', name: 'A', sub: 'a' }, key, 600);
    const made: Socket[] = [];
    for (let i = 0; i < 3; i++) {
      made.push(connect(limited, { token: t, classId: DEMO_CLASS_ID }));
      await connected(made[i]!);
      made[i]!.disconnect();
    }
    const fourth = connect(limited, { token: t, classId: DEMO_CLASS_ID });
    assert.equal((await refused(fourth)).code, 'rate_limited');
    // Behind a trusted proxy (loopback by default), the forwarded address is the client's.
    const viaProxy = connect(limited, { token: t, classId: DEMO_CLASS_ID }, { 'x-forwarded-for': '198.51.100.7' });
    await connected(viaProxy);
    viaProxy.disconnect();
  } finally {
    await limited.stop();
  }
});

test('without FITLIVE_DEV there is no dev token endpoint', async () => {
  const prod = await startBackend({ FITLIVE_DEV: '0', SEED_DEMO: '1' });
  try {
    const res = await fetch(`${prod.url}/api/dev/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ classId: DEMO_CLASS_ID, role: 'coach', name: 'X' }) });
    assert.equal(res.status, 404);
  } finally {
    await prod.stop();
  }
});
