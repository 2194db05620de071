import { Device } from 'mediasoup-client';
import { ErrorCode } from '../../protocol/error-codes.js';
import { FitError } from './fit-error.js';
import type { types as msc } from 'mediasoup-client';

type Consumer = msc.Consumer;
type Producer = msc.Producer;
type RtpCapabilities = msc.RtpCapabilities;
type Transport = msc.Transport;

/** The ICE servers and policy the server handed out with the join. */
export interface IceOptions {
  iceServers: RTCIceServer[];
  iceTransportPolicy: RTCIceTransportPolicy;
}
import type { MediaSource } from '../../protocol/participants.js';
import type { ConsumerOptions, JoinDtlsParameters, TransportOptions } from '../../protocol/signaling.js';
import type { SignalingClient } from './signaling-client.js';

/**
 * Camera simulcast: three spatial layers so each viewer's tile pulls only what it shows
 * (a 40-member grid takes the low layer; the coach on a big screen the high one).
 */
export const CAMERA_SIMULCAST: msc.RtpEncodingParameters[] = [
  { rid: 'q', scaleResolutionDownBy: 4, maxBitrate: 150_000, scalabilityMode: 'L1T3' },
  { rid: 'h', scaleResolutionDownBy: 2, maxBitrate: 450_000, scalabilityMode: 'L1T3' },
  { rid: 'f', scaleResolutionDownBy: 1, maxBitrate: 1_200_000, scalabilityMode: 'L1T3' },
];

let warmDevice: Promise<Device> | undefined;
/** A device already loaded with a server's capabilities, made while the lobby showed. */
let warmLoaded: Promise<{ device: Device; caps: unknown } | undefined> | undefined;
/**
 * The DTLS certificate this page's connections use. Made ahead, so its fingerprint goes with the
 * join and the server connects the transports at once (ICE then DTLS, no round trip between).
 */
let certificate: Promise<RTCCertificate | undefined> | undefined;

function pageCertificate(): Promise<RTCCertificate | undefined> {
  certificate ??= (typeof RTCPeerConnection?.generateCertificate === 'function'
    ? RTCPeerConnection.generateCertificate({ name: 'ECDSA', namedCurve: 'P-256' } as EcKeyGenParams)
    : Promise.reject(new Error('no generateCertificate'))
  ).catch(() => undefined);
  return certificate;
}

/**
 * A local consume (an SDP renegotiation in the browser) that has not settled by then never will:
 * seen about once in ten recoveries from a dropped connection or a dead worker. The room then
 * joins again instead of waiting forever.
 */
const CONSUME_TIMEOUT_MS = 6000;

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new FitError(ErrorCode.MediaTimeout, 'Receiving a track took too long')), ms);
    p.then(
      (v) => (clearTimeout(t), resolve(v)),
      (e) => (clearTimeout(t), reject(e)),
    );
  });
}

/**
 * Starts mediasoup-client's browser detection ahead of need: joining calls this before the
 * socket connects, so the two overlap instead of adding up.
 */
export function prewarmDevice(caps?: Promise<unknown>): void {
  void pageCertificate();
  if (caps && !warmLoaded) {
    // The lobby's warm-up: detection, the capabilities and the device's load all before the click.
    const device = warmDevice ?? Device.factory();
    warmDevice = undefined;
    warmLoaded = Promise.all([device, caps])
      .then(async ([d, c]) => (c ? (await d.load({ routerRtpCapabilities: c as RtpCapabilities }), { device: d, caps: c }) : undefined))
      .catch(() => undefined);
    return;
  }
  if (!warmLoaded) warmDevice ??= Device.factory();
}

/** How a seat's connection to the media server is doing, for the room to show and act on. */
export type IceHealth = 'ok' | 'restarting' | 'failed';

/** ICE that stays `disconnected` this long is restarted; `failed` is restarted at once. */
const ICE_GRACE_MS = 1500;
/** Restarts before giving up on the transports (the room then joins again). */
const ICE_RESTARTS = 4;

/** The mediasoup-client side of one seat: a send and a receive transport over one device. */
export class MediaSession {
  /** Told when a transport's ICE needs a restart, recovers, or cannot be recovered. */
  onIceHealth: ((health: IceHealth) => void) | undefined;
  private readonly iceTimers = new Map<string, ReturnType<typeof setTimeout>>();
  private sendTransport: Transport | undefined;
  private recvTransport: Transport | undefined;
  private readonly consumers = new Map<string, Consumer>();
  private readonly producers = new Map<string, Producer>();

  /** The transports were connected by the server at the join: their `connect` needs no request. */
  private preconnected = false;

  private constructor(
    private readonly device: Device,
    private readonly signaling: SignalingClient,
    private readonly certificate: RTCCertificate | undefined,
  ) {}

