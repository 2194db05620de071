import assert from 'node:assert/strict';
import { test } from 'node:test';
import { useLiveStack } from '../support/live-stack.js';
import { probeVideo } from '../support/video.js';
import { until } from '../support/waits.js';

/*
 * A member's "Audio only" pauses their consumer of the coach's camera on the SFU itself (read
 * from the server), shows the avatar and the notice; turning it off resumes it and frames flow.
 * The quality badge on the coach's video and the report to the coach ride along.
 */

const stack = useLiveStack();


test('audio only pauses the coach video on the server; off again it resumes; the coach sees the report', { timeout: 120_000 }, async () => {
  const coach = await stack.joinDemoClass('coach', 'Coach Ada');
  const member = await stack.joinDemoClass('member', 'Ana');
  const memberId = (await member.evaluate(`document.querySelector('fit-class-room').room.state.self.id`)) as string;
  const coachVideo = () => stack.server.videoConsumers('demo-hiit', memberId)[0];
  await member.getByTestId('coach-video').waitFor();
  await until('the coach video plays', coachVideo, (c) => c?.paused === false, 15_000);
  await member.getByTestId('quality-badge').first().waitFor({ timeout: 15_000 });

  await member.getByTestId('audio-only-toggle').click();
  await until('audio only pauses the consumer on the server', coachVideo, (c) => c?.paused === true, 15_000);
  await member.getByTestId('stage-avatar').waitFor();
  assert.match((await member.getByTestId('audio-only-notice').textContent()) ?? '', /Audio only/);

  // The coach's tile for the member shows what the member reports, audio only included.
  const badge = coach.locator(`[data-testid="participant-tile"][data-participant-id="${memberId}"] [data-testid="quality-badge"][data-source="reported"]`);
  await until('the report reaches the coach', () => badge.getAttribute('aria-label', { timeout: 20_000 }).catch(() => ''), (l) => /audio only/.test(l ?? ''), 30_000);

  await member.getByTestId('audio-only-toggle').click();
  await until('off again it is resumed', coachVideo, (c) => c?.paused === false, 15_000);
  await until('and frames flow again', () => probeVideo(member.getByTestId('coach-video'), 400), (p) => p.framesInWindow > 0, 15_000);
});
