import { z } from 'zod';

/*
 * Broadcasts (HLS to many viewers): the REST contract between a club's server, the backend and
 * `<fit-live-stream>`. Schemas for input; plain interfaces for answers.
 */

export const streamStatusSchema = z.enum(['idle', 'live', 'ended']);
export type StreamStatus = z.infer<typeof streamStatusSchema>;

/** Where a stream's picture comes from: a live class's coach, or an encoder (OBS…) over RTMP. */
export const streamSourceSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('class'), classId: z.string().min(1).max(128) }).strict(),
  z.object({ type: z.literal('rtmp') }).strict(),
]);
export type StreamSource = z.infer<typeof streamSourceSchema>;

/** `POST /api/v1/streams` (club API key). */
export const streamInputSchema = z
  .object({
    title: z.string().trim().min(1).max(120),
    description: z.string().trim().max(2000).optional(),
    source: streamSourceSchema,
    /** Viewers at once; joins beyond it get `stream_full`. */
    maxViewers: z.number().int().min(1).max(100_000).default(1000),
    /** Keep the broadcast as a recording (HLS VOD) when it stops. */
    record: z.boolean().default(false),
    posterUrl: z.url().max(2000).optional(),
  })
  .strict();
export type StreamInput = z.infer<typeof streamInputSchema>;

/** `POST /api/v1/streams/:id/join` body (club API key): who the viewer token is for. */
export const viewerTokenInputSchema = z
  .object({
    identity: z.string().min(1).max(256),
    name: z.string().trim().min(1).max(80),
    /** Seconds; capped by the server's maximum token lifetime. */
    ttlSeconds: z.number().int().min(60).max(86_400).default(4 * 3600),
  })
  .strict();

export interface StreamInfo {
  id: string;
  clubId: string;
  title: string;
  description: string;
  source: StreamSource;
  status: StreamStatus;
  maxViewers: number;
  record: boolean;
  posterUrl: string | null;
  createdAt: string;
  startedAt: string | null;
  endedAt: string | null;
  /** Viewers watching now (heartbeats in the last 30 s). */
  viewers: number;
}

/**
 * Answer to `POST /api/v1/streams` and `GET /api/v1/streams/:id` (club API key only): an RTMP
 * stream's ingest URL and key. The key is derived from the club's secret, never stored, so the
 * club can read it again; rotating the club's secret changes it.
 */
export interface StreamCreated extends StreamInfo {
  ingest: { rtmpUrl: string; streamKey: string } | null;
}

/**
 * `GET /api/v1/streams/:id/playback` with a viewer token (`Authorization: Bearer` or `?token=`):
 * what `<fit-live-stream>` needs. `masterUrl` is relative to the server and signed for a short
 * while; ask again for a fresh one (the player does so on a 401/403 from a playlist).
 */
export interface PlaybackInfo {
  streamId: string;
  title: string;
  status: StreamStatus;
  posterUrl: string | null;
  /** Set while live (or for a recording). */
  masterUrl: string | null;
  /** The ladder, best first: what the quality menu offers besides "auto". */
  renditions: Array<{ name: string; width: number; height: number; bitrate: number }>;
  viewers: number;
  /** The stream has a chat (it comes from a class): viewers join it on the `/viewers` socket namespace. */
  chat: boolean;
  /** When the signed URLs stop working (ms since epoch). */
  expiresAt: number;
}

/** `POST /api/v1/streams/:id/heartbeat` (viewer token), every ~15 s while playing: counts the viewer. */
export interface HeartbeatAnswer {
  status: StreamStatus;
  viewers: number;
}

export interface StreamAnalytics {
  streamId: string;
  peakViewers: number;
  uniqueViewers: number;
  /** Sum of every viewer's watching time. */
  totalWatchSeconds: number;
  /** Concurrent viewers sampled over time (one point a minute while live). */
  concurrency: Array<{ at: string; viewers: number }>;
}
