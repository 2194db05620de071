// npm run bench:broadcast: numbers, not pass/fail.
//  1. glass-to-glass latency of a class broadcast: the coach's camera is a canvas that paints the
//     wall clock as a bar code into every frame; the viewer's <fit-live-stream> reads it back from
//     each presented frame (same machine, same clock) → now − painted
//  2. CPU of the FFmpeg encoding the 720p/480p/360p ladder (→ ladders per host)
import fs from 'node:fs';
import { makeApiKey } from '../../backend/auth/api-keys.js';
import { DEMO_CLUB_ID } from '../../backend/store/seed.js';
import type { StreamCreated } from '../../protocol/streams.js';
import { startBackend } from '../support/backend.js';
import { launchChromium } from '../support/chromium.js';

const SAMPLE_SECONDS = Number(process.env.BROADCAST_SECONDS ?? 20);

// 42 bits of Date.now() as 2 rows of 21 blocks (60 px), white = 1, on a 1280×720 canvas.
const CLOCK_CAMERA = `{
  const real = navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices);
  navigator.mediaDevices.getUserMedia = async (c) => {
    const canvas = document.createElement('canvas');
    canvas.width = 1280; canvas.height = 720;
    const ctx = canvas.getContext('2d');
    const paint = () => {
      const t = Date.now();
      ctx.fillStyle = '#808080'; ctx.fillRect(0, 0, 1280, 720);
      for (let i = 0; i < 42; i++) {
        ctx.fillStyle = Math.floor(t / 2 ** i) % 2 ? '#ffffff' : '#000000';
        ctx.fillRect((i % 21) * 60 + 10, Math.floor(i / 21) * 60 + 10, 60, 60);
      }
    };
    setInterval(paint, 1000 / 30);
    paint();
    const stream = canvas.captureStream(30);
    if (c && c.audio) { try { (await real({ audio: c.audio })).getAudioTracks().forEach((t) => stream.addTrack(t)); } catch {} }
    return stream;
  };
}`;

// In the viewer: read the bar code from each presented frame of the player's <video>.
const READ_CLOCK = `(seconds) => new Promise((resolve) => {
  const video = document.querySelector('fit-live-stream').shadowRoot.querySelector('video');
  const canvas = document.createElement('canvas');
  const ctx = canvas.getContext('2d', { willReadFrequently: true });
  const samples = [];
  const end = Date.now() + seconds * 1000;
  const onFrame = () => {
    const now = Date.now();
    const w = video.videoWidth, h = video.videoHeight;
    if (w && h) {
      canvas.width = w; canvas.height = h;
      ctx.drawImage(video, 0, 0, w, h);
      const s = w / 1280;
      let t = 0;
      for (let i = 0; i < 42; i++) {
        const x = Math.round(((i % 21) * 60 + 40) * s), y = Math.round((Math.floor(i / 21) * 60 + 40) * s);
        const px = ctx.getImageData(x, y, 1, 1).data;
        if (px[0] + px[1] + px[2] > 3 * 128) t += 2 ** i;
      }
      const latency = now - t;
      if (latency > 0 && latency < 60000) samples.push({ latency, height: h });
    }
    if (now < end) video.requestVideoFrameCallback(onFrame); else resolve(samples);
  };
  video.requestVideoFrameCallback(onFrame);
})`;

function cpuSeconds(pid: number): number {
  const f = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(f[11]) + Number(f[12])) / 100; // utime + stime, in clock ticks of 1/100 s
}

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;

async function main(): Promise<void> {
  const server = await startBackend({ MEDIASOUP_WORKERS: '1' });
  const browser = await launchChromium();
  const base = server.url.replace('localhost', '127.0.0.1');
  try {
    const k = makeApiKey();
    await server.repos.apiKeys.add({ id: k.id, clubId: DEMO_CLUB_ID, secretHash: k.secretHash, label: 'bench' });
    const api = (p: string, method = 'GET', body?: unknown) =>
      fetch(`${server.url}/api${p}`, { method, headers: { authorization: `Bearer ${k.key}`, 'content-type': 'application/json' }, ...(body ? { body: JSON.stringify(body) } : {}) });

    const coach = await (await browser.newContext()).newPage();
    await coach.addInitScript(CLOCK_CAMERA);
    await coach.goto(`${base}/coach.html?class=demo-hiit&name=Coach`);
    await coach.locator('fit-class-room[data-token-ready]').waitFor({ state: 'attached' });
    await coach.getByTestId('join-button').click();
    await coach.waitForFunction(() => (document.querySelector('fit-class-room') as unknown as { room?: { state: { phase: string } } })?.room?.state.phase === 'joined');

    const stream = (await (await api('/v1/streams', 'POST', { title: 'Latency bench', source: { type: 'class', classId: 'demo-hiit' } })).json()) as StreamCreated;
    const t0 = Date.now();
    await api(`/v1/streams/${stream.id}/start`, 'POST');
    const viewer = await (await browser.newContext()).newPage();
    await viewer.goto(`${base}/broadcast.html?stream=${encodeURIComponent(stream.id)}`);
    await viewer.locator('fit-live-stream[state="live"]').waitFor({ timeout: 60_000 });
    await viewer.waitForFunction(() => ((document.querySelector('fit-live-stream')?.shadowRoot?.querySelector('video') as HTMLVideoElement | null)?.currentTime ?? 0) > 0, undefined, { timeout: 30_000 });
    const firstFrameMs = Date.now() - t0;
    await viewer.waitForTimeout(3000); // let the player settle at the live edge

    const encoder = server.streams.encoderOf(stream.id)!;
    const cpu0 = cpuSeconds(encoder.pid!);
    const wall0 = Date.now();
    const samples = (await viewer.evaluate(`(${READ_CLOCK})(${SAMPLE_SECONDS})`)) as Array<{ latency: number; height: number }>;
    const cpuShare = (cpuSeconds(encoder.pid!) - cpu0) / ((Date.now() - wall0) / 1000);

    const lat = samples.map((s) => s.latency).sort((a, b) => a - b);
    console.log('\nBroadcast (class → mediasoup → FFmpeg ladder → HLS 1 s segments → <fit-live-stream>, loopback, 2 cores)');
    console.log(`  start → first frame in the player: ${firstFrameMs} ms`);
    if (lat.length) {
      console.log(`  glass-to-glass: p50 ${pct(lat, 50)} ms, p95 ${pct(lat, 95)} ms, min ${lat[0]} ms, max ${lat.at(-1)} ms (${lat.length} frames over ${SAMPLE_SECONDS} s, rendition ${samples.at(-1)!.height}p)`);
    } else console.log('  glass-to-glass: no frame could be read');
    console.log(`  FFmpeg ladder (720p+480p+360p x264 veryfast, AAC): ${(cpuShare * 100).toFixed(0)} % of one core → about ${Math.max(1, Math.floor((2 * 0.8) / cpuShare))} concurrent ladders on this 2-core host at 80 % load (the SFU and browsers here share it)`);
    await api(`/v1/streams/${stream.id}/stop`, 'POST');
  } finally {
    await browser.close();
    await server.stop();
  }
}

void main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
