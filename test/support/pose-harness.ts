import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { RunningServer } from '../../backend/main.js';
import type { PoseFrame } from '../../widget/pose/keypoints.js';
import { startBackend } from './backend.js';
import { launchChromium } from './chromium.js';

/*
 * The pose model as a club's page uses it: the built dist/ served by the real backend on one
 * origin (http://localhost:<port>), the page on another (http://127.0.0.1:<port>, a plain
 * static server), so the estimator's worker has to start from a blob that imports the worker
 * module cross-origin. Shared by test/e2e/pose-model.test.ts, the fixture recorder and the bench.
 */

export interface RecordedRequest {
  url: string;
  resourceType: string;
  status?: number;
  /** Response body bytes as received (encoded), from Chromium's Network.loadingFinished via Playwright. */
  bodyBytes?: number;
  failure?: string;
}

export interface PosePage {
  page: Page;
  context: BrowserContext;
  /** Every request the page and its workers made, in order. */
  requests: RecordedRequest[];
  /** Requests to anything but the two local origins (and the page's own blob: URLs). */
  foreignRequests(): string[];
  /** Imports the estimator chunk from the backend and creates an estimator. */
  load(worker: boolean): Promise<{ loadMs: number; inWorker: boolean; backend: string }>;
  /** Runs the estimator on one of the page origin's photos. */
  photo(name: string): Promise<PoseFrame>;
  /** getUserMedia → <video> → estimate in a loop until `durationMs` after the camera opened. */
  camera(durationMs: number): Promise<CameraRun>;
  close(): Promise<void>;
}

export interface CameraRun {
  frames: PoseFrame[];
  /** performance.now() when getUserMedia resolved (frames' t are on the same clock). */
  cameraStart: number;
  /** Per estimate() call, ms (grab + transfer + inference + answer). */
  estimateMs: number[];
  runMs: number;
  videoWidth: number;
  videoHeight: number;
  /** Main-thread long tasks (PerformanceObserver 'longtask') during the loop. */
  longTasks: { start: number; duration: number }[];
  /** … and while the estimator loaded. */
  loadLongTasks: { start: number; duration: number }[];
}

export interface PoseStack {
  server: RunningServer;
  browser: Browser;
  backendOrigin: string;
  pageOrigin: string;
  /** The built estimator chunk on the backend. */
  estimatorUrl: string;
  /** A fresh browser context on the page origin; `csp` is sent with the page (as a club's server might). */
  openPage(opts?: { csp?: string }): Promise<PosePage>;
  close(): Promise<void>;
}

/** The built estimator chunk (dist/chunks/pose-estimator-<hash>.js). */
export function estimatorChunk(dist = path.resolve('dist')): string {
  const name = fs.existsSync(path.join(dist, 'chunks')) ? fs.readdirSync(path.join(dist, 'chunks')).find((f) => /^pose-estimator-[\w-]+\.js$/.test(f)) : undefined;
  if (!name) throw new Error('dist/chunks/pose-estimator-*.js is missing: run `npm run build` first');
  return `chunks/${name}`;
}

// Runs in the page (plain JS, not transpiled: tsx would add helpers the page lacks).
const PAGE_LIB = String.raw`window.__pose = {
  longTasks: [],
  async load(url, worker) {
    new PerformanceObserver((list) => { for (const e of list.getEntries()) this.longTasks.push({ start: e.startTime, duration: e.duration }); }).observe({ type: 'longtask', buffered: true });
    const t0 = performance.now();
    const mod = await import(url);
    this.estimator = await mod.createPoseEstimator({ worker });
    this.loadLongTasks = this.longTasks.filter((t) => t.start >= t0);
    return { loadMs: performance.now() - t0, inWorker: this.estimator.inWorker, backend: this.estimator.backend };
  },
  async photo(src) {
    const img = new Image();
    img.src = src;
    await img.decode();
    return this.estimator.estimate(img);
  },
  async camera(durationMs) {
    const stream = await navigator.mediaDevices.getUserMedia({ video: true, audio: false });
    const cameraStart = performance.now();
    const video = document.createElement('video');
    video.muted = true;
    video.playsInline = true;
    video.srcObject = stream;
    document.body.append(video);
    await video.play();
    while (!video.videoWidth) await new Promise((r) => setTimeout(r, 10));
    const frames = [];
    const estimateMs = [];
    const runStart = performance.now();
    while (performance.now() - cameraStart < durationMs) {
      const a = performance.now();
      frames.push(await this.estimator.estimate(video));
      estimateMs.push(performance.now() - a);
      // A new task per frame, as a page's frame loop would be (on the page thread the model's
      // promises resolve as microtasks: without this the whole run would be one long task).
      await new Promise((r) => setTimeout(r, 0));
    }
    const runMs = performance.now() - runStart;
    const { videoWidth, videoHeight } = video;
    for (const t of stream.getTracks()) t.stop();
    video.remove();
    await new Promise((r) => setTimeout(r, 50));
    return { frames, cameraStart, estimateMs, runMs, videoWidth, videoHeight, longTasks: this.longTasks.filter((t) => t.start >= runStart && t.start <= runStart + runMs), loadLongTasks: this.loadLongTasks };
  },
};`;

