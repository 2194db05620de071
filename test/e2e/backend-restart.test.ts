import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { startBackendProcess, type BackendProcess } from '../support/backend-process.js';
import { launchChromium } from '../support/chromium.js';
import { openDemoClass } from '../support/live-stack.js';
import { freePort } from '../support/ports.js';

/*
 * The backend process is stopped and started again (as `npm start` would be after a deploy or a
 * crash) while the coach's and a member's pages stay open. The store is PGlite on disk, the port
 * is the same. What must hold: within 5 s of /healthz answering again the member sees the coach
 * moving and the coach sees the member moving, with the same tile, level, reps and class mode.
 */

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fitlive-restart-e2e-'));
let env: Record<string, string>;
let backend: BackendProcess | undefined;
let browser: Browser;

before(async () => {
  const port = await freePort();
  // Production message budgets (other tests raise them): a restart must not trip them.
  env = { PORT: String(port), DATA_DIR: dataDir, MEDIASOUP_WORKERS: '1', SOCKET_RATE_SCALE: '1' };
  backend = await startBackendProcess(env);
  browser = await launchChromium();
});
after(async () => {
  await browser?.close();
  await backend?.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

/** Resolves at the first moment /healthz answers 200 (polled every 50 ms). */
async function healthyAt(url: string, timeoutMs = 30_000): Promise<number> {
  for (const deadline = Date.now() + timeoutMs; Date.now() < deadline; await new Promise((r) => setTimeout(r, 50))) {
    const ok = await fetch(`${url}/healthz`).then((r) => r.ok, () => false);
    if (ok) return Date.now();
  }
  throw new Error('/healthz did not answer');
}

// Installed as source text (tsx would wrap named callbacks in a helper the page lacks): counts the
// frames each remote <video> presents, by element, and notes when the first frame after a mark came.
const FRAMES_SOURCE = `(() => {
  window.__frames = { markAt: 0, firstAfterMark: undefined, count: 0 };
  const seen = new WeakSet();
  const watch = () => {
    const root = document.querySelector('fit-class-room')?.shadowRoot;
    for (const v of root ? root.querySelectorAll('video[data-testid="coach-video"], video[data-view-of]') : []) {
      if (seen.has(v) || v.dataset.testid === 'self-video') continue;
      seen.add(v);
      const tick = () => {
        const f = window.__frames;
        f.count++;
        if (f.markAt && f.firstAfterMark === undefined) f.firstAfterMark = Date.now();
        if (v.isConnected) v.requestVideoFrameCallback(tick);
      };
      v.requestVideoFrameCallback(tick);
    }
  };
  setInterval(watch, 50);
})()`;

const mark = (page: Page) => page.evaluate(`window.__frames.markAt = Date.now(); window.__frames.firstAfterMark = undefined; 0`);
const firstFrameAfterMark = (page: Page) => page.evaluate('window.__frames.firstAfterMark') as Promise<number | undefined>;

async function roomSummary(page: Page): Promise<string> {
  return (await page.evaluate(`JSON.stringify((() => { const r = document.querySelector('fit-class-room').room; return { phase: r.state.phase, conn: r.state.connection, notice: r.state.notice, error: r.state.error, people: r.state.participants.map((p) => [p.role, p.hasVideo, p.views && p.views.camera ? p.views.camera.getTracks().map((t) => t.readyState) : null]) }; })())`)) as string;
}

/** Waits until both pages show a frame after the mark; returns those moments. */
async function videoBack(coach: Page, member: Page, timeoutMs: number): Promise<{ member: number; coach: number }> {
  for (const deadline = Date.now() + timeoutMs; ; await member.waitForTimeout(50)) {
    const [m, c] = await Promise.all([firstFrameAfterMark(member), firstFrameAfterMark(coach)]);
    if (m !== undefined && c !== undefined) return { member: m, coach: c };
    if (Date.now() > deadline) assert.fail(`video not back within ${timeoutMs} ms: member ${m ?? 'no frame'} ${await roomSummary(member)}; coach ${c ?? 'no frame'} ${await roomSummary(coach)}`);
  }
}

for (const [how, classId] of [['stopped', 'demo-hiit'], ['killed', 'demo-yoga']] as const) {
  test(`the backend ${how === 'stopped' ? 'stopped (SIGTERM)' : 'killed (SIGKILL)'} and started again: video moving both ways within 5 s of /healthz, the same tile and class state`, { timeout: 120_000 }, async () => {
    backend ??= await startBackendProcess(env);
    const url = backend.url;
    const coach = await openDemoClass(browser, url, 'coach', `Coach ${how}`, { classId });
    const member = await openDemoClass(browser, url, 'member', `Ana ${how}`, { classId, level: 'beginner' });
    const memberId = (await member.evaluate(`document.querySelector('fit-class-room').room.state.self.id`)) as string;
    const tile = coach.locator(`[data-testid="participant-tile"][data-participant-id="${memberId}"]`);

    // A class under way: workout mode, the member's level set by the coach, two reps acknowledged.
    if ((await coach.getByTestId('mode-workout').getAttribute('aria-pressed')) !== 'true') await coach.getByTestId('mode-workout').click();
    await tile.getByTestId('tile-level').selectOption('advanced');
    await member.getByTestId('my-level').filter({ hasText: 'Advanced' }).waitFor();
    const repsBefore = Number((await member.getByTestId('rep-count').textContent())?.trim() ?? 0);
    for (let i = 0; i < 2; i++) await member.getByTestId('rep-button').click();
    await member.getByTestId('rep-count').filter({ hasText: String(repsBefore + 2) }).waitFor();
    await member.getByTestId('coach-video').waitFor();
    await tile.locator('video').waitFor();
    await Promise.all([coach, member].map((p) => p.evaluate(FRAMES_SOURCE)));
    await member.waitForTimeout(500);

    if (how === 'stopped') await backend!.stop();
    else await backend!.kill();
    backend = undefined;
    const downAt = Date.now();
    await member
      .waitForFunction(() => document.querySelector('fit-class-room')?.getAttribute('connection-state') === 'reconnecting', undefined, { timeout: 15_000 })
      .catch(async () => assert.fail(`the member's page does not say it is reconnecting: ${await roomSummary(member)}`));
    // What the member reads meanwhile: the stage says so instead of a frozen or black box.
    await member.getByTestId('stage-status').waitFor({ timeout: 5000 });
    // Down for a while (a deploy takes seconds): the clients' reconnection backoff has grown by then.
    await member.waitForTimeout(4000);

    backend = await startBackendProcess(env);
    const healthy = await healthyAt(backend.url);
    await Promise.all([mark(coach), mark(member)]);
    const back = await videoBack(coach, member, 20_000);
    const memberMs = back.member - healthy;
    const coachMs = back.coach - healthy;
    console.log(`# backend ${how}, down ${healthy - downAt} ms → after /healthz: member sees the coach moving in ${memberMs} ms, the coach sees the member moving in ${coachMs} ms`);

    await member.waitForFunction(() => document.querySelector('fit-class-room')?.getAttribute('connection-state') === 'connected', undefined, { timeout: 5000 });
    assert.equal(await member.getByTestId('my-level').textContent(), 'Advanced', 'the level the coach set is kept');
    assert.equal((await member.getByTestId('rep-count').textContent())?.trim(), String(repsBefore + 2), 'acknowledged reps are kept');
    assert.equal(await coach.getByTestId('mode-workout').getAttribute('aria-pressed'), 'true', 'the class mode is kept');
    assert.equal(await coach.locator('[data-testid="participant-tile"]').count(), 1, 'one tile for the member, no duplicate');
    assert.equal(await tile.count(), 1, 'the same participant id');
    await member.getByTestId('stage-status').waitFor({ state: 'detached', timeout: 5000 });
    assert.ok(memberMs <= 5000, `member's coach video moving ${memberMs} ms after /healthz (≤ 5000)`);
    assert.ok(coachMs <= 5000, `coach's member tile moving ${coachMs} ms after /healthz (≤ 5000)`);
    await Promise.all([coach.context().close(), member.context().close()]);
  });
}
