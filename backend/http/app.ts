import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import helmet from 'helmet';
import express, { type NextFunction, type Request, type Response } from 'express';
import expressStaticGzip from 'express-static-gzip';
import { memoryLimiters, type LimiterFactory } from '../rate-limits.js';
import { z } from 'zod';
import { ErrorCode } from '../../protocol/errors.js';
import { roleSchema } from '../../protocol/participants.js';
import { signJoinToken } from '../auth/join-token.js';
import { signViewerToken } from '../auth/viewer-token.js';
import { AppError, toErrorBody } from '../errors.js';
import { assertCleanPayload, assertCleanUrl } from '../input-guards.js';
import type { Logger } from '../logger.js';
import type { Repositories } from '../store/repositories.js';
import { DEMO_CLUB_ID } from '../store/seed.js';
import type { SharedFiles } from '../files/shared-files.js';
import type { HlsLinks } from '../streams/hls-links.js';
import type { StreamControl } from '../streams/stream-manager.js';
import { clubApi } from './club-api.js';
import type { Metrics } from '../metrics.js';
import { authApi } from './auth-api.js';
import { SupabaseAuth, type SupabaseAuthSettings } from '../auth/supabase.js';
import { chatApi } from './chat-api.js';
import { hlsFiles, recordingsApi, streamAnalytics, streamsApi } from './streams-api.js';
import { classesApi, filesApi, publicScheduleApi, type ClassesApiDeps } from './classes-api.js';
import { buildOpenApiDocument, DOCS_CSP, renderDocsHtml } from './openapi.js';

export interface HttpDeps {
  repos: Repositories;
  /** Who may read `/metrics` (open when not given: tests, a dev box). */
  metricsAccess?: { token?: string | undefined; off: boolean } | undefined;
  logger: Logger;
  dev: boolean;
  distDir: string;
  demoDir: string;
  tokenMaxTtlSeconds: number;
  tokenDefaultTtlSeconds: number;
  tokenMintRatePerMinute: number;
  authFailuresPerMinute: number;
  supabaseAuth?: SupabaseAuthSettings | undefined;
  joinRatePerMinute: number;
  health: () => Record<string, unknown>;
  /** Ready to take classes: the store answers and a media worker is up. */
  ready?: () => Promise<boolean>;
  metrics?: Metrics | undefined;
  /** Every class router's RTP capabilities (public, the same for all classes). */
  rtpCapabilities: unknown;
  planChanged: ClassesApiDeps['planChanged'];
  classCancelled: ClassesApiDeps['classCancelled'];
  capacityChanged: ClassesApiDeps['capacityChanged'];
  fileShared: ClassesApiDeps['fileShared'];
  chatFilterChanged(clubId: string, words: string[]): void;
  /** Proxies believed for X-Forwarded-For (TRUST_PROXY). */
  trustProxy?: string[] | undefined;
  /** Per-address limits: in Redis with several nodes (default: this process's memory). */
  limiters?: LimiterFactory | undefined;
  /** The node a class runs on (placing it when it runs nowhere yet). */
  classNode?: (classId: string) => Promise<{ nodeId: string; url: string }>;
  files: SharedFiles;
  streams: StreamControl;
  hlsLinks: HlsLinks;
  rtmp: { publicHost: string; minPort: number; maxPort: number };
}

/** `POST /api/dev/token` (dev mode only). */
export const devTokenSchema = z.object({
  classId: z.string().min(1).max(128),
  role: roleSchema,
  name: z.string().trim().min(1).max(80),
  identity: z.string().min(1).max(256).optional(),
  moderator: z.union([z.boolean(), z.enum(['true', 'false']).transform((v) => v === 'true')]).optional(),
});

/** `POST /api/dev/viewer-token` (dev mode only). */
export const devViewerTokenSchema = z.object({ streamId: z.string().min(1).max(128), name: z.string().trim().min(1).max(80) }).strict();

/** The demo pages run under a strict policy, as a careful club site would: no inline code. */
const DEMO_CSP = [
  "default-src 'self'",
  // Camera counting runs its pose model on WebAssembly, which CSP treats as eval unless allowed.
  "script-src 'self' 'wasm-unsafe-eval'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "media-src 'self' blob:",
  "connect-src 'self' ws: wss:",
  // hls.js (the broadcast player) runs its demuxer in a worker made from a blob; so does the pose model.
  "worker-src 'self' blob:",
  "frame-ancestors 'self'",
].join('; ');

