// Janus VideoRoom for comparison: subscriber join → first presented frame, in the same kind of
// run as our own join bench (test/bench/run.ts): real headless Debian Chromium, a fake camera
// publishing 1280x720 ~30 fps VP8 into a room, then N sequential subscriber joins, each in a
// fresh browser context without a camera. The clock starts at the subscriber page's pointerdown
// on "Join" and stops at the first frame the <video> presents (requestVideoFrameCallback). The
// click handler does all a viewer does from scratch: WebSocket to Janus, create session, attach
// janus.plugin.videoroom, join as subscriber to the publisher's feed, RTCPeerConnection, answer
// the offer, start, trickle.
//
//   import { measureJanusJoins } from './janus-join.js';
//   const { samples, version } = await measureJanusJoins(15);
//
// Run alone: node --import tsx test/bench/janus-join.ts   (BENCH_JOINS=15 by default)
//
// Janus runs in its own network namespace (test/support/janus.ts says why and how), and so does
// Chromium (publisher and subscribers): playwright launches it through a wrapper script,
// `ip netns exec <ns> chromium ...`, with our usual flags. In there Chromium sees only lo and the
// veth end 127.77.N.2, the address Janus gathers on, so Chromium and Janus talk over that
// namespace's lo, as Chromium and our SFU talk over the host's lo; nothing is sent to (or from)
// the host's eth0 address, which that namespace has no route to. The pages are served from the
// host end of the veth (127.77.N.1, a secure context like any 127/8 address). What is measured
// is Janus's own behaviour (Debian's 1.1.2 with libnice 0.1.21, full ICE, Janus as DTLS server;
// after DTLS it asks the publisher for a keyframe, PLI).
//
// Each subscriber page also carries the phase harness of join-phases.ts (ICE / DTLS connected,
// first RTP, first decoded frame and keyframe, from getStats polled every few ms), the same one
// our own join bench uses, so that both breakdowns mean the same thing.
//
// Differences from our bench, on purpose: the publisher's fake camera runs at 30 fps (Chromium's
// default is 20) and its encoder holds 1280x720 (see PUBLISHER_JS), so that each subscriber gets
// a 720p ~1 Mbit/s stream, as from a real coach's camera.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import { pathToFileURL } from 'node:url';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { hostAddresses, interfacePackets, launchChromiumIn, startJanus, type JanusServer } from '../support/janus.js';
import { collectPhases, firstFrameScript, formatPhases, LOBBY_MS, PHASE, pct, phaseInitScript } from './join-phases.js';

export interface JanusJoinResult {
  /** Click → first presented frame, ms, per join. */
  samples: number[];
  /** Janus's version as its `info` request answers it, e.g. "1.1.2". */
  version: string;
  /** The publisher's outgoing video bitrate just before the first join, kbit/s. */
  publisherKbps: number;
  /** The last subscriber's incoming video bitrate over 2 s after its first frame, kbit/s. */
  subscriberKbps: number;
  /** What the last subscriber presented. */
  subscriberVideo: { width: number; height: number; fps: number };
  /** Time from the click to each `janus:*` performance mark and each harness phase, per join (ms). */
  phases: Record<string, number[]>;
  /** What shows that nothing went to the host's own interface addresses. */
  isolation: JanusIsolation;
}

export interface JanusIsolation {
  /** Distinct "local → remote" selected candidate pairs of the subscribers' connections. */
  pairs: string[];
  /** The namespace's whole IPv4 routing (all tables). */
  routes: string;
  /** The host's non-loopback addresses and whether the namespace could route to any of them. */
  hostAddresses: string[];
  hostAddressRoutable: boolean;
  /** Packets counted on each host interface (other than lo and our veth) during the joins. */
  hostIfPackets: Record<string, { rx: number; tx: number }>;
  /** Packets over the veth during the joins (pages, WebSocket API; no media). */
  vethPackets: { rx: number; tx: number };
  /** UDP sockets in the namespace during the last join (`ss -uanp`). */
  udpSockets: string;
}

export interface JanusJoinOptions {
  /** Give up on one join after this long (default 15 s). */
  joinTimeoutMs?: number;
  /** Print one line per join. */
  verbose?: boolean;
  /** The publisher's fake camera frame rate (default 30). */
  cameraFps?: number;
}

