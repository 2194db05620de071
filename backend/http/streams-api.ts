import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import express, { type Request } from 'express';
import { ErrorCode } from '../../protocol/error-codes.js';
import { streamInputSchema, viewerTokenInputSchema, type HeartbeatAnswer, type PlaybackInfo, type StreamAnalytics, type StreamCreated, type StreamInfo } from '../../protocol/streams.js';
import { isOriginAllowed } from '../auth/origins.js';
import { signViewerToken, verifyViewerToken, type Viewer } from '../auth/viewer-token.js';
import { AppError } from '../errors.js';
import type { Repositories } from '../store/repositories.js';
import type { RecordingRecord, StreamRecord } from '../store/stream-repository.js';
import type { HlsLinks } from '../streams/hls-links.js';
import { LADDER } from '../streams/hls-encoder.js';
import { pickRtmpPort, rtmpKey } from '../streams/rtmp-ingest.js';
import type { StreamControl } from '../streams/stream-manager.js';
import { callerFrom, clubOnly, zodMessage } from './callers.js';

export interface StreamsApiDeps {
  repos: Repositories;
  streams: StreamControl;
  links: HlsLinks;
  tokenMaxTtlSeconds: number;
  /** Where encoders push RTMP: the host they are told, and the port range. */
  rtmp: { publicHost: string; minPort: number; maxPort: number };
}

/**
 * The viewer behind a request (`Authorization: Bearer` only: a token in a query string ends up in
 * access logs, proxies and browser history). From a browser, only on the sites the club allows,
 * as for class tokens: a leaked viewer token does not play elsewhere.
 */
async function viewerFrom(req: Request, deps: Pick<StreamsApiDeps, 'repos' | 'tokenMaxTtlSeconds'>): Promise<Viewer> {
  const bearer = /^Bearer\s+(\S+)$/i.exec(req.get('authorization') ?? '')?.[1];
  if (!bearer) throw new AppError(ErrorCode.Unauthorized, typeof req.query.token === 'string' ? 'Send the viewer token as Authorization: Bearer, not in the URL' : 'A viewer token is required', 401);
  const v = await verifyViewerToken(bearer, async (clubId) => (await deps.repos.clubs.get(clubId))?.joinSecret, deps.tokenMaxTtlSeconds);
  const origin = req.get('origin');
  if (origin) {
    const club = await deps.repos.clubs.get(v.clubId);
    if (!isOriginAllowed(origin, req.get('host'), club?.allowedOrigins ?? [])) throw new AppError(ErrorCode.OriginNotAllowed, 'This site may not show the club’s streams', 403);
  }
  return v;
}

/** Peak, unique viewers, total watch time and concurrency over time (now included in the peak). */
export async function streamAnalytics(repos: Repositories, streamId: string): Promise<StreamAnalytics> {
  const [a, now] = await Promise.all([repos.streams.analytics(streamId), repos.streams.watching(streamId)]);
  return { streamId, peakViewers: Math.max(now, ...a.concurrency.map((p) => p.viewers)), uniqueViewers: a.uniqueViewers, totalWatchSeconds: a.totalWatchSeconds, concurrency: a.concurrency };
}

const toInfo = (s: StreamRecord, viewers: number): StreamInfo => ({
  id: s.id,
  clubId: s.clubId,
  title: s.title,
  description: s.description,
  source: s.source,
  status: s.status,
  maxViewers: s.maxViewers,
  record: s.record,
  posterUrl: s.posterUrl,
  createdAt: s.createdAt.toISOString(),
  startedAt: s.startedAt?.toISOString() ?? null,
  endedAt: s.endedAt?.toISOString() ?? null,
  viewers,
});

/**
 * `/api/v1/streams`: broadcasts. The club (API key) creates, starts, stops, mints viewer tokens
 * and reads analytics; a viewer (viewer token) gets playback links and sends heartbeats.
 */
