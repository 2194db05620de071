// npm run bench: numbers, not pass/fail.
//  1. join → first coach frame, member side, over N sequential joins in real chromium on loopback
//  2. gzip sizes of the widget bundle and its chunks
//  3. `npm start` to healthy, with the mediasoup worker cached
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { startBackend } from '../support/backend.js';
import { launchChromium } from '../support/chromium.js';

const JOINS = Number(process.env.BENCH_JOINS ?? 15);
/** Time from the click to each `fitlive:*` performance mark, per join. */
let phases: Record<string, number[]> = {};

function pct(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}
const fmt = (ms: number) => `${ms.toFixed(0)} ms`;

async function joinToFirstFrame(): Promise<number[]> {
  const server = await startBackend({ MEDIASOUP_WORKERS: String(os.availableParallelism()) });
  const browser = await launchChromium();
  const base = server.url.replace('localhost', '127.0.0.1');
  try {
    const coach = await (await browser.newContext()).newPage();
    await coach.goto(`${base}/coach.html?class=demo-hiit&name=Coach`);
    await coach.locator('fit-class-room[data-token-ready]').waitFor({ state: 'attached' });
    await coach.getByTestId('join-button').click();
    await coach.getByTestId('self-video').waitFor();
    await coach.waitForTimeout(1500); // the coach is publishing before members arrive, as in a class

    const samples: number[] = [];
    phases = {};
    for (let i = 0; i < JOINS; i++) {
      const context = await browser.newContext();
      const page = await context.newPage();
      await page.goto(`${base}/member.html?class=demo-hiit&name=Member${i}`);
      await page.locator('fit-class-room[data-token-ready]').waitFor({ state: 'attached' });
      // Clock starts at the member's click (captured in the page) and stops at the first coach
      // frame presented (requestVideoFrameCallback). Source text: tsx must not rewrite it.
      if (process.env.BENCH_NO_CAMERA) await page.evaluate(`navigator.mediaDevices.getUserMedia = () => Promise.reject(new DOMException('no', 'NotAllowedError'))`);
      await page.evaluate(`document.addEventListener('pointerdown', () => { window.__t0 = performance.now(); }, { capture: true, once: true })`);
      await page.getByTestId('join-button').click();
      const ms = (await page.evaluate(`new Promise((resolve) => {
        const room = document.querySelector('fit-class-room');
        const poll = () => {
          const v = room.shadowRoot.querySelector('[data-testid="coach-video"]');
          if (!v) return setTimeout(poll, 5);
          v.requestVideoFrameCallback((now) => resolve(now - window.__t0));
        };
        poll();
      })`)) as number;
      samples.push(ms);
      const marks = (await page.evaluate(
        `performance.getEntriesByType('mark').filter((m) => m.name.startsWith('fitlive:')).map((m) => [m.name.slice(8), m.startTime - window.__t0])`,
      )) as Array<[string, number]>;
      for (const [name, at] of marks) (phases[name] ??= []).push(at);
      if (ms > 1500) console.log(`  slow join #${i} (${ms.toFixed(0)} ms): ${marks.map(([n, t]) => `${n}@${t.toFixed(0)}`).join(' ')}`);
      await page.getByTestId('leave-button').click();
      await context.close();
    }
    return samples;
  } finally {
    await browser.close();
    await server.stop();
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

const samples = await joinToFirstFrame();
const sorted = [...samples].sort((a, b) => a - b);
console.log(`\njoin → first coach frame (${samples.length} joins, loopback, Debian chromium, fake camera)`);
console.log(`  p50 ${fmt(pct(sorted, 50))}   p95 ${fmt(pct(sorted, 95))}   min ${fmt(sorted[0]!)}   max ${fmt(sorted.at(-1)!)}`);
console.log(`  samples: ${samples.map((s) => s.toFixed(0)).join(' ')}`);
console.log('  where the time goes (p50 from the click):');
for (const [name, times] of Object.entries(phases).sort((a, b) => pct([...a[1]].sort((x, y) => x - y), 50) - pct([...b[1]].sort((x, y) => x - y), 50))) {
  console.log(`    ${name.padEnd(22)} ${fmt(pct([...times].sort((x, y) => x - y), 50))}`);
}

console.log('\nwidget bundle (dist/)');
for (const [file, raw, gz] of bundleSizes()) console.log(`  ${file.padEnd(28)} ${(raw / 1024).toFixed(1).padStart(7)} kB   gzip ${(gz / 1024).toFixed(1).padStart(6)} kB`);

console.log('\nnpm start → /healthz answers (worker cached, fresh data dir)');
console.log(`  ${(await startupSeconds()).toFixed(1)} s\n`);
process.exit(0);
