import type { types as ms } from 'mediasoup';
import { ErrorCode } from '../../protocol/errors.js';
import type { MediaSource } from '../../protocol/participants.js';
import type { ConsumerOptions, JoinDtlsParameters, TransportOptions } from '../../protocol/signaling.js';
import { AppError } from '../errors.js';
import type { WorkerPool } from './worker-pool.js';

/** Codecs every class router offers: Opus, VP8 (simulcast everywhere), H.264 for Safari. */
export const MEDIA_CODECS: ms.RouterRtpCodecCapability[] = [
  { kind: 'audio', mimeType: 'audio/opus', clockRate: 48000, channels: 2 },
  { kind: 'video', mimeType: 'video/VP8', clockRate: 90000 },
  {
    kind: 'video',
    mimeType: 'video/H264',
    clockRate: 90000,
    parameters: { 'packetization-mode': 1, 'profile-level-id': '42e01f', 'level-asymmetry-allowed': 1 },
  },
];

const ABS_CAPTURE_TIME = 'http://www.webrtc.org/experiments/rtp-hdrext/abs-capture-time';

/**
 * A producer's parameters without abs-capture-time. When it is negotiated, mediasoup takes each
 * stream's capture instant from it instead of from sender reports, and it may switch a consumer
 * to another simulcast layer only once that layer's capture instant is known. Chromium sends the
 * extension too rarely on its simulcast layers for that: consumers stayed on their first layer
 * for good (no switch down for small tiles, none up for big ones, a stall when a layer vanished).
 * Sender reports come for every layer every second.
 */
export function withoutAbsCaptureTime(rtpParameters: Record<string, unknown>): Record<string, unknown> {
  const exts = rtpParameters.headerExtensions;
  if (!Array.isArray(exts)) return rtpParameters;
  return { ...rtpParameters, headerExtensions: exts.filter((h: { uri?: unknown }) => h?.uri !== ABS_CAPTURE_TIME) };
}

export interface TransportSettings {
  /**
   * Let the tile size choose each video consumer's simulcast layer (on by default); visibility
   * (pause/resume) always applies.
   */
  adaptiveLayers?: boolean;
  /** Audio level (dBov, -127…0) above which a microphone counts as speaking. */
  speakingThresholdDb?: number;
  listenIp: string;
  announcedAddress: string;
  minPort: number;
  maxPort: number;
  /** Consumers on one router before new receivers go to a router on another worker (piped). */
  consumersPerRouter?: number;
}

/** Where a peer's receive transport lives, and how producers reach it (ClassMedia decides). */
export interface ReceiveRouting {
  /** The router for a new receive transport: the class's own, or one it spread to. */
  routerForReceiving(): Promise<ms.Router>;
  /** Makes a producer of the class's router consumable on `router` (pipeToRouter, once). */
  reach(producerId: string, router: ms.Router): Promise<void>;
}

export interface ProducerEntry {
  producer: ms.Producer;
  ownerId: string;
  source: MediaSource;
}

/** Wraps a mediasoup call so the worker's rejection of client input reaches the client as media_error. */
async function media<T>(what: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof AppError) throw err;
    throw new AppError(ErrorCode.MediaError, `${what} failed: ${(err as Error).message}`);
  }
}

/** One participant's transports, producers and consumers on the class router. */
/** WebRTC transports one seat may hold at once (its send and receive ones, and a spare pair). */
export const MAX_TRANSPORTS_PER_PEER = 4;

export class PeerMedia {
  private readonly transports = new Map<string, ms.WebRtcTransport>();
  /** Plain RTP inputs (simulated publishers), closed with the peer. */
  private readonly plainTransports = new Set<ms.PlainTransport>();
  readonly producers = new Map<string, ProducerEntry>();
  private readonly consumers = new Map<string, ms.Consumer>();
  private closed = false;

  constructor(
    readonly participantId: string,
    private readonly router: ms.Router,
    private readonly settings: TransportSettings,
    private readonly rtpCapabilities: ms.RtpCapabilities,
    private readonly onConsumerClosed: (consumerId: string) => void,
    private readonly onAudioProducer?: (producer: ms.Producer) => void,
    private readonly routing?: ReceiveRouting,
  ) {}

