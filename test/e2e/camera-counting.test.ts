import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { launchChromium } from '../support/chromium.js';
import { startBackend } from '../support/backend.js';
import { makeBobVideo, parseRhythm, type BobVideo } from '../support/fake-camera.js';
import { connect, connected, devToken, nextEvent, request } from '../support/socket-client.js';
import { testPhotos } from '../support/test-photos.js';
import type { RunningServer } from '../../backend/main.js';

/*
 * Camera counting end to end with every real part: the demo site's pages (with their CSP) from
 * the real backend, the built bundle and its lazy pose chunks, MoveNet on wasm in a worker,
 * Chromium's fake camera playing an FFmpeg video of a public-domain photo moving down and up by
 * about a torso length in a known rhythm (docs/camera-counting.md). Needs `npm run build`.
 */

let server: RunningServer;
let browser: Browser;
let video: BobVideo;
// 4 s still (the camera opens and the model loads), 5 squats of 2 s, 8 s still. Chromium loops
// the file; the test reads the count before the loop comes round.
const RHYTHM = 'hold:4,move:5x2,hold:8';

before(async () => {
  video = makeBobVideo(testPhotos().camera, parseRhythm(RHYTHM));
  server = await startBackend();
  browser = await launchChromium([`--use-file-for-fake-video-capture=${video.file}`]);
});
after(async () => {
  await browser?.close();
  await server?.stop();
  video?.remove();
});

async function page() {
  const context = await browser.newContext({ permissions: ['camera', 'microphone'] });
  const foreign: string[] = [];
  const origin = new URL(server.url).origin;
  context.on('request', (r) => {
    const url = new URL(r.url());
    if (url.origin !== origin && !['data:', 'blob:'].includes(url.protocol)) foreign.push(r.url());
  });
  const p = await context.newPage();
  const errors: string[] = [];
  p.on('pageerror', (e) => errors.push(e.message));
  p.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  return { page: p, context, foreign, errors };
}

/** Polls an expression in the page (waitForFunction would eval, which the demo's CSP forbids). */
async function waitIn(p: import('playwright-core').Page, expr: string, timeoutMs: number): Promise<void> {
  const t0 = Date.now();
  while (!(await p.evaluate(expr))) {
    if (Date.now() - t0 > timeoutMs) assert.fail(`timed out: ${expr}`);
    await p.waitForTimeout(100);
  }
}

const counterState = `(() => { const el = document.querySelector('fit-rep-counter'); const c = el.shadowRoot.querySelector('[data-testid="camera-counting"]'); return { count: Number(el.shadowRoot.querySelector('[data-testid="rep-count"]').textContent), status: c && c.dataset.status, hint: c && el.shadowRoot.querySelector('[data-testid="camera-hint"]').dataset.hint }; })()`;

test('practice page: the camera counts exactly the five squats of the video, with no request off our server', { timeout: 90_000 }, async () => {
  const { page: p, context, foreign, errors } = await page();
  try {
    await p.goto(`${server.url}/practice.html`);
    const t0 = Date.now();
    let state: { count: number; status: string | null; hint: string | null } = { count: 0, status: null, hint: null };
    while (Date.now() - t0 < 40_000) {
      state = (await p.evaluate(counterState)) as typeof state;
      if (state.count >= 5) break;
      await p.waitForTimeout(200);
    }
    assert.equal(state.status, 'running', `camera counting runs (errors: ${errors.join(' | ')})`);
    assert.equal(state.count, 5, 'five squats counted');
    // The video holds still for 8 s after the last squat: nothing more is counted.
    await p.waitForTimeout(3000);
    assert.equal(((await p.evaluate(counterState)) as typeof state).count, 5, 'no double counts while still');
    assert.deepEqual(foreign, [], 'every request went to our own server');
    assert.deepEqual(errors.filter((e) => !/favicon/.test(e)), [], 'no page errors (the demo CSP allows the model)');
  } finally {
    await context.close();
  }
});

test('in a class: the coach turns camera counting on; the member’s camera reps reach the coach live and the summary, marked', { timeout: 120_000 }, async () => {
  const coachToken = await devToken(server, { role: 'coach', name: 'Coach Cam', classId: 'demo-yoga' });
  const coach = connect(server, { token: coachToken, classId: 'demo-yoga' });
  await connected(coach);
  const caps = (await request(coach, 'room:capabilities', {})).data.routerRtpCapabilities;
  assert.ok((await request(coach, 'room:join', { rtpCapabilities: caps })).data, 'coach joined');

  const { page: p, context, errors } = await page();
  try {
    await p.goto(`${server.url}/member.html?class=demo-yoga&name=Mia%20Cam`);
    await waitIn(p, `document.querySelector('fit-class-room').dataset.tokenReady === 'true'`, 10_000);
    await p.locator('fit-class-room').getByTestId('join-button').click();
    await waitIn(p, `document.querySelector('fit-class-room').room?.state.phase === 'joined'`, 30_000);
    const memberId = (await p.evaluate(`document.querySelector('fit-class-room').room.state.self.id`)) as string;
    const exerciseId = (await p.evaluate(`document.querySelector('fit-class-room').room.fitness.currentExerciseId(${JSON.stringify(memberId)})`)) as string;

    const firstCameraRep = nextEvent<{ participantId: string; cameraCount?: number }>(coach, 'rep:counted', 60_000);
    assert.deepEqual(await request(coach, 'class:auto-count', { exerciseId, movement: 'squat' }), { data: {} });
    const rep = await firstCameraRep;
    assert.equal(rep.participantId, memberId);
    assert.equal(rep.cameraCount, 1, 'the coach sees a camera-counted rep, live');

    const summary = await (await fetch(`${server.url}/api/v1/classes/demo-yoga/summary`, { headers: { authorization: `Bearer ${coachToken}` } })).json();
    const mia = summary.people.find((x: { displayName: string }) => x.displayName === 'Mia Cam');
    assert.ok(mia.totalCameraReps >= 1 && mia.totalReps >= mia.totalCameraReps, JSON.stringify(mia));
    assert.deepEqual(errors.filter((e) => !/favicon/.test(e)), []);
  } finally {
    await context.close();
    coach.close();
  }
});
