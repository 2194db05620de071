import express from 'express';
import { memoryLimiters, type LimiterFactory } from '../rate-limits.js';
import { z } from 'zod';
import { ErrorCode } from '../../protocol/error-codes.js';
import { signJoinToken } from '../auth/join-token.js';
import { isOriginAllowed } from '../auth/origins.js';
import type { SupabaseAuth } from '../auth/supabase.js';
import { signViewerToken } from '../auth/viewer-token.js';
import { AppError } from '../errors.js';
import type { Repositories } from '../store/repositories.js';
import { zodMessage } from './callers.js';

/** `POST /api/v1/auth/exchange`: what the widget asks for with a Supabase session. */
export const exchangeInputSchema = z
  .object({
    classId: z.string().min(1).max(128).optional(),
    streamId: z.string().min(1).max(128).optional(),
    /** In a class: `member` (default) or `coach` (club staff only). */
    role: z.enum(['coach', 'member']).optional(),
  })
  .strict()
  .refine((b) => !!b.classId !== !!b.streamId, { message: 'classId or streamId (one of them)' });

export interface AuthApiDeps {
  repos: Repositories;
  supabase: SupabaseAuth | undefined;
  tokenDefaultTtlSeconds: number;
  tokenMaxTtlSeconds: number;
  tokenMintRatePerMinute: number;
  limiters?: LimiterFactory | undefined;
}

/**
 * Sign-in with Supabase Auth: the widget sends the member's Supabase access token and gets the
 * same short-lived join (or viewer) token a club's server would mint, after the backend has
 * checked the token (HS256 secret or the project's JWKS) and that the user belongs to the club
 * (staff for `coach`). The widget asks again before that token runs out (its Supabase session
 * refreshes itself), and renews its class session with `session:refresh`.
 */
export function authApi(deps: AuthApiDeps): express.Router {
  const router = express.Router();
  const limiter = (deps.limiters ?? memoryLimiters)('exchange', { points: deps.tokenMintRatePerMinute, duration: 60 });

  router.post('/exchange', async (req, res) => {
    if (!deps.supabase) throw new AppError(ErrorCode.NotFound, 'Supabase sign-in is not configured on this server', 404);
    const bearer = /^Bearer\s+(\S+)$/i.exec(req.get('authorization') ?? '')?.[1];
    if (!bearer) throw new AppError(ErrorCode.Unauthorized, 'Send the Supabase access token as "Authorization: Bearer …"', 401);
    const user = await deps.supabase.verify(bearer);
    await limiter.consume(user.userId).catch(() => {
      throw new AppError(ErrorCode.RateLimited, 'Too many sign-in exchanges this minute', 429);
    });
    const body = exchangeInputSchema.safeParse(req.body ?? {});
    if (!body.success) throw new AppError(ErrorCode.BadRequest, zodMessage(body.error.issues));
    const { classId, streamId } = body.data;
    const place = classId ? await deps.repos.classes.get(classId) : await deps.repos.streams.get(streamId!);
    if (!place) throw classId ? new AppError(ErrorCode.ClassNotFound, 'No such class', 404) : new AppError(ErrorCode.StreamNotFound, 'No such stream', 404);
    const club = await deps.repos.clubs.get(place.clubId);
    if (!isOriginAllowed(req.get('origin'), req.get('host'), club?.allowedOrigins ?? [])) {
      throw new AppError(ErrorCode.OriginNotAllowed, 'This site may not sign in to the club', 403);
    }
    const membership = await deps.repos.clubMembers.role(place.clubId, user.userId);
    if (!membership) throw new AppError(ErrorCode.Forbidden, 'You are not a member of this club', 403);
    const role = body.data.role ?? 'member';
    if (classId && role === 'coach' && membership !== 'staff') throw new AppError(ErrorCode.Forbidden, 'Only the club’s staff can coach', 403);
    // Never longer than the server allows; a little past the Supabase token is fine (it refreshes).
    const ttl = Math.min(deps.tokenDefaultTtlSeconds, deps.tokenMaxTtlSeconds);
    const secret = club!.joinSecret;
    const token = classId
      ? await signJoinToken({ club: place.clubId, class: place.id, role, name: user.displayName, sub: user.userId }, secret, ttl)
      : await signViewerToken({ club: place.clubId, stream: place.id, name: user.displayName, sub: user.userId }, secret, ttl);
    res.setHeader('Cache-Control', 'no-store');
    res.json({ token, expiresAt: Date.now() + ttl * 1000, role: classId ? role : 'viewer', identity: user.userId, displayName: user.displayName });
  });
  return router;
}