  /**
   * A WebRTC transport for this peer. With the browser's DTLS parameters (known at the join) it is
   * connected at once, so DTLS starts the moment ICE does instead of after one more round trip.
   */
  async createTransport(direction: 'send' | 'recv', dtlsParameters?: JoinDtlsParameters): Promise<TransportOptions> {
    // A seat needs two (the join makes them); a client may make its own, but not without end:
    // each holds a port and worker memory.
    if (this.transports.size >= MAX_TRANSPORTS_PER_PEER) throw new AppError(ErrorCode.LimitReached, `At most ${MAX_TRANSPORTS_PER_PEER} transports per seat`, 429);
    const s = this.settings;
    const router = direction === 'recv' && this.routing ? await this.routing.routerForReceiving() : this.router;
    const webRtcServer = (router.appData as { webRtcServer?: ms.WebRtcServer }).webRtcServer;
    const listen = { ip: s.listenIp, announcedAddress: s.announcedAddress, portRange: { min: s.minPort, max: s.maxPort } };
    const transport = await media('createWebRtcTransport', () =>
      router.createWebRtcTransport({
        // The worker's one shared port when it has a WebRtcServer, else a port of the range.
        ...(webRtcServer && !webRtcServer.closed
          ? { webRtcServer }
          : {
              listenInfos: [
                { protocol: 'udp' as const, ...listen },
                { protocol: 'tcp' as const, ...listen },
              ],
            }),
        preferUdp: true,
        initialAvailableOutgoingBitrate: 1_000_000,
        appData: { direction, router },
      }),
    );
    this.assertOpen(() => transport.close());
    this.transports.set(transport.id, transport);
    transport.observer.once('close', () => this.transports.delete(transport.id));
    if (dtlsParameters) await media('connect', () => transport.connect({ dtlsParameters }));
    return {
      id: transport.id,
      iceParameters: transport.iceParameters,
      iceCandidates: transport.iceCandidates,
      dtlsParameters: transport.dtlsParameters,
    };
  }

  /** New ICE credentials for a transport; the browser restarts ICE with them. */
  async restartIce(transportId: string): Promise<unknown> {
    const transport = this.transport(transportId);
    return media('restartIce', () => transport.restartIce());
  }

  async connectTransport(transportId: string, dtlsParameters: Record<string, unknown>): Promise<void> {
    const transport = this.transport(transportId);
    await media('connect', () => transport.connect({ dtlsParameters: dtlsParameters as unknown as ms.DtlsParameters }));
  }

  async produce(transportId: string, kind: ms.MediaKind, rtpParameters: Record<string, unknown>, source: MediaSource): Promise<ProducerEntry> {
    const transport = this.transport(transportId);
    if (transport.appData.direction !== 'send') throw new AppError(ErrorCode.BadRequest, 'Produce on a receive transport');
    const expected = source === 'mic' || source === 'screen-audio' ? 'audio' : 'video';
    if (kind !== expected) throw new AppError(ErrorCode.BadRequest, `A ${source} track must be ${expected}`);
    for (const p of this.producers.values()) {
      if (p.source === source) throw new AppError(ErrorCode.BadRequest, `Already publishing ${source}`);
    }
    const producer = await media('produce', () =>
      transport.produce({ kind, rtpParameters: withoutAbsCaptureTime(rtpParameters) as unknown as ms.RtpParameters, appData: { source } }),
    );
    this.assertOpen(() => producer.close());
    // Who is speaking comes from microphones only (a shared video's sound is not a person).
    if (source === 'mic') this.onAudioProducer?.(producer);
    const entry: ProducerEntry = { producer, ownerId: this.participantId, source };
    this.producers.set(producer.id, entry);
    producer.observer.once('close', () => this.producers.delete(producer.id));
    return entry;
  }

  /**
   * A track that arrives as plain RTP instead of WebRTC (the benchmarks' simulated publishers):
   * a comedia PlainTransport on this peer's router, the producer registered as this peer's, so
   * everyone else consumes it as they would a browser's. Returns the port to send RTP to.
   */
  async producePlain(kind: ms.MediaKind, rtpParameters: ms.RtpParameters, source: MediaSource): Promise<{ entry: ProducerEntry; port: number }> {
    const transport = await media('createPlainTransport', () =>
      this.router.createPlainTransport({ listenInfo: { protocol: 'udp', ip: this.settings.listenIp, announcedAddress: this.settings.announcedAddress }, comedia: true, rtcpMux: true, appData: { direction: 'plain' } }),
    );
    this.assertOpen(() => transport.close());
    this.plainTransports.add(transport);
    transport.observer.once('close', () => this.plainTransports.delete(transport));
    const producer = await media('produce', () => transport.produce({ kind, rtpParameters, appData: { source } }));
    const entry: ProducerEntry = { producer, ownerId: this.participantId, source };
    this.producers.set(producer.id, entry);
    producer.observer.once('close', () => this.producers.delete(producer.id));
    return { entry, port: transport.tuple.localPort };
  }

