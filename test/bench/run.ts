// npm run bench: numbers, not pass/fail.
//  1. join → first coach frame, member side, over N sequential joins (BENCH_JOINS, default 15) in
//     real Debian chromium, each in a fresh browser context, against our backend on loopback:
//       a) a member without a camera (getUserMedia rejected): like for like with (c);
//       b) a member with a camera (it opens and publishes while joining);
//       c) Janus VideoRoom subscriber join (test/bench/janus-join.ts; needs root: it runs Janus
//          and its Chromium in a network namespace; skipped with the reason when that cannot be);
//       d) ours (a) p50 / Janus p50 against the target ratio;
//       e) where our join's time goes: the widget's `fitlive:*` marks plus what the phase harness
//          (join-phases.ts) sees of the receiving connection, p50 from the click.
//  2. gzip sizes of the widget bundle and its chunks
//  3. `npm start` to healthy, with the mediasoup worker cached
//
// Both coaches' fake cameras run at 30 fps (as janus-join.ts; Chromium's default is 20).
// As root, our bench's Chromium runs in a network namespace of its own whose 127.0.0.0/8 is the
// host's, reached over a veth (test/support/janus.ts, createNetns `loopback: 'host'`): in the host
// namespace Chromium would also gather the host's eth0 address and mediasoup would answer to it.
// The backend is unchanged (127.0.0.1). Not root: Chromium stays in the host namespace (printed).
// BENCH_JANUS=0 skips (c)/(d); BENCH_OURS_NETNS=0 keeps our Chromium in the host namespace (for
// comparison only); BENCH_VERBOSE=1 prints one line per join.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import type { Browser, Page } from 'playwright-core';
import { startBackend } from '../support/backend.js';
import { launchChromium } from '../support/chromium.js';
import { createNetns, ensureJanusInstalled, hostAddresses, interfacePackets, launchChromiumIn, type Netns } from '../support/janus.js';
import { formatJanusIsolation, formatJanusJoins, measureJanusJoins, type JanusJoinResult } from './janus-join.js';
import { collectPhases, firstFrameScript, formatPhases, LOBBY_MS, PHASE, pct, phaseInitScript } from './join-phases.js';

const JOINS = Number(process.env.BENCH_JOINS ?? 15);
if (!Number.isInteger(JOINS) || JOINS < 1) throw new Error(`BENCH_JOINS must be a positive integer, got ${process.env.BENCH_JOINS}`);
const VERBOSE = !!process.env.BENCH_VERBOSE;
const TARGET_RATIO = 0.9;
/** One join gives up after this long. */
const JOIN_TIMEOUT_MS = 20_000;
const CAMERA_FPS = 30;

const fmt = (ms: number) => `${ms.toFixed(0)} ms`;
const sortedOf = (xs: number[]) => [...xs].sort((a, b) => a - b);
const summary = (samples: number[]) => {
  const s = sortedOf(samples);
  return `p50 ${fmt(pct(s, 50))}   p95 ${fmt(pct(s, 95))}   min ${fmt(s[0]!)}   max ${fmt(s.at(-1)!)}`;
};

/** The widget's marks (room-model.ts), by what they stand for. */
const MARK_NAMES: Record<string, string> = {
  join: 'join() called',
  connecting: 'socket connecting',
  connected: 'socket connected',
  capabilities: 'capabilities (HTTP)',
  'device-loaded': 'device loaded',
  joined: 'room:join answered',
  'local-media': 'own camera open',
  published: 'publish step done',
  'received-video': 'coach video consumer',
  'received-audio': 'coach audio consumer',
};

interface OurJoins {
  samples: number[];
  /** Phase → ms from the click, per join. */
  phases: Record<string, number[]>;
  pairs: Set<string>;
}

