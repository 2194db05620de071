import crypto from 'node:crypto';
import express from 'express';
import { memoryLimiters, type LimiterFactory } from '../rate-limits.js';
import { z } from 'zod';
import { ErrorCode } from '../../protocol/error-codes.js';
import { makeApiKey } from '../auth/api-keys.js';
import { signJoinToken } from '../auth/join-token.js';
import { signViewerToken } from '../auth/viewer-token.js';
import { AppError } from '../errors.js';
import type { Repositories } from '../store/repositories.js';
import { callerFrom, clubOnly, zodMessage } from './callers.js';

/** A web origin a club embeds the widget on: scheme, host and port only. */
const originSchema = z
  .string()
  .max(200)
  .refine((s) => {
    try {
      const u = new URL(s);
      return (u.protocol === 'https:' || u.protocol === 'http:') && u.origin === s.replace(/\/$/, '');
    } catch {
      return false;
    }
  }, 'an origin such as https://www.example-club.com (no path)');

/** `PUT /api/v1/club/origins`. */
export const originsInputSchema = z.object({ allowedOrigins: z.array(originSchema).max(50) }).strict();

/** `POST /api/v1/club/api-keys`. */
export const apiKeyInputSchema = z.object({ label: z.string().trim().max(80).default('') }).strict();

/** `POST /api/v1/tokens`: a join token for a class (coach or member) or a viewer token for a stream. */
export const tokenInputSchema = z
  .object({
    classId: z.string().min(1).max(128).optional(),
    streamId: z.string().min(1).max(128).optional(),
    role: z.enum(['coach', 'member', 'viewer']),
    identity: z.string().min(1).max(256),
    name: z.string().trim().min(1).max(80),
    /** Seconds; the server's default when absent, never above its maximum. */
    ttlSeconds: z.number().int().min(60).max(86_400).optional(),
    /** Members only: may delete and mute in chat. */
    moderator: z.boolean().optional(),
  })
  .strict()
  .refine((t) => (t.role === 'viewer' ? !!t.streamId && !t.classId : !!t.classId && !t.streamId), {
    message: 'a viewer token needs streamId; a coach or member token needs classId (not both)',
  });

export interface ClubApiDeps {
  repos: Repositories;
  tokenMaxTtlSeconds: number;
  tokenDefaultTtlSeconds: number;
  tokenMintRatePerMinute: number;
  limiters?: LimiterFactory | undefined;
}

/**
 * `/api/v1/club` and `/api/v1/tokens` (club API key only): the club's allowed web origins, its API
 * keys (made and shown once, listed without secrets, revoked), its join secret (rotated, shown
 * once) and tokens minted for its members, coaches and viewers.
 */
export function clubApi(deps: ClubApiDeps): { club: express.Router; tokens: express.Router } {
  const { repos } = deps;
  const caller = callerFrom(repos, deps.tokenMaxTtlSeconds);
  const club = express.Router();

  club.get('/', async (req, res) => {
    const c = clubOnly(await caller(req));
    const [info, keys] = await Promise.all([repos.clubs.get(c.clubId), repos.apiKeys.listByClub(c.clubId)]);
    res.setHeader('Cache-Control', 'no-store');
    res.json({ id: c.clubId, name: info?.name ?? '', allowedOrigins: info?.allowedOrigins ?? [], apiKeys: keys });
  });

  club.put('/origins', async (req, res) => {
    const c = clubOnly(await caller(req));
    const body = originsInputSchema.safeParse(req.body);
    if (!body.success) throw new AppError(ErrorCode.BadRequest, zodMessage(body.error.issues));
    const origins = [...new Set(body.data.allowedOrigins.map((o) => o.replace(/\/$/, '')))];
    await repos.clubs.setAllowedOrigins(c.clubId, origins);
    res.json({ allowedOrigins: origins });
  });

  /** A new key: the only time its secret is seen. Rotation is a new key, then the old one revoked. */
  club.post('/api-keys', async (req, res) => {
    const c = clubOnly(await caller(req));
    const body = apiKeyInputSchema.safeParse(req.body ?? {});
    if (!body.success) throw new AppError(ErrorCode.BadRequest, zodMessage(body.error.issues));
    if ((await repos.apiKeys.listByClub(c.clubId)).filter((k) => !k.revokedAt).length >= 20) {
      throw new AppError(ErrorCode.Conflict, 'A club has at most 20 active API keys; revoke one first', 409);
    }
    const k = makeApiKey();
    await repos.apiKeys.add({ id: k.id, clubId: c.clubId, secretHash: k.secretHash, label: body.data.label });
    res.setHeader('Cache-Control', 'no-store');
    res.status(201).json({ id: k.id, key: k.key, label: body.data.label });
  });

  club.delete('/api-keys/:id', async (req, res) => {
    const c = clubOnly(await caller(req));
    const done = await repos.apiKeys.revoke(String(req.params.id), c.clubId);
    if (!done) throw new AppError(ErrorCode.NotFound, 'No such active API key in this club', 404);
    res.status(204).end();
  });

  /**
   * A new join secret, shown once: every token signed with the old one stops working (members in
   * a class stay until their connection drops), and RTMP stream keys change with it.
   */
  club.post('/join-secret', async (req, res) => {
    const c = clubOnly(await caller(req));
    const secret = crypto.randomBytes(32).toString('base64url');
    await repos.clubs.setJoinSecret(c.clubId, secret);
    res.setHeader('Cache-Control', 'no-store');
    res.json({ joinSecret: secret });
  });

  const tokens = express.Router();
  const mintLimiter = (deps.limiters ?? memoryLimiters)('mint', { points: deps.tokenMintRatePerMinute, duration: 60 });
  tokens.post('/', async (req, res) => {
    const c = clubOnly(await caller(req));
    await mintLimiter.consume(c.clubId).catch(() => {
      throw new AppError(ErrorCode.RateLimited, 'Too many tokens minted this minute', 429);
    });
    const body = tokenInputSchema.safeParse(req.body ?? {});
    if (!body.success) throw new AppError(ErrorCode.BadRequest, zodMessage(body.error.issues));
    const t = body.data;
    const ttl = Math.min(t.ttlSeconds ?? deps.tokenDefaultTtlSeconds, deps.tokenMaxTtlSeconds);
    const secret = (await repos.clubs.get(c.clubId))!.joinSecret;
    let token: string;
    if (t.role === 'viewer') {
      const stream = await repos.streams.get(t.streamId!);
      if (!stream || stream.clubId !== c.clubId) throw new AppError(ErrorCode.StreamNotFound, 'No such stream in this club', 404);
      token = await signViewerToken({ club: c.clubId, stream: stream.id, name: t.name, sub: t.identity }, secret, ttl);
    } else {
      const cls = await repos.classes.get(t.classId!);
      if (!cls || cls.clubId !== c.clubId) throw new AppError(ErrorCode.ClassNotFound, 'No such class in this club', 404);
      if (t.moderator && t.role !== 'member') throw new AppError(ErrorCode.BadRequest, 'moderator is for members (a coach moderates anyway)');
      token = await signJoinToken({ club: c.clubId, class: cls.id, role: t.role, name: t.name, sub: t.identity, mod: t.moderator ?? false }, secret, ttl);
    }
    res.setHeader('Cache-Control', 'no-store');
    res.status(201).json({ token, expiresAt: new Date(Date.now() + ttl * 1000).toISOString() });
  });

  return { club, tokens };
}