  /** Stops one of this peer's tracks. */
  closeProducer(producerId: string): void {
    const entry = this.producers.get(producerId);
    if (!entry) throw new AppError(ErrorCode.NotFound, `Track ${producerId} not found`, 404);
    entry.producer.close();
  }

  /**
   * A consumer of `entry`. Paused by default: the client resumes it once its track is wired, or
   * its first keyframe would be lost. The join's own are made unpaused (`paused: false`): nothing
   * flows before the client has wired them all and its receive transport connects.
   */
  async consume(entry: ProducerEntry, { paused = true }: { paused?: boolean } = {}): Promise<ConsumerOptions> {
    const { producer } = entry;
    if (!this.router.canConsume({ producerId: producer.id, rtpCapabilities: this.rtpCapabilities })) {
      throw new AppError(ErrorCode.MediaError, 'This browser cannot decode that track');
    }
    const transport = [...this.transports.values()].find((t) => t.appData.direction === 'recv');
    if (!transport) throw new AppError(ErrorCode.BadRequest, 'Create a receive transport first');
    for (const c of this.consumers.values()) {
      if (c.producerId === producer.id) throw new AppError(ErrorCode.BadRequest, 'Already consuming that track');
    }
    // A receive transport on another router gets the producer through a pipe first.
    if (this.routing && (transport.appData.router as ms.Router | undefined) !== this.router) await media('pipeToRouter', () => this.routing!.reach(producer.id, transport.appData.router as ms.Router));
    const consumer = await media('consume', () =>
      transport.consume({
        producerId: producer.id,
        rtpCapabilities: this.rtpCapabilities,
        paused,
        appData: { ownerId: entry.ownerId },
        // Start video on the middle layer: a smaller keyframe comes sooner, and a publisher under
        // CPU or bandwidth pressure drops its top layer first, which must not stall a new viewer.
        ...(producer.kind === 'video' ? { preferredLayers: { spatialLayer: 1, temporalLayer: 2 } } : {}),
      }),
    );
    this.assertOpen(() => consumer.close());
    this.consumers.set(consumer.id, consumer);
    consumer.observer.once('close', () => {
      this.consumers.delete(consumer.id);
      if (!this.closed) this.onConsumerClosed(consumer.id);
    });
    return {
      consumerId: consumer.id,
      producerId: producer.id,
      participantId: entry.ownerId,
      kind: consumer.kind,
      source: entry.source,
      rtpParameters: consumer.rtpParameters,
      paused,
    };
  }

  async resumeConsumer(consumerId: string): Promise<void> {
    const consumer = this.consumers.get(consumerId);
    if (!consumer) throw new AppError(ErrorCode.NotFound, `Consumer ${consumerId} not found`, 404);
    await media('resume', () => consumer.resume());
  }

  /**
   * What the client's view needs of a video consumer: paused when its tile is hidden, and the
   * simulcast layer that fits the tile's size (0 small … 2 large).
   */
  async setView(consumerId: string, view: { visible: boolean; spatialLayer: number }): Promise<void> {
    const consumer = this.consumers.get(consumerId);
    if (!consumer) throw new AppError(ErrorCode.NotFound, `Consumer ${consumerId} not found`, 404);
    if (consumer.kind !== 'video') throw new AppError(ErrorCode.BadRequest, 'Only video follows the view');
    if (!view.visible) {
      if (!consumer.paused) await media('pause', () => consumer.pause());
      return;
    }
    if (this.settings.adaptiveLayers && (consumer.type === 'simulcast' || consumer.type === 'svc')) {
      await media('setPreferredLayers', () => consumer.setPreferredLayers({ spatialLayer: view.spatialLayer, temporalLayer: 2 }));
    }
    if (consumer.paused) await media('resume', () => consumer.resume());
  }

  /** What each consumer sends, from mediasoup's stats (benchmarks, diagnostics): not for hot paths. */
  async consumerStats(): Promise<Array<{ ownerId: string | undefined; kind: string; paused: boolean; currentSpatialLayer: number | undefined; bitrate: number; byteCount: number }>> {
    return Promise.all(
      [...this.consumers.values()].map(async (c) => {
        const out = (await c.getStats()).find((s) => s.type === 'outbound-rtp');
        return { ownerId: (c.appData as { ownerId?: string }).ownerId, kind: c.kind, paused: c.paused, currentSpatialLayer: c.currentLayers?.spatialLayer, bitrate: out?.bitrate ?? 0, byteCount: out?.byteCount ?? 0 };
      }),
    );
  }

