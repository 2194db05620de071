import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Page } from 'playwright-core';
import { io } from 'socket.io-client';
import { signJoinToken } from '../../backend/auth/join-token.js';
import { DEMO_CLUB_ID } from '../../backend/store/seed.js';
import { PlainPublishers } from '../support/plain-publisher.js';
import { useLiveStack } from '../support/live-stack.js';
import { fpsOf, installSteadyMonitor, markSteadyPhase, readSteady } from '../support/steady-monitor.js';
import { probeVideo } from '../support/video.js';
import { until } from '../support/waits.js';

/*
 * Layers follow the view: the size of the tile that shows a video sets the consumer's preferred
 * simulcast layer on the server, and a hidden tile pauses it; a capped downlink takes a lower
 * layer, and no switch reloads the picture. Read from the SFU itself.
 */

const stack = useLiveStack();

// Through the CSSOM: the demo pages' CSP (rightly) ignores style attributes.
const setRoomStyle = (page: Page, style: string) => page.locator('fit-class-room').evaluate((el, s) => void ((el as HTMLElement).style.cssText = s), style);


test('a shrunk tile prefers a lower layer, a hidden one is paused, shown again it plays', { timeout: 120_000 }, async () => {
  const coach = await stack.joinDemoClass('coach', 'Coach Sam');
  const member = await stack.joinDemoClass('member', 'Ana');
  const memberId = (await member.evaluate(`document.querySelector('fit-class-room').room.state.self.id`)) as string;
  const coachVideo = () => stack.server.videoConsumers('demo-hiit', memberId)[0];
  await member.getByTestId('coach-video').waitFor();

  // The stage takes at most the window's height: a tall window lets a 1200 px room show 16:9.
  await member.setViewportSize({ width: 1280, height: 1400 });
  await setRoomStyle(member, 'width: 1200px');
  const big = await until('a large tile prefers the top layer', coachVideo, (c) => c?.preferredSpatialLayer === 2 && !c.paused, 10_000);
  assert.equal(big!.paused, false);
  // The top layer the coach's browser is sending now: under CPU pressure chromium drops its top
  // layer (qualityLimitationReason "cpu"), and then the middle one is the best there is.
  const coachId = (await coach.evaluate(`document.querySelector('fit-class-room').room.state.self.id`)) as string;
  const topSent = async () => {
    const a = await stack.server.producerLayerBytes('demo-hiit', coachId);
    await new Promise((r) => setTimeout(r, 500));
    const b = await stack.server.producerLayerBytes('demo-hiit', coachId);
    return b.reduce((top, bytes, i) => (bytes > (a[i] ?? 0) ? i : top), 0);
  };
  const t0 = Date.now();
  let top = 2;
  await until('and the SFU sends the best layer sent', async () => ({ c: coachVideo(), top: (top = await topSent()) }), ({ c }) => c?.currentSpatialLayer === top, 15_000);
  console.log(`adaptive: large tile → layer ${top} (the best the coach sends) current after ${Date.now() - t0} ms`);

  await setRoomStyle(member, 'width: 320px');
  const shown = await member.getByTestId('coach-video').evaluate((v) => v.getBoundingClientRect().width);
  await until('a small tile prefers the bottom layer', coachVideo, (c) => c?.preferredSpatialLayer === 0, 10_000);
  assert.ok(shown <= 320, `the coach video fits a phone-sized room (${shown}px)`);
  const t1 = Date.now();
  await until('and the SFU sends the bottom layer', coachVideo, (c) => c?.currentSpatialLayer === 0, 15_000);
  console.log(`adaptive: small tile → bottom layer current after ${Date.now() - t1} ms`);

  await setRoomStyle(member, 'display: none');
  await until('a hidden tile is paused on the server', coachVideo, (c) => c?.paused === true, 10_000);

  await setRoomStyle(member, 'width: 800px');
  await until('shown again it is resumed', coachVideo, (c) => c?.paused === false && c.preferredSpatialLayer === 1, 10_000);
  await until('and frames flow again', () => probeVideo(member.getByTestId('coach-video'), 400), (p) => p.framesInWindow > 0, 15_000);
});