  static async create(signaling: SignalingClient, routerRtpCapabilities: unknown): Promise<MediaSession> {
    const cert = pageCertificate();
    // A device loads once: take the one the lobby loaded with these very capabilities, or the
    // warm one, and let the next join warm its own.
    const loaded = await warmLoaded;
    if (loaded && loaded.caps === routerRtpCapabilities) {
      warmLoaded = undefined;
      return new MediaSession(loaded.device, signaling, await cert);
    }
    const pending = warmDevice ?? Device.factory();
    warmDevice = undefined;
    const device = await pending;
    await device.load({ routerRtpCapabilities: routerRtpCapabilities as RtpCapabilities });
    return new MediaSession(device, signaling, await cert);
  }

  get rtpCapabilities(): RtpCapabilities {
    return this.device.rtpCapabilities;
  }

  /** This page's DTLS side for the join (undefined: the transports connect the usual way). */
  get dtlsParameters(): JoinDtlsParameters | undefined {
    // (Upper-case hex: as the SDP writes it, and as the SFU compares it.)
    const fingerprints = this.certificate
      ?.getFingerprints()
      .filter((f) => f.algorithm === 'sha-256' && !!f.value)
      .map((f) => ({ algorithm: 'sha-256' as const, value: f.value!.toUpperCase() }));
    return fingerprints?.length ? { role: 'client', fingerprints } : undefined;
  }

  /** Builds the local side of a transport the server made. */
  private wire(direction: 'send' | 'recv', opts: TransportOptions, ice: IceOptions): Transport {
    const params = {
      id: opts.id,
      iceParameters: opts.iceParameters as never,
      iceCandidates: opts.iceCandidates as never,
      dtlsParameters: opts.dtlsParameters as never,
      // Only what the server hands out: the SFU is usually reachable directly, and no public STUN
      // lookups happen from inside a club's page. TURN (time-limited credentials) when configured.
      iceServers: ice.iceServers,
      iceTransportPolicy: ice.iceTransportPolicy,
      ...(this.certificate ? { additionalSettings: { certificates: [this.certificate] } } : {}),
    };
    const transport = direction === 'send' ? this.device.createSendTransport(params) : this.device.createRecvTransport(params);
    transport.on('connectionstatechange', (state) => this.watchIce(transport, state));
    transport.on('connect', ({ dtlsParameters }, done, fail) => {
      if (this.preconnected) return done();
      this.signaling
        .request('transport:connect', { transportId: transport.id, dtlsParameters: dtlsParameters as unknown as Record<string, unknown> })
        .then(() => done(), fail);
    });
    if (direction === 'send') {
      transport.on('produce', ({ kind, rtpParameters, appData }, done, fail) => {
        this.signaling
          .request('media:produce', { transportId: transport.id, kind, rtpParameters: rtpParameters as unknown as Record<string, unknown>, source: appData.source as MediaSource })
          .then(({ producerId }) => done({ id: producerId }), fail);
      });
    }
    return transport;
  }

  /**
   * ICE restart without a rejoin: a transport whose path broke (Wi-Fi to 4G, a NAT rebinding,
   * a blocked port) gets fresh ICE credentials from the server and reconnects in place, with
   * its producers and consumers. Only when that keeps failing does the room join again.
   */
  private watchIce(transport: Transport, state: RTCPeerConnectionState): void {
    if (state === 'connected') {
      this.clearIceTimer(transport.id);
      if (![this.sendTransport, this.recvTransport].some((t) => t && t.connectionState !== 'connected' && t.connectionState !== 'new' && t.connectionState !== 'connecting')) this.onIceHealth?.('ok');
      return;
    }
    if ((state !== 'disconnected' && state !== 'failed') || this.iceTimers.has(transport.id)) return;
    this.scheduleIceRestart(transport, 1, state === 'failed' ? 0 : ICE_GRACE_MS);
  }

  private scheduleIceRestart(transport: Transport, attempt: number, delayMs: number): void {
    this.iceTimers.set(
      transport.id,
      setTimeout(() => void this.restartIce(transport, attempt), delayMs),
    );
  }

  private async restartIce(transport: Transport, attempt: number): Promise<void> {
    if (transport.closed || transport.connectionState === 'connected') return this.clearIceTimer(transport.id);
    if (attempt > ICE_RESTARTS) {
      this.clearIceTimer(transport.id);
      this.onIceHealth?.('failed');
      return;
    }
    this.onIceHealth?.('restarting');
    // The signalling is down too (a backend restart): the request would wait and reach the next
    // server, which has not seen this seat yet; the rejoin after the reconnection makes new transports.
    if (!this.signaling.connected) return this.scheduleIceRestart(transport, attempt, 1000);
    try {
      const { iceParameters } = await this.signaling.request('transport:restart-ice', { transportId: transport.id });
      if (!transport.closed) await transport.restartIce({ iceParameters: iceParameters as never });
    } catch (err) {
      console.warn('[fitlive] ICE restart failed', err);
    }
    // Check again a little later; each try waits longer (the network may still be settling).
    this.scheduleIceRestart(transport, attempt + 1, 2000 * attempt);
  }

  private clearIceTimer(id: string): void {
    const t = this.iceTimers.get(id);
    if (t) clearTimeout(t);
    this.iceTimers.delete(id);
  }

  private markAdopted!: () => void;
  /** Settles once the join's transports are wired: a track announced earlier waits for them. */
  private readonly adopted = new Promise<void>((resolve) => (this.markAdopted = resolve));

