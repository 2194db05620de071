// <fit-live-stream> playing a REAL HLS stream in chromium: ffmpeg encodes a test pattern into a
// two-rendition ladder of ~1 s segments, and hls-stand-in.mjs serves it with signed, expiring URLs
// plus the playback and heartbeat endpoints of protocol/streams.ts.
// NOTE: the stand-in takes the place of the backend's /api/v1/streams routes until they land in
// backend/http; switch these tests to the real backend (test/support/serve-backend.ts) then.
import { expect } from '@esm-bundle/chai';
import type { FitLiveStream } from '../../widget/index.js';
import '../../widget/index.js';
import { sendMouse } from '@web/test-runner-commands';
import { byTestId, nextEvent, until } from './helpers.js';
// @ts-expect-error served by the hls stand-in plugin (web-test-runner.config.mjs)
import { hasFfmpeg, standInUrl } from '/__fitlive/hls-stand-in.js';

/** A player on the stand-in server, for a live stream (`stream-id`) or a recording (`recording-id`). */
async function mountPlayer(which: 'stream-id' | 'recording-id', id: string, attrs: Record<string, string> = {}): Promise<FitLiveStream> {
  const el = document.createElement('fit-live-stream');
  el.setAttribute('server', standInUrl as string);
  el.setAttribute(which, id);
  el.setAttribute('token', attrs.token ?? 'viewer-token');
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  el.style.width = '640px';
  document.body.append(el);
  await el.updateComplete;
  return el;
}

const mount = (streamId: string, attrs?: Record<string, string>) => mountPlayer('stream-id', streamId, attrs);

/** Frames the video presents during `ms` (requestVideoFrameCallback; 0 when frozen). */
function framesIn(video: HTMLVideoElement, ms: number): Promise<number> {
  return new Promise((resolve) => {
    let frames = 0;
    let done = false;
    const tick = () => {
      if (done) return;
      frames++;
      video.requestVideoFrameCallback(tick);
    };
    video.requestVideoFrameCallback(tick);
    setTimeout(() => {
      done = true;
      resolve(frames);
    }, ms);
  });
}

const stats = async () =>
  (await (await fetch(`${standInUrl}/stats`)).json()) as {
    playback: number;
    refused: number;
    signed: number;
    heartbeats: number;
    segments: number;
    recordingPlayback: number;
    recordingSegments: number;
    recordingSigned: number;
  };

const mountRecording = (recordingId: string, attrs?: Record<string, string>) => mountPlayer('recording-id', recordingId, attrs);
const pressOn = (target: HTMLElement, key: string) => target.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true, composed: true }));
/** Waits until a seek has landed and the picture plays on from there. */
async function settled(video: HTMLVideoElement, what: string): Promise<void> {
  await until(() => !video.seeking && video.readyState >= 3, 10_000, what);
}
/** A trusted click in the middle of an element (web-test-runner drives the real mouse). */
async function tap(target: HTMLElement): Promise<void> {
  const r = target.getBoundingClientRect();
  await sendMouse({ type: 'click', position: [Math.round(r.x + r.width / 2), Math.round(r.y + r.height / 2)] });
}
const press = (el: FitLiveStream, key: string) =>
  el.shadowRoot!.querySelector('.base')!.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true, composed: true }));

