// npm run bench:join-storm — JOIN_STORM members (200) join one class within JOIN_STORM_SECONDS (10),
// evenly spread, each as the widget does (socket handshake with a join token, room:capabilities,
// room:join with transports made): success rate and join latency percentiles (handshake start →
// join answered). Targets (issue 9): 100 % success, p95 < 1 s. Loopback, bounded, stops by itself.
import { io, type Socket } from 'socket.io-client';
import { signJoinToken } from '../../backend/auth/join-token.js';
import { DEMO_CLUB_ID } from '../../backend/store/seed.js';
import { startBackend } from '../support/backend.js';

const N = Number(process.env.JOIN_STORM ?? 200);
const SECONDS = Number(process.env.JOIN_STORM_SECONDS ?? 10);
const CLASS_ID = 'join-storm';

const server = await startBackend({ LOG_LEVEL: 'error', JOIN_RATE_PER_MINUTE: '100000' });
setTimeout(() => {
  console.error('join storm: gave up after 3 minutes');
  process.exit(1);
}, 180_000).unref();
await server.repos.classes.create({ id: CLASS_ID, clubId: DEMO_CLUB_ID, title: 'Storm', coachName: 'Sam', startsAt: null, plan: [], durationMinutes: 60, capacity: N + 10 });
const secret = (await server.repos.clubs.get(DEMO_CLUB_ID))!.joinSecret;
const tokens = await Promise.all(Array.from({ length: N }, (_, i) => signJoinToken({ club: DEMO_CLUB_ID, class: CLASS_ID, role: 'member', name: `Member ${i}`, sub: `storm-${i}` }, secret, 3600)));

const sockets: Socket[] = [];
const latencies: number[] = [];
const failures = new Map<string, number>();
const t0 = performance.now();
await Promise.all(
  tokens.map(async (token, i) => {
    await new Promise((r) => setTimeout(r, (i * SECONDS * 1000) / N));
    const start = performance.now();
    const socket = io(server.url, { auth: { token, classId: CLASS_ID }, transports: ['websocket'], reconnection: false, forceNew: true, timeout: 10_000 });
    sockets.push(socket);
    try {
      await new Promise<void>((resolve, reject) => {
        socket.once('connect', resolve);
        socket.once('connect_error', (err: Error & { data?: { code: string } }) => reject(new Error(err.data?.code ?? err.message)));
      });
      const caps = (await socket.timeout(10_000).emitWithAck('room:capabilities', {})).data.routerRtpCapabilities;
      const res = await socket.timeout(10_000).emitWithAck('room:join', { rtpCapabilities: caps, level: 'intermediate' });
      if (!res.data) throw new Error(res.error?.code ?? 'no data');
      latencies.push(performance.now() - start);
    } catch (err) {
      const why = (err as Error).message;
      failures.set(why, (failures.get(why) ?? 0) + 1);
    }
  }),
);
const wall = (performance.now() - t0) / 1000;
const sorted = [...latencies].sort((a, b) => a - b);
const pct = (p: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]! : NaN);
console.log(`join storm: ${N} joins spread over ${SECONDS} s (done in ${wall.toFixed(1)} s), 1 mediasoup worker`);
console.log('join storm: | succeeded | p50 | p95 | p99 | max | failures |');
console.log(
  `join storm: | ${latencies.length}/${N} (${((latencies.length / N) * 100).toFixed(1)} %) | ${pct(50).toFixed(0)} ms | ${pct(95).toFixed(0)} ms | ${pct(99).toFixed(0)} ms | ${(sorted.at(-1) ?? NaN).toFixed(0)} ms | ${[...failures].map(([k, v]) => `${k} ${v}`).join(', ') || 'none'} |`,
);
for (const s of sockets) s.disconnect();
await server.stop();
process.exit(0);
