import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Server as SocketServer } from 'socket.io';
import { ConfigError, loadConfig, type Config } from './config.js';
import { createHttpApp } from './http/app.js';
import { createLogger, type Logger } from './logger.js';
import { ClassMedia, type PeerMedia } from './media/class-media.js';
import { WorkerPool } from './media/worker-pool.js';
import { LocalFileStorage, SharedFiles, SupabaseFileStorage } from './files/shared-files.js';
import { LiveClasses, type LiveClass } from './signaling/live-classes.js';
import { HlsLinks } from './streams/hls-links.js';
import { StreamManager } from './streams/stream-manager.js';
import { offerFreedSeats } from './signaling/waitlist.js';
import { attachSignaling } from './signaling/server.js';
import { Connection } from './signaling/connection.js';
import { ViewerChat } from './signaling/viewer-chat.js';
import { Metrics } from './metrics.js';
import { VIEWER_NAMESPACE } from '../protocol/viewer-chat.js';
import { openDb } from './store/db.js';
import { migrate } from './store/migrate.js';
import { createRepositories, type Repositories } from './store/repositories.js';
import { DEMO_CLASS_ID, DEMO_STREAM_ID, seedDemo } from './store/seed.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export interface RunningServer {
  url: string;
  port: number;
  config: Config;
  logger: Logger;
  repos: Repositories;
  files: SharedFiles;
  streams: StreamManager;
  workerPids(): number[];
  /** Fault injection for tests: cuts every socket of a class at the transport, as a network drop would. */
  dropConnections(classId: string): number;
  /** A participant's video consumers as the SFU sees them (tests, diagnostics). */
  videoConsumers(classId: string, participantId: string): ReturnType<PeerMedia['videoConsumers']>;
  /**
   * Benchmarks: a seated participant publishes a track as plain RTP (see PeerMedia.producePlain);
   * the class is told as for a browser's track. Resolves with the UDP port to send to.
   */
  publishPlain(classId: string, participantId: string, kind: 'audio' | 'video', rtpParameters: unknown): Promise<{ port: number; producerId: string }>;
  /** Benchmarks: what one participant's consumers send, by owner (bytes, bitrate, layer) from mediasoup's stats. */
  consumerStats(classId: string, participantId: string): Promise<Array<{ ownerId: string | undefined; kind: string; paused: boolean; currentSpatialLayer: number | undefined; bitrate: number; byteCount: number }>>;
  /** Benchmarks: per mediasoup worker, routers, producers, consumers and CPU seconds so far. */
  workerStats(): ReturnType<WorkerPool['stats']>;
  /** Benchmarks: the mediasoup router of a live class (server-side consumers for the fan-out bench). */
  classRouter(classId: string): import('mediasoup').types.Router | undefined;
  /** Benchmarks: a participant's camera as received, bytes so far per simulcast layer (lowest first). */
  producerLayerBytes(classId: string, participantId: string): Promise<number[]>;
  stop(): Promise<void>;
}