  /** This peer's camera as received: bytes so far per simulcast layer, in encoding order (benchmarks). */
  async cameraLayerBytes(): Promise<number[]> {
    const camera = [...this.producers.values()].find((p) => p.source === 'camera')?.producer;
    if (!camera) return [];
    const stats = await camera.getStats();
    return camera.rtpParameters.encodings!.map((e) => stats.find((s) => s.ssrc === e.ssrc || (e.rid !== undefined && s.rid === e.rid))?.byteCount ?? 0);
  }

  /** Read-only view of this peer's video consumers (metrics, tests). */
  videoConsumers(): Array<{ id: string; ownerId: string | undefined; paused: boolean; preferredSpatialLayer: number | undefined; currentSpatialLayer: number | undefined }> {
    return [...this.consumers.values()]
      .filter((c) => c.kind === 'video')
      .map((c) => ({
        id: c.id,
        ownerId: (c.appData as { ownerId?: string }).ownerId,
        paused: c.paused,
        preferredSpatialLayer: c.preferredLayers?.spatialLayer,
        currentSpatialLayer: c.currentLayers?.spatialLayer,
      }));
  }

  /**
   * Caps what the SFU sends this peer (bits/s; 0 lifts the cap), as a slow downlink would: its
   * consumers' layers follow the bitrate there is. For tests of layer switching.
   */
  async capReceiving(bitsPerSecond: number): Promise<void> {
    const transport = [...this.transports.values()].find((t) => t.appData.direction === 'recv');
    if (!transport) throw new AppError(ErrorCode.BadRequest, 'No receive transport');
    await media('setMaxOutgoingBitrate', () => transport.setMaxOutgoingBitrate(bitsPerSecond));
  }

  /** Stops receiving everything `ownerId` publishes (they are no longer visible to this peer). */
  closeConsumersOf(ownerId: string): void {
    for (const c of [...this.consumers.values()]) {
      if ((c.appData as { ownerId?: string }).ownerId === ownerId) c.close();
    }
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const t of this.transports.values()) t.close();
    for (const t of this.plainTransports) t.close();
    this.transports.clear();
    this.plainTransports.clear();
    this.producers.clear();
    this.consumers.clear();
  }

  private transport(id: string): ms.WebRtcTransport {
    const t = this.transports.get(id);
    if (!t) throw new AppError(ErrorCode.NotFound, `Transport ${id} not found`, 404);
    return t;
  }

  /** A peer closed while the worker was busy must not keep what the worker just made. */
  private assertOpen(dispose: () => void): void {
    if (this.closed) {
      dispose();
      throw new AppError(ErrorCode.NotJoined, 'Left the class');
    }
  }
}

/** Who is speaking now (participant ids, loudest first); called only when it changes. */
export type SpeakingListener = (participantIds: string[]) => void;

/**
 * A class's router and its peers' media. Everyone publishes to the class's router. A class too
 * big for one worker spreads its receivers: once a router carries `consumersPerRouter` consumers,
 * new receive transports go to a router on the least-loaded other worker, and each producer is
 * piped there (once per router) when first consumed. One worker then forwards each track once
 * per extra router instead of once per receiver.
 */
export class ClassMedia implements ReceiveRouting {
  private readonly peers = new Map<string, PeerMedia>();
  private speaking: string[] = [];
  /** Routers this class spread to, with their consumer counts (the class's router is first). */
  private readonly receiving: Array<{ router: ms.Router; consumers: number }> = [];
  private spreading: Promise<ms.Router> | undefined;
  private readonly piped = new Map<string, Promise<unknown>>();
  /** Called when a router the class spread to closes under it (its worker died). */
  onRouterLost: (() => void) | undefined;
  private closed = false;

  private constructor(
    readonly router: ms.Router,
    private readonly settings: TransportSettings,
    private readonly levels: ms.AudioLevelObserver | undefined,
    onSpeaking: SpeakingListener | undefined,
    private readonly pool: WorkerPool | undefined,
  ) {
    this.track(router);
    // The worker samples every microphone and reports the loud ones a few times a second;
    // the class hears about it only when the set of speakers changes.
    const changed = (ids: string[]) => {
      if (ids.length === this.speaking.length && ids.every((id, i) => id === this.speaking[i])) return;
      this.speaking = ids;
      onSpeaking?.(ids);
    };
    levels?.on('volumes', (volumes) => changed([...new Set(volumes.map((v) => (v.producer.appData as { ownerId?: string }).ownerId ?? ''))].filter(Boolean)));
    levels?.on('silence', () => changed([]));
  }

