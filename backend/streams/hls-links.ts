import crypto from 'node:crypto';
import { ErrorCode } from '../../protocol/error-codes.js';
import { AppError } from '../errors.js';

/**
 * Signed HLS paths: `/hls/<stream>/<exp>/<sig>/master.m3u8`. The signature is in the path, so
 * the playlists' relative links (variant playlists, segments) carry it without rewriting, and a
 * CDN caches them like any file. Expiry is rounded to a window, so every viewer in the same
 * window shares the same URLs (cacheable); a copied URL stops working within two windows.
 */
export class HlsLinks {
  constructor(
    private readonly secret: Buffer,
    readonly windowSeconds = 600,
  ) {}

  private sig(streamId: string, exp: number): string {
    return crypto.createHmac('sha256', this.secret).update(`hls\0${streamId}\0${exp}`).digest('base64url').slice(0, 22);
  }

  /** The signed master playlist path (relative to the server) and when it stops working. */
  master(streamId: string, now = Date.now()): { url: string; expiresAt: number } {
    return this.file(streamId, 'master.m3u8', now);
  }

  /** A signed path to any file of a stream's (or a recording's) folder. */
  file(id: string, file: string, now = Date.now()): { url: string; expiresAt: number } {
    const w = this.windowSeconds;
    const exp = (Math.floor(now / 1000 / w) + 2) * w;
    return { url: `/hls/${encodeURIComponent(id)}/${exp}/${this.sig(id, exp)}/${file}`, expiresAt: exp * 1000 };
  }

  verify(streamId: string, exp: string, sig: string, now = Date.now()): void {
    const e = Number(exp);
    if (!Number.isInteger(e)) throw new AppError(ErrorCode.Unauthorized, 'Bad link', 401);
    const want = Buffer.from(this.sig(streamId, e));
    const got = Buffer.from(sig);
    if (want.length !== got.length || !crypto.timingSafeEqual(want, got)) throw new AppError(ErrorCode.Unauthorized, 'This link is not valid', 401);
    if (e * 1000 < now) throw new AppError(ErrorCode.TokenExpired, 'This link has expired', 410);
  }
}