describe('<fit-live-stream> with a real HLS stream (backend stand-in)', function () {
  this.timeout(90_000);
  let el: FitLiveStream | undefined;

  before(() => {
    if (!hasFfmpeg) throw new Error('ffmpeg is missing: apt-get install -y ffmpeg (scripts/install-system-deps.sh)');
  });
  afterEach(() => {
    el?.remove();
    el = undefined;
  });

  it('plays through lazily loaded hls.js at the live edge: frames advance, controls work', async () => {
    const hlsLoadedBefore = performance.getEntriesByType('resource').some((e) => e.name.includes('hls.light'));
    el = await mount('live', { engine: 'hls' });
    await until(() => el!.state === 'live', 30_000, 'live');
    const video = el.video!;
    await until(() => video.readyState >= 3 && !video.paused, 20_000, 'playing (muted autoplay)');
    expect(hlsLoadedBefore).to.equal(false, 'hls.js was not loaded before a stream played');
    expect(performance.getEntriesByType('resource').some((e) => e.name.includes('hls.light'))).to.equal(true, 'hls.js loaded on play');
    expect(video.muted).to.equal(true);
    expect(await framesIn(video, 2000)).to.be.greaterThan(20, 'frames advance (30 fps source)');

    // Live edge: the indicator lights at the edge, the viewer count comes from the heartbeat.
    await until(() => byTestId(el!, 'live')?.hasAttribute('data-at-edge'), 10_000, 'LIVE lit');
    expect(byTestId(el, 'live')!.textContent!.trim()).to.equal('LIVE');
    await until(() => Number(/\d+/.exec(byTestId(el!, 'viewers')!.textContent!)?.[0]) >= 42, 10_000, 'viewer count from the heartbeat');
    expect(byTestId(el, 'announcer')!.textContent).to.contain('live');
    expect(byTestId(el, 'announcer')!.getAttribute('aria-live')).to.equal('polite');

    // Quality menu: Auto + the ladder (names from PlaybackInfo); picking 180p switches the picture.
    const select = (await until(() => byTestId(el!, 'quality'), 10_000, 'quality menu')) as unknown as HTMLSelectElement;
    expect([...select.options].map((o) => o.textContent!.trim().replace(/ \(.*\)$/, ''))).to.deep.equal(['Auto', '360p', '180p']);
    const low = [...select.options].find((o) => o.textContent!.trim() === '180p')!;
    select.value = low.value;
    select.dispatchEvent(new Event('change'));
    await until(() => video.videoHeight === 180, 15_000, 'switched to 180p');
    expect(await framesIn(video, 1000)).to.be.greaterThan(10, 'frames advance after the switch');

    // Tap to unmute (a real, trusted click: browsers pause a video unmuted without a gesture),
    // then M mutes again; it keeps playing throughout.
    await tap(byTestId(el, 'unmute')!);
    expect(video.muted).to.equal(false);
    await new Promise((r) => setTimeout(r, 300));
    expect(video.paused).to.equal(false, 'still playing with sound');
    await el.updateComplete;
    expect(byTestId(el, 'unmute')).to.equal(null, 'the unmute button goes once unmuted');
    expect(byTestId(el, 'mute')!.getAttribute('aria-label')).to.equal('Mute');
    press(el, 'm');
    await el.updateComplete;
    expect(video.muted).to.equal(true);
    expect(byTestId(el, 'mute')!.getAttribute('aria-label')).to.equal('Unmute');

    // K pauses: no longer at the edge, "Go live" offered; it jumps back and plays.
    press(el, 'k');
    await until(() => video.paused, 5000, 'paused');
    await until(() => byTestId(el!, 'live')!.textContent!.trim() === 'Go live', 5000, '"Go live" offered');
    expect(byTestId(el, 'play')!.getAttribute('aria-label')).to.equal('Play');
    await new Promise((r) => setTimeout(r, 3000));
    byTestId(el, 'live')!.click();
    await until(() => !video.paused, 5000, 'playing again');
    await until(() => byTestId(el!, 'live')?.hasAttribute('data-at-edge'), 10_000, 'back at the edge');
    expect(await framesIn(video, 1000)).to.be.greaterThan(10);
  });

  it('re-signs its expiring URLs while playing, without reloading the picture', async () => {
    const before = await stats();
    el = await mount('short-sig', { engine: 'hls' });
    await until(() => el!.state === 'live', 30_000, 'live');
    const video = el.video!;
    await until(() => !video.paused && video.readyState >= 3, 20_000, 'playing');
    const blob = video.src;
    // URLs are good for 6 s: over 14 s the player has to re-sign at least twice.
    let frames = 0;
    for (let i = 0; i < 7; i++) {
      const n = await framesIn(video, 2000);
      expect(n, `frames in window ${i}`).to.be.greaterThan(15);
      frames += n;
    }
    expect(el.stream!.state.sourceVersion).to.be.greaterThanOrEqual(3);
    expect(video.src).to.equal(blob, 'the same MediaSource throughout (no reload)');
    const after = await stats();
    expect(after.signed - before.signed).to.be.greaterThanOrEqual(3);
    expect(after.refused - before.refused).to.equal(0, 'no request went out with an expired signature');
  });

  it('not started: poster state with "Starts soon", then plays by itself when it goes live', async () => {
    el = await mount('later', { engine: 'hls', poster: 'data:image/gif;base64,R0lGODlhAQABAAAAACw=' });
    const states: string[] = [];
    el.addEventListener('fit-stream-state', (e) => states.push(e.detail.state));
    await until(() => el!.state === 'idle', 10_000, 'idle');
    expect(byTestId(el, 'overlay')!.textContent).to.contain('Starts soon');
    expect(el.shadowRoot!.querySelector('[part="poster"]')).to.not.equal(null);
    expect(byTestId(el, 'announcer')!.textContent).to.contain('starts soon');
    await until(() => el!.state === 'live', 20_000, 'live after the idle poll');
    await until(() => !el!.video!.paused, 20_000, 'playing');
    expect(await framesIn(el.video!, 1500)).to.be.greaterThan(15);
    expect(states).to.include.members(['idle', 'live']);
  });

  for (const [streamId, token, code, text] of [
    ['full', 'viewer-token', 'stream_full', 'full'],
    ['nope', 'viewer-token', 'stream_not_found', 'does not exist'],
    ['live', 'expired', 'token_expired', 'expired'],
  ] as const) {
    it(`${code}: a clear message and fit-error`, async () => {
      const el2 = document.createElement('fit-live-stream');
      const error = nextEvent<{ code: string; message: string }>(el2, 'fit-error');
      el2.setAttribute('server', standInUrl as string);
      el2.setAttribute('stream-id', streamId);
      el2.setAttribute('token', token);
      document.body.append(el2);
      el = el2;
      const e = await error;
      expect(e.detail.code).to.equal(code);
      await el2.updateComplete;
      expect(el2.getAttribute('state')).to.equal('error');
      const overlay = byTestId(el2, 'overlay')!;
      expect(overlay.dataset.code).to.equal(code);
      expect(byTestId(el2, 'error-message')!.textContent!.toLowerCase()).to.contain(text);
      expect(byTestId(el2, 'retry')).to.not.equal(null);
    });
  }

  it('ended: says so and loads no player', async () => {
    el = await mount('over');
    await until(() => el!.state === 'ended', 10_000, 'ended');
    expect(byTestId(el, 'overlay')!.textContent).to.contain('ended');
    expect(byTestId(el, 'controls')).to.equal(null);
  });

  it('plays a recording (recording-id): paused with sound and a big Play; plays, seeks by keys and by pointer, frames advance; no live extras', async () => {
    const before = await stats();
    el = await mountRecording('r_demo', { engine: 'hls' });
    const states: string[] = [];
    el.addEventListener('fit-stream-state', (e) => states.push(e.detail.state));
    await until(() => el!.state === 'recording', 20_000, 'recording');
    const video = el.video!;
    await until(() => Number.isFinite(video.duration) && video.duration > 0, 20_000, 'duration known (VOD playlist loaded)');
    expect(video.duration).to.be.within(11, 13);
    // Not autoplayed: paused, with sound, behind a big Play button.
    await new Promise((r) => setTimeout(r, 500));
    expect(video.paused).to.equal(true, 'a recording waits for Play');
    expect(video.muted).to.equal(false, 'a recording starts with sound');
    expect(byTestId(el, 'overlay')!.dataset.state).to.equal('recording');
    expect(byTestId(el, 'announcer')!.textContent).to.contain('Recording');
    // A VOD player: no LIVE, no viewer count, no unmute prompt, no quality menu (one rendition).
    await el.updateComplete;
    for (const id of ['live', 'viewers', 'unmute', 'quality']) expect(byTestId(el, id), id).to.equal(null);
    for (const id of ['play', 'mute', 'seek', 'time', 'fullscreen']) expect(byTestId(el, id), id).to.not.equal(null);
    expect(byTestId(el, 'time')!.textContent!.trim()).to.equal('0:00 / 0:12');
    expect(el.shadowRoot!.querySelector('[part="base"]')!.getAttribute('aria-label')).to.equal('Recording: Stand-in recording');

    // Play (a real click: sound needs a gesture): it plays unmuted and frames advance.
    await tap(byTestId(el, 'big-play')!);
    await until(() => !video.paused && video.readyState >= 3, 10_000, 'playing');
    expect(video.muted).to.equal(false);
    await el.updateComplete;
    expect(byTestId(el, 'big-play')).to.equal(null, 'the big Play goes once playing');
    expect(await framesIn(video, 1500)).to.be.greaterThan(20, 'frames advance (30 fps)');
    expect(byTestId(el, 'play')!.getAttribute('aria-label')).to.equal('Pause');

    // The seek bar: a slider; arrows ±5 s, Home/End.
    const seek = byTestId(el, 'seek')!;
    expect(seek.getAttribute('role')).to.equal('slider');
    expect(seek.getAttribute('aria-valuemax')).to.equal('12');
    pressOn(seek, 'Home');
    await settled(video, 'seeked to the start');
    expect(video.currentTime).to.be.lessThan(1);
    pressOn(seek, 'ArrowRight');
    await settled(video, 'seeked +5 s');
    expect(video.currentTime).to.be.within(4.9, 6.5);
    expect(await framesIn(video, 1000)).to.be.greaterThan(15, 'frames advance after the seek');
    const t = video.currentTime;
    pressOn(seek, 'ArrowLeft');
    await settled(video, 'seeked -5 s');
    expect(video.currentTime).to.be.within(Math.max(0, t - 5.1), t - 3.5);
    await until(() => /^0:0\d \/ 0:12$/.test(byTestId(el!, 'time')!.textContent!.trim()), 3000, 'the time shows');
    // Left/Right arrows from the player itself.
    const t2 = video.currentTime;
    press(el, 'ArrowRight');
    await settled(video, 'seeked +5 s from the player');
    expect(video.currentTime).to.be.within(t2 + 4.5, t2 + 6.5);

    // A click on the seek bar jumps there (a quarter in: ~3 s).
    const r = seek.getBoundingClientRect();
    await sendMouse({ type: 'click', position: [Math.round(r.x + r.width / 4), Math.round(r.y + r.height / 2)] });
    await settled(video, 'seeked by pointer');
    expect(video.currentTime).to.be.within(2, 4.5);
    expect(await framesIn(video, 1000)).to.be.greaterThan(15, 'frames advance after the pointer seek');

    // K pauses, the time stays; End plays out to the end: "Play again".
    press(el, 'k');
    await until(() => video.paused, 5000, 'paused');
    const paused = video.currentTime;
    await new Promise((r2) => setTimeout(r2, 500));
    expect(video.currentTime).to.equal(paused);
    pressOn(seek, 'End');
    await until(() => video.currentTime > 11.5, 5000, 'at the end');
    await el.updateComplete;
    press(el, 'k');
    await until(() => video.ended, 10_000, 'ended');
    await el.updateComplete;
    expect(byTestId(el, 'big-play')!.textContent).to.contain('Play again');
    expect(el.state).to.equal('recording', 'the element stays a player after the recording ends');

    const after = await stats();
    expect(after.heartbeats - before.heartbeats).to.equal(0, 'no heartbeats for a recording');
    expect(after.playback - before.playback).to.equal(0, 'the live playback endpoint is not asked');
    expect(after.recordingPlayback - before.recordingPlayback).to.be.greaterThanOrEqual(1);
    expect(after.recordingSegments - before.recordingSegments).to.be.greaterThan(0);
    expect(states).to.include('recording');
  });

  for (const engine of ['hls', 'native'] as const) {
    it(`a recording re-signs its expiring links while it plays (${engine}), keeping its place`, async function () {
      if (engine === 'native' && !document.createElement('video').canPlayType('application/vnd.apple.mpegurl')) this.skip();
      const before = await stats();
      el = await mountRecording('r_short', { engine });
      await until(() => el!.state === 'recording', 20_000, 'recording');
      const video = el.video!;
      await until(() => Number.isFinite(video.duration) && video.duration > 0, 20_000, 'duration');
      await tap(byTestId(el, 'big-play')!);
      await until(() => !video.paused && video.readyState >= 3, 10_000, 'playing');
      // Links are good for 6 s: re-signed ~3 s in. Over 8 s of play it re-signs at least twice,
      // and the picture runs on from where it was (never back to the start).
      let last = video.currentTime;
      for (let i = 0; i < 4; i++) {
        const n = await framesIn(video, 2000);
        expect(n, `frames in window ${i}`).to.be.greaterThan(10);
        expect(video.currentTime, `no jump back in window ${i}`).to.be.greaterThan(last);
        last = video.currentTime;
      }
      expect(el.stream!.state.sourceVersion).to.be.greaterThanOrEqual(2);
      const after = await stats();
      expect(after.recordingSigned - before.recordingSigned).to.be.greaterThanOrEqual(2);
      if (engine === 'hls') expect(after.refused - before.refused).to.equal(0, 'no request went out with an expired signature');
      // Seeking back after the first links expired still plays (the new signature is used).
      pressOn(byTestId(el, 'seek')!, 'Home');
      await settled(video, 'seeked to the start');
      expect(await framesIn(video, 1000)).to.be.greaterThan(10, 'frames after seeking back');
    });
  }

  for (const [recordingId, token, code, text] of [
    ['r_missing', 'viewer-token', 'not_found', 'recording does not exist'],
    ['r_demo', 'expired', 'token_expired', 'expired'],
    ['r_demo', 'elsewhere', 'origin_not_allowed', 'cannot be watched here'],
  ] as const) {
    it(`a recording, ${code}: a clear message and fit-error`, async () => {
      const el2 = document.createElement('fit-live-stream');
      const error = nextEvent<{ code: string; message: string }>(el2, 'fit-error');
      el2.setAttribute('server', standInUrl as string);
      el2.setAttribute('recording-id', recordingId);
      el2.setAttribute('token', token);
      document.body.append(el2);
      el = el2;
      expect((await error).detail.code).to.equal(code);
      await el2.updateComplete;
      expect(el2.getAttribute('state')).to.equal('error');
      expect(byTestId(el2, 'error-message')!.textContent!.toLowerCase()).to.contain(text);
      expect(byTestId(el2, 'controls')).to.equal(null);
    });
  }

  it('uses the browser’s own HLS where there is no Media Source Extensions (iPhone Safari), and never loads hls.js for it', async function () {
    const probe = document.createElement('video');
    if (!probe.canPlayType('application/vnd.apple.mpegurl')) this.skip();
    // This chromium has both; hide MSE to take the path an iPhone takes.
    const w = window as unknown as { MediaSource?: unknown; ManagedMediaSource?: unknown };
    const saved = [w.MediaSource, w.ManagedMediaSource];
    w.MediaSource = undefined;
    w.ManagedMediaSource = undefined;
    try {
      el = await mount('live');
      await until(() => el!.state === 'live', 30_000, 'live');
      await until(() => !el!.video!.paused, 20_000, 'playing');
      expect(el.video!.src).to.contain('/master.m3u8');
    } finally {
      [w.MediaSource, w.ManagedMediaSource] = saved;
    }
  });
});