const FEED = 1001;
// Chromium's fake camera runs at 20 fps unless told; the coach here is ~30 fps. (The later
// switch wins over the bare --use-fake-device-for-media-stream in chromium-flags.mjs.)
const chromiumExtra = (fps: number) => [`--use-fake-device-for-media-stream=fps=${fps}`];

// ---- what the browser runs (served as files; written for this bench, not taken from Janus's demos) ----

/** A small Janus API client over the WebSocket transport. */
const CLIENT_JS = String.raw`
export class JanusSession {
  static connect(url) {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url, 'janus-protocol');
      ws.onopen = () => resolve(new JanusSession(ws));
      ws.onerror = () => reject(new Error('janus: WebSocket to ' + url + ' failed'));
    });
  }
  constructor(ws) {
    this.ws = ws;
    this.id = undefined;
    this.seq = 0;
    this.pending = new Map(); // transaction → { resolve, reject, untilAck }
    this.handles = new Map(); // handle id → JanusHandle
    ws.onmessage = (e) => this.receive(JSON.parse(e.data));
    ws.onclose = () => {
      clearInterval(this.keepalive);
      for (const p of this.pending.values()) p.reject(new Error('janus: WebSocket closed'));
      this.pending.clear();
    };
  }
  receive(msg) {
    const p = msg.transaction && this.pending.get(msg.transaction);
    if (p) {
      // A plugin request is answered "ack" first, then its "event" (same transaction).
      if (msg.janus === 'ack' && !p.untilAck) return;
      this.pending.delete(msg.transaction);
      const data = msg.plugindata && msg.plugindata.data;
      if (msg.janus === 'error') p.reject(new Error('janus ' + msg.error.code + ': ' + msg.error.reason));
      else if (data && data.error) p.reject(new Error('videoroom ' + data.error_code + ': ' + data.error));
      else p.resolve(msg);
      return;
    }
    const handle = msg.sender && this.handles.get(msg.sender);
    if (handle && handle.onevent) handle.onevent(msg);
  }
  request(body, untilAck = false) {
    const transaction = 't' + ++this.seq;
    const msg = Object.assign({}, body, { transaction });
    if (this.id !== undefined) msg.session_id = this.id;
    return new Promise((resolve, reject) => {
      this.pending.set(transaction, { resolve, reject, untilAck });
      this.ws.send(JSON.stringify(msg));
    });
  }
  async create() {
    this.id = (await this.request({ janus: 'create' })).data.id;
    // Janus drops a session after session_timeout (60 s) without traffic.
    this.keepalive = setInterval(() => this.request({ janus: 'keepalive' }, true).catch(() => {}), 25000);
    return this;
  }
  async attach(plugin) {
    const reply = await this.request({ janus: 'attach', plugin });
    const handle = new JanusHandle(this, reply.data.id);
    this.handles.set(handle.id, handle);
    return handle;
  }
  async destroy() {
    clearInterval(this.keepalive);
    try { await this.request({ janus: 'destroy' }); } catch {}
    this.ws.close();
  }
}

export class JanusHandle {
  constructor(session, id) {
    this.session = session;
    this.id = id;
    this.onevent = undefined;
  }
  /** A plugin message; resolves with the plugin's answer (event or success) and its JSEP. */
  message(body, jsep) {
    const req = { janus: 'message', handle_id: this.id, body };
    if (jsep) req.jsep = { type: jsep.type, sdp: jsep.sdp };
    return this.session.request(req);
  }
  trickle(candidate) {
    const c = candidate && candidate.candidate
      ? { candidate: candidate.candidate, sdpMid: candidate.sdpMid, sdpMLineIndex: candidate.sdpMLineIndex }
      : { completed: true };
    return this.session.request({ janus: 'trickle', handle_id: this.id, candidate: c }, true);
  }
  detach() {
    this.session.handles.delete(this.id);
    return this.session.request({ janus: 'detach', handle_id: this.id });
  }
}

/** Sends the candidates of pc through the handle, once the local description went to Janus. */
export function trickleVia(handle, pc) {
  const queue = [];
  let open = false;
  const send = (c) => handle.trickle(c).catch((err) => console.warn('trickle', err));
  pc.onicecandidate = (e) => (open ? send(e.candidate) : queue.push(e.candidate));
  return () => { open = true; for (const c of queue.splice(0)) send(c); };
}

/** Bytes/frames of one kind of RTP stream, from getStats. */
export async function rtpTotals(pc, type) {
  const stats = await pc.getStats();
  let bytes = 0, frames = 0, width = 0, height = 0;
  stats.forEach((s) => {
    if (s.type === type && s.kind === 'video') {
      bytes += s.bytesSent || s.bytesReceived || 0;
      frames += s.framesEncoded || s.framesDecoded || 0;
      width = s.frameWidth || width;
      height = s.frameHeight || height;
    }
  });
  return { bytes, frames, width, height, at: performance.now() };
}

export async function rate(pc, type, ms) {
  const a = await rtpTotals(pc, type);
  await new Promise((r) => setTimeout(r, ms));
  const b = await rtpTotals(pc, type);
  const s = (b.at - a.at) / 1000;
  return { kbps: ((b.bytes - a.bytes) * 8) / 1000 / s, fps: (b.frames - a.frames) / s, width: b.width, height: b.height };
}
`;