test('the SFU follows: a simulated member’s three layers, the coach’s tile size sets the layer the coach receives', { timeout: 120_000 }, async (t) => {
  // The member publishes plain RTP simulcast with a keyframe a second (test/support/plain-publisher.ts),
  // as the grid bench's 40 members do.
  const coach = await stack.joinDemoClass('coach', 'Coach Kim', { classId: 'demo-yoga' });
  const coachId = (await coach.evaluate(`document.querySelector('fit-class-room').room.state.self.id`)) as string;
  const secret = (await stack.server.repos.clubs.get(DEMO_CLUB_ID))!.joinSecret;
  const token = await signJoinToken({ club: DEMO_CLUB_ID, class: 'demo-yoga', role: 'member', name: 'Sim', sub: 'sim-member' }, secret, 600);
  const socket = io(stack.server.url, { auth: { token, classId: 'demo-yoga' }, transports: ['websocket'], reconnection: false, forceNew: true });
  t.after(() => socket.disconnect());
  const caps = ((await (await fetch(`${stack.server.url}/api/rtp-capabilities`)).json()) as { routerRtpCapabilities: unknown }).routerRtpCapabilities;
  const joined = await socket.timeout(10_000).emitWithAck('room:join', { rtpCapabilities: caps, level: 'beginner' });
  assert.ok(joined.data, JSON.stringify(joined.error));
  const publishers = await PlainPublishers.start(stack.server, 'demo-yoga', [joined.data.self.id]);
  t.after(() => publishers.close());
  const memberVideo = () => stack.server.videoConsumers('demo-yoga', coachId).find((c) => c.ownerId === joined.data.self.id);
  // The coach's own camera fills the top of the room: look at the member's tile.
  const tile = coach.locator(`[data-testid="participant-tile"][data-participant-id="${joined.data.self.id}"]`);
  await tile.waitFor();

  // The coach's grid fills the stage, which takes the window's height: a tall window and a wide
  // room make the one member's tile over 540 px high.
  await coach.setViewportSize({ width: 1280, height: 1400 });
  await setRoomStyle(coach, 'width: 1800px');
  await tile.scrollIntoViewIfNeeded();
  console.log('adaptive: the coach tile', JSON.stringify(await tile.locator('video').boundingBox()));
  // The top layer needs the coach's downlink estimate to ramp up: slower on a loaded 2-core box.
  await until('a large tile gets the top layer', memberVideo, (c) => c?.currentSpatialLayer === 2, 30_000);
  await setRoomStyle(coach, 'width: 320px');
  await tile.scrollIntoViewIfNeeded();
  const small = await until('a small tile gets the lowest layer', memberVideo, (c) => c?.currentSpatialLayer === 0, 15_000);
  assert.equal(small!.preferredSpatialLayer, 0);
  await setRoomStyle(coach, 'display: none');
  await until('a hidden tile is paused', memberVideo, (c) => c?.paused === true, 10_000);
  await setRoomStyle(coach, 'width: 1800px');
  await tile.scrollIntoViewIfNeeded();
  await until('shown large again: resumed on the top layer', memberVideo, (c) => c?.paused === false && c.currentSpatialLayer === 2, 30_000);
  await until('and frames flow', () => probeVideo(tile.locator('video').first(), 400), (p) => p.framesInWindow > 0, 15_000);
});

