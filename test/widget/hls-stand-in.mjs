// A STAND-IN for the backend's broadcast routes (issue 7) while they are being written: a real
// HLS stream (Debian's ffmpeg encoding a test pattern and a tone into a two-rendition ladder of
// ~1 s segments, as the backend will) served over HTTP from its own origin (CORS, like a club
// embed), with signed, expiring playlist/segment URLs (signed in the path like the backend's) and the two endpoints <fit-live-stream>
// calls, answering per protocol/streams.ts:
//   GET  /api/v1/streams/:id/playback   (Bearer token)  -> PlaybackInfo | { error }
//   POST /api/v1/streams/:id/heartbeat  (Bearer token)  -> HeartbeatAnswer | { error }
//   GET  /api/v1/recordings/:id/playback (Bearer token) -> PlaybackInfo (status `ended`, a VOD) | { error }
// Switch test/widget/fit-live-stream.test.ts to the real routes once they land in backend/http.
//
// Streams (by id): `live` (playable once ffmpeg has written 3 segments), `short-sig` (the same,
// URLs signed for 6 s only, so the player has to re-sign while playing), `later` (idle for 4 s
// after its first request, then live), `over` (ended), `full` (stream_full), anything else
// stream_not_found. Token `expired` gets token_expired; no token, unauthorized.
//
// Recordings (by id): `r_demo`, a 12 s HLS VOD (#EXT-X-ENDLIST, 2 s segments `seg_<n>.ts` with
// relative links, one 640x360 rendition: as the backend's recordings) made once by ffmpeg on first
// use, signed like the backend's `/hls/r_…/<exp>/<sig>/index.m3u8`; `r_short`, the same signed for
// 6 s only; anything else not_found. Token `expired`: token_expired; `elsewhere`: origin_not_allowed.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';

const SIGNED_FOR_MS = { live: 10 * 60_000, 'short-sig': 6_000, later: 10 * 60_000 };

