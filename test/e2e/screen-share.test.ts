import assert from 'node:assert/strict';
import { test } from 'node:test';
import { useLiveStack } from '../support/live-stack.js';
import { probeVideo } from '../support/video.js';

/* The coach shares a screen (chromium's fake capture): members see it large, the coach's camera small. */

const stack = useLiveStack();

test('screen share reaches a member with the coach small beside it; stopping restores the layout', { timeout: 120_000 }, async () => {
  const coach = await stack.joinDemoClass('coach', 'Coach Sam');
  const member = await stack.joinDemoClass('member', 'Ana');
  await member.getByTestId('coach-video').waitFor();

  const t0 = Date.now();
  await coach.getByTestId('screen-share-button').click();
  const screen = member.getByTestId('screen-video');
  await screen.waitFor({ timeout: 15_000 });
  let probe = await probeVideo(screen, 500);
  for (let i = 0; probe.framesInWindow === 0 && i < 20; i++) probe = await probeVideo(screen, 500);
  console.log(`screen share: on the member's stage after ${Date.now() - t0} ms, ${probe.width}x${probe.height}, ${probe.framesInWindow} frames in 0.5 s`);
  assert.ok(probe.framesInWindow > 0, 'the shared screen moves');
  assert.ok(probe.width >= 640, `the screen arrives sharp (${probe.width}x${probe.height})`);
  assert.equal(await coach.getByTestId('screen-share-button').getAttribute('aria-pressed'), 'true');

  // The coach's camera stays, small.
  const pip = member.getByTestId('coach-video');
  const [pipBox, screenBox] = [await pip.boundingBox(), await screen.boundingBox()];
  assert.ok(pipBox && screenBox && pipBox.width < screenBox.width / 2, 'the camera is small beside the screen');
  assert.ok((await probeVideo(pip, 500)).framesInWindow > 0, 'and still moving');

  await coach.getByTestId('screen-share-button').click();
  await screen.waitFor({ state: 'detached', timeout: 5000 });
  const box = await member.getByTestId('coach-video').boundingBox();
  assert.ok(box && box.width > pipBox!.width * 2, 'the coach is large again');
});
