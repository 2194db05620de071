import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Socket } from 'socket.io-client';
import type { RunningServer } from '../../backend/main.js';
import { EMPTY_GRACE_MS } from '../../backend/signaling/live-classes.js';
import { startBackend } from '../support/backend.js';
import { openClass, request } from '../support/socket-client.js';

/*
 * A class opened for someone who never sits down (capabilities asked, a join refused because the
 * class ended) is released after the same grace as an emptied class: a token cannot keep routers,
 * state and placements open on a node forever. Real backend (waits out the 15 s grace).
 */

let server: RunningServer;
const sockets: Socket[] = [];
before(async () => {
  server = await startBackend();
});
after(async () => {
  for (const s of sockets) s.disconnect();
  await server.stop();
});

const liveClasses = async () => ((await (await fetch(`${server.url}/healthz`)).json()) as { liveClasses: number }).liveClasses;

async function open(classId: string): Promise<Socket> {
  const socket = await openClass(server, { role: 'member', sub: `idle-${classId}`, classId });
  sockets.push(socket);
  return socket;
}

test('a class opened by capabilities alone, or by a refused join, is closed after the grace; the connections stay', { timeout: EMPTY_GRACE_MS + 30_000 }, async () => {
  assert.equal(await liveClasses(), 0);
  const asking = await open('demo-yoga');
  assert.ok((await request(asking, 'room:capabilities', {})).data);
  await server.repos.classes.setStatus('demo-hiit', 'ended');
  const refused = await open('demo-hiit');
  const caps = (await request(refused, 'room:capabilities', {})).data.routerRtpCapabilities;
  assert.equal((await request(refused, 'room:join', { rtpCapabilities: caps })).error?.code, 'class_ended');
  assert.equal(await liveClasses(), 2, 'both opened');

  const t0 = Date.now();
  while ((await liveClasses()) > 0 && Date.now() - t0 < EMPTY_GRACE_MS + 10_000) await new Promise((r) => setTimeout(r, 250));
  console.log(`# classes nobody sat down in closed after ${Date.now() - t0} ms (grace ${EMPTY_GRACE_MS} ms)`);
  assert.equal(await liveClasses(), 0, 'released');
  assert.ok(asking.connected && refused.connected, 'the connections themselves are not dropped');
  // Asked again, it opens again.
  assert.ok((await request(asking, 'room:capabilities', {})).data);
  assert.equal(await liveClasses(), 1);
});