  private track(router: ms.Router): void {
    const entry = { router, consumers: 0 };
    this.receiving.push(entry);
    router.observer.on('newtransport', (t) =>
      t.observer.on('newconsumer', (c) => {
        entry.consumers++;
        c.observer.once('close', () => entry.consumers--);
      }),
    );
    if (router === this.router) return;
    router.observer.once('close', () => {
      const i = this.receiving.indexOf(entry);
      if (i >= 0) this.receiving.splice(i, 1);
      if (!this.closed) this.onRouterLost?.();
    });
  }

  async routerForReceiving(): Promise<ms.Router> {
    const limit = this.settings.consumersPerRouter ?? Infinity;
    const open = this.receiving.filter((r) => !r.router.closed);
    const roomy = open.find((r) => r.consumers < limit);
    if (roomy) return roomy.router;
    // A piped producer keeps its id, and ids are unique per worker: one router per worker.
    const pids = open.map((r) => (r.router.appData as { workerPid?: number }).workerPid ?? -1);
    if (!this.pool?.hasWorkerOutside(pids)) return open.reduce((a, b) => (b.consumers < a.consumers ? b : a), open[0]!).router;
    // One new router at a time, however many receivers arrive together.
    this.spreading ??= this.pool
      .createRouter(MEDIA_CODECS, { avoid: pids })
      .then((router) => {
        if (this.closed) router.close();
        else this.track(router);
        return router;
      })
      .finally(() => (this.spreading = undefined));
    return this.spreading;
  }

  async reach(producerId: string, router: ms.Router): Promise<void> {
    const key = `${router.id}:${producerId}`;
    let pipe = this.piped.get(key);
    if (!pipe) {
      // mediasoup keeps one pipe transport pair per pair of routers and closes the piped
      // producer with the original.
      pipe = this.router.pipeToRouter({ producerId, router });
      this.piped.set(key, pipe);
      pipe.catch(() => this.piped.delete(key));
    }
    await pipe;
  }

  /** Routers of this class and their consumers (tests, diagnostics). */
  routers(): Array<{ router: ms.Router; workerPid: number | undefined; consumers: number }> {
    return this.receiving.map((r) => ({ router: r.router, workerPid: (r.router.appData as { workerPid?: number }).workerPid, consumers: r.consumers }));
  }

  /**
   * The RTP capabilities every class router has (they follow from MEDIA_CODECS alone), so a
   * browser can load its device while its socket is still connecting.
   */
  static async routerCapabilities(pool: WorkerPool): Promise<ms.RtpCapabilities> {
    const router = await pool.createRouter(MEDIA_CODECS);
    const caps = router.rtpCapabilities;
    router.close();
    return caps;
  }

  static async create(pool: WorkerPool, settings: TransportSettings, onSpeaking?: SpeakingListener): Promise<ClassMedia> {
    const router = await pool.createRouter(MEDIA_CODECS);
    const levels = onSpeaking ? await router.createAudioLevelObserver({ maxEntries: 4, threshold: settings.speakingThresholdDb ?? -50, interval: 400 }) : undefined;
    return new ClassMedia(router, settings, levels, onSpeaking, pool);
  }

  get rtpCapabilities(): ms.RtpCapabilities {
    return this.router.rtpCapabilities;
  }

  addPeer(participantId: string, rtpCapabilities: Record<string, unknown>, onConsumerClosed: (id: string) => void): PeerMedia {
    this.removePeer(participantId);
    const peer = new PeerMedia(
      participantId,
      this.router,
      this.settings,
      rtpCapabilities as unknown as ms.RtpCapabilities,
      onConsumerClosed,
      (producer) => {
        producer.appData.ownerId = participantId;
        this.levels?.addProducer({ producerId: producer.id }).catch(() => undefined);
      },
      this,
    );
    this.peers.set(participantId, peer);
    return peer;
  }

  peer(participantId: string): PeerMedia | undefined {
    return this.peers.get(participantId);
  }

  removePeer(participantId: string): void {
    this.peers.get(participantId)?.close();
    this.peers.delete(participantId);
  }

  producer(producerId: string): ProducerEntry | undefined {
    for (const peer of this.peers.values()) {
      const p = peer.producers.get(producerId);
      if (p) return p;
    }
    return undefined;
  }

  allProducers(): ProducerEntry[] {
    return [...this.peers.values()].flatMap((p) => [...p.producers.values()]);
  }

  close(): void {
    this.closed = true;
    for (const p of this.peers.values()) p.close();
    this.peers.clear();
    for (const r of this.receiving) if (r.router !== this.router) r.router.close();
    this.router.close();
  }
}