export function hlsStandInPlugin() {
  let server;
  let ffmpeg;
  let dir;
  let url;
  let seq = 0;
  let stopping = false;
  const sigs = new Map(); // sig -> expires (ms)
  const firstSeen = new Map();
  const stats = { playback: 0, heartbeats: 0, refused: 0, segments: 0, signed: 0, recordingPlayback: 0, recordingSegments: 0, recordingSigned: 0 };
  let vodDir;
  let vodMaking;

  /** The recording: a VOD made once, in well under a second (no -re). */
  function makeVod() {
    vodMaking ??= new Promise((resolve, reject) => {
      vodDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fitlive-vod-'));
      const p = spawn(
        'ffmpeg',
        [
          ...['-hide_banner', '-loglevel', 'error'],
          ...['-f', 'lavfi', '-i', 'testsrc2=size=640x360:rate=30:duration=12', '-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=48000:duration=12'],
          ...['-c:v', 'libx264', '-preset', 'veryfast', '-g', '30', '-keyint_min', '30', '-sc_threshold', '0', '-pix_fmt', 'yuv420p', '-b:v', '800k'],
          ...['-c:a', 'aac', '-b:a', '64k', '-shortest'],
          ...['-f', 'hls', '-hls_time', '2', '-hls_playlist_type', 'vod', '-hls_flags', 'independent_segments'],
          ...['-hls_segment_filename', path.join(vodDir, 'seg_%d.ts'), path.join(vodDir, 'index.m3u8')],
        ],
        { stdio: ['ignore', 'ignore', 'inherit'] },
      );
      p.once('exit', (code) => (code === 0 ? resolve(vodDir) : reject(new Error(`ffmpeg (VOD) exited with ${code}`))));
    });
    return vodMaking;
  }

  async function recording(req, res, id) {
    const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    if (!token) return fail(res, 401, 'token_invalid', 'No viewer token');
    if (token === 'expired') return fail(res, 401, 'token_expired', 'The viewer token has expired');
    if (token === 'elsewhere') return fail(res, 403, 'origin_not_allowed', 'This site may not play the club\'s streams');
    if (id !== 'r_demo' && id !== 'r_short') return fail(res, 404, 'not_found', 'No such recording for this token');
    await makeVod();
    stats.recordingPlayback++;
    stats.recordingSigned++;
    const sig = `v${++seq}`;
    const expiresAt = Date.now() + (id === 'r_short' ? 6_000 : 10 * 60_000);
    sigs.set(sig, expiresAt);
    send(res, 200, {
      streamId: 'live',
      title: 'Stand-in recording',
      status: 'ended',
      posterUrl: null,
      masterUrl: `/hls/${id}/${expiresAt}/${sig}/index.m3u8`,
      renditions: [{ name: '360p', width: 640, height: 360, bitrate: 864_000 }],
      viewers: 0,
      expiresAt,
    });
  }

  function startFfmpeg() {
    if (ffmpeg) return;
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fitlive-hls-'));
    for (const v of ['360p', '180p']) fs.mkdirSync(path.join(dir, v));
    // The same shape as the backend's egress: H.264 (keyframe every 30 frames = 1 s, so every
    // segment starts with one) + AAC, ~1 s segments, a sliding 6-segment live playlist.
    ffmpeg = spawn(
      'ffmpeg',
      [
        ...['-hide_banner', '-loglevel', 'error', '-re'],
        ...['-f', 'lavfi', '-i', 'testsrc2=size=640x360:rate=30', '-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=48000'],
        ...['-filter_complex', '[0:v]split=2[a][b];[b]scale=320:180[b2]', '-map', '[a]', '-map', '[b2]', '-map', '1:a', '-map', '1:a'],
        ...['-c:v', 'libx264', '-preset', 'veryfast', '-tune', 'zerolatency', '-g', '30', '-keyint_min', '30', '-sc_threshold', '0', '-pix_fmt', 'yuv420p'],
        ...['-b:v:0', '800k', '-b:v:1', '250k', '-c:a', 'aac', '-b:a', '64k'],
        ...['-f', 'hls', '-hls_time', '1', '-hls_list_size', '6', '-hls_flags', 'delete_segments+independent_segments'],
        ...['-master_pl_name', 'master.m3u8', '-var_stream_map', 'v:0,a:0,name:360p v:1,a:1,name:180p'],
        ...['-hls_segment_filename', path.join(dir, '%v', 'seg%d.ts'), path.join(dir, '%v', 'index.m3u8')],
      ],
      { stdio: ['ignore', 'ignore', 'inherit'] },
    );
    ffmpeg.once('exit', (code, signal) => {
      if (!stopping) process.stderr.write(`[hls-stand-in] ffmpeg exited (${code ?? signal})\n`);
    });
  }

  function ready() {
    if (!dir || !fs.existsSync(path.join(dir, 'master.m3u8'))) return false;
    return ['360p', '180p'].every((v) => {
      const p = path.join(dir, v, 'index.m3u8');
      return fs.existsSync(p) && (fs.readFileSync(p, 'utf8').match(/#EXTINF/g) ?? []).length >= 3;
    });
  }

  function send(res, status, body, type = 'application/json') {
    res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
    res.end(typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body));
  }
  const fail = (res, status, code, message) => send(res, status, { error: { code, message } });

  function statusOf(id) {
    if (id === 'over') return 'ended';
    if (id === 'later') {
      if (!firstSeen.has(id)) firstSeen.set(id, Date.now());
      if (Date.now() - firstSeen.get(id) < 4000) return 'idle';
    }
    return ready() ? 'live' : 'idle';
  }

  function auth(req, res) {
    const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    if (!token) return fail(res, 401, 'unauthorized', 'No token'), false;
    if (token === 'expired') return fail(res, 401, 'token_expired', 'The viewer token has expired'), false;
    return true;
  }

  function handle(req, res) {
    res.setHeader('access-control-allow-origin', '*');
    res.setHeader('access-control-allow-headers', 'authorization, content-type');
    if (req.method === 'OPTIONS') return send(res, 204, '');
    const u = new URL(req.url, 'http://x');
    if (u.pathname === '/stats') return send(res, 200, stats);
    const rec = /^\/api\/v1\/recordings\/([^/]+)\/playback$/.exec(u.pathname);
    if (rec) {
      recording(req, res, decodeURIComponent(rec[1])).catch((err) => fail(res, 500, 'internal_error', String(err)));
      return;
    }
    const vod = /^\/hls\/(r_[^/]+)\/(\d+)\/([^/]+)\/(index\.m3u8|seg_\d+\.ts)$/.exec(u.pathname);
    if (vod) {
      const [, , exp, sig, file] = vod;
      const expires = sigs.get(sig);
      if (!vodDir || !expires || expires < Date.now() || String(expires) !== exp) {
        stats.refused++;
        return fail(res, 403, 'forbidden', 'Link expired');
      }
      const full = path.join(vodDir, file);
      if (!fs.existsSync(full)) return fail(res, 404, 'not_found', 'No such file');
      if (file.endsWith('.m3u8')) return send(res, 200, fs.readFileSync(full, 'utf8'), 'application/vnd.apple.mpegurl');
      stats.recordingSegments++;
      return send(res, 200, fs.readFileSync(full), 'video/mp2t');
    }
    const api = /^\/api\/v1\/streams\/([^/]+)\/(playback|heartbeat)$/.exec(u.pathname);
    if (api) {
      const [, id, what] = api;
      if (!auth(req, res)) return;
      if (id === 'full') return fail(res, 403, 'stream_full', 'This stream has reached its viewer limit');
      if (!['live', 'short-sig', 'later', 'over'].includes(id)) return fail(res, 404, 'stream_not_found', 'No such stream');
      startFfmpeg();
      const status = statusOf(id);
      if (what === 'heartbeat') {
        if (req.method !== 'POST') return fail(res, 405, 'bad_request', 'POST');
        stats.heartbeats++;
        return send(res, 200, { status, viewers: 41 + stats.heartbeats });
      }
      stats.playback++;
      let masterUrl = null;
      let expiresAt = Date.now() + 60_000;
      if (status === 'live') {
        const sig = String(++seq);
        expiresAt = Date.now() + SIGNED_FOR_MS[id];
        sigs.set(sig, expiresAt);
        stats.signed++;
        // Signed in the path, as the backend does (backend/streams/hls-links.ts): relative URIs
        // in the playlists inherit the signature.
        masterUrl = `/hls/${expiresAt}/${sig}/master.m3u8`;
      }
      return send(res, 200, {
        streamId: id,
        title: 'Stand-in broadcast',
        status,
        posterUrl: null,
        masterUrl,
        renditions: [
          { name: '360p', width: 640, height: 360, bitrate: 864_000 },
          { name: '180p', width: 320, height: 180, bitrate: 314_000 },
        ],
        viewers: 41 + stats.heartbeats,
        expiresAt,
      });
    }
    const hls = /^\/hls\/(\d+)\/([^/]+)\/(.+)$/.exec(u.pathname);
    if (hls && dir) {
      const [, exp, sig, rest] = hls;
      const expires = sigs.get(sig);
      if (!expires || expires < Date.now() || String(expires) !== exp) {
        stats.refused++;
        return fail(res, 403, 'forbidden', 'Link expired');
      }
      const file = path.join(dir, path.normalize(rest).replace(/^(\.\.[/\\])+/, ''));
      if (!file.startsWith(dir) || !fs.existsSync(file)) return fail(res, 404, 'not_found', 'No such file');
      if (file.endsWith('.m3u8')) return send(res, 200, fs.readFileSync(file, 'utf8'), 'application/vnd.apple.mpegurl');
      stats.segments++;
      return send(res, 200, fs.readFileSync(file), 'video/mp2t');
    }
    fail(res, 404, 'not_found', 'Nothing here');
  }

  return {
    name: 'fitlive-hls-stand-in',
    async serverStart() {
      server = http.createServer((req, res) => {
        try {
          handle(req, res);
        } catch (err) {
          fail(res, 500, 'internal_error', String(err));
        }
      });
      await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
      url = `http://127.0.0.1:${server.address().port}`;
    },
    async serverStop() {
      if (ffmpeg && ffmpeg.exitCode === null) {
        stopping = true;
        const exited = new Promise((resolve) => ffmpeg.once('exit', resolve));
        ffmpeg.kill('SIGTERM');
        await exited;
      }
      server?.close();
      if (dir) fs.rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
      await vodMaking?.catch(() => undefined);
      if (vodDir) fs.rmSync(vodDir, { recursive: true, force: true, maxRetries: 3 });
    },
    serve(context) {
      if (context.path === '/__fitlive/hls-stand-in.js') {
        const hasFfmpeg = spawnSync('ffmpeg', ['-version'], { stdio: 'ignore' }).status === 0;
        return { body: `export const standInUrl = ${JSON.stringify(url)}; export const hasFfmpeg = ${hasFfmpeg};`, type: 'js' };
      }
    },
  };
}