async function within<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([p, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what}: not done within ${ms} ms`)), ms)))]);
  } finally {
    clearTimeout(timer);
  }
}

/** The coach's outgoing video (all layers): kbit/s and the layers' sizes, over `ms`. */
async function coachOutbound(coach: Page, ms: number): Promise<{ kbps: number; text: string }> {
  return (await coach.evaluate(`(async () => {
    const totals = async () => {
      let bytes = 0; const layers = [];
      for (const pc of window.__coachPcs) (await pc.getStats()).forEach((s) => {
        if (s.type === 'outbound-rtp' && s.kind === 'video') { bytes += s.bytesSent; layers.push((s.frameWidth || 0) + 'x' + (s.frameHeight || 0) + '@' + Math.round(s.framesPerSecond || 0)); }
      });
      return { bytes, layers, at: performance.now() };
    };
    const a = await totals();
    await new Promise((r) => setTimeout(r, ${ms}));
    const b = await totals();
    const kbps = (b.bytes - a.bytes) * 8 / (b.at - a.at);
    return { kbps, text: kbps.toFixed(0) + ' kbit/s, layers ' + b.layers.join(' ') };
  })()`)) as { kbps: number; text: string };
}

/** `joins` member joins in a row, each in a fresh browser context, clock from the click to the first coach frame. */
async function ourJoins(browser: Browser, base: string, joins: number, camera: boolean, label: string): Promise<OurJoins> {
  const samples: number[] = [];
  const phases: Record<string, number[]> = {};
  const pairs = new Set<string>();
  for (let i = 0; i < joins; i++) {
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      // Source text: tsx must not rewrite it. Without a camera the widget's getUserMedia is refused, as for a member who says no.
      if (!camera) await page.addInitScript(`navigator.mediaDevices.getUserMedia = () => Promise.reject(new DOMException('no', 'NotAllowedError'))`);
      // Starts the clock at the member's click (window.__t0) and notes ICE / DTLS / first RTP / first frame.
      await page.addInitScript(phaseInitScript());
      await page.goto(`${base}/member.html?class=demo-hiit&name=${label}${i}`);
      await page.locator('fit-class-room[data-token-ready]').waitFor({ state: 'attached', timeout: JOIN_TIMEOUT_MS });
      await page.waitForTimeout(LOBBY_MS);
      await page.getByTestId('join-button').click();
      const ms = (await within(
        page.evaluate(firstFrameScript(`document.querySelector('fit-class-room').shadowRoot.querySelector('[data-testid="coach-video"]')`, JOIN_TIMEOUT_MS)),
        JOIN_TIMEOUT_MS + 1000,
        `${label} join #${i}`,
      )) as number;
      samples.push(ms);
      const marks = (await page.evaluate(
        `performance.getEntriesByType('mark').filter((m) => m.name.startsWith('fitlive:')).map((m) => [m.name.slice(8), m.startTime - window.__t0])`,
      )) as Array<[string, number]>;
      const seen = await collectPhases(page);
      const all: Array<[string, number]> = [...marks.map(([n, t]) => [MARK_NAMES[n] ?? `fitlive:${n}`, t] as [string, number]), ...Object.entries(seen.at), [PHASE.presented, ms]];
      for (const [name, at] of all) (phases[name] ??= []).push(at);
      if (seen.pair) pairs.add(`${seen.pair.local} → ${seen.pair.remote} (${seen.pair.protocol})`);
      if (VERBOSE || ms > 1500) console.log(`  ${ms > 1500 ? 'slow ' : ''}${label} join #${i} (${ms.toFixed(0)} ms): ${all.map(([n, t]) => `${n}@${t.toFixed(0)}`).join(' ')}; long tasks ${(seen.longTasks ?? []).map(([at, d]) => `${d.toFixed(0)} ms@${at.toFixed(0)}`).join(', ') || 'none'}`);
      await page.getByTestId('leave-button').click({ timeout: 5000 });
    } finally {
      await context.close();
    }
  }
  return { samples, phases, pairs };
}

