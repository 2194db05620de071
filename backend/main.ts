import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createAdapter } from '@socket.io/redis-adapter';
import { createClient } from 'redis';
import { Server as SocketServer } from 'socket.io';
import { ClusterBus, clusterActionHandler } from './cluster/bus.js';
import { RedisCluster, SingleNode, type Cluster } from './cluster/cluster.js';
import { ConfigError, loadConfig, type Config } from './config.js';
import { createHttpApp } from './http/app.js';
import { createLogger, type Logger } from './logger.js';
import { sentrySink } from './error-reporting.js';
import { memoryLimiters, redisLimiters, type LimiterFactory } from './rate-limits.js';
import { ClassMedia, type PeerMedia } from './media/class-media.js';
import { WorkerPool } from './media/worker-pool.js';
import { LocalFileStorage, SharedFiles, SupabaseFileStorage } from './files/shared-files.js';
import { LiveClasses } from './signaling/live-classes.js';
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
  /** Benchmarks: where the class would put a new receiver of `producerId` (piped there when needed). */
  receivingRouter(classId: string, producerId: string): Promise<import('mediasoup').types.Router>;
  /** Tests: the routers a live class uses (its own first, then those it spread to) and their consumers. */
  classRouters(classId: string): ReturnType<ClassMedia['routers']>;
  /** This node in the cluster (placement of classes; one node alone without REDIS_URL). */
  cluster: Cluster;
  /** Benchmarks: a participant's camera as received, bytes so far per simulcast layer (lowest first). */
  producerLayerBytes(classId: string, participantId: string): Promise<number[]>;
  /** Caps what the SFU sends a seat (bits/s, 0 lifts it), as a slow downlink would (tests). */
  capReceiving(classId: string, participantId: string, bitsPerSecond: number): Promise<void>;
  stop(): Promise<void>;
}

const packageVersion = () => (JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string }).version;

