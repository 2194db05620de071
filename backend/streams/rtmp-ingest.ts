import crypto from 'node:crypto';

/*
 * RTMP ingest (OBS, a hardware encoder, FFmpeg) with FFmpeg itself as the RTMP server: each RTMP
 * stream gets its own port, where an FFmpeg listens for exactly one publisher and encodes it
 * straight into the ladder. FFmpeg (not a Node RTMP library) because it is already the encoder,
 * is kept current by Debian, and saves a hop: the feed is decoded once, in the process that
 * encodes it. FFmpeg notices a publish to another stream name ("Unexpected stream …") but only
 * warns and carries on, so the encoder stops it on that line, before any media is read.
 */

/** FFmpeg's warning for a publisher that used another stream name (a wrong key). */
export const WRONG_KEY_LINE = /Unexpected stream .*, expecting/;

/** A stream's RTMP key: derived from the club's secret, so it is never stored (rotating the secret rotates keys). */
export function rtmpKey(clubSecret: string, streamId: string): string {
  return crypto.createHmac('sha256', clubSecret).update(`rtmp\0${streamId}`).digest('base64url').slice(0, 24);
}

/** FFmpeg input arguments: listen for one publisher of `live/<key>` on `port`. */
export function rtmpInputArgs(listenIp: string, port: number, key: string): string[] {
  return ['-listen', '1', '-i', `rtmp://${listenIp}:${port}/live/${key}`];
}

/** A free port of the range for a new RTMP stream. */
export function pickRtmpPort(range: { min: number; max: number }, inUse: readonly number[]): number {
  const used = new Set(inUse);
  for (let p = range.min; p <= range.max; p++) if (!used.has(p)) return p;
  throw new Error(`every RTMP port in ${range.min}–${range.max} is taken`);
}
