// npm run bench:fanout — how many video consumers one mediasoup worker core carries.
// One member publishes the widget's three simulcast layers as plain RTP (test/support/plain-publisher.ts,
// top layer ~1.2 Mbps); N server-side consumers on PlainTransports (no browsers) take the top layer
// and send it to a UDP sink on loopback. N steps up; at each step the worker's CPU (getrusage, user +
// system) is measured over a window, with what the sink received. The issue's target: ≥ 400
// consumers per core below 80 % CPU; the peer to beat: Janus at ~0.8 % of a core per 0.9 Mbps
// subscriber. Bounded: stops by itself. FANOUT_STEPS=50,100,… and FANOUT_WINDOW_SECONDS change it.
// FANOUT_WORKERS=2 (npm run bench:spread): the class gets two workers and consumers are placed as
// the class places its receivers (RTC_CONSUMERS_PER_ROUTER, default half the top step): past a
// router's share they go to a router on the other worker, fed by pipeToRouter; CPU per worker.
import dgram from 'node:dgram';
import { io } from 'socket.io-client';
import type { types as ms } from 'mediasoup';
import { signJoinToken } from '../../backend/auth/join-token.js';
import { DEMO_CLASS_ID, DEMO_CLUB_ID } from '../../backend/store/seed.js';
import { startBackend } from '../support/backend.js';
import { PlainPublishers } from '../support/plain-publisher.js';

const STEPS = (process.env.FANOUT_STEPS ?? '50,100,200,400,600').split(',').map(Number);
const WINDOW_S = Number(process.env.FANOUT_WINDOW_SECONDS ?? 5);

const WORKERS = Number(process.env.FANOUT_WORKERS ?? 1);
const server = await startBackend({
  LOG_LEVEL: 'error',
  MEDIASOUP_WORKERS: String(WORKERS),
  ...(WORKERS > 1 ? { RTC_CONSUMERS_PER_ROUTER: process.env.RTC_CONSUMERS_PER_ROUTER ?? String(Math.ceil(Math.max(...STEPS) / WORKERS)) } : {}),
});
setTimeout(() => {
  console.error('fanout bench: gave up after 6 minutes');
  process.exit(1);
}, 360_000).unref();
const secret = (await server.repos.clubs.get(DEMO_CLUB_ID))!.joinSecret;
const caps = ((await (await fetch(`${server.url}/api/rtp-capabilities`)).json()) as { routerRtpCapabilities: ms.RtpCapabilities }).routerRtpCapabilities;
const token = await signJoinToken({ club: DEMO_CLUB_ID, class: DEMO_CLASS_ID, role: 'member', name: 'Publisher', sub: 'fanout-pub' }, secret, 3600);
const socket = io(server.url, { auth: { token, classId: DEMO_CLASS_ID }, transports: ['websocket'], reconnection: false, forceNew: true });
const joined = await socket.timeout(10_000).emitWithAck('room:join', { rtpCapabilities: caps });
const publisher = await PlainPublishers.start(server, DEMO_CLASS_ID, [joined.data.self.id]);
const producerId = publisher.producerIds[0]!;

// The sink: every consumer's RTP lands here.
const sink = dgram.createSocket('udp4');
let sinkBytes = 0;
sink.on('message', (m) => (sinkBytes += m.length));
await new Promise<void>((r) => sink.bind(0, '127.0.0.1', () => r()));
const sinkPort = (sink.address() as { port: number }).port;

const consumers: ms.Consumer[] = [];
async function addConsumers(n: number): Promise<void> {
  while (consumers.length < n) {
    // Where the class would put a new receiver (its own router until it spreads), the track piped there.
    const router = await server.receivingRouter(DEMO_CLASS_ID, producerId);
    const t = await router.createPlainTransport({ listenInfo: { protocol: 'udp', ip: '127.0.0.1' }, rtcpMux: true, comedia: false });
    await t.connect({ ip: '127.0.0.1', port: sinkPort });
    const c = await t.consume({ producerId, rtpCapabilities: caps, preferredLayers: { spatialLayer: 2, temporalLayer: 2 } });
    consumers.push(c);
  }
}

const cpuByWorker = async () => (await server.workerStats()).map((w) => w.cpuSeconds);
await new Promise((r) => setTimeout(r, 4000)); // the encoder warms up
console.log(`fanout bench: 1 simulcast publisher (plain RTP), consumers on the top layer, ${WINDOW_S} s windows, ${WORKERS} worker${WORKERS > 1 ? 's' : ''}`);
console.log(`fanout bench: | consumers | worker CPU (sum${WORKERS > 1 ? ' = per worker' : ''}) | per consumer | received at the sink | per consumer |${WORKERS > 1 ? ' consumers per router |' : ''}`);
const rows: Array<{ n: number; cpu: number; mbps: number }> = [];
for (const n of STEPS) {
  await addConsumers(n);
  await new Promise((r) => setTimeout(r, 2000));
  const [c0, b0, t0] = [await cpuByWorker(), sinkBytes, performance.now()];
  await new Promise((r) => setTimeout(r, WINDOW_S * 1000));
  const [c1, b1, t1] = [await cpuByWorker(), sinkBytes, performance.now()];
  const seconds = (t1 - t0) / 1000;
  const perWorker = c1.map((c, i) => (c - (c0[i] ?? 0)) / seconds);
  const cpu = perWorker.reduce((a, b) => a + b, 0);
  const mbps = ((b1 - b0) * 8) / seconds / 1e6;
  const split = WORKERS > 1 ? ` = ${perWorker.map((c) => `${(c * 100).toFixed(1)} %`).join(' + ')}` : '';
  const routers = WORKERS > 1 ? ` ${server.classRouters(DEMO_CLASS_ID).map((r) => r.consumers).join(' / ')} |` : '';
  console.log(`fanout bench: | ${n} | ${(cpu * 100).toFixed(1)} %${split} | ${((cpu * 100) / n).toFixed(3)} % | ${mbps.toFixed(0)} Mbps | ${((mbps * 1000) / n).toFixed(0)} kbps |${routers}`);
  // The sink shares this machine's two cores: when each consumer's delivered rate falls well below
  // the first step's, the loopback receiver is the limit, not the worker; stop there.
  const first = rows[0];
  if (first && (mbps * 1000) / n < 0.8 * ((first.mbps * 1000) / first.n)) {
    console.log(`fanout bench: at ${n} the sink gets ${(((mbps / n) / (first.mbps / first.n)) * 100).toFixed(0)} % of the first step's rate per consumer: the receiving side saturates; steps stop here`);
    break;
  }
  rows.push({ n, cpu: Math.max(...perWorker), mbps });
  if (Math.max(...perWorker) > 0.95) break;
}
// Consumers per core below 80 %: the last step under it, extrapolated linearly from the per-consumer cost there.
const under = rows.filter((r) => r.cpu < 0.8).at(-1);
if (under && WORKERS > 1) {
  console.log(`fanout bench: ${under.n} consumers of one class with its busiest worker at ${(under.cpu * 100).toFixed(1)} % (the pipes' cost included)`);
} else if (under) {
  const perConsumer = under.cpu / under.n;
  const kbps = (under.mbps * 1000) / under.n;
  console.log(`fanout bench: ≈ ${Math.floor(0.8 / perConsumer)} consumers per core at 80 % CPU (${(perConsumer * 100).toFixed(3)} % of a core each at ${kbps.toFixed(0)} kbps; ${((perConsumer * 100 * 900) / kbps).toFixed(3)} % per 0.9 Mbps — Janus ~0.8 %)`);
}
publisher.close();
socket.disconnect();
sink.close();
await server.stop();
process.exit(0);
