// Pose model bench (issue 11): the built estimator in headless Chromium, fed by an FFmpeg fake
// camera (a public-domain photo bobbing), back to back for ~15 s in worker mode and in page-thread
// mode. Prints load and first-frame time, estimate() p50/p95, frames per second, the page's long
// tasks, and what loading the estimator downloads (encoded response bytes from Chromium's
// Network.loadingFinished, per file and kind). Loopback only; stops by itself.
//   npm run build && npm run bench:pose        (POSE_BENCH_SECONDS=15)
import path from 'node:path';
import type { CDPSession } from 'playwright-core';
import { makeBobVideo, parseRhythm } from '../support/fake-camera.js';
import { startPoseStack, type PosePage, type PoseStack } from '../support/pose-harness.js';
import { testPhotos } from '../support/test-photos.js';

const SECONDS = Number(process.env.POSE_BENCH_SECONDS ?? 15);
const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? NaN;
};
const kind = (url: string) => (/\.wasm$/.test(url) ? 'wasm' : /movenet.*\.json$/.test(url) ? 'model json' : /\.bin$/.test(url) ? 'model bin' : /\.js$/.test(url) ? 'js' : url.startsWith('blob:') ? 'blob' : 'other');
const kB = (n: number) => `${(n / 1000).toFixed(1)} kB`;

/** Encoded bytes per request id from the page target's Network domain (cross-check for Playwright's per-request sizes, which cover the worker too). */
async function cdpBytes(p: PosePage): Promise<{ session: CDPSession; bytes: Map<string, { url: string; encoded: number }> }> {
  const session = await p.context.newCDPSession(p.page);
  const bytes = new Map<string, { url: string; encoded: number }>();
  session.on('Network.requestWillBeSent', (e) => bytes.set(e.requestId, { url: e.request.url, encoded: 0 }));
  session.on('Network.loadingFinished', (e) => {
    const r = bytes.get(e.requestId);
    if (r) r.encoded = e.encodedDataLength;
  });
  await session.send('Network.enable');
  return { session, bytes };
}

async function runMode(stack: PoseStack, worker: boolean, durationS: number) {
  const p = await stack.openPage();
  const cdp = await cdpBytes(p);
  const before = p.requests.length;
  const info = await p.load(worker);
  await new Promise((r) => setTimeout(r, 300)); // let the last sizes arrive
  const loadRequests = p.requests.slice(before);
  const run = await p.camera(SECONDS * 1000);
  const result = { p, info, run, loadRequests, cdp: [...cdp.bytes.values()] };
  void durationS;
  return result;
}

const photos = testPhotos();
const video = makeBobVideo(photos.camera, parseRhythm(`hold:1,move:${Math.ceil(SECONDS / 2)}x2,hold:1`));
const stack = await startPoseStack({ cameraFile: video.file });
const deadline = setTimeout(() => {
  console.error('bench:pose: still running after 5 minutes, giving up');
  process.exit(1);
}, 300_000);
try {
  console.log(`pose bench: Chromium ${stack.browser.version()} headless, fake camera ${video.size}×${video.size} 15 fps (${path.basename(photos.camera)} bobbing), page ${stack.pageOrigin}, bundle ${stack.backendOrigin}, ${SECONDS} s per mode\n`);
  for (const worker of [true, false]) {
    const { p, info, run, loadRequests, cdp } = await runMode(stack, worker, SECONDS);
    const ms = run.estimateMs;
    const longMs = run.longTasks.reduce((s, t) => s + t.duration, 0);
    const loadLongMs = run.loadLongTasks.reduce((s, t) => s + t.duration, 0);
    console.log(`== ${worker ? 'worker' : 'page thread'} mode: inWorker=${info.inWorker}, backend ${info.backend}`);
    console.log(`model load (import + wasm + model + warm-up run): ${info.loadMs.toFixed(0)} ms; first frame: ${ms[0]?.toFixed(1)} ms`);
    console.log(`estimate() round trip (grab + model + answer): p50 ${pct(ms.slice(1), 50).toFixed(1)} ms, p95 ${pct(ms.slice(1), 95).toFixed(1)} ms, max ${Math.max(...ms.slice(1)).toFixed(1)} ms over ${ms.length} frames`);
    console.log(`frames per second: ${((ms.length / run.runMs) * 1000).toFixed(1)} (${ms.length} in ${(run.runMs / 1000).toFixed(1)} s)`);
    console.log(`main-thread long tasks during the run: ${run.longTasks.length}, ${longMs.toFixed(0)} ms total (${((longMs / run.runMs) * 100).toFixed(0)}% of the run); while loading: ${run.loadLongTasks.length}, ${loadLongMs.toFixed(0)} ms`);
    const byKind = new Map<string, number>();
    for (const r of loadRequests) if ((r.bodyBytes ?? 0) > 0) byKind.set(kind(r.url), (byKind.get(kind(r.url)) ?? 0) + r.bodyBytes!);
    const total = [...byKind.values()].reduce((s, n) => s + n, 0);
    console.log(`downloaded to load the estimator: ${kB(total)} (${[...byKind].map(([k, n]) => `${k} ${kB(n)}`).join(', ')})`);
    for (const r of loadRequests) console.log(`  ${String(r.status ?? '-').padEnd(3)} ${(r.bodyBytes !== undefined && r.bodyBytes >= 0 ? kB(r.bodyBytes) : '(memory/blob)').padStart(13)}  ${r.url}`);
    const cdpTotal = cdp.filter((r) => !r.url.endsWith('/index.html')).reduce((s, r) => s + r.encoded, 0);
    console.log(`  (page target's own CDP Network.loadingFinished: ${cdp.length} requests, ${kB(cdpTotal)}: ${worker ? "the worker's fetches are on the worker's target" : 'everything'})`);
    const foreign = p.foreignRequests();
    if (foreign.length) throw new Error(`requests off loopback: ${foreign.join(', ')}`);
    console.log('');
    await p.close();
  }
} finally {
  clearTimeout(deadline);
  await stack.close();
  video.remove();
}
process.exit();