/** Ours: one backend and one coach; first the members without a camera, then those with one. */
async function measureOurs(): Promise<{ noCamera: OurJoins; camera: OurJoins; coachVideo: string; where: string; isolation?: string }> {
  const server = await startBackend({ MEDIASOUP_WORKERS: String(os.availableParallelism()) });
  let browser: Browser | undefined;
  let net: Netns | undefined;
  let where = 'host namespace (not root: it may also use the host\'s own interface address, see the pairs)';
  const base = server.url.replace('localhost', '127.0.0.1');
  try {
    const flags = [`--use-fake-device-for-media-stream=fps=${CAMERA_FPS}`];
    if (process.env.BENCH_OURS_NETNS === '0') where = 'host namespace (BENCH_OURS_NETNS=0: it may also use the host\'s own interface address, see the pairs)';
    else if (process.getuid?.() === 0) {
      try {
        net = createNetns({ tag: 'chrome', loopback: 'host' });
        where = `netns ${net.ns} (only ${net.ip}; 127/8 is the host's, over the veth)`;
      } catch (err) {
        where = `host namespace (no netns: ${(err as Error).message.split('\n')[0]})`;
      }
    }
    browser = net ? await launchChromiumIn(net, flags) : await launchChromium(flags);
    const coach = await (await browser.newContext()).newPage();
    await coach.addInitScript(`{
      const Native = window.RTCPeerConnection;
      window.__coachPcs = [];
      window.RTCPeerConnection = class extends Native { constructor(...a) { super(...a); window.__coachPcs.push(this); } };
    }`);
    await coach.goto(`${base}/coach.html?class=demo-hiit&name=Coach`);
    await coach.locator('fit-class-room[data-token-ready]').waitFor({ state: 'attached', timeout: JOIN_TIMEOUT_MS });
    await coach.getByTestId('join-button').click();
    await coach.getByTestId('self-video').waitFor({ timeout: JOIN_TIMEOUT_MS });
    // The coach is publishing before members arrive, as in a class; as for Janus's publisher
    // (janus-join.ts), let its bandwidth estimate ramp up first (bounded), so members get a real bitrate.
    await coach.waitForTimeout(1500);
    const rampUntil = Date.now() + 20_000;
    while (Date.now() < rampUntil && (await coachOutbound(coach, 500)).kbps < 850);
    const coachVideo = (await coachOutbound(coach, 1000)).text;
    const before = interfacePackets();
    const noCamera = await ourJoins(browser, base, JOINS, false, 'NoCam');
    const camera = await ourJoins(browser, base, JOINS, true, 'Cam');
    let isolation: string | undefined;
    if (net) {
      const after = interfacePackets();
      const d = (n: string) => `${n} rx ${(after[n]?.rx ?? 0) - (before[n]?.rx ?? 0)} tx ${(after[n]?.tx ?? 0) - (before[n]?.tx ?? 0)}`;
      const addrs = hostAddresses();
      const others = Object.keys(after).filter((n) => n !== 'lo' && n !== net!.hostIf);
      isolation = `namespace routes to ${addrs.join(', ') || '(no host address)'}: ${addrs.some((a) => net!.canRoute(a)) ? 'YES (unexpected)' : 'none (unreachable)'}; packets during the joins: veth ${d(net.hostIf)} (all of ours); host ${others.map(d).join(', ')}`;
    }
    return { noCamera, camera, coachVideo, where, isolation };
  } finally {
    await browser?.close().catch(() => undefined);
    net?.remove();
    await server.stop();
  }
}

/** Janus's subscriber joins, or why there are none. */
async function measureJanus(): Promise<JanusJoinResult | string> {
  if (process.env.BENCH_JANUS === '0') return 'skipped (BENCH_JANUS=0)';
  if (process.getuid?.() !== 0) return 'skipped: not root (the Janus bench runs Janus and its Chromium in a network namespace with a veth pair, which needs root)';
  try {
    ensureJanusInstalled();
  } catch (err) {
    return `skipped: Janus is not installed and could not be installed (${(err as Error).message.split('\n')[0]})`;
  }
  try {
    return await measureJanusJoins(JOINS, { joinTimeoutMs: JOIN_TIMEOUT_MS, verbose: VERBOSE });
  } catch (err) {
    return `failed: ${(err as Error).message}`;
  }
}

function bundleSizes(): Array<[string, number, number]> {
  const dist = path.resolve('dist');
  return fs
    .readdirSync(dist, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith('.js'))
    .map((e) => {
      const file = path.join(e.parentPath, e.name);
      const buf = fs.readFileSync(file);
      return [path.relative(dist, file), buf.length, zlib.gzipSync(buf, { level: 9 }).length] as [string, number, number];
    });
}