export function streamsApi(deps: StreamsApiDeps): express.Router {
  const router = express.Router();
  const { repos } = deps;
  const caller = callerFrom(repos, deps.tokenMaxTtlSeconds);

  async function clubStream(req: Request): Promise<StreamRecord> {
    const c = clubOnly(await caller(req));
    const s = await repos.streams.get(String(req.params.id));
    if (!s || s.clubId !== c.clubId) throw new AppError(ErrorCode.StreamNotFound, 'No such stream', 404);
    return s;
  }

  async function viewer(req: Request): Promise<{ viewer: Viewer; stream: StreamRecord }> {
    const v = await viewerFrom(req, deps);
    const stream = await repos.streams.get(String(req.params.id));
    if (!stream || stream.clubId !== v.clubId || v.streamId !== stream.id) throw new AppError(ErrorCode.StreamNotFound, 'No such stream for this token', 404);
    return { viewer: v, stream };
  }

  /** Where and with which key an encoder pushes (RTMP streams; the club's eyes only). */
  async function ingestOf(s: StreamRecord): Promise<StreamCreated['ingest']> {
    if (s.source.type !== 'rtmp' || s.rtmpPort === null) return null;
    const club = await repos.clubs.get(s.clubId);
    return { rtmpUrl: `rtmp://${deps.rtmp.publicHost}:${s.rtmpPort}/live`, streamKey: rtmpKey(club!.joinSecret, s.id) };
  }

  router.post('/', async (req, res) => {
    const c = clubOnly(await caller(req));
    const input = streamInputSchema.safeParse(req.body);
    if (!input.success) throw new AppError(ErrorCode.BadRequest, zodMessage(input.error.issues));
    const i = input.data;
    if (i.source.type === 'class') {
      const cls = await repos.classes.get(i.source.classId);
      if (!cls || cls.clubId !== c.clubId) throw new AppError(ErrorCode.ClassNotFound, 'No such class in this club', 404);
    }
    const id = `s_${crypto.randomBytes(8).toString('base64url')}`;
    const rtmpPort = i.source.type === 'rtmp' ? pickRtmpPort({ min: deps.rtmp.minPort, max: deps.rtmp.maxPort }, await repos.streams.rtmpPortsInUse()) : null;
    const stored = await repos.streams.create({
      id,
      clubId: c.clubId,
      title: i.title,
      description: i.description ?? '',
      source: i.source,
      maxViewers: i.maxViewers,
      record: i.record,
      posterUrl: i.posterUrl ?? null,
      rtmpPort,
    });
    const created: StreamCreated = { ...toInfo(stored, 0), ingest: await ingestOf(stored) };
    res.status(201).json(created);
  });

  router.get('/', async (req, res) => {
    const c = clubOnly(await caller(req));
    const list = await repos.streams.listByClub(c.clubId);
    res.json({ streams: await Promise.all(list.map(async (s) => toInfo(s, s.status === 'live' ? await repos.streams.watching(s.id) : 0))) });
  });

  router.get('/:id', async (req, res) => {
    const s = await clubStream(req);
    res.json({ ...toInfo(s, await repos.streams.watching(s.id)), ingest: await ingestOf(s) });
  });

  router.post('/:id/start', async (req, res) => {
    const s = await clubStream(req);
    if (s.status === 'ended') throw new AppError(ErrorCode.Conflict, 'This stream has ended; create a new one', 409);
    await deps.streams.start(s);
    await repos.streams.setStatus(s.id, 'live');
    res.json(toInfo((await repos.streams.get(s.id))!, 0));
  });

  router.post('/:id/stop', async (req, res) => {
    const s = await clubStream(req);
    await deps.streams.stop(s.id);
    await repos.streams.setStatus(s.id, 'ended');
    res.json(toInfo((await repos.streams.get(s.id))!, await repos.streams.watching(s.id)));
  });

  /** A viewer token for one person (the club's server calls this, then hands the token to its page). */
  router.post('/:id/join', async (req, res) => {
    const s = await clubStream(req);
    const body = viewerTokenInputSchema.safeParse(req.body ?? {});
    if (!body.success) throw new AppError(ErrorCode.BadRequest, zodMessage(body.error.issues));
    const ttl = Math.min(body.data.ttlSeconds, deps.tokenMaxTtlSeconds);
    const club = await repos.clubs.get(s.clubId);
    const token = await signViewerToken({ club: s.clubId, stream: s.id, name: body.data.name, sub: body.data.identity }, club!.joinSecret, ttl);
    res.json({ token, expiresIn: ttl, streamId: s.id, title: s.title, viewers: await repos.streams.watching(s.id) });
  });

  router.get('/:id/viewers', async (req, res) => {
    const s = await clubStream(req);
    res.json({ streamId: s.id, viewers: await repos.streams.watching(s.id) });
  });

  router.get('/:id/analytics', async (req, res) => {
    const s = await clubStream(req);
    res.json(await streamAnalytics(repos, s.id));
  });

  router.get('/:id/recordings', async (req, res) => {
    const s = await clubStream(req);
    const list = await repos.recordings.listByClub(s.clubId, s.id);
    res.json({ recordings: list.map((r) => recordingInfo(r, deps.links)) });
  });

  /** What the player needs; refused when the stream is at its viewer limit (for someone not yet watching). */
  router.get('/:id/playback', async (req, res) => {
    const { viewer: v, stream } = await viewer(req);
    const viewers = await repos.streams.watching(stream.id);
    if (stream.status === 'live' && viewers >= stream.maxViewers && !(await repos.streams.isWatching(stream.id, v.identity))) {
      throw new AppError(ErrorCode.StreamFull, `This stream is full (${stream.maxViewers} viewers)`, 403);
    }
    const live = stream.status === 'live' && fs.existsSync(path.join(deps.streams.dirOf(stream.id), 'master.m3u8'));
    const link = deps.links.master(stream.id);
    const info: PlaybackInfo = {
      streamId: stream.id,
      title: stream.title,
      // Live but not yet encoding (the coach is not on camera yet) shows as "starting".
      status: stream.status === 'live' && !live ? 'idle' : stream.status,
      posterUrl: stream.posterUrl,
      masterUrl: live ? link.url : null,
      renditions: LADDER.map((r) => ({ name: r.name, width: r.width, height: r.height, bitrate: r.bitrate })),
      viewers,
      chat: stream.source.type === 'class',
      expiresAt: Math.min(link.expiresAt, v.expiresAt * 1000),
    };
    res.setHeader('Cache-Control', 'no-store');
    res.json(info);
  });

  router.post('/:id/heartbeat', async (req, res) => {
    const { viewer: v, stream } = await viewer(req);
    if (stream.status === 'live') {
      if (!(await repos.streams.isWatching(stream.id, v.identity)) && (await repos.streams.watching(stream.id)) >= stream.maxViewers) {
        throw new AppError(ErrorCode.StreamFull, `This stream is full (${stream.maxViewers} viewers)`, 403);
      }
      await repos.streams.heartbeat(stream.id, v.identity);
    }
    const answer: HeartbeatAnswer = { status: stream.status, viewers: await repos.streams.watching(stream.id) };
    res.json(answer);
  });

  return router;
}

