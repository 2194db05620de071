import os from 'node:os';
import path from 'node:path';
import proxyaddr from 'proxy-addr';
import { z } from 'zod';
import type { IceSettings } from './auth/turn.js';

const bool = z
  .enum(['0', '1', 'true', 'false', ''])
  .transform((v) => v === '1' || v === 'true');

const port = z.coerce.number().int().min(0).max(65535);

/** Environment variables the backend reads; README's configuration table mirrors this. */
export const envSchema = z
  .object({
    PORT: port.default(8080),
    HOST: z.string().min(1).default('0.0.0.0'),
    PUBLIC_URL: z.url().optional(),
    /** Where embedded data lives; `:memory:` keeps it in memory (tests). */
    DATA_DIR: z.string().min(1).default('./data'),
    DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL').optional(),
    FITLIVE_DEV: bool.default(false),
    NODE_ENV: z.string().optional(),
    /** Lets FITLIVE_DEV or SEED_DEMO run with NODE_ENV=production (a staging box on purpose). */
    FITLIVE_ALLOW_DEV_IN_PRODUCTION: bool.default(false),
    /** `/metrics` asks for `Authorization: Bearer <this>`; with NODE_ENV=production and none, /metrics is off. */
    METRICS_TOKEN: z.string().min(16, 'at least 16 characters').optional(),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    MEDIASOUP_WORKERS: z.coerce.number().int().min(1).max(64).default(os.availableParallelism()),
    MEDIASOUP_WORKER_BIN: z.string().min(1).optional(),
    RTC_LISTEN_IP: z.ipv4().or(z.ipv6()).default('0.0.0.0'),
    RTC_ANNOUNCED_ADDRESS: z.string().min(1).default('127.0.0.1'),
    RTC_MIN_PORT: port.default(40000),
    RTC_MAX_PORT: port.default(49999),
    RTC_ADAPTIVE_LAYERS: bool.default(true),
    SPEAKING_THRESHOLD_DB: z.coerce.number().min(-127).max(0).default(-50),
    TOKEN_MAX_TTL_SECONDS: z.coerce.number().int().min(60).max(86_400).default(4 * 3600),
    JOIN_RATE_PER_MINUTE: z.coerce.number().int().min(1).default(60),
    /** Multiplies every per-connection message allowance (backend/signaling/event-budget.ts). */
    SOCKET_RATE_SCALE: z.coerce.number().min(0.01).max(10_000).default(1),
    TOKEN_DEFAULT_TTL_SECONDS: z.coerce.number().int().min(60).max(86_400).default(900),
    TOKEN_MINT_RATE_PER_MINUTE: z.coerce.number().int().min(1).default(600),
    AUTH_FAILURES_PER_MINUTE: z.coerce.number().int().min(1).default(30),
    SEED_DEMO: bool.optional(),
    /** Keep the demo club's broadcast live (it encodes whenever a coach is in the demo class). */
    DEMO_BROADCAST: bool.optional(),
    /** Comma-separated `stun:` / `turn:` URLs handed to browsers at join. */
    STUN_URLS: z.string().optional(),
    TURN_URLS: z.string().optional(),
    /** The TURN server's shared secret (coturn `static-auth-secret`): time-limited credentials per seat. */
    TURN_SECRET: z.string().min(16).optional(),
    /** `relay` sends all media through TURN (hides addresses; for strict networks). */
    ICE_TRANSPORT_POLICY: z.enum(['all', 'relay']).default('all'),
    /** Broadcast HLS output; default `<DATA_DIR>/hls`. */
    HLS_DIR: z.string().min(1).optional(),
    RTMP_LISTEN_IP: z.string().min(1).default('0.0.0.0'),
    /** Host name encoders are told to push to (default: PUBLIC_URL's host, else localhost). */
    RTMP_PUBLIC_HOST: z.string().min(1).optional(),
    RTMP_MIN_PORT: port.default(19350),
    RTMP_MAX_PORT: port.default(19449),
    /** Signs HLS links (≥ 32 chars); random per start when unset. */
    HLS_LINK_SECRET: z.string().min(32).optional(),
    /** Shared class files; default `<DATA_DIR>/files`. */
    FILES_DIR: z.string().min(1).optional(),
    /** Signs file links; random per start when unset (links then die with a restart; they expire within the hour anyway). */
    FILE_LINK_SECRET: z.string().min(32).optional(),
    SUPABASE_URL: z.url().optional(),
    SUPABASE_JWT_SECRET: z.string().min(16).optional(),
    SUPABASE_JWKS_URL: z.url().optional(),
    SUPABASE_JWT_ISSUER: z.string().min(1).optional(),
    SUPABASE_SERVICE_ROLE_KEY: z.string().min(1).optional(),
    SUPABASE_STORAGE_BUCKET: z.string().min(1).default('fitlive-files'),
    /** Several nodes share Redis (placement, heartbeats, cross-node events); unset: one node. */
    REDIS_URL: z.string().regex(/^rediss?:\/\//, 'must be a redis:// or rediss:// URL').optional(),
    /** This node's name in the cluster (default: host-pid-random). */
    NODE_ID: z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, 'letters, digits, . _ - (≤ 64)').optional(),
    /** Where browsers reach this node itself (not the load balancer); default http://HOST:PORT (alone: PUBLIC_URL). */
    NODE_URL: z.url().optional(),
    /** A node silent this long is gone: its classes move to live nodes. */
    NODE_TTL_MS: z.coerce.number().int().min(500).max(60_000).default(6000),
    /** Video consumers on one router before a class spreads its receivers over routers on other workers. */
    RTC_CONSUMERS_PER_ROUTER: z.coerce.number().int().min(1).default(400),
    /** One WebRtcServer per worker (one UDP/TCP port per worker); 0: a port per transport. */
    RTC_WEBRTC_SERVER: bool.default(true),
    /** First port of the workers' WebRtcServers (worker i listens on this + i); default: any port in the RTC range. */
    RTC_WEBRTC_SERVER_PORT: port.optional(),
    /**
     * Proxies whose X-Forwarded-For is believed for a client's address (rate limits, logs): names
     * (`loopback`, `linklocal`, `uniquelocal`), addresses or CIDRs, comma-separated.
     */
    TRUST_PROXY: z
      .string()
      .default('loopback')
      .refine((v) => {
        try {
          proxyaddr.compile(v.split(',').map((x) => x.trim()).filter(Boolean));
          return true;
        } catch {
          return false;
        }
      }, 'a comma-separated list of loopback, linklocal, uniquelocal, addresses or CIDRs'),
    /** Report errors to Sentry (only when set). */
    SENTRY_DSN: z.url().optional(),
    SENTRY_ENVIRONMENT: z.string().min(1).optional(),
  })
  // The dev token endpoint lets anyone join the demo club, and the demo seed prints its API key.
  .refine((e) => e.NODE_ENV !== 'production' || e.FITLIVE_ALLOW_DEV_IN_PRODUCTION || (!e.FITLIVE_DEV && !e.SEED_DEMO), {
    message: 'FITLIVE_DEV and SEED_DEMO are refused with NODE_ENV=production (set FITLIVE_ALLOW_DEV_IN_PRODUCTION=1 to mean it)',
    path: ['FITLIVE_DEV'],
  })
  .refine((e) => e.RTC_MIN_PORT <= e.RTC_MAX_PORT, { message: 'RTC_MIN_PORT must be ≤ RTC_MAX_PORT', path: ['RTC_MIN_PORT'] })
  .refine((e) => e.ICE_TRANSPORT_POLICY !== 'relay' || !!e.TURN_URLS, { message: 'ICE_TRANSPORT_POLICY=relay needs TURN_URLS', path: ['ICE_TRANSPORT_POLICY'] })
  .refine((e) => !e.TURN_URLS || !!e.TURN_SECRET, { message: 'TURN_URLS needs TURN_SECRET', path: ['TURN_SECRET'] })
  // Links signed on one node are checked on another: the secrets must be the same everywhere.
  .refine((e) => !e.REDIS_URL || (!!e.HLS_LINK_SECRET && !!e.FILE_LINK_SECRET), { message: 'REDIS_URL (several nodes) needs HLS_LINK_SECRET and FILE_LINK_SECRET shared by every node', path: ['REDIS_URL'] })
  .refine((e) => !e.SUPABASE_URL === !e.SUPABASE_SERVICE_ROLE_KEY, { message: 'SUPABASE_URL and SUPABASE_SERVICE_ROLE_KEY go together', path: ['SUPABASE_URL'] });