/** The club's page: a folder on a loopback port; `?csp=` on a page sets its Content-Security-Policy header. */
async function servePage(root: string): Promise<{ url: string; close(): void }> {
  const types: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.png': 'image/png' };
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const file = path.join(root, path.basename(decodeURIComponent(url.pathname)));
    if (!fs.existsSync(file) || !fs.statSync(file).isFile()) return void res.writeHead(404).end();
    const csp = url.searchParams.get('csp');
    res.writeHead(200, { 'content-type': types[path.extname(file)] ?? 'application/octet-stream', ...(csp ? { 'content-security-policy': csp } : {}) });
    fs.createReadStream(file).pipe(res);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return { url: `http://127.0.0.1:${(server.address() as { port: number }).port}`, close: () => server.close() };
}

export async function startPoseStack(opts: { cameraFile?: string; photos?: string[] } = {}): Promise<PoseStack> {
  const pageDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fitlive-pose-page-'));
  fs.writeFileSync(path.join(pageDir, 'index.html'), '<!doctype html><html lang="en"><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>A club page</title></head><body><h1>A club page</h1></body></html>\n');
  for (const photo of opts.photos ?? []) fs.copyFileSync(photo, path.join(pageDir, path.basename(photo)));
  const estimatorPath = estimatorChunk();

  const server = await startBackend();
  const site = await servePage(pageDir);
  let browser: Browser;
  try {
    browser = await launchChromium(opts.cameraFile ? [`--use-file-for-fake-video-capture=${path.resolve(opts.cameraFile)}`] : []);
  } catch (err) {
    site.close();
    await server.stop();
    throw err;
  }
  const backendOrigin = new URL(server.url).origin.replace('127.0.0.1', 'localhost');
  const pageOrigin = site.url;
  const allowed = new Set([backendOrigin, pageOrigin]);

  const stack: PoseStack = {
    server,
    browser,
    backendOrigin,
    pageOrigin,
    estimatorUrl: `${backendOrigin}/${estimatorPath}`,
    async openPage(pageOpts = {}) {
      const context = await browser.newContext({ permissions: ['camera'] });
      const requests: RecordedRequest[] = [];
      const byRequest = new Map<object, RecordedRequest>();
      context.on('request', (r) => {
        const rec: RecordedRequest = { url: r.url(), resourceType: r.resourceType() };
        byRequest.set(r, rec);
        requests.push(rec);
      });
      context.on('requestfinished', (r) => {
        const rec = byRequest.get(r);
        if (!rec) return;
        void r
          .sizes()
          .then((s) => (rec.bodyBytes = s.responseBodySize))
          .catch(() => undefined);
        void r
          .response()
          .then((res) => (rec.status = res?.status()))
          .catch(() => undefined);
      });
      context.on('requestfailed', (r) => {
        const rec = byRequest.get(r);
        if (rec) rec.failure = r.failure()?.errorText ?? 'failed';
      });
      const page = await context.newPage();
      page.on('pageerror', (err) => console.error('[pose page] error:', err.message));
      page.on('console', (msg) => {
        if (msg.type() === 'warning' || msg.type() === 'error') console.error(`[pose page] ${msg.type()}:`, msg.text());
      });
      await page.goto(`${pageOrigin}/index.html${pageOpts.csp ? `?csp=${encodeURIComponent(pageOpts.csp)}` : ''}`);
      await page.evaluate(PAGE_LIB);
      return {
        page,
        context,
        requests,
        foreignRequests: () =>
          requests
            .map((r) => r.url)
            .filter((u) => {
              if (u.startsWith('blob:')) return !allowed.has(new URL(u.slice(5)).origin);
              if (u.startsWith('data:')) return false;
              return !allowed.has(new URL(u).origin);
            }),
        load: (worker) => page.evaluate(([url, w]) => (window as unknown as { __pose: { load(u: string, w: boolean): Promise<{ loadMs: number; inWorker: boolean; backend: string }> } }).__pose.load(url, w), [stack.estimatorUrl, worker] as [string, boolean]),
        photo: (name) => page.evaluate((src) => (window as unknown as { __pose: { photo(s: string): Promise<PoseFrame> } }).__pose.photo(src), `${pageOrigin}/${name}`),
        camera: (durationMs) => page.evaluate((ms) => (window as unknown as { __pose: { camera(ms: number): Promise<CameraRun> } }).__pose.camera(ms), durationMs),
        close: () => context.close(),
      };
    },
    async close() {
      await browser.close().catch(() => undefined);
      site.close();
      await server.stop();
      fs.rmSync(pageDir, { recursive: true, force: true });
    },
  };
  return stack;
}

/** Keypoints with a score ≥ `min`. */
export const seen = (frame: PoseFrame, min = 0.3) => frame.keypoints.filter((k) => k.score >= min).length;
