// npm run bench:grid — what the coach's grid of 40 members costs in video bitrate.
// The coach is real chromium (1280×800); the 40 members are simulated publishers: Socket.IO clients
// seated in the class whose camera is plain RTP into mediasoup (PeerMedia.producePlain) with the
// widget's three simulcast layers (test/support/plain-publisher.ts: one FFmpeg, fanned out).
// The target (issue 5): the coach receives ≤ 1.5 × (40 lowest layers + 1 top layer).
// GRID_ADAPTIVE=0 runs with RTC_ADAPTIVE_LAYERS off for comparison. Bounded: stops by itself.
import { io, type Socket } from 'socket.io-client';
import { signJoinToken } from '../../backend/auth/join-token.js';
import { DEMO_CLASS_ID, DEMO_CLUB_ID } from '../../backend/store/seed.js';
import { startBackend } from '../support/backend.js';
import { launchChromium } from '../support/chromium.js';
import { PlainPublishers, SIMULCAST_LAYERS as LAYERS } from '../support/plain-publisher.js';

const MEMBERS = Number(process.env.GRID_MEMBERS ?? 40);
const SETTLE_S = Number(process.env.GRID_SETTLE_SECONDS ?? 15);
const SAMPLE_S = Number(process.env.GRID_SAMPLE_SECONDS ?? 10);
const ADAPTIVE = process.env.GRID_ADAPTIVE ?? '1';

const server = await startBackend({ LOG_LEVEL: 'error', JOIN_RATE_PER_MINUTE: '100000', RTC_ADAPTIVE_LAYERS: ADAPTIVE });
const secret = (await server.repos.clubs.get(DEMO_CLUB_ID))!.joinSecret;
const caps = ((await (await fetch(`${server.url}/api/rtp-capabilities`)).json()) as { routerRtpCapabilities: unknown }).routerRtpCapabilities;
const browser = await launchChromium();
const cleanups: Array<() => unknown> = [];
const finish = async (code: number) => {
  for (const c of cleanups.reverse()) await Promise.resolve(c()).catch(() => undefined);
  await browser.close().catch(() => undefined);
  await server.stop();
  process.exit(code);
};
setTimeout(() => {
  console.error('grid bench: gave up after 5 minutes');
  void finish(1);
}, 300_000).unref();

// The coach, first: the grid grows as members arrive.
const page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
page.on('pageerror', (err) => console.error('[coach] page error:', err.message));
// Record the page's peer connections, to read what the coach receives from chromium's own stats.
await page.addInitScript(`{
  const Native = window.RTCPeerConnection;
  window.__fitPeerConnections = [];
  window.RTCPeerConnection = class extends Native { constructor(...args) { super(...args); window.__fitPeerConnections.push(this); } };
}`);
await page.goto(`${server.url.replace('localhost', '127.0.0.1')}/coach.html?class=${DEMO_CLASS_ID}&name=Coach`);
await page.locator('fit-class-room[data-token-ready]').waitFor({ state: 'attached' });
await page.getByTestId('join-button').click();
await page.waitForFunction(() => (document.querySelector('fit-class-room') as { room?: { state: { phase: string } } } | null)?.room?.state.phase === 'joined');
const coachId = (await page.evaluate(`document.querySelector('fit-class-room').room.state.self.id`)) as string;

// 40 members, seated like the widget seats them (room:join), no browser.
const members: Array<{ socket: Socket; id: string }> = [];
for (let i = 0; i < MEMBERS; i++) {
  const sub = `grid-member-${i}`;
  const token = await signJoinToken({ club: DEMO_CLUB_ID, class: DEMO_CLASS_ID, role: 'member', name: `Member ${i + 1}`, sub }, secret, 3600);
  const socket = io(server.url, { auth: { token, classId: DEMO_CLASS_ID }, transports: ['websocket'], reconnection: false, forceNew: true });
  const res = await socket.timeout(10_000).emitWithAck('room:join', { rtpCapabilities: caps, level: 'intermediate' });
  if (!res.data) throw new Error(JSON.stringify(res.error));
  members.push({ socket, id: res.data.self.id });
  cleanups.push(() => socket.disconnect());
}

// Each member publishes the three layers as plain RTP (one FFmpeg, fanned out).
const publishers = await PlainPublishers.start(server, DEMO_CLASS_ID, members.map((m) => m.id));
cleanups.push(() => publishers.close());