export interface Config {
  port: number;
  host: string;
  publicUrl: string | undefined;
  dataDir: string;
  databaseUrl: string | undefined;
  dev: boolean;
  logLevel: z.infer<typeof envSchema>['LOG_LEVEL'];
  rtc: {
    workers: number;
    workerBin: string | undefined;
    listenIp: string;
    announcedAddress: string;
    minPort: number;
    maxPort: number;
    adaptiveLayers: boolean;
    speakingThresholdDb: number;
    ice: IceSettings;
    consumersPerRouter: number;
    webRtcServer: { enabled: boolean; port: number | undefined };
  };
  cluster: { redisUrl: string | undefined; nodeId: string | undefined; nodeUrl: string | undefined; ttlMs: number };
  sentry: { dsn: string; environment: string | undefined } | undefined;
  /** Proxies trusted for X-Forwarded-For. */
  trustProxy: string[];
  tokenMaxTtlSeconds: number;
  joinRatePerMinute: number;
  /** Multiplies every per-connection message allowance. */
  socketRateScale: number;
  /** `/metrics`: off, open (not production, no token) or behind a bearer token. */
  metricsAccess: { token?: string | undefined; off: boolean };
  /** Lifetime of a token minted by `POST /api/v1/tokens` when the club asks for none. */
  tokenDefaultTtlSeconds: number;
  tokenMintRatePerMinute: number;
  /** Failed authentications (bad key or token) per client address before it is refused for a minute. */
  authFailuresPerMinute: number;
  /** Supabase Auth sign-in (token exchange); undefined when neither a JWT secret nor a JWKS URL is set. */
  supabaseAuth: { jwtSecret?: string | undefined; jwksUrl?: string | undefined; issuer?: string | undefined } | undefined;
  /** Seed the demo club and class; on by default in dev mode. */
  seedDemo: boolean;
  demoBroadcast: boolean;
  hls: { dir: string; linkSecret: string | undefined };
  rtmp: { listenIp: string; publicHost: string; minPort: number; maxPort: number };
  files: {
    dir: string;
    linkSecret: string | undefined;
    supabase: { url: string; serviceKey: string; bucket: string } | undefined;
  };
}

