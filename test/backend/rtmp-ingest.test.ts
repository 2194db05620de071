import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { after, before, test } from 'node:test';
import { makeApiKey } from '../../backend/auth/api-keys.js';
import type { RunningServer } from '../../backend/main.js';
import { DEMO_CLUB_ID } from '../../backend/store/seed.js';
import type { PlaybackInfo, StreamCreated } from '../../protocol/streams.js';
import { startBackend } from '../support/backend.js';
import { until } from '../support/waits.js';

/* RTMP in: Debian's FFmpeg pushes a test pattern as an encoder would (OBS…); a wrong key is refused. */

let server: RunningServer;
let key: string;
const pushers: ChildProcess[] = [];

before(async () => {
  server = await startBackend({ RTMP_LISTEN_IP: '127.0.0.1', RTMP_PUBLIC_HOST: '127.0.0.1' });
  const k = makeApiKey();
  await server.repos.apiKeys.add({ id: k.id, clubId: DEMO_CLUB_ID, secretHash: k.secretHash, label: 'rtmp' });
  key = k.key;
});
after(async () => {
  for (const p of pushers) p.kill('SIGKILL');
  await server?.stop();
});

const api = (p: string, method = 'GET', body?: unknown) =>
  fetch(`${server.url}/api${p}`, { method, headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, ...(body ? { body: JSON.stringify(body) } : {}) });

/** An encoder pushing a test pattern with a tone for `seconds`; resolves with its exit code. */
function push(url: string, seconds: number): { done: Promise<number | null> } {
  const p = spawn('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-re', '-f', 'lavfi', '-i', 'testsrc2=size=640x360:rate=30', '-f', 'lavfi', '-i', 'sine=frequency=440',
    '-t', String(seconds), '-c:v', 'libx264', '-preset', 'ultrafast', '-tune', 'zerolatency', '-g', '30', '-c:a', 'aac', '-f', 'flv', url], { stdio: 'ignore' });
  pushers.push(p);
  return { done: new Promise((resolve) => p.once('exit', (code) => resolve(code))) };
}


