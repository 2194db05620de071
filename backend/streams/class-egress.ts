import dgram from 'node:dgram';
import fs from 'node:fs';
import path from 'node:path';
import type { types as ms } from 'mediasoup';
import type { Logger } from '../logger.js';
import type { LiveClasses } from '../signaling/live-classes.js';

/** A free even UDP port with a free port after it (RTP + RTCP for FFmpeg). */
async function freeRtpPort(): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = 20000 + 2 * Math.floor(Math.random() * 5000);
    const ok = await Promise.all([port, port + 1].map((p) => new Promise<boolean>((resolve) => {
      const s = dgram.createSocket('udp4');
      s.once('error', () => resolve(false));
      s.bind(p, '127.0.0.1', () => s.close(() => resolve(true)));
    })));
    if (ok.every(Boolean)) return port;
  }
  throw new Error('no free UDP port for the broadcast');
}

interface Attached {
  router: ms.Router;
  videoProducerId: string;
  audioProducerId: string | undefined;
  transports: ms.PlainTransport[];
  video: ms.Consumer;
  audio: ms.Consumer | undefined;
}

/**
 * Takes a live class's coach (camera and microphone) out of mediasoup through PlainTransports
 * into FFmpeg, described by an SDP file. It follows the class: when the coach publishes again
 * or the class moves to another worker, it re-attaches and asks FFmpeg to start over.
 */
export class ClassEgress {
  private attached: Attached | undefined;
  private timer: NodeJS.Timeout | undefined;
  private keyframeTimer: NodeJS.Timeout | undefined;
  private closed = false;
  private attaching = false;

  constructor(
    private readonly classId: string,
    private readonly liveClasses: LiveClasses,
    readonly sdpPath: string,
    private readonly logger: Logger,
    /** Called when a (new) source is attached: FFmpeg must (re)read the SDP. */
    private readonly onAttached: (first: boolean) => void,
  ) {}

  /** FFmpeg's input arguments for the SDP this egress writes. */
  static inputArgs(sdpPath: string): string[] {
    return ['-protocol_whitelist', 'file,udp,rtp', '-fflags', '+genpts+discardcorrupt', '-probesize', '1000000', '-analyzeduration', '1000000', '-reorder_queue_size', '64', '-i', sdpPath];
  }

  get isAttached(): boolean {
    return !!this.attached;
  }

  start(): void {
    this.timer = setInterval(() => void this.check(), 500);
    void this.check();
  }

  private coachTracks(): { router: ms.Router; video: ms.Producer; audio: ms.Producer | undefined } | undefined {
    const live = this.liveClasses.get(this.classId);
    if (!live) return undefined;
    const coach = live.session.all().find((p) => p.role === 'coach');
    const peer = coach && live.media.peer(coach.id);
    if (!peer) return undefined;
    const entries = [...peer.producers.values()];
    const video = entries.find((e) => e.source === 'camera')?.producer;
    const audio = entries.find((e) => e.source === 'mic')?.producer;
    return video && !video.closed ? { router: live.media.router, video, audio: audio && !audio.closed ? audio : undefined } : undefined;
  }

  private async check(): Promise<void> {
    if (this.closed || this.attaching) return;
    const tracks = this.coachTracks();
    const a = this.attached;
    const same = a && tracks && a.router === tracks.router && a.videoProducerId === tracks.video.id && a.audioProducerId === tracks.audio?.id && !a.video.closed;
    if (same || (!tracks && !a)) return;
    this.attaching = true;
    try {
      this.detach();
      if (tracks) await this.attach(tracks.router, tracks.video, tracks.audio);
    } catch (err) {
      this.logger.warn({ classId: this.classId, err: (err as Error).message }, 'broadcast could not take the coach’s media yet');
      this.detach();
    } finally {
      this.attaching = false;
    }
  }

  private async attach(router: ms.Router, videoProducer: ms.Producer, audioProducer: ms.Producer | undefined): Promise<void> {
    const first = !fs.existsSync(this.sdpPath);
    const transports: ms.PlainTransport[] = [];
    const plain = () => router.createPlainTransport({ listenInfo: { protocol: 'udp', ip: '127.0.0.1' }, rtcpMux: false, comedia: false });
    const videoT = await plain();
    transports.push(videoT);
    const video = await videoT.consume({ producerId: videoProducer.id, rtpCapabilities: router.rtpCapabilities, paused: true });
    // The broadcast's best rendition is 720p: take the coach's top layer.
    if (video.type === 'simulcast') await video.setPreferredLayers({ spatialLayer: 2, temporalLayer: 2 });
    let audio: ms.Consumer | undefined;
    let audioT: ms.PlainTransport | undefined;
    if (audioProducer) {
      audioT = await plain();
      transports.push(audioT);
      audio = await audioT.consume({ producerId: audioProducer.id, rtpCapabilities: router.rtpCapabilities, paused: true });
    }
    const vPort = await freeRtpPort();
    const aPort = audio ? await freeRtpPort() : 0;
    const vCodec = video.rtpParameters.codecs[0]!;
    const lines = [
      'v=0', 'o=- 0 0 IN IP4 127.0.0.1', 's=FitLive class broadcast', 'c=IN IP4 127.0.0.1', 't=0 0',
      `m=video ${vPort} RTP/AVP ${vCodec.payloadType}`,
      `a=rtpmap:${vCodec.payloadType} ${vCodec.mimeType.split('/')[1]}/${vCodec.clockRate}`,
      `a=rtcp:${vPort + 1}`, 'a=recvonly',
    ];
    if (audio) {
      const aCodec = audio.rtpParameters.codecs[0]!;
      lines.push(`m=audio ${aPort} RTP/AVP ${aCodec.payloadType}`, `a=rtpmap:${aCodec.payloadType} opus/48000/2`, `a=fmtp:${aCodec.payloadType} sprop-stereo=1`, `a=rtcp:${aPort + 1}`, 'a=recvonly');
    }
    fs.mkdirSync(path.dirname(this.sdpPath), { recursive: true });
    fs.writeFileSync(this.sdpPath, `${lines.join('\r\n')}\r\n`);
    await videoT.connect({ ip: '127.0.0.1', port: vPort, rtcpPort: vPort + 1 });
    if (audioT && audio) await audioT.connect({ ip: '127.0.0.1', port: aPort, rtcpPort: aPort + 1 });
    this.attached = { router, videoProducerId: videoProducer.id, audioProducerId: audioProducer?.id, transports, video, audio };
    this.logger.info({ classId: this.classId, vPort, aPort }, 'broadcast attached to the coach');
    this.onAttached(first);
  }

  /** FFmpeg is (re)reading: send media, and keyframes until it has one to start from. */
  flow(): void {
    const a = this.attached;
    if (!a) return;
    void a.video.resume().catch(() => undefined);
    void a.audio?.resume().catch(() => undefined);
    if (this.keyframeTimer) clearInterval(this.keyframeTimer);
    let n = 0;
    this.keyframeTimer = setInterval(() => {
      if (++n > 10 || a.video.closed) return void clearInterval(this.keyframeTimer);
      void a.video.requestKeyFrame().catch(() => undefined);
    }, 400);
  }

  private detach(): void {
    if (this.keyframeTimer) clearInterval(this.keyframeTimer);
    for (const t of this.attached?.transports ?? []) t.close();
    this.attached = undefined;
  }

  close(): void {
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    this.detach();
  }
}