export function createHttpApp(deps: HttpDeps): express.Express {
  const limiters = deps.limiters ?? memoryLimiters;
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', deps.trustProxy ?? ['loopback']);
  // Security headers on every answer. The pages that need a Content-Security-Policy set their own
  // (the demo site, /api/docs); the widget bundle and HLS are fetched cross-origin by club sites.
  app.use(helmet({ contentSecurityPolicy: false, crossOriginResourcePolicy: { policy: 'cross-origin' }, crossOriginEmbedderPolicy: false, crossOriginOpenerPolicy: false }));

  // Browsers ask for it on every page; the demo has none (a club site has its own).
  app.get('/favicon.ico', (_req, res) => void res.status(204).end());

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok', ...deps.health() });
  });

  // For load balancers: take traffic only when the store answers and a media worker is up.
  app.get('/readyz', async (_req, res) => {
    const ready = await (deps.ready?.() ?? Promise.resolve(true)).catch(() => false);
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'not_ready' });
  });

  // Prometheus scrapes this (keep it on the private network, as with any /metrics).
  app.get('/metrics', async (req, res) => {
    if (!deps.metrics || deps.metricsAccess?.off) throw new AppError(ErrorCode.NotFound, 'Metrics are off (in production they need METRICS_TOKEN)', 404);
    const token = deps.metricsAccess?.token;
    if (token && !sameSecret(req.get('authorization') ?? '', `Bearer ${token}`)) {
      res.setHeader('WWW-Authenticate', 'Bearer realm="metrics"');
      throw new AppError(ErrorCode.Unauthorized, 'Metrics need the bearer token', 401);
    }
    res.setHeader('Content-Type', deps.metrics.registry.contentType);
    res.setHeader('Cache-Control', 'no-store');
    res.send(await deps.metrics.registry.metrics());
  });

  // The widget bundle is loaded cross-origin by club sites (module scripts need CORS). The build
  // writes Brotli and gzip copies next to each file; the best one the browser accepts is sent.
  const serveDist = expressStaticGzip(deps.distDir, {
    enableBrotli: true,
    orderPreference: ['br', 'gzip'],
    index: false,
    serveStatic: {
      index: false,
      setHeaders(res, file) {
        res.setHeader('Access-Control-Allow-Origin', '*');
        // The unversioned stub and the manifest change with a release; everything else has a
        // content hash in its name (fitlive.<hash>.js, chunks/*-<hash>.js): cache it for good.
        const name = path.basename(file).replace(/\.(br|gz)$/, '');
        res.setHeader('Cache-Control', name === 'fitlive.js' || name === 'fitlive.manifest.json' ? 'public, max-age=300' : 'public, max-age=31536000, immutable');
      },
    },
    });
  // Never in front of the API, and a path it cannot read (say a malformed %-escape) is not its
  // error to answer: the request goes on to the routes, which answer with a stable code.
  app.use((req, res, next) => (req.path.startsWith('/api/') ? next() : serveDist(req, res, () => next())));

  const api = express.Router();
  api.use((req, _res, next) => {
    const q = req.originalUrl.indexOf('?');
    assertCleanUrl(req.path, q < 0 ? '' : req.originalUrl.slice(q + 1));
    next();
  });
  api.use(express.json({ limit: '16kb' }));
  // After parsing, before any route: no NUL, no absurd nesting (a parse error is a 400 already).
  api.use((req, _res, next) => {
    if (req.body !== undefined && typeof req.body === 'object') assertCleanPayload(req.body);
    next();
  });

  // Public and identical for every class: club sites fetch it cross-origin while the socket connects.
  api.get('/rtp-capabilities', (_req, res) => {
    res.setHeader('Access-Control-Allow-Origin', '*');
    res.setHeader('Cache-Control', 'public, max-age=300');
    res.json({ routerRtpCapabilities: deps.rtpCapabilities });
  });

  // The API described as OpenAPI 3.1 (backend/http/openapi.ts), and as a page made from it.
  const openApi = buildOpenApiDocument({ dev: deps.dev });
  const openApiJson = JSON.stringify(openApi);
  const docsHtml = renderDocsHtml(openApi);
  api.get('/docs/openapi.json', (_req, res) => {
    res.setHeader('Access-Control-Allow-Origin', '*');
    res.setHeader('Cache-Control', 'public, max-age=300');
    res.type('application/json').send(openApiJson);
  });
  api.get('/docs', (_req, res) => {
    res.setHeader('Content-Security-Policy', DOCS_CSP);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'no-referrer');
    res.setHeader('Cache-Control', 'public, max-age=300');
    res.type('html').send(docsHtml);
  });

  api.get('/classes/:id', async (req, res) => {
    const record = await deps.repos.classes.get(req.params.id!);
    if (!record) throw new AppError(ErrorCode.ClassNotFound, 'No such class', 404);
    res.json({ id: record.id, title: record.title, coachName: record.coachName, status: record.status });
  });

  if (deps.dev) {
    const limiter = limiters('dev-token', { points: deps.joinRatePerMinute, duration: 60 });
    // DEV ONLY: hands anyone a token for the demo club. Off unless FITLIVE_DEV=1.
    api.post('/dev/token', async (req, res) => {
      await limiter.consume(req.ip ?? 'unknown').catch(() => {
        throw new AppError(ErrorCode.RateLimited, 'Too many token requests; wait a minute', 429);
      });
      const body = devTokenSchema.safeParse(req.body);
      if (!body.success) throw new AppError(ErrorCode.BadRequest, body.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
      const record = await deps.repos.classes.get(body.data.classId);
      if (!record || record.clubId !== DEMO_CLUB_ID) throw new AppError(ErrorCode.ClassNotFound, 'No such demo class', 404);
      const club = await deps.repos.clubs.get(record.clubId);
      const ttl = Math.min(3600, deps.tokenMaxTtlSeconds);
      const token = await signJoinToken(
        { club: record.clubId, class: record.id, role: body.data.role, name: body.data.name, sub: body.data.identity ?? `demo-${crypto.randomUUID()}`, mod: body.data.moderator ?? false },
        club!.joinSecret,
        ttl,
      );
      res.json({ token, expiresIn: ttl });
    });

    // DEV ONLY: a demo club stream's analytics for the demo site (a club shows them from its own server, with its API key).
    api.get('/dev/streams/:id/analytics', async (req, res) => {
      const stream = await deps.repos.streams.get(String(req.params.id));
      if (!stream || stream.clubId !== DEMO_CLUB_ID) throw new AppError(ErrorCode.StreamNotFound, 'Dev analytics are only for the demo club', 404);
      res.json({ ...(await streamAnalytics(deps.repos, stream.id)), title: stream.title, status: stream.status, viewers: await deps.repos.streams.watching(stream.id) });
    });

    // DEV ONLY: a viewer token for a demo club stream (demo-site/broadcast.html).
    api.post('/dev/viewer-token', async (req, res) => {
      await limiter.consume(req.ip ?? 'unknown').catch(() => {
        throw new AppError(ErrorCode.RateLimited, 'Too many token requests', 429);
      });
      const body = devViewerTokenSchema.safeParse(req.body);
      if (!body.success) throw new AppError(ErrorCode.BadRequest, body.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
      const stream = await deps.repos.streams.get(body.data.streamId);
      if (!stream || stream.clubId !== DEMO_CLUB_ID) throw new AppError(ErrorCode.StreamNotFound, 'Dev viewer tokens are only for the demo club', 404);
      const club = await deps.repos.clubs.get(DEMO_CLUB_ID);
      const ttl = Math.min(3600, deps.tokenMaxTtlSeconds);
      const token = await signViewerToken({ club: DEMO_CLUB_ID, stream: stream.id, name: body.data.name, sub: `demo-viewer-${crypto.randomUUID()}` }, club!.joinSecret, ttl);
      res.json({ token, expiresIn: ttl });
    });
  }

  // The REST API is called from club sites too (the widget fetches summaries and uploads files).
  // Bearer tokens, never cookies: a preflight may pass for any site, and each request is then
  // answered only for origins the caller's club allows (backend/http/callers.ts).
  api.use('/v1', (req, res, next) => {
    const origin = req.get('origin');
    if (origin) {
      res.setHeader('Access-Control-Allow-Origin', origin);
      res.setHeader('Vary', 'Origin');
    }
    if (req.method !== 'OPTIONS') return next();
    res.setHeader('Access-Control-Allow-Methods', 'GET, POST, PUT, PATCH, DELETE');
    res.setHeader('Access-Control-Allow-Headers', 'authorization, content-type');
    res.setHeader('Access-Control-Max-Age', '600');
    res.status(204).end();
  });
  // Failed authentications (401s) per client address: past the limit, refused for a minute
  // before any key or token is even checked (guessing keys gets nowhere fast).
  const authFailures = limiters('auth-failures', { points: deps.authFailuresPerMinute, duration: 60 });
  api.use('/v1', (req, res, next) => {
    if (req.method === 'OPTIONS') return next();
    const who = req.ip ?? 'unknown';
    void authFailures.get(who).then((seen) => {
      if (seen && seen.remainingPoints <= 0) {
        res.setHeader('Retry-After', String(Math.max(1, Math.ceil(seen.msBeforeNext / 1000))));
        return next(new AppError(ErrorCode.RateLimited, 'Too many failed authentications from this address; wait a minute', 429));
      }
      res.on('finish', () => {
        if (res.statusCode === 401) void authFailures.consume(who).catch(() => undefined);
      });
      next();
    }, next);
  });
  api.use(
    '/v1/auth',
    authApi({
      repos: deps.repos,
      supabase: deps.supabaseAuth ? new SupabaseAuth(deps.supabaseAuth) : undefined,
      tokenDefaultTtlSeconds: deps.tokenDefaultTtlSeconds,
      tokenMaxTtlSeconds: deps.tokenMaxTtlSeconds,
      tokenMintRatePerMinute: deps.tokenMintRatePerMinute,
      limiters,
    }),
  );
  const club = clubApi({ repos: deps.repos, tokenMaxTtlSeconds: deps.tokenMaxTtlSeconds, tokenDefaultTtlSeconds: deps.tokenDefaultTtlSeconds, tokenMintRatePerMinute: deps.tokenMintRatePerMinute, limiters });
  api.use('/v1/club', club.club);
  api.use('/v1/tokens', club.tokens);
  // Public, like the socket handshake's redirect: where a class's sockets go. Clients and load
  // balancers may ask first; the widget simply follows the handshake's `wrong_node` answer.
  api.get('/v1/classes/:id/node', async (req, res) => {
    res.setHeader('Access-Control-Allow-Origin', '*');
    const id = String(req.params.id);
    const cls = id.length <= 128 ? await deps.repos.classes.get(id) : undefined;
    if (!cls) throw new AppError(ErrorCode.ClassNotFound, 'No such class', 404);
    const node = deps.classNode ? await deps.classNode(cls.id) : undefined;
    if (!node) throw new AppError(ErrorCode.NotFound, 'Placement is off', 404);
    res.setHeader('Cache-Control', 'no-store');
    res.json({ classId: cls.id, nodeId: node.nodeId, url: node.url });
  });
  api.use(
    '/v1/classes',
    classesApi({
      repos: deps.repos,
      tokenMaxTtlSeconds: deps.tokenMaxTtlSeconds,
      planChanged: deps.planChanged,
      classCancelled: deps.classCancelled,
      capacityChanged: deps.capacityChanged,
      fileShared: deps.fileShared,
      files: deps.files,
    }),
  );
  api.use('/v1/chat', chatApi({ repos: deps.repos, tokenMaxTtlSeconds: deps.tokenMaxTtlSeconds, filterChanged: deps.chatFilterChanged }));
  api.use('/v1/files', filesApi(deps.repos, deps.files));
  const streamDeps = { repos: deps.repos, streams: deps.streams, links: deps.hlsLinks, tokenMaxTtlSeconds: deps.tokenMaxTtlSeconds, rtmp: deps.rtmp };
  api.use('/v1/streams', streamsApi(streamDeps));
  api.use('/v1/recordings', recordingsApi(streamDeps));
  api.use('/public', publicScheduleApi(deps.repos));

  api.use((_req, _res, next) => next(new AppError(ErrorCode.NotFound, 'No such endpoint', 404)));
  app.use('/api', api);
  app.use('/hls', hlsFiles(deps.streams, deps.hlsLinks));

  if (fs.existsSync(deps.demoDir)) {
    app.use(
      express.static(deps.demoDir, {
        extensions: ['html'],
        setHeaders(res, file) {
          if (path.extname(file) === '.html') res.setHeader('Content-Security-Policy', DEMO_CSP);
        },
      }),
    );
  }

  app.use((err: unknown, req: Request, res: Response, _next: NextFunction) => {
    // express.json's parse errors carry a 4xx status: they are the client's fault.
    const status = (err as { status?: number }).status;
    if ((err as { type?: string }).type === 'entity.too.large') {
      res.status(413).json({ error: { code: ErrorCode.PayloadTooLarge, message: 'The request body is too large' } });
      return;
    }
    if (!(err instanceof AppError) && status && status >= 400 && status < 500) {
      res.status(status).json({ error: { code: ErrorCode.BadRequest, message: 'Malformed request body' } });
      return;
    }
    if (!(err instanceof AppError)) deps.logger.error({ err, path: req.path }, 'request failed');
    const body = toErrorBody(err);
    deps.metrics?.errors.inc({ code: body.code, surface: 'http' });
    res.status(err instanceof AppError ? err.httpStatus : 500).json({ error: body });
  });
  return app;
}

/** Compares two secrets in constant time (for their length). */
function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && crypto.timingSafeEqual(a, b);
}