export interface RecordingInfo {
  id: string;
  streamId: string;
  status: RecordingRecord['status'];
  durationSeconds: number | null;
  startedAt: string;
  endedAt: string | null;
  /** The HLS VOD playlist (signed, relative to the server), once ready. */
  hls: { url: string; expiresAt: number } | null;
  mp4: { status: RecordingRecord['mp4Status']; url: string | null };
}

function recordingInfo(r: RecordingRecord, links: HlsLinks): RecordingInfo {
  const ready = r.status === 'ready';
  return {
    id: r.id,
    streamId: r.streamId,
    status: r.status,
    durationSeconds: r.durationSeconds,
    startedAt: r.startedAt.toISOString(),
    endedAt: r.endedAt?.toISOString() ?? null,
    hls: ready ? links.file(r.id, 'index.m3u8') : null,
    mp4: { status: r.mp4Status, url: r.mp4Status === 'ready' ? links.file(r.id, 'recording.mp4').url : null },
  };
}

/**
 * `/api/v1/recordings`: the club's recordings (API key): list, details with signed links, an MP4
 * on request; and for a viewer of the stream (viewer token), what the player needs to play one.
 */
export function recordingsApi(deps: StreamsApiDeps): express.Router {
  const router = express.Router();
  const { repos } = deps;
  const caller = callerFrom(repos, deps.tokenMaxTtlSeconds);

  async function clubRecording(req: Request): Promise<RecordingRecord> {
    const c = clubOnly(await caller(req));
    const r = await repos.recordings.get(String(req.params.id));
    if (!r || r.clubId !== c.clubId) throw new AppError(ErrorCode.NotFound, 'No such recording', 404);
    return r;
  }

  router.get('/', async (req, res) => {
    const c = clubOnly(await caller(req));
    res.json({ recordings: (await repos.recordings.listByClub(c.clubId)).map((r) => recordingInfo(r, deps.links)) });
  });

  router.get('/:id', async (req, res) => {
    res.json(recordingInfo(await clubRecording(req), deps.links));
  });

  /** Makes the MP4 (a remux, no re-encoding); poll the recording for `mp4.status`. */
  router.post('/:id/mp4', async (req, res) => {
    const r = await clubRecording(req);
    if (r.status !== 'ready') throw new AppError(ErrorCode.Conflict, 'The recording is not ready yet', 409);
    if (r.mp4Status !== 'ready' && r.mp4Status !== 'making') await deps.streams.makeMp4(r.id);
    res.status(202).json(recordingInfo((await repos.recordings.get(r.id))!, deps.links));
  });

  /** For `<fit-live-stream recording-id>`: a viewer token of the recording's stream plays it. */
  router.get('/:id/playback', async (req, res) => {
    const v = await viewerFrom(req, deps);
    const r = await repos.recordings.get(String(req.params.id));
    if (!r || r.clubId !== v.clubId || r.streamId !== v.streamId || r.status !== 'ready') throw new AppError(ErrorCode.NotFound, 'No such recording for this token', 404);
    const stream = await repos.streams.get(r.streamId);
    const link = deps.links.file(r.id, 'index.m3u8');
    const info: PlaybackInfo = {
      streamId: r.streamId,
      title: stream?.title ?? '',
      status: 'ended',
      posterUrl: stream?.posterUrl ?? null,
      masterUrl: link.url,
      renditions: [{ name: LADDER[0].name, width: LADDER[0].width, height: LADDER[0].height, bitrate: LADDER[0].bitrate }],
      viewers: 0,
      chat: false,
      expiresAt: Math.min(link.expiresAt, v.expiresAt * 1000),
    };
    res.setHeader('Cache-Control', 'no-store');
    res.json(info);
  });
  return router;
}