test('a capped downlink takes the coach video down a layer and back up, with no reload', { timeout: 120_000 }, async () => {
  const coach = await stack.joinDemoClass('coach', 'Coach Sam');
  const member = await stack.joinDemoClass('member', 'Dee');
  const memberId = (await member.evaluate(`document.querySelector('fit-class-room').room.state.self.id`)) as string;
  const coachId = (await coach.evaluate(`document.querySelector('fit-class-room').room.state.self.id`)) as string;
  const coachVideo = () => stack.server.videoConsumers('demo-hiit', memberId).find((c) => c.ownerId === coachId);
  const video = member.getByTestId('coach-video');
  await video.waitFor();
  await member.setViewportSize({ width: 1280, height: 1400 });
  await setRoomStyle(member, 'width: 1200px');
  await installSteadyMonitor(member);
  await until('a large tile gets a layer above the lowest', coachVideo, (c) => (c?.currentSpatialLayer ?? 0) >= 1, 30_000);
  const before = await until('frames at that layer', () => probeVideo(video, 500), (p) => p.framesInWindow > 0 && p.width > 0, 10_000);
  await markSteadyPhase(member);

  // A downlink getting slower, step by step, until the SFU takes the coach's lowest layer: the
  // layers' rates are measured, and they swing (a CPU-bound encoder here sends its middle layer
  // at ~100-350 kbit/s), so no one cap is sure to sit between them.
  const a = await stack.server.producerLayerBytes('demo-hiit', coachId);
  await member.waitForTimeout(1000);
  const [low = 0, mid = 0] = (await stack.server.producerLayerBytes('demo-hiit', coachId)).map((bytes, i) => (bytes - (a[i] ?? 0)) * 8);
  const audio = (await stack.server.consumerStats('demo-hiit', memberId)).find((c) => c.kind === 'audio' && c.ownerId === coachId)?.bitrate ?? 40_000;
  const t0 = Date.now();
  const caps: number[] = [];
  for (const share of [0.9, 0.75, 0.6, 0.5, 0.4, 0.3]) {
    const cap = Math.max(30_000, Math.round(Math.max(audio + mid * share, audio + low * 1.05)));
    caps.push(cap);
    await stack.server.capReceiving('demo-hiit', memberId, cap);
    const at = await until(`capped at ${cap}`, coachVideo, (c) => c?.currentSpatialLayer === 0, 4000).catch(() => undefined);
    if (at) break;
  }
  console.log(`adaptive: coach layers ${Math.round(low / 1000)} / ${Math.round(mid / 1000)} kbit/s, sound ${Math.round(audio / 1000)} kbit/s; caps ${caps.map((c) => Math.round(c / 1000)).join(' → ')} kbit/s`);
  assert.equal(coachVideo()?.currentSpatialLayer, 0, 'the SFU took the lowest layer under the cap');
  console.log(`adaptive: downlink capped → layer 0 after ${Date.now() - t0} ms`);
  const capped = await until('frames at a smaller size', () => probeVideo(video, 500), (p) => p.framesInWindow > 0 && p.width > 0 && p.width < before.width, 10_000);

  const t1 = Date.now();
  await stack.server.capReceiving('demo-hiit', memberId, 0);
  const back = await until('uncapped: back above the lowest layer', coachVideo, (c) => (c?.currentSpatialLayer ?? 0) >= 1, 30_000);
  console.log(`adaptive: cap lifted → layer ${back!.currentSpatialLayer} after ${Date.now() - t1} ms`);
  const after = await until('frames at a larger size again', () => probeVideo(video, 500), (p) => p.framesInWindow > 0 && p.width > capped!.width, 10_000);

  const r = (await readSteady(member)).find((x) => x.key === 'coach')!;
  console.log(`adaptive: ${before.width}x${before.height} → ${capped!.width}x${capped!.height} → ${after!.width}x${after!.height}; ${JSON.stringify(r)}`);
  assert.deepEqual(
    { reloads: r.reloads, counterResets: r.counterResets, zeroWidth: r.zeroWidth, replaced: r.replaced, sourceChanges: r.sourceChanges },
    { reloads: 0, counterResets: 0, zeroWidth: 0, replaced: 0, sourceChanges: 0 },
    'the layer switches never reloaded the coach video',
  );
  assert.ok(fpsOf(r) >= 5, `frames kept coming through both switches (${fpsOf(r).toFixed(1)} fps)`);
});