const urlList = (v: string | undefined) => (v ?? '').split(',').map((u) => u.trim()).filter(Boolean);

export class ConfigError extends Error {
  constructor(readonly issues: string[]) {
    super(`Invalid configuration:\n  ${issues.join('\n  ')}`);
  }
}

/** Reads and validates configuration; throws ConfigError listing every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.') || 'env'}: ${i.message}`));
  }
  const e = parsed.data;
  return {
    port: e.PORT,
    host: e.HOST,
    publicUrl: e.PUBLIC_URL,
    dataDir: e.DATA_DIR === ':memory:' ? e.DATA_DIR : path.resolve(e.DATA_DIR),
    databaseUrl: e.DATABASE_URL,
    dev: e.FITLIVE_DEV,
    logLevel: e.LOG_LEVEL,
    rtc: {
      workers: e.MEDIASOUP_WORKERS,
      workerBin: e.MEDIASOUP_WORKER_BIN,
      listenIp: e.RTC_LISTEN_IP,
      announcedAddress: e.RTC_ANNOUNCED_ADDRESS,
      minPort: e.RTC_MIN_PORT,
      maxPort: e.RTC_MAX_PORT,
      adaptiveLayers: e.RTC_ADAPTIVE_LAYERS,
      speakingThresholdDb: e.SPEAKING_THRESHOLD_DB,
      ice: { stunUrls: urlList(e.STUN_URLS), turnUrls: urlList(e.TURN_URLS), turnSecret: e.TURN_SECRET, transportPolicy: e.ICE_TRANSPORT_POLICY },
      consumersPerRouter: e.RTC_CONSUMERS_PER_ROUTER,
      webRtcServer: { enabled: e.RTC_WEBRTC_SERVER, port: e.RTC_WEBRTC_SERVER_PORT },
    },
    cluster: { redisUrl: e.REDIS_URL, nodeId: e.NODE_ID, nodeUrl: e.NODE_URL ?? (e.REDIS_URL ? undefined : e.PUBLIC_URL), ttlMs: e.NODE_TTL_MS },
    trustProxy: e.TRUST_PROXY.split(',').map((x) => x.trim()).filter(Boolean),
    sentry: e.SENTRY_DSN ? { dsn: e.SENTRY_DSN, environment: e.SENTRY_ENVIRONMENT } : undefined,
    tokenMaxTtlSeconds: e.TOKEN_MAX_TTL_SECONDS,
    joinRatePerMinute: e.JOIN_RATE_PER_MINUTE,
    socketRateScale: e.SOCKET_RATE_SCALE,
    metricsAccess: { token: e.METRICS_TOKEN, off: e.NODE_ENV === 'production' && !e.METRICS_TOKEN },
    tokenDefaultTtlSeconds: Math.min(e.TOKEN_DEFAULT_TTL_SECONDS, e.TOKEN_MAX_TTL_SECONDS),
    tokenMintRatePerMinute: e.TOKEN_MINT_RATE_PER_MINUTE,
    authFailuresPerMinute: e.AUTH_FAILURES_PER_MINUTE,
    supabaseAuth: e.SUPABASE_JWT_SECRET || e.SUPABASE_JWKS_URL ? { jwtSecret: e.SUPABASE_JWT_SECRET, jwksUrl: e.SUPABASE_JWKS_URL, issuer: e.SUPABASE_JWT_ISSUER } : undefined,
    seedDemo: e.SEED_DEMO ?? e.FITLIVE_DEV,
    demoBroadcast: e.DEMO_BROADCAST ?? e.SEED_DEMO ?? e.FITLIVE_DEV,
    rtmp: {
      listenIp: e.RTMP_LISTEN_IP,
      publicHost: e.RTMP_PUBLIC_HOST ?? (e.PUBLIC_URL ? new URL(e.PUBLIC_URL).hostname : 'localhost'),
      minPort: e.RTMP_MIN_PORT,
      maxPort: e.RTMP_MAX_PORT,
    },
    hls: {
      dir: path.resolve(e.HLS_DIR ?? (e.DATA_DIR === ':memory:' ? path.join(os.tmpdir(), `fitlive-hls-${process.pid}`) : path.join(e.DATA_DIR, 'hls'))),
      linkSecret: e.HLS_LINK_SECRET,
    },
    files: {
      dir: path.resolve(e.FILES_DIR ?? (e.DATA_DIR === ':memory:' ? path.join(os.tmpdir(), `fitlive-files-${process.pid}`) : path.join(e.DATA_DIR, 'files'))),
      linkSecret: e.FILE_LINK_SECRET,
      supabase: e.SUPABASE_URL && e.SUPABASE_SERVICE_ROLE_KEY ? { url: e.SUPABASE_URL, serviceKey: e.SUPABASE_SERVICE_ROLE_KEY, bucket: e.SUPABASE_STORAGE_BUCKET } : undefined,
    },
  };
}
