import assert from 'node:assert/strict';
import { test } from 'node:test';
import { signJoinToken } from '../../backend/auth/join-token.js';
import { DEMO_CLASS_ID, DEMO_CLUB_ID } from '../../backend/store/seed.js';
import { startBackend } from '../support/backend.js';
import { connect, connected, nextEvent, request } from '../support/socket-client.js';

test('a mediasoup worker that dies is replaced, and its class is told to rejoin', { timeout: 60_000 }, async () => {
  const server = await startBackend();
  try {
    const secret = (await server.repos.clubs.get(DEMO_CLUB_ID))!.joinSecret;
    const token = await signJoinToken({ club: DEMO_CLUB_ID, class: DEMO_CLASS_ID, role: 'member', name: 'Ana', sub: 'ana' }, secret, 600);
    const socket = connect(server, { token, classId: DEMO_CLASS_ID });
    await connected(socket);
    const caps = await request(socket, 'room:capabilities', {});
    assert.ok((await request(socket, 'room:join', { rtpCapabilities: caps.data.routerRtpCapabilities })).data);

    const [pid] = server.workerPids();
    const closed = nextEvent(socket, 'room:closed', 10_000);
    process.kill(pid!, 'SIGKILL');
    assert.deepEqual(await closed, { reason: 'media_failed' });

    for (let i = 0; i < 50 && (server.workerPids().length !== 1 || server.workerPids()[0] === pid); i++) await new Promise((r) => setTimeout(r, 100));
    assert.equal(server.workerPids().length, 1, 'the pool is back to full size');
    assert.notEqual(server.workerPids()[0], pid, 'with a new worker');

    // The class can be entered again on the new worker.
    const again = connect(server, { token, classId: DEMO_CLASS_ID });
    await connected(again);
    const caps2 = await request(again, 'room:capabilities', {});
    assert.ok((await request(again, 'room:join', { rtpCapabilities: caps2.data.routerRtpCapabilities })).data);
    again.disconnect();
    socket.disconnect();
  } finally {
    await server.stop();
  }
});
