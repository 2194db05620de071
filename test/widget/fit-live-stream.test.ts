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

async function mount(streamId: string, attrs: Record<string, string> = {}): Promise<FitLiveStream> {
  const el = document.createElement('fit-live-stream');
  el.setAttribute('server', standInUrl as string);
  el.setAttribute('stream-id', streamId);
  el.setAttribute('token', attrs.token ?? 'viewer-token');
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  el.style.width = '640px';
  document.body.append(el);
  await el.updateComplete;
  return el;
}

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

const stats = async () => (await (await fetch(`${standInUrl}/stats`)).json()) as { refused: number; signed: number; heartbeats: number; segments: number };
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