test('an encoder pushing with the stream key becomes a playable HLS ladder; a wrong key is refused', { timeout: 120_000 }, async () => {
  const stream = (await (await api('/v1/streams', 'POST', { title: 'OBS live', source: { type: 'rtmp' } })).json()) as StreamCreated;
  assert.ok(stream.ingest, 'an RTMP stream comes with its ingest URL and key');
  assert.match(stream.ingest.rtmpUrl, /^rtmp:\/\/127\.0\.0\.1:\d+\/live$/);
  const details = (await (await api(`/v1/streams/${stream.id}`)).json()) as StreamCreated;
  assert.deepEqual(details.ingest, stream.ingest, 'the club can read its key again (derived, never stored)');
  assert.equal((await api(`/v1/streams/${stream.id}/start`, 'POST')).status, 200);
  await new Promise((r) => setTimeout(r, 500)); // FFmpeg opens its listener

  const wrong = push(`${stream.ingest.rtmpUrl}/not-the-key`, 5);
  assert.notEqual(await wrong.done, 0, 'the push with a wrong key fails');
  assert.equal(server.streams.isRunning(stream.id), true);

  const { token } = (await (await api(`/v1/streams/${stream.id}/join`, 'POST', { identity: 'v', name: 'Viewer' })).json()) as { token: string };
  const playback = () => fetch(`${server.url}/api/v1/streams/${stream.id}/playback`, { headers: { authorization: `Bearer ${token}` } }).then((r) => r.json() as Promise<PlaybackInfo>);
  assert.equal((await playback()).masterUrl, null, 'nothing plays from a refused push');

  // FFmpeg listens again a moment after a refusal (encoders such as OBS retry by themselves).
  await new Promise((r) => setTimeout(r, 1500));
  const t0 = Date.now();
  const good = push(`${stream.ingest.rtmpUrl}/${stream.ingest.streamKey}`, 20);
  const info = await until('the pushed stream is encoding', playback, (p) => p.masterUrl !== null, 30_000, 250);
  const base = new URL(info.masterUrl!, server.url);
  const master = await (await fetch(base)).text();
  for (const name of ['720p', '480p', '360p']) {
    const text = await until(`${name} segments`, () => fetch(new URL(`${name}/index.m3u8`, base)).then((r) => (r.ok ? r.text() : '')), (t) => t.split('\n').filter((l) => l.endsWith('.ts')).length >= 2, 30_000, 250);
    assert.match(master, new RegExp(`${name}/index.m3u8`));
    assert.match(text, /#EXTINF:/);
  }
  console.log(`rtmp: push → three renditions segmented after ${Date.now() - t0} ms`);
  assert.equal((await api(`/v1/streams/${stream.id}/stop`, 'POST')).status, 200);
  await good.done;
});

test('a recorded broadcast becomes HLS VOD, and an MP4 on request, through signed links', { timeout: 120_000 }, async () => {
  const stream = (await (await api('/v1/streams', 'POST', { title: 'Recorded', source: { type: 'rtmp' }, record: true })).json()) as StreamCreated;
  await api(`/v1/streams/${stream.id}/start`, 'POST');
  await new Promise((r) => setTimeout(r, 500));
  const pushed = push(`${stream.ingest!.rtmpUrl}/${stream.ingest!.streamKey}`, 6);
  await pushed.done;
  await new Promise((r) => setTimeout(r, 1500));
  assert.equal((await api(`/v1/streams/${stream.id}/stop`, 'POST')).status, 200);

  type Rec = { id: string; status: string; durationSeconds: number | null; hls: { url: string } | null; mp4: { status: string; url: string | null } };
  const list = (await (await api(`/v1/streams/${stream.id}/recordings`)).json()) as { recordings: Rec[] };
  assert.equal(list.recordings.length, 1);
  const rec = list.recordings[0]!;
  assert.equal(rec.status, 'ready');
  assert.ok(rec.durationSeconds! >= 3, `about the pushed length (${rec.durationSeconds} s)`);
  const vod = await (await fetch(new URL(rec.hls!.url, server.url))).text();
  assert.match(vod, /#EXT-X-PLAYLIST-TYPE:EVENT|#EXT-X-PLAYLIST-TYPE:VOD/);
  assert.match(vod, /#EXT-X-ENDLIST/);
  const firstSeg = vod.split('\n').find((l) => l.endsWith('.ts'))!;
  assert.equal((await fetch(new URL(firstSeg, new URL(rec.hls!.url, server.url)))).status, 200);

  // The MP4: made on request, then downloadable.
  assert.equal((await api(`/v1/recordings/${rec.id}/mp4`, 'POST')).status, 202);
  const ready = await until('the MP4 is made', async () => (await (await api(`/v1/recordings/${rec.id}`)).json()) as Rec, (r) => r.mp4.status !== 'making', 30_000, 250);
  assert.equal(ready.mp4.status, 'ready');
  const mp4 = Buffer.from(await (await fetch(new URL(ready.mp4.url!, server.url))).arrayBuffer());
  assert.equal(mp4.subarray(4, 8).toString('latin1'), 'ftyp', 'an MP4 file');

  // A viewer token of the stream plays it; another club's key sees nothing.
  const { token } = (await (await api(`/v1/streams/${stream.id}/join`, 'POST', { identity: 'v2', name: 'Viewer' })).json()) as { token: string };
  const playback = (await (await fetch(`${server.url}/api/v1/recordings/${rec.id}/playback`, { headers: { authorization: `Bearer ${token}` } })).json()) as PlaybackInfo;
  assert.equal(playback.status, 'ended');
  assert.match(playback.masterUrl!, /\/index\.m3u8$/);
  assert.equal((await fetch(`${server.url}/api/v1/recordings/${rec.id}/playback`)).status, 401);
  assert.equal((await api('/v1/recordings')).status, 200);
});
