import assert from 'node:assert/strict';
import { test } from 'node:test';
import { makeApiKey } from '../../backend/auth/api-keys.js';
import { DEMO_CLUB_ID } from '../../backend/store/seed.js';
import type { PlaybackInfo, StreamCreated } from '../../protocol/streams.js';
import { useLiveStack } from '../support/live-stack.js';
import { probeVideo } from '../support/video.js';
import { until } from '../support/waits.js';

/*
 * A class broadcast: the coach publishes in chromium; the class leaves mediasoup through
 * PlainTransports into Debian's FFmpeg, which writes the 720p/480p/360p HLS ladder.
 */

const stack = useLiveStack();


test('a class goes out as an HLS ladder with CDN-friendly headers; a killed FFmpeg comes back and the playlist continues', { timeout: 180_000 }, async () => {
  const { server } = stack;
  const k = makeApiKey();
  await server.repos.apiKeys.add({ id: k.id, clubId: DEMO_CLUB_ID, secretHash: k.secretHash, label: 'e2e' });
  const api = (p: string, method = 'GET', body?: unknown) =>
    fetch(`${server.url}/api${p}`, { method, headers: { authorization: `Bearer ${k.key}`, 'content-type': 'application/json' }, ...(body ? { body: JSON.stringify(body) } : {}) });

  const coach = await stack.joinDemoClass('coach', 'Coach Sam');
  const stream = (await (await api('/v1/streams', 'POST', { title: 'HIIT live', source: { type: 'class', classId: 'demo-hiit' } })).json()) as StreamCreated;
  const t0 = Date.now();
  assert.equal((await api(`/v1/streams/${stream.id}/start`, 'POST')).status, 200);
  const { token } = (await (await api(`/v1/streams/${stream.id}/join`, 'POST', { identity: 'viewer-1', name: 'Viewer' })).json()) as { token: string };
  const playback = () => fetch(`${server.url}/api/v1/streams/${stream.id}/playback`, { headers: { authorization: `Bearer ${token}` } }).then((r) => r.json() as Promise<PlaybackInfo>);
  const info = await until('the stream is encoding', playback, (p) => p.masterUrl !== null, 30_000, 250);
  const base = new URL(info.masterUrl!, server.url);

  const master = await fetch(base);
  assert.equal(master.status, 200);
  assert.equal(master.headers.get('content-type'), 'application/vnd.apple.mpegurl');
  const masterText = await master.text();
  for (const name of ['720p', '480p', '360p']) assert.match(masterText, new RegExp(`${name}/index\\.m3u8`), `the master lists ${name}`);
  assert.match(masterText, /RESOLUTION=1280x720/);

  const variant = (name: string) => fetch(new URL(`${name}/index.m3u8`, base)).then(async (r) => ({ status: r.status, cache: r.headers.get('cache-control'), text: r.status === 200 ? await r.text() : '' }));
  const segmentsOf = (text: string) => text.split('\n').filter((l) => l.endsWith('.ts'));
  for (const name of ['720p', '480p', '360p']) {
    const v = await until(`${name} has segments`, () => variant(name), (x) => segmentsOf(x.text).length >= 2, 30_000, 250);
    assert.equal(v.cache, 'public, max-age=1');
    assert.match(v.text, /#EXT-X-TARGETDURATION:[12]\n/, 'one-second segments, a non-zero target duration');
    const seg = await fetch(new URL(`${name}/${segmentsOf(v.text).at(-1)}`, base));
    assert.equal(seg.status, 200);
    assert.equal(seg.headers.get('content-type'), 'video/mp2t');
    assert.equal(seg.headers.get('cache-control'), 'public, max-age=3600, immutable');
    assert.ok((await seg.arrayBuffer()).byteLength > 1000);
  }
  console.log(`broadcast: start → all three renditions segmented after ${Date.now() - t0} ms`);

  // A second browser watches through <fit-live-stream> (the demo club's broadcast page).
  const viewer = await (await stack.browser.newContext()).newPage();
  viewer.on('pageerror', (err) => console.error('[viewer] page error:', err.message));
  await viewer.goto(`${stack.base}/broadcast.html?stream=${encodeURIComponent(stream.id)}`);
  await viewer.locator('fit-live-stream[state="live"]').waitFor({ timeout: 30_000 });
  const video = viewer.locator('fit-live-stream').getByTestId('video');
  let probe = await probeVideo(video, 1000);
  for (let i = 0; probe.framesInWindow === 0 && i < 20; i++) probe = await probeVideo(video, 1000);
  console.log(`broadcast: <fit-live-stream> plays ${probe.width}x${probe.height}, ${probe.framesInWindow} frames/s, ${Date.now() - t0} ms after start`);
  assert.ok(probe.framesInWindow > 0, 'frames advance in the player');
  const scripts = await viewer.evaluate(() => performance.getEntriesByType('resource').map((e) => e.name).filter((n) => n.endsWith('.js')));
  console.log(`broadcast: player scripts ${scripts.map((n) => new URL(n).pathname).join(', ')}`);
  // With Media Source Extensions the player uses hls.js, fetched only now, as its own chunk.
  assert.ok(scripts.some((n) => /\/chunks\/hls\.light-[\w-]+\.js$/.test(n)), 'hls.js came as a lazy chunk');

  // The class chat beside the picture: the viewer writes, the coach reads it in the class room
  // (marked as a viewer) and answers; the viewer reads the answer.
  const player = viewer.locator('fit-live-stream');
  const tChat = Date.now();
  await player.getByTestId('chat-input').fill('Hello from the couch <b>!</b>');
  await player.getByTestId('chat-send').click();
  const inRoom = coach.locator('fit-class-room').getByTestId('chat-message').filter({ hasText: 'Hello from the couch <b>!</b>' });
  await inRoom.waitFor({ timeout: 10_000 });
  console.log(`broadcast: viewer chat → coach's class room in ${Date.now() - tChat} ms`);
  assert.equal(await inRoom.getAttribute('data-role'), 'viewer');
  assert.equal(await inRoom.getByTestId('chat-role').textContent(), 'Viewer');
  await coach.locator('fit-class-room').getByTestId('chat-input').fill('Welcome, viewers!');
  await coach.locator('fit-class-room').getByTestId('chat-send').click();
  const answer = player.getByTestId('chat-message').filter({ hasText: 'Welcome, viewers!' });
  await answer.waitFor({ timeout: 10_000 });
  assert.equal(await answer.getAttribute('data-role'), 'coach');
  await viewer.close();

  // kill -9 FFmpeg: it is started again and the same playlist goes on after a discontinuity.
  const before = await until('a few seconds of 720p', () => variant('720p'), (x) => segmentsOf(x.text).length >= 4, 30_000, 250);
  const lastBefore = segmentsOf(before.text).at(-1)!;
  const encoder = server.streams.encoderOf(stream.id)!;
  const pid = encoder.pid!;
  const tKill = Date.now();
  process.kill(pid, 'SIGKILL');
  // A new FFmpeg, and a discontinuity after the last segment the killed one wrote (an earlier
  // one may be there already: the coach's tracks arriving can restart the encoder).
  const breakAfterKill = (text: string) => {
    const at = text.lastIndexOf(lastBefore);
    return at >= 0 ? text.indexOf('#EXT-X-DISCONTINUITY', at) > at : text.includes('#EXT-X-DISCONTINUITY');
  };
  const after = await until('the 720p playlist continues after the restart', () => variant('720p'), (x) => encoder.pid !== pid && breakAfterKill(x.text) && segmentsOf(x.text).at(-1)! > lastBefore && segmentsOf(x.text).length >= 2, 30_000, 250);
  assert.notEqual(encoder.pid, pid);
  const segs = segmentsOf(after.text);
  assert.equal(new Set(segs).size, segs.length, 'no segment name is reused (CDNs cache them for good)');
  assert.ok(segs.every((s, i) => i === 0 || s > segs[i - 1]!), `segments keep counting up: ${segs.join(' ')}`);
  console.log(`broadcast: FFmpeg killed → new segments after ${Date.now() - tKill} ms (${lastBefore} → ${segmentsOf(after.text).join(' ')})`);

  assert.equal((await api(`/v1/streams/${stream.id}/stop`, 'POST')).status, 200);
  const ended = await variant('720p');
  assert.match(ended.text, /#EXT-X-ENDLIST/, 'the playlist says the broadcast ended');

  // The demo site's analytics page: the viewer above counted, a sample drawn.
  const page = await (await stack.browser.newContext()).newPage();
  await page.goto(`${stack.base}/analytics.html?stream=${encodeURIComponent(stream.id)}`);
  await page.getByTestId('analytics-title').filter({ hasText: 'ended' }).waitFor();
  assert.ok(Number(await page.getByTestId('unique').textContent()) >= 1, 'the player’s heartbeats counted a viewer');
  assert.ok(Number(await page.getByTestId('peak').textContent()) >= 1);
  assert.ok((await page.locator('[data-testid="chart"] rect').count()) >= 1, 'a concurrency sample is drawn');
  await page.close();
});
