import assert from 'node:assert/strict';
import dgram from 'node:dgram';
import { after, before, test } from 'node:test';
import type { types as ms } from 'mediasoup';
import { signJoinToken } from '../../backend/auth/join-token.js';
import type { RunningServer } from '../../backend/main.js';
import { DEMO_CLASS_ID, DEMO_CLUB_ID } from '../../backend/store/seed.js';
import { startBackend } from '../support/backend.js';
import { PlainPublishers } from '../support/plain-publisher.js';
import { connect, connected, request } from '../support/socket-client.js';
import { until } from '../support/waits.js';

/*
 * A class bigger than one router's share (set low here: 3 consumers) spreads its receivers over a
 * router on the other mediasoup worker, fed through pipeToRouter. Real workers, real sockets, a
 * real FFmpeg publishing the coach's camera as plain RTP; the RTP that crosses the pipe is counted
 * at a UDP sink.
 */

let server: RunningServer;
let publisher: PlainPublishers | undefined;
const sockets: ReturnType<typeof connect>[] = [];

before(async () => {
  server = await startBackend({ MEDIASOUP_WORKERS: '2', RTC_CONSUMERS_PER_ROUTER: '3' });
});
after(async () => {
  publisher?.close();
  for (const s of sockets) s.disconnect();
  await server?.stop();
});

async function seat(role: 'coach' | 'member', sub: string) {
  const secret = (await server.repos.clubs.get(DEMO_CLUB_ID))!.joinSecret;
  const token = await signJoinToken({ club: DEMO_CLUB_ID, class: DEMO_CLASS_ID, role, name: sub, sub }, secret, 600);
  const socket = connect(server, { token, classId: DEMO_CLASS_ID });
  sockets.push(socket);
  await connected(socket);
  const caps = (await request(socket, 'room:capabilities', {})).data.routerRtpCapabilities;
  const res = await request(socket, 'room:join', { rtpCapabilities: caps });
  assert.ok(res.data, JSON.stringify(res.error));
  return { id: res.data.self.id as string, consumers: res.data.consumers as unknown[], caps: caps as ms.RtpCapabilities };
}

test('receivers past a router’s share go to a router on the other worker, fed by a pipe', async () => {
  const coach = await seat('coach', 'coach-spread');
  publisher = await PlainPublishers.start(server, DEMO_CLASS_ID, [coach.id]);
  const members = [];
  for (let i = 0; i < 6; i++) members.push(await seat('member', `member-spread-${i}`));
  for (const m of members) assert.equal(m.consumers.length, 1, 'each member receives the coach’s camera');

  const routers = server.classRouters(DEMO_CLASS_ID);
  const pids = server.workerPids();
  assert.equal(routers.length, 2, 'one extra router');
  assert.notEqual(routers[0]!.workerPid, routers[1]!.workerPid, 'on the other worker');
  assert.ok(pids.includes(routers[1]!.workerPid!));
  // The class's router: three receivers and the pipe's consumer (the camera leaves it once more).
  assert.deepEqual(routers.map((r) => r.consumers), [4, 3], 'three receivers each, plus the pipe');
  console.log(`# routers: ${routers.map((r) => `${r.workerPid}:${r.consumers}`).join(', ')}`);

  // What the extra router forwards is the coach's camera, through the pipe.
  const sink = dgram.createSocket('udp4');
  let bytes = 0;
  sink.on('message', (m) => (bytes += m.length));
  await new Promise<void>((r) => sink.bind(0, '127.0.0.1', () => r()));
  try {
    const extra = routers[1]!.router;
    const t = await extra.createPlainTransport({ listenInfo: { protocol: 'udp', ip: '127.0.0.1' }, rtcpMux: true, comedia: false });
    await t.connect({ ip: '127.0.0.1', port: (sink.address() as { port: number }).port });
    await t.consume({ producerId: publisher.producerIds[0]!, rtpCapabilities: coach.caps });
    await until('RTP crosses the pipe to the other worker', () => bytes, (b) => b > 20_000, 10_000);
    t.close();
  } finally {
    sink.close();
  }

  // Leaving frees a place: the next receiver takes it; past it, with every worker used, the
  // least-loaded router takes more than its share (a piped track has one id per worker).
  sockets.at(-1)!.disconnect();
  await until('the leaver’s consumer closes', () => server.classRouters(DEMO_CLASS_ID)[1]!.consumers, (n) => n === 2, 5000);
  for (const sub of ['late-1', 'late-2']) assert.equal((await seat('member', sub)).consumers.length, 1);
  assert.deepEqual(server.classRouters(DEMO_CLASS_ID).map((r) => r.consumers), [4, 4]);
});
