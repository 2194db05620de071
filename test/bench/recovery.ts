// npm run bench:recovery — how fast a member is back after a dropped connection, as p50/p95 over
// RECOVERY_ROUNDS drops (the target: state restored p95 < 2 s). Real backend, real
// chromium; every socket of the class is cut at the transport, as a network drop would. Each round
// waits for the member's element to say `connected` with its level back (state restored) and for
// the coach's video to move again (video back). Bounded: stops by itself.
import type { Page } from 'playwright-core';
import { startBackend } from '../support/backend.js';
import { launchChromium } from '../support/chromium.js';
import { probeVideo } from '../support/video.js';

const ROUNDS = Number(process.env.RECOVERY_ROUNDS ?? 10);

const server = await startBackend({ LOG_LEVEL: 'error' });
const browser = await launchChromium();
const base = server.url.replace('localhost', '127.0.0.1');
setTimeout(() => {
  console.error('recovery bench: gave up after 5 minutes');
  process.exit(1);
}, 300_000).unref();

async function join(role: 'coach' | 'member', name: string, level?: string): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await page.goto(`${base}/${role}.html?class=demo-hiit&name=${encodeURIComponent(name)}`);
  await page.locator('fit-class-room[data-token-ready]').waitFor({ state: 'attached' });
  if (level) await page.getByTestId('level-select').selectOption(level);
  await page.getByTestId('join-button').click();
  await page.waitForFunction(() => (document.querySelector('fit-class-room') as { room?: { state: { phase: string } } } | null)?.room?.state.phase === 'joined');
  return page;
}

await join('coach', 'Coach Sam');
const member = await join('member', 'Ana', 'advanced');
const video = member.getByTestId('coach-video');
await video.waitFor();

const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil((p / 100) * xs.length) - 1)]!;
const stateMs: number[] = [];
const videoMs: number[] = [];
for (let round = 0; round < ROUNDS; round++) {
  await member.evaluate(`window.__sawReconnecting = false; new MutationObserver((_, o) => { if (document.querySelector('fit-class-room').getAttribute('connection-state') === 'reconnecting') { window.__sawReconnecting = true; o.disconnect(); } })
    .observe(document.querySelector('fit-class-room'), { attributes: true, attributeFilter: ['connection-state'] }); 0`);
  const t0 = Date.now();
  server.dropConnections('demo-hiit');
  await member.waitForFunction(() => (window as unknown as { __sawReconnecting: boolean }).__sawReconnecting, undefined, { timeout: 10_000 });
  // State restored: joined again, connected, and the level (class state) is back on screen.
  await member.waitForFunction(
    () => {
      const el = document.querySelector('fit-class-room') as (HTMLElement & { room?: { state: { phase: string } } }) | null;
      return el?.getAttribute('connection-state') === 'connected' && el.room?.state.phase === 'joined' && el.shadowRoot?.querySelector('[data-testid="my-level"]')?.textContent === 'Advanced';
    },
    undefined,
    { timeout: 20_000, polling: 20 },
  );
  stateMs.push(Date.now() - t0);
  for (const deadline = Date.now() + 20_000; ; ) {
    const probe = (await video.isVisible()) ? await probeVideo(video, 100).catch(() => undefined) : undefined;
    if (probe && probe.framesInWindow > 0) break;
    if (Date.now() > deadline) throw new Error(`round ${round}: no coach video`);
    if (!probe) await member.waitForTimeout(50);
  }
  videoMs.push(Date.now() - t0);
  await member.waitForTimeout(1000);
}

console.log(`recovery bench: ${ROUNDS} socket drops — state restored p50 ${pct(stateMs, 50)} ms, p95 ${pct(stateMs, 95)} ms (max ${Math.max(...stateMs)}); coach video back p50 ${pct(videoMs, 50)} ms, p95 ${pct(videoMs, 95)} ms (max ${Math.max(...videoMs)})`);
await browser.close();
await server.stop();
process.exit(0);
