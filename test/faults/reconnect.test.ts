import assert from 'node:assert/strict';
import { test } from 'node:test';
import { useLiveStack } from '../support/live-stack.js';
import { probeVideo } from '../support/video.js';

/*
 * Faults injected for real: a network drop of every socket in a class, and kill -9 of the media
 * worker. Part of `npm test` (and alone: `npm run test:faults`). Each prints its recovery time.
 * An earlier one-in-ten failure (a local consume that never settled, whose recovery join was then
 * refused as already_joined) is gone since a join on a seated connection restarts its media.
 */

const stack = useLiveStack();

test('after a dropped connection the member is back with video, level and reps', { timeout: 120_000 }, async () => {
  const coach = await stack.joinDemoClass('coach', 'Coach Sam');
  const member = await stack.joinDemoClass('member', 'Ana', { level: 'intermediate' });
  const memberId = (await member.evaluate(`document.querySelector('fit-class-room').room.state.self.id`)) as string;
  await coach.locator(`[data-participant-id="${memberId}"] [data-testid="tile-level"]`).selectOption('advanced');
  await member.getByTestId('my-level').filter({ hasText: 'Advanced' }).waitFor();
  for (let i = 0; i < 2; i++) await member.getByTestId('rep-button').click();
  await member.getByTestId('rep-count').filter({ hasText: '2' }).waitFor();
  await member.getByTestId('coach-video').waitFor();

  // Note every connection state the member's element shows.
  await member.evaluate(`window.__states = []; new MutationObserver(() => window.__states.push(document.querySelector('fit-class-room').getAttribute('connection-state')))
    .observe(document.querySelector('fit-class-room'), { attributes: true, attributeFilter: ['connection-state'] }); 0`);
  const t0 = Date.now();
  assert.ok(stack.server.dropConnections('demo-hiit') >= 2);
  await member.waitForFunction(() => (window as unknown as { __states: string[] }).__states.includes('reconnecting'));
  await member.waitForFunction(() => document.querySelector('fit-class-room')?.getAttribute('connection-state') === 'connected', undefined, { timeout: 15_000 });
  const video = member.getByTestId('coach-video');
  // Up to 20 s (a not-yet-rendered video is looked for again every 200 ms, not counted as a try).
  for (const deadline = Date.now() + 20_000; ; ) {
    const probe = (await video.isVisible()) ? await probeVideo(video, 300) : undefined;
    if (probe && probe.framesInWindow > 0) break;
    if (!probe) await member.waitForTimeout(200);
    if (Date.now() > deadline) {
      const seen = await member.evaluate(`JSON.stringify((() => { const r = document.querySelector('fit-class-room').room; return { phase: r.state.phase, conn: r.state.connection, notice: r.state.notice, error: r.state.error, people: r.state.participants.map((p) => [p.role, p.hasVideo, p.hasAudio, p.stream.getTracks().map((t) => t.kind + ':' + t.readyState)]) }; })())`);
      const coachSeen = await coach.evaluate(`JSON.stringify((() => { const r = document.querySelector('fit-class-room').room; return { phase: r.state.phase, conn: r.state.connection, notice: r.state.notice, error: r.state.error }; })())`);
      assert.fail(`the coach video did not come back: member ${seen}; coach ${coachSeen}; SFU ${JSON.stringify(stack.server.videoConsumers('demo-hiit', memberId))}`);
    }
  }
  console.log(`socket drop → coach video back: ${Date.now() - t0} ms`);
  assert.equal(await member.getByTestId('my-level').textContent(), 'Advanced', 'the level the coach set is kept');
  assert.equal((await member.getByTestId('rep-count').textContent())?.trim(), '2', 'acknowledged reps are kept');
  assert.equal(await coach.locator(`[data-testid="participant-tile"][data-participant-id="${memberId}"]`).count(), 1, 'one tile, no duplicate');
});

test('kill -9 of the media worker: the class moves to a new worker and the coach video comes back', { timeout: 120_000 }, async () => {
  const coach = await stack.joinDemoClass('coach', 'Coach Kim', { classId: 'demo-yoga' });
  const member = await stack.joinDemoClass('member', 'Ben', { classId: 'demo-yoga' });
  const video = member.getByTestId('coach-video');
  await video.waitFor({ timeout: 15_000 });
  const [pid] = stack.server.workerPids();
  const t0 = Date.now();
  process.kill(pid!, 'SIGKILL');
  await member.waitForFunction(() => document.querySelector('fit-class-room')?.shadowRoot?.querySelector('[data-code="media_moving"]') !== null, undefined, { timeout: 5000 }).catch(() => undefined);
  for (const deadline = Date.now() + 20_000; ; ) {
    const probe = (await video.isVisible()) ? await probeVideo(video, 300).catch(() => undefined) : undefined;
    if (probe && probe.framesInWindow > 0 && !stack.server.workerPids().includes(pid!)) break;
    if (!probe) await member.waitForTimeout(200);
    if (Date.now() > deadline) {
      const seen = await member.evaluate(`JSON.stringify((() => { const r = document.querySelector('fit-class-room').room; return { phase: r.state.phase, notice: r.state.notice, error: r.state.error, people: r.state.participants.map((p) => [p.role, p.hasVideo, p.hasAudio, p.stream.getTracks().map((t) => t.kind + ':' + t.readyState)]) }; })())`);
      const memberId = (await member.evaluate(`document.querySelector('fit-class-room').room.state.self.id`)) as string;
      const coachSeen = await coach.evaluate(`JSON.stringify((() => { const r = document.querySelector('fit-class-room').room; return { phase: r.state.phase, notice: r.state.notice, error: r.state.error, local: r.state.localStream?.getTracks().map((t) => t.kind + ':' + t.readyState) }; })())`);
      assert.fail(`the coach video did not come back after the worker died: member ${seen}; coach ${coachSeen}; SFU ${JSON.stringify(stack.server.videoConsumers('demo-yoga', memberId))}`);
    }
  }
  console.log(`worker killed → coach video back: ${Date.now() - t0} ms`);
  assert.equal(await member.getByTestId('connection-state').textContent(), 'connected');
});