/** The coach: fake camera 1280x720 ~30 fps + mic, VP8 at most ~1.1 Mbps, into the room. */
const PUBLISHER_JS = String.raw`
import { JanusSession, trickleVia, rate } from './janus-client.js';
const q = new URLSearchParams(location.search);
const room = Number(q.get('room')), feed = Number(q.get('feed'));

document.getElementById('publish').onclick = async () => {
  try {
    const session = await (await JanusSession.connect(q.get('ws'))).create();
    const handle = await session.attach('janus.plugin.videoroom');
    await handle.message({ request: 'join', ptype: 'publisher', room, id: feed, display: 'Coach' });
    const stream = await navigator.mediaDevices.getUserMedia({
      video: { width: { ideal: 1280 }, height: { ideal: 720 }, frameRate: { ideal: 30 } },
      audio: true,
    });
    document.getElementById('self').srcObject = stream;
    const pc = new RTCPeerConnection({ iceServers: [] });
    const flush = trickleVia(handle, pc);
    const video = pc.addTransceiver(stream.getVideoTracks()[0], { direction: 'sendonly', streams: [stream], sendEncodings: [{ maxBitrate: 1100000, maxFramerate: 30 }] });
    const vp8 = RTCRtpSender.getCapabilities('video').codecs.filter((c) => /vp8|rtx/i.test(c.mimeType));
    video.setCodecPreferences(vp8);
    // Chromium's fake camera picture is simple enough that, left to adapt, libvpx starts at
    // 480x270 and stays far under target (~300 kbit/s) for tens of seconds; a coach's real camera
    // goes out at 720p. Holding the resolution gives 1280x720 at ~1 Mbit/s within a few seconds.
    const params = video.sender.getParameters();
    params.degradationPreference = 'maintain-resolution';
    await video.sender.setParameters(params);
    pc.addTransceiver(stream.getAudioTracks()[0], { direction: 'sendonly', streams: [stream] });
    await pc.setLocalDescription(await pc.createOffer());
    const configured = handle.message({ request: 'configure', audio: true, video: true }, pc.localDescription);
    flush();
    const reply = await configured;
    await pc.setRemoteDescription(reply.jsep);
    window.__pub = { session, handle, pc };
    window.__outbound = (ms) => rate(pc, 'outbound-rtp', ms);
    window.__published = true;
  } catch (err) {
    window.__error = String(err && err.stack || err);
  }
};
window.__ready = true;
`;