/** The composition root: the only place concrete parts are wired together. */
export async function start(config: Config, opts: { logger?: Logger } = {}): Promise<RunningServer> {
  const logger = opts.logger ?? createLogger(config.logLevel);
  if (config.dev) logger.warn('FITLIVE_DEV=1: the dev token endpoint is on; anyone can join the demo club. Never use this in production.');

  // The database and the mediasoup workers start in parallel: neither needs the other.
  const poolReady = WorkerPool.create({
    size: config.rtc.workers,
    workerBin: config.rtc.workerBin,
    rtcMinPort: config.rtc.minPort,
    rtcMaxPort: config.rtc.maxPort,
    logger,
  });
  poolReady.catch(() => undefined); // awaited below; avoid an unhandled rejection meanwhile
  const db = await openDb({ databaseUrl: config.databaseUrl, dataDir: config.dataDir }).catch(async (err: unknown) => {
    await (await poolReady.catch(() => undefined))?.close();
    throw err;
  });
  const applied = await migrate(db);
  if (applied.length) logger.info({ applied }, 'migrations applied');
  const repos = createRepositories(db);
  const stale = await repos.attendance.closeAllOpen();
  if (stale) logger.info({ stale }, 'closed attendance left open by the previous run');
  if (config.seedDemo) {
    const { newApiKey } = await seedDemo(repos);
    if (newApiKey) logger.warn({ apiKey: newApiKey }, 'Demo club API key (shown this once; only its hash is stored)');
  }

  const pool = await poolReady;
  // `io` is made below, once the HTTP app exists; classes only emit after that.
  const liveClasses = new LiveClasses(pool, config.rtc, logger, repos, (channel, name, payload) => {
    io.to(channel).emit(name, payload);
    viewerChat.mirror(channel, name, payload);
  });
  const rtpCapabilities = await ClassMedia.routerCapabilities(pool);
  const metrics = new Metrics({
    liveClasses: () => liveClasses.totals(),
    workers: () => pool.stats(),
    hlsViewers: async () => (await Promise.all((await repos.streams.listLive()).map((s) => repos.streams.watching(s.id)))).reduce((a, b) => a + b, 0),
  });
  const files = new SharedFiles(
    config.files.supabase ? new SupabaseFileStorage(config.files.supabase.url, config.files.supabase.serviceKey, config.files.supabase.bucket) : new LocalFileStorage(config.files.dir),
    config.files.linkSecret ? Buffer.from(config.files.linkSecret) : crypto.randomBytes(32),
  );
  const streams = new StreamManager(repos, liveClasses, config.hls.dir, logger, config.rtmp);
  const hlsLinks = new HlsLinks(config.hls.linkSecret ? Buffer.from(config.hls.linkSecret) : crypto.randomBytes(32));
  if (config.seedDemo && config.demoBroadcast) {
    const demo = await repos.streams.get(DEMO_STREAM_ID);
    if (demo && demo.status !== 'live') await repos.streams.setStatus(DEMO_STREAM_ID, 'live');
  }
  await repos.recordings.failUnfinished();
  // Broadcasts that were live when the previous run stopped carry on (same playlists).
  for (const s of await repos.streams.listLive()) await streams.start(s, { resume: true }).catch((err: Error) => logger.error({ streamId: s.id, err: err.message }, 'could not resume a broadcast'));
  const stateOf = (live: LiveClass) => liveClasses.sendState(live);

  const app = createHttpApp({
    repos,
    logger,
    dev: config.dev,
    distDir: path.join(root, 'dist'),
    demoDir: path.join(root, 'demo-site'),
    tokenMaxTtlSeconds: config.tokenMaxTtlSeconds,
    tokenDefaultTtlSeconds: config.tokenDefaultTtlSeconds,
    tokenMintRatePerMinute: config.tokenMintRatePerMinute,
    authFailuresPerMinute: config.authFailuresPerMinute,
    supabaseAuth: config.supabaseAuth,
    metrics,
    ready: async () => pool.size > 0 && (await db.query('SELECT 1')).rows.length === 1,
    joinRatePerMinute: config.joinRatePerMinute,
    health: () => ({ workers: pool.size, liveClasses: liveClasses.count }),
    rtpCapabilities,
    planChanged: (classId, plan) => {
      const live = liveClasses.get(classId);
      if (!live) return;
      live.rules.replacePlan(plan);
      liveClasses.sendState(live);
    },
    classCancelled: (classId) => liveClasses.end(classId),
    capacityChanged: (classId, capacity) => {
      const live = liveClasses.get(classId);
      if (!live) return;
      live.rules.seats.capacity = capacity;
      offerFreedSeats(live, () => stateOf(live));
      stateOf(live);
    },
    fileShared: (classId, file) => {
      const live = liveClasses.get(classId);
      if (live) io.to(live.channel).emit('file:shared', files.link(file));
    },
    streams,
    hlsLinks,
    rtmp: config.rtmp,
    chatFilterChanged: (clubId, words) => liveClasses.forClub(clubId, (live) => (live.social.blockedWords = words)),
    files,
  });
  const server = http.createServer(app);
  const io = new SocketServer(server, {
    // Any site may open a socket; the club's origin allow-list is enforced per connection.
    cors: { origin: true },
    maxHttpBufferSize: 64 * 1024,
    pingInterval: 10_000,
    pingTimeout: 8_000,
  });
  const viewerChat = new ViewerChat(io.of(VIEWER_NAMESPACE), {
    repos,
    liveClasses,
    isLive: (streamId) => streams.isRunning(streamId),
    logger,
    tokenMaxTtlSeconds: config.tokenMaxTtlSeconds,
    joinRatePerMinute: config.joinRatePerMinute,
    metrics,
  });
  attachSignaling(io, { repos, liveClasses, files, viewerChat, metrics, ice: config.rtc.ice, logger, tokenMaxTtlSeconds: config.tokenMaxTtlSeconds, joinRatePerMinute: config.joinRatePerMinute });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, resolve);
  });
  const port = (server.address() as AddressInfo).port;
  const url = config.publicUrl ?? `http://localhost:${port}`;
  logger.info({ url, workers: pool.size }, 'FitLive is up');

  let stopping: Promise<void> | undefined;
  return {
    url,
    port,
    config,
    logger,
    repos,
    files,
    streams,
    workerPids: () => pool.pids(),
    dropConnections: (classId) => {
      let n = 0;
      for (const socket of io.of('/').sockets.values()) {
        if ((socket.data as { identity?: { classId: string } }).identity?.classId !== classId) continue;
        socket.conn.close();
        n++;
      }
      return n;
    },
    videoConsumers: (classId, participantId) => liveClasses.get(classId)?.media.peer(participantId)?.videoConsumers() ?? [],
    publishPlain: async (classId, participantId, kind, rtpParameters) => {
      const live = liveClasses.get(classId);
      const seat = live?.seats.get(participantId);
      const peer = live?.media.peer(participantId);
      if (!live || !peer || !(seat instanceof Connection)) throw new Error(`${participantId} is not seated in ${classId}`);
      const { entry, port } = await peer.producePlain(kind, rtpParameters as never, kind === 'audio' ? 'mic' : 'camera');
      seat.notifyReceivers('producer:added', { producerId: entry.producer.id, participantId, kind, source: entry.source });
      return { port, producerId: entry.producer.id };
    },
    workerStats: () => pool.stats(),
    classRouter: (classId) => liveClasses.get(classId)?.media.router,
    producerLayerBytes: async (classId, participantId) => (await liveClasses.get(classId)?.media.peer(participantId)?.cameraLayerBytes()) ?? [],
    consumerStats: async (classId, participantId) => (await liveClasses.get(classId)?.media.peer(participantId)?.consumerStats()) ?? [],
    stop: () =>
      (stopping ??= (async () => {
        await streams.stopAll();
        await liveClasses.closeAll();
        await new Promise<void>((resolve) => io.close(() => resolve()));
        server.closeAllConnections();
        await pool.close();
        await repos.attendance.closeAllOpen().catch(() => 0);
        await db.close();
      })()),
  };
}

async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(2);
    }
    throw err;
  }
  const running = await start(config);
  if (config.seedDemo) {
    running.logger.info(`Demo club: ${running.url}/  ·  coach: ${running.url}/coach.html?class=${DEMO_CLASS_ID}  ·  member: ${running.url}/member.html?class=${DEMO_CLASS_ID}  ·  broadcast: ${running.url}/broadcast.html`);
  }
  const shutdown = (signal: string) => {
    running.logger.info({ signal }, 'shutting down');
    running.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', () => shutdown('SIGINT'));
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  // A bug in one handler must not take every class down with it.
  process.on('uncaughtException', (err) => running.logger.fatal({ err }, 'uncaught exception'));
  process.on('unhandledRejection', (err) => running.logger.error({ err }, 'unhandled rejection'));
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  void main();
}