// The coach looks at the grid (the self-view above it fills a laptop screen): scrolled into view.
await page.evaluate(`document.querySelector('fit-class-room').shadowRoot.querySelector('[part="grid"]').scrollIntoView({ block: 'start' })`);
console.log(`grid bench: ${MEMBERS} simulated members publishing ${LAYERS.map((l) => `${l.name}@${l.kbps}k`).join(' / ')}; coach chromium 1280×800; RTC_ADAPTIVE_LAYERS=${ADAPTIVE}; settling ${SETTLE_S} s`);
await new Promise((r) => setTimeout(r, SETTLE_S * 1000));

// The coach's side: bytes received over SAMPLE_S from chromium's own stats.
const inbound = `(async () => {
  let bytes = 0, frames = 0, streams = 0;
  for (const pc of window.__fitPeerConnections ?? []) for (const r of (await pc.getStats()).values())
    if (r.type === 'inbound-rtp' && r.kind === 'video') { bytes += r.bytesReceived; frames += r.framesDecoded ?? 0; streams++; }
  return { bytes, frames, streams };
})()`;
const a = (await page.evaluate(inbound)) as { bytes: number; frames: number; streams: number };
const layersA = await server.producerLayerBytes(DEMO_CLASS_ID, members[0]!.id);
const tA = Date.now();
await new Promise((r) => setTimeout(r, SAMPLE_S * 1000));
const b = (await page.evaluate(inbound)) as { bytes: number; frames: number; streams: number };
const layersB = await server.producerLayerBytes(DEMO_CLASS_ID, members[0]!.id);
const seconds = (Date.now() - tA) / 1000;
const coachKbps = ((b.bytes - a.bytes) * 8) / seconds / 1000;

const consumers = (await server.consumerStats(DEMO_CLASS_ID, coachId)).filter((c) => c.kind === 'video');
const byLayer = new Map<string, number>();
for (const c of consumers) {
  const key = c.paused ? 'paused' : `layer ${c.currentSpatialLayer ?? '?'}`;
  byLayer.set(key, (byLayer.get(key) ?? 0) + 1);
}
const serverKbps = consumers.reduce((sum, c) => sum + c.bitrate, 0) / 1000;
// The budget from the layers as they really came out of the encoder (mediasoup's producer stats).
const producerStats = layersB.map((bytes, i) => ((bytes - (layersA[i] ?? 0)) * 8) / seconds / 1000);
const lowest = producerStats[0] ?? LAYERS[0]!.kbps;
const top = producerStats[2] ?? LAYERS[2]!.kbps;
const budget = 1.5 * (MEMBERS * lowest + top);
const tiles = (await page.evaluate(`(() => { const ts = [...document.querySelector('fit-class-room').shadowRoot.querySelectorAll('[data-testid="participant-tile"]')]; const r = ts[0]?.getBoundingClientRect(); return { n: ts.length, onScreen: ts.filter((t) => { const b = t.getBoundingClientRect(); return b.bottom > 0 && b.top < innerHeight; }).length, w: Math.round(r?.width ?? 0), h: Math.round(r?.height ?? 0) }; })()`)) as { n: number; onScreen: number; w: number; h: number };

console.log(`grid bench: one member's layers as encoded: ${producerStats.map((k, i) => `${LAYERS[i]!.name} ${k.toFixed(0)} kbps`).join(', ')}`);
console.log(`grid bench: coach's ${MEMBERS} video consumers: ${[...byLayer].map(([k, n]) => `${n} ${k}`).join(', ')}; ${tiles.n} tiles of ${tiles.w}×${tiles.h} px, ${tiles.onScreen} on screen; ${(b.frames - a.frames) / seconds | 0} frames/s decoded`);
console.log(`grid bench: the coach receives ${coachKbps.toFixed(0)} kbps (chromium getStats; mediasoup says ${serverKbps.toFixed(0)} kbps) — budget 1.5 × (${MEMBERS} × ${lowest.toFixed(0)} + ${top.toFixed(0)}) = ${budget.toFixed(0)} kbps → ${(coachKbps / budget).toFixed(2)} of the budget${coachKbps <= budget ? ' (met)' : ' (NOT met)'}; all top layers would be ${(MEMBERS * top).toFixed(0)} kbps`);
await finish(0);
