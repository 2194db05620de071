// npm run bench:class — the fitness class's hot paths over real sockets on loopback:
//  1. rep tap → the coach's client receives the count, with N members tapping twice a second
//  2. mode switch → every client has the new state
// Members are Socket.IO clients that join like the widget does, without media (the hot paths
// are signalling, domain rules and the store, not RTP). Bounded: stops by itself.
import { io, type Socket } from 'socket.io-client';
import { signJoinToken } from '../../backend/auth/join-token.js';
import { DEMO_CLASS_ID, DEMO_CLUB_ID } from '../../backend/store/seed.js';
import { startBackend } from '../support/backend.js';

const MEMBERS = Number(process.env.BENCH_MEMBERS ?? 50);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const MODE_SWITCHES = 20;

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
const summary = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return `n=${s.length}  p50 ${pct(s, 50).toFixed(1)} ms  p95 ${pct(s, 95).toFixed(1)} ms  p99 ${pct(s, 99).toFixed(1)} ms  max ${s.at(-1)!.toFixed(1)} ms`;
};

const server = await startBackend({ DATA_DIR: ':memory:', LOG_LEVEL: 'error', JOIN_RATE_PER_MINUTE: '100000' });
const secret = (await server.repos.clubs.get(DEMO_CLUB_ID))!.joinSecret;
const caps = ((await (await fetch(`${server.url}/api/rtp-capabilities`)).json()) as { routerRtpCapabilities: unknown }).routerRtpCapabilities;

async function join(sub: string, role: 'coach' | 'member'): Promise<{ socket: Socket; id: string }> {
  const token = await signJoinToken({ club: DEMO_CLUB_ID, class: DEMO_CLASS_ID, role, name: sub, sub }, secret, 3600);
  const socket = io(server.url, { auth: { token, classId: DEMO_CLASS_ID }, transports: ['websocket'], reconnection: false, forceNew: true });
  const res = await socket.timeout(10_000).emitWithAck('room:join', { rtpCapabilities: caps, level: 'intermediate' });
  if (!res.data) throw new Error(JSON.stringify(res.error));
  return { socket, id: res.data.self.id };
}

const coach = await join('bench-coach', 'coach');
const members = [];
for (let i = 0; i < MEMBERS; i++) members.push(await join(`bench-member-${i}`, 'member'));
await coach.socket.emitWithAck('class:advance', {});

// 1. Rep taps: time from a member's emit to the coach receiving that member's new count.
const sentAt = new Map<string, number>();
const repLatency: number[] = [];
coach.socket.on('rep:counted', ({ participantId, count }: { participantId: string; count: number }) => {
  const t = sentAt.get(`${participantId}:${count}`);
  if (t !== undefined) repLatency.push(performance.now() - t);
});
let errors = 0;
const counts = new Map<string, number>();
const stopAt = performance.now() + SECONDS * 1000;
await Promise.all(
  members.map(async (m, i) => {
    await new Promise((r) => setTimeout(r, (i * 500) / MEMBERS)); // spread the taps over the half second
    let n = 0;
    while (performance.now() < stopAt) {
      const expected = (counts.get(m.id) ?? 0) + 1;
      sentAt.set(`${m.id}:${expected}`, performance.now());
      const res = await m.socket.emitWithAck('rep:tap', { opId: `op-${i}-${n++}-${Math.random().toString(36).slice(2)}` });
      if (res.error) errors++;
      else counts.set(m.id, res.data.count);
      await new Promise((r) => setTimeout(r, 500));
    }
  }),
);
await new Promise((r) => setTimeout(r, 200));

// 2. Mode switches: time from the coach's emit until each client has the new mode.
const modeLatency: number[] = [];
for (let k = 0; k < MODE_SWITCHES; k++) {
  const mode = k % 2 === 0 ? 'workout' : 'teach';
  const t0 = performance.now();
  await Promise.all([
    ...[coach, ...members].map(
      (c) =>
        new Promise<void>((resolve) => {
          const on = (st: { mode: string }) => {
            if (st.mode !== mode) return;
            modeLatency.push(performance.now() - t0);
            c.socket.off('class:state', on);
            resolve();
          };
          c.socket.on('class:state', on);
        }),
    ),
    coach.socket.emitWithAck('class:set-mode', { mode }),
  ]);
}

console.log(`\nfitness class on loopback: 1 coach + ${MEMBERS} members, taps twice a second for ${SECONDS} s`);
console.log(`  rep tap → coach's client has the count   ${summary(repLatency)}   (${errors} errors)`);
console.log(`  mode switch → every client has the state ${summary(modeLatency)}   (${MODE_SWITCHES} switches × ${MEMBERS + 1} clients)`);
for (const c of [coach, ...members]) c.socket.disconnect();
await server.stop();
process.exit(0);