/** The viewer: no camera; the click does everything from scratch. */
const SUBSCRIBER_JS = String.raw`
import { JanusSession, trickleVia, rate } from './janus-client.js';
const q = new URLSearchParams(location.search);
const room = Number(q.get('room')), feed = Number(q.get('feed'));
let state;

document.getElementById('join').onclick = async () => {
  // Marks (janus:*) show where the signalling time goes, from the click (ICE, DTLS, first RTP and
  // first frame are noted by the bench's phase harness, join-phases.ts).
  const mark = (name) => performance.mark('janus:' + name);
  try {
    const connection = await JanusSession.connect(q.get('ws'));
    mark('ws-open');
    const session = await connection.create();
    mark('session');
    const handle = await session.attach('janus.plugin.videoroom');
    mark('attached');
    state = { session, handle };
    const attached = await handle.message({ request: 'join', ptype: 'subscriber', room, streams: [{ feed }] });
    mark('offer');
    const pc = new RTCPeerConnection({ iceServers: [] });
    state.pc = pc;
    const remote = new MediaStream();
    pc.ontrack = (e) => {
      remote.addTrack(e.track);
      if (e.track.kind !== 'video' || document.getElementById('remote')) return;
      const v = document.createElement('video');
      v.id = 'remote';
      v.autoplay = true;
      v.playsInline = true;
      v.srcObject = remote;
      document.body.append(v);
      v.play().catch(() => { v.muted = true; return v.play(); }).catch(() => {});
    };
    const flush = trickleVia(handle, pc);
    await pc.setRemoteDescription(attached.jsep);
    mark('offer-applied');
    const answer = await pc.createAnswer();
    mark('answer-created');
    await pc.setLocalDescription(answer);
    const started = handle.message({ request: 'start' }, pc.localDescription);
    mark('answer-sent');
    flush();
    await started;
    mark('started');
    window.__inbound = (ms) => rate(pc, 'inbound-rtp', ms);
  } catch (err) {
    window.__error = String(err && err.stack || err);
  }
};

document.getElementById('leave').onclick = async () => {
  if (!state) return;
  const { session, handle, pc } = state;
  state = undefined;
  if (pc) pc.close();
  try { await handle.detach(); } catch {}
  await session.destroy();
  window.__left = true;
};
window.__ready = true;
`;

const page = (title: string, body: string, script: string) =>
  `<!doctype html><html><head><meta charset="utf-8"><title>${title}</title></head><body>${body}<script type="module" src="./${script}"></script></body></html>`;

const FILES: Record<string, [string, string]> = {
  '/janus-client.js': ['text/javascript', CLIENT_JS],
  '/publisher.js': ['text/javascript', PUBLISHER_JS],
  '/subscriber.js': ['text/javascript', SUBSCRIBER_JS],
  '/publisher.html': ['text/html', page('publisher', '<button id="publish">Publish</button><video id="self" autoplay muted playsinline></video>', 'publisher.js')],
  '/subscriber.html': ['text/html', page('subscriber', '<button id="join">Join</button><button id="leave">Leave</button>', 'subscriber.js')],
};

/**
 * The pages on the host end of the veth, `ip` (a 127/8 address: a secure context, so getUserMedia
 * and WebRTC work over plain http), reachable from Chromium in Janus's namespace.
 */
async function servePages(ip: string): Promise<{ url: string; close(): void }> {
  const server = http.createServer((req, res) => {
    const file = FILES[new URL(req.url ?? '/', 'http://x').pathname];
    if (!file) return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': file[0], 'cache-control': 'no-store' }).end(file[1]);
  });
  await new Promise<void>((r) => server.listen(0, ip, () => r()));
  return { url: `http://${ip}:${(server.address() as { port: number }).port}`, close: () => server.close() };
}

