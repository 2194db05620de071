import assert from 'node:assert/strict';
import { test } from 'node:test';
import { signJoinToken } from '../../backend/auth/join-token.js';
import { DEMO_CLASS_ID, DEMO_CLUB_ID } from '../../backend/store/seed.js';
import { startBackend } from '../support/backend.js';
import { connect, connected, nextEvent, request } from '../support/socket-client.js';

test('a mediasoup worker that dies is replaced; its class moves to another worker and keeps its state', { timeout: 60_000 }, async () => {
  const server = await startBackend();
  try {
    const secret = (await server.repos.clubs.get(DEMO_CLUB_ID))!.joinSecret;
    const coachToken = await signJoinToken({ club: DEMO_CLUB_ID, class: DEMO_CLASS_ID, role: 'coach', name: 'Sam', sub: 'sam' }, secret, 600);
    const socket = connect(server, { token: coachToken, classId: DEMO_CLASS_ID });
    await connected(socket);
    const caps = await request(socket, 'room:capabilities', {});
    const first = await request(socket, 'room:join', { rtpCapabilities: caps.data.routerRtpCapabilities });
    assert.ok(first.data);
    await request(socket, 'class:set-mode', { mode: 'workout' });

    const [pid] = server.workerPids();
    const lost = nextEvent(socket, 'media:lost', 10_000);
    const t0 = Date.now();
    process.kill(pid!, 'SIGKILL');
    await lost;
    assert.ok(socket.connected, 'the connection stays up');

    // Joining again on the same connection lands on a new worker, in the same class state.
    const again = await request(socket, 'room:join', { rtpCapabilities: caps.data.routerRtpCapabilities });
    assert.ok(again.data, JSON.stringify(again.error));
    console.log(`worker killed → seat re-joined on a new worker: ${Date.now() - t0} ms`);
    assert.equal(again.data.classState.mode, 'workout', 'the class state survived');
    assert.equal(again.data.self.id, first.data.self.id);
    assert.equal(server.workerPids().length, 1, 'the pool is back to full size');
    assert.notEqual(server.workerPids()[0], pid, 'with a new worker');
    socket.disconnect();
  } finally {
    await server.stop();
  }
});