  /** Uses the transports the server made during the join (no round trip). */
  adopt(transports: { send: TransportOptions; recv: TransportOptions }, ice: IceOptions = { iceServers: [], iceTransportPolicy: 'all' }, connected = false): void {
    // (Only a page that sent its certificate's fingerprint gets its transports connected.)
    this.preconnected = connected && !!this.certificate;
    this.sendTransport = this.wire('send', transports.send, ice);
    this.recvTransport = this.wire('recv', transports.recv, ice);
    this.markAdopted();
  }

  async publish(track: MediaStreamTrack, source: MediaSource): Promise<void> {
    if (!this.sendTransport) throw new Error('adopt() first');
    if (!this.device.canProduce(track.kind as 'audio' | 'video')) return;
    // A shared screen is text and diagrams: keep it sharp, one good layer (members see it large).
    if (source === 'screen') track.contentHint = 'detail';
    const producer = await this.sendTransport.produce({
      track,
      appData: { source },
      stopTracks: false,
      ...(source === 'camera'
        ? { encodings: CAMERA_SIMULCAST }
        : source === 'screen'
          ? { encodings: [{ maxBitrate: 1_500_000 }] }
          : { codecOptions: { opusDtx: source === 'mic', opusFec: true } }),
    });
    this.producers.set(producer.id, producer);
  }

  /** Stops publishing one source, here and on the server. */
  async unpublish(source: MediaSource): Promise<void> {
    for (const [id, producer] of this.producers) {
      if ((producer.appData as { source?: string }).source !== source) continue;
      producer.close();
      this.producers.delete(id);
      await this.signaling.request('media:unproduce', { producerId: id }).catch(() => undefined);
    }
  }

  /**
   * Receives remote tracks; resolves once the server has resumed them. The server round trips
   * run in parallel and the local consumers are created in the same tick, which mediasoup-client
   * folds into one SDP renegotiation.
   */
  async receive(producerIds: string[]): Promise<Array<{ track: MediaStreamTrack; options: ConsumerOptions } | Error>> {
    const offers = await Promise.allSettled(producerIds.map((producerId) => this.signaling.request('media:consume', { producerId })));
    return this.accept(offers);
  }

  /** Wires consumers the server made (paused) and resumes them. */
  acceptOffered(offers: ConsumerOptions[]): Promise<Array<{ track: MediaStreamTrack; options: ConsumerOptions } | Error>> {
    return this.accept(offers.map((value) => ({ status: 'fulfilled', value })));
  }

  private async accept(offers: PromiseSettledResult<ConsumerOptions>[]): Promise<Array<{ track: MediaStreamTrack; options: ConsumerOptions } | Error>> {
    await this.adopted;
    const recv = this.recvTransport!;
    const consumed = await Promise.allSettled(
      offers.map((o) =>
        o.status === 'rejected'
          ? Promise.reject(o.reason)
          : withTimeout(
              recv.consume({ id: o.value.consumerId, producerId: o.value.producerId, kind: o.value.kind, rtpParameters: o.value.rtpParameters as never }),
              CONSUME_TIMEOUT_MS,
            ),
      ),
    );
    return Promise.all(
      consumed.map(async (c, i) => {
        if (c.status === 'rejected') return c.reason instanceof Error ? c.reason : new Error(String(c.reason));
        const consumer = c.value;
        const options = (offers[i] as PromiseFulfilledResult<ConsumerOptions>).value;
        this.consumers.set(consumer.id, consumer);
        try {
          // The join's consumers already flow (`paused: false`); later ones wait for this.
          if (options.paused !== false) await this.signaling.request('consumer:resume', { consumerId: consumer.id });
        } catch (err) {
          return err as Error;
        }
        return { track: consumer.track, options };
      }),
    );
  }

  /** Publishes `source` now (a producer of it is open here). */
  isPublishing(source: MediaSource): boolean {
    return [...this.producers.values()].some((p) => !p.closed && (p.appData as { source?: string }).source === source);
  }

  /** One getStats per transport (the quality monitor polls this every couple of seconds). */
  async getStats(): Promise<{ recv?: RTCStatsReport | undefined; send?: RTCStatsReport | undefined }> {
    const read = (t: Transport | undefined) => (t && !t.closed ? t.getStats().catch(() => undefined) : Promise.resolve(undefined));
    const [recv, send] = await Promise.all([read(this.recvTransport), read(this.sendTransport)]);
    return { recv, send };
  }

  closeConsumer(consumerId: string): MediaStreamTrack | undefined {
    const c = this.consumers.get(consumerId);
    if (!c) return undefined;
    c.close();
    this.consumers.delete(consumerId);
    return c.track;
  }

  close(): void {
    for (const t of this.iceTimers.values()) clearTimeout(t);
    this.iceTimers.clear();
    this.onIceHealth = undefined;
    for (const c of this.consumers.values()) c.close();
    for (const p of this.producers.values()) p.close();
    this.consumers.clear();
    this.producers.clear();
    this.sendTransport?.close();
    this.recvTransport?.close();
  }
}
