import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Socket } from 'socket.io-client';
import type { RunningServer } from '../../backend/main.js';
import { MAX_TRANSPORTS_PER_PEER } from '../../backend/media/class-media.js';
import { GENERAL_ALLOWANCE, KIND_ALLOWANCES } from '../../backend/signaling/event-budget.js';
import { startBackend } from '../support/backend.js';
import { request, seatInClass } from '../support/socket-client.js';

/*
 * A member's token used against the node: the per-connection message budget at its production
 * allowances (SOCKET_RATE_SCALE=1; other tests raise it), the cut of a connection that floods,
 * and the cap on transports per seat. Real backend, real Socket.IO, real mediasoup.
 */

let server: RunningServer;
const sockets: Socket[] = [];
before(async () => {
  server = await startBackend({ SOCKET_RATE_SCALE: '1' });
});
after(async () => {
  for (const s of sockets) s.disconnect();
  await server.stop();
});

async function seated(name: string, role: 'coach' | 'member' = 'member') {
  const seat = await seatInClass(server, { role, sub: name });
  sockets.push(seat.socket);
  return seat;
}

const ackOf = (socket: Socket, name: string, payload: unknown) =>
  new Promise<string>((resolve) => {
    if (!socket.connected) return resolve('disconnected');
    const done = (outcome: string) => {
      socket.off('disconnect', gone);
      resolve(outcome);
    };
    const gone = () => done('disconnected');
    socket.once('disconnect', gone);
    socket.emit(name, payload, (res: { data?: unknown; error?: { code: string } }) => done(res.error ? res.error.code : 'ok'));
  });

const tally = (outcomes: string[]) => Object.fromEntries([...new Set(outcomes)].map((o) => [o, outcomes.filter((x) => x === o).length]));

test('a flooding connection gets its allowance through, the rest is refused rate_limited, and it is cut; the class next to it goes on', { timeout: 60_000 }, async () => {
  const flooder = await seated('flooder');
  const bystander = await seated('bystander');
  const t0 = performance.now();
  const cutAt = new Promise<number>((resolve) => flooder.socket.once('disconnect', () => resolve(performance.now() - t0)));
  const flood = Array.from({ length: 2000 }, () => ackOf(flooder.socket, 'time:sync', {}));
  // The bystander's messages are answered while the flood goes on.
  const bystanderSync = await request(bystander.socket, 'time:sync', {});
  const outcomes = await Promise.all(flood);
  const counts = tally(outcomes);
  const cutMs = await Promise.race([cutAt, new Promise<number>((r) => setTimeout(() => r(-1), 3000))]);
  console.log(`# flood of 2000 time:sync as fast as one socket sends: ${JSON.stringify(counts)}; handled ${counts.ok ?? 0} (allowance ${GENERAL_ALLOWANCE.points} per ${GENERAL_ALLOWANCE.duration} s), cut ${cutMs.toFixed(0)} ms after the flood began`);
  assert.ok(bystanderSync.data, 'the bystander is answered');
  assert.ok((counts.ok ?? 0) <= GENERAL_ALLOWANCE.points, 'no more than the allowance handled');
  assert.ok((counts.rate_limited ?? 0) > 0, 'refusals say rate_limited');
  assert.ok(cutMs >= 0, 'the connection was cut');
  assert.deepEqual(Object.keys(counts).filter((k) => !['ok', 'rate_limited', 'disconnected'].includes(k)), []);
  assert.equal(flooder.socket.connected, false);
  assert.ok((await request(bystander.socket, 'time:sync', {})).data, 'still fine afterwards');
});

test('rep taps have their own allowance (a fast tapper is within it); refused taps are not counted', { timeout: 30_000 }, async () => {
  await seated('coach-budget', 'coach');
  const tapper = await seated('tapper');
  const allowance = KIND_ALLOWANCES['rep:tap']!;
  const taps = await Promise.all(Array.from({ length: allowance.points + 10 }, (_, i) => ackOf(tapper.socket, 'rep:tap', { opId: `budget-tap-${i}-xxxxxxxx` })));
  const counts = tally(taps);
  assert.equal(counts.ok, allowance.points, JSON.stringify(counts));
  assert.equal(counts.rate_limited, 10);
  const view = (await request(tapper.socket, 'time:sync', {})).data;
  assert.ok(view, 'the connection is still there (a few refusals do not cut it)');
  const state = (await request(tapper.socket, 'room:join', { rtpCapabilities: (await request(tapper.socket, 'room:capabilities', {})).data.routerRtpCapabilities })).data;
  const reps = Object.values(state.classState.participants[tapper.id].reps as Record<string, number>).reduce((a, b) => a + b, 0);
  assert.equal(reps, allowance.points, 'only the acknowledged taps counted');
});

test('a seat holds at most MAX_TRANSPORTS_PER_PEER transports: past it, limit_reached', { timeout: 30_000 }, async () => {
  const member = await seated('transport-hoarder');
  const made: string[] = [];
  for (let i = 0; i < 6; i++) made.push((await request(member.socket, 'transport:create', { direction: 'recv' })).error?.code ?? 'ok');
  // The join made two.
  assert.deepEqual(made, [...Array(MAX_TRANSPORTS_PER_PEER - 2).fill('ok'), ...Array(6 - (MAX_TRANSPORTS_PER_PEER - 2)).fill('limit_reached')]);
  assert.ok((await request(member.socket, 'time:sync', {})).data);
});