/** The composition root: the only place concrete parts are wired together. */
export async function start(config: Config, opts: { logger?: Logger } = {}): Promise<RunningServer> {
  const reporting = await sentrySink(config.sentry, packageVersion());
  const logger = opts.logger ?? createLogger(config.logLevel, reporting?.sink);
  if (reporting) logger.info('errors are reported to Sentry');
  if (config.dev) logger.warn('FITLIVE_DEV=1: the dev token endpoint is on; anyone can join the demo club. Never use this in production.');

  // The database and the mediasoup workers start in parallel: neither needs the other.
  const poolReady = WorkerPool.create({
    size: config.rtc.workers,
    workerBin: config.rtc.workerBin,
    rtcMinPort: config.rtc.minPort,
    rtcMaxPort: config.rtc.maxPort,
    webRtcServer: config.rtc.webRtcServer.enabled ? { listenIp: config.rtc.listenIp, announcedAddress: config.rtc.announcedAddress, port: config.rtc.webRtcServer.port } : undefined,
    logger,
  });
  poolReady.catch(() => undefined); // awaited below; avoid an unhandled rejection meanwhile
  const db = await openDb({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, onPoolError: (err) => logger.warn({ err: err.message }, 'postgres: an idle connection was lost; the pool opens another') }).catch(async (err: unknown) => {
    await (await poolReady.catch(() => undefined))?.close();
    throw err;
  });
  const applied = await migrate(db);
  if (applied.length) logger.info({ applied }, 'migrations applied');
  const repos = createRepositories(db);
  // Alone, anything left open is this node's previous run's; in a cluster it may be another node's.
  const alone = !config.cluster.redisUrl;
  const stale = alone ? await repos.attendance.closeAllOpen() : 0;
  if (stale) logger.info({ stale }, 'closed attendance left open by the previous run');
  if (config.seedDemo) {
    const { newApiKey } = await seedDemo(repos);
    if (newApiKey) logger.warn({ apiKey: newApiKey }, 'Demo club API key (shown this once; only its hash is stored)');
  }

  const pool = await poolReady;
  // `io` is made below, once the HTTP app exists; classes only emit after that.
  // Members of a class are all on the node running it (the handshake sends them there), so class
  // notifications stay on this node; the chat also goes to viewers, who may be on any node.
  const liveClasses = new LiveClasses(
    pool,
    config.rtc,
    logger,
    repos,
    (channel, name, payload) => {
      // Viewers first: their copy crosses Redis to other nodes while this node writes to members.
      viewerChat.mirror(channel, name, payload);
      io.local.to(channel).emit(name, payload);
    },
    (classId) => void clusterReady.then((c) => c.release(classId)).catch((err: Error) => logger.warn({ classId, err: err.message }, 'could not release a class placement')),
  );
  const rtpCapabilities = await ClassMedia.routerCapabilities(pool);
  const metrics = new Metrics({
    liveClasses: () => liveClasses.totals(),
    workers: () => pool.stats(),
    clusterNodes: async () => (await (await clusterReady).nodes()).length,
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
  if (alone) {
    await repos.recordings.failUnfinished();
    // Broadcasts that were live when the previous run stopped carry on (same playlists).
    for (const s of await repos.streams.listLive()) await streams.start(s, { resume: true }).catch((err: Error) => logger.error({ streamId: s.id, err: err.message }, 'could not resume a broadcast'));
  }

  // Several nodes: Socket.IO's Redis adapter carries broadcasts and server-to-server events.
  const redisPair: Array<{ close(): Promise<unknown> }> = [];
  let adapter: ReturnType<typeof createAdapter> | undefined;
  let limiters: LimiterFactory = memoryLimiters;
  if (config.cluster.redisUrl) {
    const pub = createClient({ url: config.cluster.redisUrl });
    const sub = pub.duplicate();
    for (const c of [pub, sub]) c.on('error', (err: Error) => logger.error({ err: err.message }, 'redis (adapter) error'));
    await Promise.all([pub.connect(), sub.connect()]);
    redisPair.push(pub, sub);
    adapter = createAdapter(pub, sub, { key: 'fitlive', requestsTimeout: 3000 });
    limiters = redisLimiters(pub);
  }
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
    metricsAccess: config.metricsAccess,
    ready: async () => pool.size > 0 && (await db.query('SELECT 1')).rows.length === 1,
    joinRatePerMinute: config.joinRatePerMinute,
    health: () => ({ workers: pool.size, liveClasses: liveClasses.count }),
    rtpCapabilities,
    planChanged: (classId, plan) => bus.publish({ type: 'class-plan', classId, plan }),
    classCancelled: (classId) => bus.publish({ type: 'class-cancelled', classId }),
    capacityChanged: (classId, capacity) => bus.publish({ type: 'class-capacity', classId, capacity }),
    fileShared: (classId, file) => bus.publish({ type: 'class-file', classId, file }),
    streams: {
      dirOf: (id) => streams.dirOf(id),
      recordingDir: (id) => streams.recordingDir(id),
      makeMp4: (id) => streams.makeMp4(id),
      // A class's broadcast is encoded where the class runs (its router is there).
      start: async (stream) => {
        const cluster = await clusterReady;
        if (stream.source.type !== 'class' || !cluster.shared) return streams.start(stream);
        const owner = await cluster.place(stream.source.classId);
        if (owner.id === cluster.nodeId) return streams.start(stream);
        bus.publish({ type: 'stream-start', streamId: stream.id, classId: stream.source.classId });
      },
      stop: async (streamId) => {
        if (streams.isRunning(streamId) || !(await clusterReady).shared) return streams.stop(streamId);
        bus.publish({ type: 'stream-stop', streamId });
      },
    },
    hlsLinks,
    rtmp: config.rtmp,
    chatFilterChanged: (clubId, words) => bus.publish({ type: 'club-chat-filter', clubId, words }),
    limiters,
    trustProxy: config.trustProxy,
    classNode: async (classId) => {
      const node = await (await clusterReady).place(classId);
      return { nodeId: node.id, url: node.url };
    },
    files,
  });
  const server = http.createServer(app);
  const io = new SocketServer(server, {
    ...(adapter ? { adapter } : {}),
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
    socketRateScale: config.socketRateScale,
    metrics,
    limiters,
    trustProxy: config.trustProxy,
  });
  // The cluster needs this node's URL, known once it listens; handshakes wait for it.
  let resolveCluster!: (c: Cluster) => void;
  const clusterReady = new Promise<Cluster>((r) => (resolveCluster = r));
  attachSignaling(io, { repos, liveClasses, files, viewerChat, metrics, limiters, trustProxy: config.trustProxy, cluster: clusterReady, ice: config.rtc.ice, logger, tokenMaxTtlSeconds: config.tokenMaxTtlSeconds, joinRatePerMinute: config.joinRatePerMinute, socketRateScale: config.socketRateScale });

  const bus = new ClusterBus(io, redisPair.length > 0, (action) => applyAction(action));
  const applyAction = clusterActionHandler({ liveClasses, streams, repos, files, cluster: clusterReady, logger, emitLocal: (channel, name, payload) => void io.local.to(channel).emit(name, payload) });
  // A viewer on another node writes into a class running here.
  bus.answer('fitlive:viewer-send', (msg: Parameters<ViewerChat['sendHere']>[0]) => (liveClasses.get(msg.data.classId) ? viewerChat.sendHere(msg) : Promise.resolve(null)));
  viewerChat.forward = (msg) => bus.ask('fitlive:viewer-send', msg);

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, resolve);
  });
  const port = (server.address() as AddressInfo).port;
  const url = config.publicUrl ?? `http://localhost:${port}`;
  const nodeUrl = config.cluster.nodeUrl ?? (config.cluster.redisUrl ? `http://${config.host === '0.0.0.0' || config.host === '::' ? os.hostname() : config.host}:${port}` : url);
  const clusterOptions = { nodeId: config.cluster.nodeId, url: nodeUrl, workers: pool.size, load: () => liveClasses.totals(), logger };
  const cluster: Cluster = config.cluster.redisUrl
    ? await RedisCluster.connect(config.cluster.redisUrl, { ...clusterOptions, ttlMs: config.cluster.ttlMs })
    : new SingleNode(clusterOptions);
  resolveCluster(cluster);
  logger.info({ url, nodeUrl, nodeId: cluster.nodeId, workers: pool.size }, 'FitLive is up');

  let stopping: Promise<void> | undefined;
  return {
    url,
    port,
    config,
    logger,
    repos,
    files,
    streams,
    cluster,
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
    receivingRouter: async (classId, producerId) => {
      const media = liveClasses.get(classId)?.media;
      if (!media) throw new Error(`${classId} is not live`);
      const router = await media.routerForReceiving();
      if (router !== media.router) await media.reach(producerId, router);
      return router;
    },
    classRouters: (classId) => liveClasses.get(classId)?.media.routers() ?? [],
    producerLayerBytes: async (classId, participantId) => (await liveClasses.get(classId)?.media.peer(participantId)?.cameraLayerBytes()) ?? [],
    capReceiving: async (classId, participantId, bitsPerSecond) => {
      const peer = liveClasses.get(classId)?.media.peer(participantId);
      if (!peer) throw new Error(`${participantId} has no media in ${classId}`);
      await peer.capReceiving(bitsPerSecond);
    },
    consumerStats: async (classId, participantId) => (await liveClasses.get(classId)?.media.peer(participantId)?.consumerStats()) ?? [],
    stop: () =>
      (stopping ??= (async () => {
        // Take no new connections (a widget retrying now would reach a node that no longer
        // answers), and leave the cluster: new joins go elsewhere while this node winds down.
        server.close();
        server.closeIdleConnections();
        await cluster.close();
        await streams.stopAll();
        await liveClasses.closeAll();
        // A stop is a restart or a deploy as far as a class knows: drop each connection as a network
        // would, so the widgets reconnect and rejoin (a Socket.IO disconnect would tell them to stay away).
        for (const socket of io.of('/').sockets.values()) socket.conn.close();
        await new Promise<void>((resolve) => io.close(() => resolve()));
        await Promise.all(redisPair.map((c) => c.close().catch(() => undefined)));
        server.closeAllConnections();
        await pool.close();
        if (alone) await repos.attendance.closeAllOpen().catch(() => 0);
        await db.close();
        await reporting?.flush();
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
    running.logger.info(`Demo club: ${running.url}/  ·  coach: ${running.url}/coach.html?class=${DEMO_CLASS_ID}  ·  member: ${running.url}/member.html?class=${DEMO_CLASS_ID}  ·  broadcast: ${running.url}/broadcast.html  ·  practice (camera counting): ${running.url}/practice.html`);
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
  // After an uncaught exception the process's state is unknown: stop (state stored, widgets told
  // to reconnect) and exit non-zero, so the orchestrator starts a clean one; the widgets rejoin it
  // within seconds (test/e2e/backend-restart.test.ts). A rejected promise nobody awaited is a bug
  // in one handler, logged; it does not take every class down.
  process.on('uncaughtException', (err) => {
    running.logger.fatal({ err }, 'uncaught exception: stopping');
    const exit = setTimeout(() => process.exit(1), 10_000);
    exit.unref();
    void running.stop().finally(() => process.exit(1));
  });
  process.on('unhandledRejection', (err) => running.logger.error({ err }, 'unhandled rejection'));
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  void main();
}