async function startupSeconds(): Promise<number> {
  const port = 18000 + Math.floor(Math.random() * 1000);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fitlive-bench-'));
  const t0 = performance.now();
  const child = spawn('npm', ['start'], { env: { ...process.env, PORT: String(port), DATA_DIR: dataDir, LOG_LEVEL: 'warn' }, stdio: 'ignore', detached: true });
  try {
    for (;;) {
      if (performance.now() - t0 > 60_000) throw new Error('npm start not healthy within 60 s');
      try {
        if ((await fetch(`http://127.0.0.1:${port}/healthz`)).ok) return (performance.now() - t0) / 1000;
      } catch {
        // not up yet
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  } finally {
    process.kill(-child.pid!, 'SIGTERM');
  }
}

const load0 = os.loadavg()[0]!;
const t0 = performance.now();
const ours = await measureOurs();
const oursS = (performance.now() - t0) / 1000;
const t1 = performance.now();
const janus = await measureJanus();
const janusS = (performance.now() - t1) / 1000;

console.log(`\njoin → first coach frame (${JOINS} joins each; click → first frame presented, each page shown ${LOBBY_MS} ms before its click; Debian chromium, fake camera ${CAMERA_FPS} fps)`);
console.log(`  a) ours, member without camera      ${summary(ours.noCamera.samples)}`);
console.log(`     samples: ${ours.noCamera.samples.map((s) => s.toFixed(0)).join(' ')}`);
console.log(`  b) ours, member with camera         ${summary(ours.camera.samples)}`);
console.log(`     samples: ${ours.camera.samples.map((s) => s.toFixed(0)).join(' ')}`);
if (typeof janus === 'string') {
  console.log(`  c) Janus VideoRoom subscriber: ${janus}`);
  console.log('  d) ratio ours (no camera) / Janus: not available (no Janus figure)');
} else {
  console.log(`  c) Janus ${janus.version} VideoRoom subscriber   ${summary(janus.samples)}`);
  console.log(`     samples: ${janus.samples.map((s) => s.toFixed(0)).join(' ')}`);
  const ratio = pct(sortedOf(ours.noCamera.samples), 50) / pct(sortedOf(janus.samples), 50);
  console.log(`  d) ours (no camera) p50 / Janus p50 = ${ratio.toFixed(2)}   target ≤ ${TARGET_RATIO}: ${ratio <= TARGET_RATIO ? 'met' : 'NOT met'}`);
}
console.log(`  e) where ours goes, member without camera (p50 from the click):`);
for (const line of formatPhases(ours.noCamera.phases, ours.noCamera.samples.length)) console.log(line);
console.log(`     member with camera (p50 from the click):`);
for (const line of formatPhases(ours.camera.phases, ours.camera.samples.length)) console.log(line);
console.log(`  ours: Chromium in ${ours.where}`);
console.log(`    coach video ${ours.coachVideo}; members' selected pairs ${[...new Set([...ours.noCamera.pairs, ...ours.camera.pairs])].join(', ') || '(none seen)'}`);
if (ours.isolation) console.log(`    ${ours.isolation}`);
if (typeof janus !== 'string') console.log(`\n${formatJanusJoins(janus).replace(/^/gm, '  ').trimStart()}\n${formatJanusIsolation(janus).replace(/^/gm, '  ')}`);
console.log(`  (ours ${oursS.toFixed(0)} s, Janus ${janusS.toFixed(0)} s; 1-min load average ${load0.toFixed(1)} at the start, ${os.loadavg()[0]!.toFixed(1)} at the end (with the bench's own), ${os.availableParallelism()} cores${load0 > 1 ? ': something else was running before the bench started, the figures may not be clean' : ''})`);

console.log('\nwidget bundle (dist/)');
for (const [file, raw, gz] of bundleSizes()) console.log(`  ${file.padEnd(28)} ${(raw / 1024).toFixed(1).padStart(7)} kB   gzip ${(gz / 1024).toFixed(1).padStart(6)} kB`);

console.log('\nnpm start → /healthz answers (worker cached, fresh data dir)');
console.log(`  ${(await startupSeconds()).toFixed(1)} s\n`);
process.exit(0);