/** `GET /hls/<stream>/<exp>/<sig>/<file>`: the ladder's playlists and segments, for players and CDNs. */
export function hlsFiles(streams: StreamControl, links: HlsLinks): express.Router {
  const router = express.Router();
  router.get(/^\/([^/]+)\/(\d+)\/([A-Za-z0-9_-]+)\/(.+)$/, (req, res, next) => {
    const groups = req.params as unknown as Record<number, string>;
    // Express has decoded the path once already: decoding again turned `%25E0` into a URIError (a 500).
    const [streamId, exp, sig, file] = [0, 1, 2, 3].map((i) => groups[i] ?? '');
    try {
      links.verify(streamId!, exp!, sig!);
    } catch (err) {
      res.setHeader('Access-Control-Allow-Origin', '*');
      return next(err);
    }
    // Only the ladder's own files (or a recording's): no way out of the folder.
    const recording = streamId!.startsWith('r_');
    const allowed = recording ? /^(index\.m3u8|seg_\d+\.ts|recording\.mp4)$/ : /^(master\.m3u8|[0-9a-z]+\/(index\.m3u8|seg_\d+\.ts))$/;
    if (!allowed.test(file!)) return next(new AppError(ErrorCode.NotFound, 'No such file', 404));
    const full = path.join(recording ? streams.recordingDir(streamId!) : streams.dirOf(streamId!), file!);
    if (recording) {
      res.setHeader('Access-Control-Allow-Origin', '*');
      // A finished recording never changes.
      res.sendFile(full, { headers: { 'Cache-Control': 'public, max-age=3600', ...(file === 'recording.mp4' ? { 'Content-Disposition': 'attachment; filename="recording.mp4"' } : {}) } }, (err) => {
        if (err && !res.headersSent) next(new AppError(ErrorCode.NotFound, 'Not there', 404));
      });
      return;
    }
    res.setHeader('Access-Control-Allow-Origin', '*');
    const playlist = file!.endsWith('.m3u8');
    if (playlist && file !== 'master.m3u8') {
      // FFmpeg 5.1 writes TARGETDURATION:0 for sub-second segments; HLS wants it rounded up.
      fs.promises.readFile(full, 'utf8').then(
        (text) => {
          res.setHeader('Content-Type', 'application/vnd.apple.mpegurl');
          res.setHeader('Cache-Control', 'public, max-age=1');
          res.send(text.replace(/^#EXT-X-TARGETDURATION:0$/m, '#EXT-X-TARGETDURATION:1'));
        },
        () => next(new AppError(ErrorCode.NotFound, 'Not there (yet)', 404)),
      );
      return;
    }
    res.sendFile(full, {
      headers: {
        'Content-Type': playlist ? 'application/vnd.apple.mpegurl' : 'video/mp2t',
        // Live playlists change every segment; segments never change (CDN keeps them).
        'Cache-Control': playlist ? (file === 'master.m3u8' ? 'public, max-age=60' : 'public, max-age=1') : 'public, max-age=3600, immutable',
      },
      dotfiles: 'deny',
    }, (err) => {
      if (err && !res.headersSent) next(new AppError(ErrorCode.NotFound, 'Not there (yet)', 404));
    });
  });
  return router;
}