/** Rejects with `what` (and Janus's log) if `p` takes longer than `ms`. */
async function within<T>(p: Promise<T>, ms: number, what: string, janus: JanusServer): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([p, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms\n--- janus log ---\n${janus.logTail()}`)), ms)))]);
  } finally {
    clearTimeout(timer);
  }
}

async function pageError(p: Page): Promise<string | undefined> {
  return (await p.evaluate('window.__error')) as string | undefined;
}

async function startPublisher(browser: Browser, base: string, q: string, janus: JanusServer): Promise<Page> {
  const coach = await (await browser.newContext()).newPage();
  await coach.goto(`${base}/publisher.html?${q}`);
  await coach.waitForFunction('window.__ready === true');
  await coach.locator('#publish').click();
  await within(coach.waitForFunction('window.__published === true || !!window.__error', undefined, { timeout: 0 }), 15_000, 'publisher', janus);
  const err = await pageError(coach);
  if (err) throw new Error(`publisher failed: ${err}\n--- janus log ---\n${janus.logTail()}`);
  // As in a class, the coach is publishing before members arrive; let the sender's bandwidth
  // estimate ramp up to the ~1.1 Mbps target first (bounded), so each subscriber gets a real bitrate.
  const deadline = Date.now() + 10_000;
  await coach.waitForTimeout(1500);
  while (Date.now() < deadline && ((await coach.evaluate('window.__outbound(500)')) as { kbps: number }).kbps < 850);
  return coach;
}

/** Janus's subscriber join → first frame, `joins` times in a row, each in a new browser context. */
export async function measureJanusJoins(joins = Number(process.env.BENCH_JOINS ?? 15), opts: JanusJoinOptions = {}): Promise<JanusJoinResult> {
  if (!Number.isInteger(joins) || joins < 1) throw new Error(`joins must be a positive integer, got ${joins}`);
  const joinTimeoutMs = opts.joinTimeoutMs ?? 15_000;
  // JANUS_DEBUG=5 (or up to 7): a more verbose Janus log, kept after the run for reading.
  const debugLevel = process.env.JANUS_DEBUG ? Number(process.env.JANUS_DEBUG) : undefined;
  const janus = await startJanus({ room: { id: 1234, bitrate: 1_200_000 }, debugLevel, keepLog: debugLevel !== undefined });
  let pages: { url: string; close(): void } | undefined;
  let browser: Browser | undefined;
  try {
    pages = await servePages(janus.hostIp);
    browser = await launchChromiumIn(janus, chromiumExtra(opts.cameraFps ?? 30));
    const q = new URLSearchParams({ ws: janus.wsUrl, room: String(janus.room.id), feed: String(FEED) }).toString();
    const coach = await startPublisher(browser, pages.url, q, janus);
    const publisherKbps = ((await coach.evaluate('window.__outbound(1000)')) as { kbps: number }).kbps;

    const samples: number[] = [];
    const phases: Record<string, number[]> = {};
    let subscriberKbps = 0;
    let subscriberVideo = { width: 0, height: 0, fps: 0 };
    const pairs = new Set<string>();
    let udpSockets = '';
    const before = interfacePackets();
    for (let i = 0; i < joins; i++) {
      const context = await browser.newContext();
      try {
        const member = await context.newPage();
        // A viewer without a camera: any getUserMedia would fail, as it would for a member with none.
        await member.addInitScript(`navigator.mediaDevices.getUserMedia = () => Promise.reject(new DOMException('no camera', 'NotFoundError'))`);
        // The clock starts at the click (pointerdown, in the page: window.__t0), and the phase harness with it.
        await member.addInitScript(phaseInitScript());
        await member.goto(`${pages.url}/subscriber.html?${q}`);
        await member.waitForFunction('window.__ready === true');
        await member.waitForTimeout(LOBBY_MS);
        await member.locator('#join').click();
        const ms = (await within(
          member.evaluate(firstFrameScript(`document.getElementById('remote')`, joinTimeoutMs, 'window.__error')),
          joinTimeoutMs,
          `subscriber join #${i}`,
          janus,
        )) as number;
        samples.push(ms);
        const marks = (await member.evaluate(
          `performance.getEntriesByType('mark').filter((m) => m.name.startsWith('janus:')).map((m) => [m.name.slice(6), m.startTime - window.__t0])`,
        )) as Array<[string, number]>;
        for (const [name, at] of marks) (phases[name] ??= []).push(at);
        const seen = await collectPhases(member);
        for (const [name, at] of Object.entries(seen.at)) (phases[name] ??= []).push(at);
        (phases[PHASE.presented] ??= []).push(ms);
        if (seen.pair) pairs.add(`${seen.pair.local} → ${seen.pair.remote} (${seen.pair.protocol})`);
        if (opts.verbose) console.log(`  join #${i}: ${ms.toFixed(0)} ms   ${[...marks, ...Object.entries(seen.at)].map(([n, t]) => `${n}@${t.toFixed(0)}`).join(' ')}`);
        if (i === joins - 1) {
          try {
            udpSockets = execFileSync('ip', ['netns', 'exec', janus.ns, 'ss', '-uanp'], { encoding: 'utf8', timeout: 5000 });
          } catch (err) {
            udpSockets = `(ss failed: ${(err as Error).message})`;
          }
          await member.waitForFunction('typeof window.__inbound === "function"');
          const r = (await member.evaluate('window.__inbound(2000)')) as { kbps: number; fps: number; width: number; height: number };
          subscriberKbps = r.kbps;
          subscriberVideo = { width: r.width, height: r.height, fps: r.fps };
        }
        await member.locator('#leave').click();
        await within(member.waitForFunction('window.__left === true', undefined, { timeout: 0 }), 5000, `subscriber leave #${i}`, janus);
      } finally {
        await context.close();
      }
    }
    const after = interfacePackets();
    const delta = (name: string) => ({ rx: (after[name]?.rx ?? 0) - (before[name]?.rx ?? 0), tx: (after[name]?.tx ?? 0) - (before[name]?.tx ?? 0) });
    const hostIfPackets = Object.fromEntries(Object.keys(after).filter((n) => n !== 'lo' && n !== janus.hostIf).map((n) => [n, delta(n)]));
    const addrs = hostAddresses();
    const hostAddressRoutable = addrs.some((a) => janus.canRoute(a));
    const isolation: JanusIsolation = { pairs: [...pairs], routes: janus.routes(), hostAddresses: addrs, hostAddressRoutable, hostIfPackets, vethPackets: delta(janus.hostIf), udpSockets };
    return { samples, version: janus.version, publisherKbps, subscriberKbps, subscriberVideo, phases, isolation };
  } finally {
    await browser?.close().catch(() => undefined);
    pages?.close();
    await janus.stop();
  }
}

