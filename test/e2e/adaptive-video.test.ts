import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Page } from 'playwright-core';
import { useLiveStack } from '../support/live-stack.js';
import { probeVideo } from '../support/video.js';
import { until } from '../support/waits.js';

/*
 * Layers follow the view: the size of the tile that shows a video sets the consumer's preferred
 * simulcast layer on the server, and a hidden tile pauses it. Read from the SFU itself.
 */

const stack = useLiveStack({ RTC_ADAPTIVE_LAYERS: '1' });

// Through the CSSOM: the demo pages' CSP (rightly) ignores style attributes.
const setRoomStyle = (page: Page, style: string) => page.locator('fit-class-room').evaluate((el, s) => void ((el as HTMLElement).style.cssText = s), style);


test('a shrunk tile prefers a lower layer, a hidden one is paused, shown again it plays', { timeout: 120_000 }, async () => {
  await stack.joinDemoClass('coach', 'Coach Sam');
  const member = await stack.joinDemoClass('member', 'Ana');
  const memberId = (await member.evaluate(`document.querySelector('fit-class-room').room.state.self.id`)) as string;
  const coachVideo = () => stack.server.videoConsumers('demo-hiit', memberId)[0];
  await member.getByTestId('coach-video').waitFor();

  await setRoomStyle(member, 'width: 1200px');
  const big = await until('a large tile prefers the top layer', coachVideo, (c) => c?.preferredSpatialLayer === 2 && !c.paused, 10_000);
  assert.equal(big!.paused, false);

  await setRoomStyle(member, 'width: 320px');
  const shown = await member.getByTestId('coach-video').evaluate((v) => v.getBoundingClientRect().width);
  await until('a small tile prefers the bottom layer', coachVideo, (c) => c?.preferredSpatialLayer === 0, 10_000);
  assert.ok(shown <= 320, `the coach video fits a phone-sized room (${shown}px)`);
  // Not asserted yet: the SFU's *current* layer following the preferred one down. With this
  // worker build it stays on the layer it started on (see the media issue's note).

  await setRoomStyle(member, 'display: none');
  await until('a hidden tile is paused on the server', coachVideo, (c) => c?.paused === true, 10_000);

  await setRoomStyle(member, 'width: 800px');
  await until('shown again it is resumed', coachVideo, (c) => c?.paused === false && c.preferredSpatialLayer === 1, 10_000);
  await until('and frames flow again', () => probeVideo(member.getByTestId('coach-video'), 400), (p) => p.framesInWindow > 0, 15_000);
});