/** The lines our bench prints for a set of samples (same percentiles as run.ts). */
export function formatJanusJoins(r: JanusJoinResult): string {
  const sorted = [...r.samples].sort((a, b) => a - b);
  const fmt = (ms: number) => `${ms.toFixed(0)} ms`;
  return [
    `Janus ${r.version} VideoRoom: subscriber join → first frame (${r.samples.length} joins, Janus + Debian chromium in one netns, fake camera)`,
    `  p50 ${fmt(pct(sorted, 50))}   p95 ${fmt(pct(sorted, 95))}   min ${fmt(sorted[0]!)}   max ${fmt(sorted.at(-1)!)}`,
    `  samples: ${r.samples.map((s) => s.toFixed(0)).join(' ')}`,
    `  publisher video ${r.publisherKbps.toFixed(0)} kbit/s; last subscriber ${r.subscriberKbps.toFixed(0)} kbit/s, ${r.subscriberVideo.width}x${r.subscriberVideo.height} @ ${r.subscriberVideo.fps.toFixed(0)} fps`,
    '  where the time goes (p50 from the click; janus:* are the page\'s own marks):',
    ...formatPhases(r.phases, r.samples.length),
  ].join('\n');
}

/** Lines showing where the packets went (the namespace's routes, the pairs used, host counters). */
export function formatJanusIsolation(r: JanusJoinResult): string {
  const i = r.isolation;
  const moved = Object.entries(i.hostIfPackets).map(([n, d]) => `${n} rx ${d.rx} tx ${d.tx}`);
  return [
    `  isolation: selected pairs ${i.pairs.join(', ') || '(none seen)'}`,
    `    namespace routes to ${i.hostAddresses.join(', ') || '(no host address)'}: ${i.hostAddressRoutable ? 'YES (unexpected)' : 'none (unreachable)'}`,
    `    packets during the joins: veth rx ${i.vethPackets.rx} tx ${i.vethPackets.tx} (pages + API)${moved.length ? `; host ${moved.join(', ')} (not ours: nothing in the namespace can reach them)` : ''}`,
  ].join('\n');
}

const direct = process.argv[1] && import.meta.url === pathToFileURL(fs.realpathSync(process.argv[1])).href;
if (direct) {
  const load0 = os.loadavg()[0]!;
  const t0 = performance.now();
  const joins = Number(process.env.BENCH_JOINS ?? 15);
  // Bounded as a whole too (each step already is): exiting runs the Janus cleanup ('exit' handler).
  const limitS = 90 + joins * 20;
  setTimeout(() => (console.error(`janus-join: not done within ${limitS} s, giving up`), process.exit(1)), limitS * 1000).unref();
  const r = await measureJanusJoins(joins, { verbose: !!process.env.BENCH_VERBOSE });
  console.log(`\n${formatJanusJoins(r)}\n${formatJanusIsolation(r)}`);
  if (process.env.BENCH_VERBOSE) console.log(`  namespace routes:\n${r.isolation.routes.trimEnd().replace(/^/gm, '    ')}\n  UDP sockets in the namespace (last join):\n${r.isolation.udpSockets.trimEnd().replace(/^/gm, '    ')}`);
  console.log(`  (whole run ${((performance.now() - t0) / 1000).toFixed(1)} s; 1-min load average ${load0.toFixed(1)} at the start, ${os.loadavg()[0]!.toFixed(1)} at the end)\n`);
  process.exit(0);
}
