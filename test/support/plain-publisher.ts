import { spawn, type ChildProcess } from 'node:child_process';
import dgram from 'node:dgram';
import type { RunningServer } from '../../backend/main.js';

/**
 * Simulated camera publishers: one FFmpeg encodes the widget's three VP8 simulcast layers once
 * (¼, ½ and full size of a 960×540 test pattern at 20 fps, capped at 150 kbps / 450 kbps /
 * 1.2 Mbps, a keyframe a second); every packet is copied to each publisher's plain-RTP producer in
 * mediasoup (`RunningServer.publishPlain`) with that publisher's SSRCs, and so are FFmpeg's RTCP
 * sender reports (mediasoup needs them to switch between layers). Cheap enough for 40 publishers
 * on two cores next to chromium. Not a browser: no PLI is answered; the periodic keyframe stands in.
 */
export const SIMULCAST_LAYERS = [
  { name: '240x135', kbps: 150 },
  { name: '480x270', kbps: 450 },
  { name: '960x540', kbps: 1200 },
] as const;

const PT = 101;
const ssrcOf = (publisher: number, layer: number) => 0x10000000 + publisher * 16 + layer;

export class PlainPublishers {
  private readonly sockets: dgram.Socket[] = [];
  private readonly targets: Array<{ socket: dgram.Socket; port: number }> = [];
  private ffmpeg: ChildProcess | undefined;
  /** The producers made, in the order of the participants given. */
  readonly producerIds: string[] = [];

  /** Publishes a camera for each seated participant, then starts the encoder. */
  static async start(server: RunningServer, classId: string, participantIds: readonly string[]): Promise<PlainPublishers> {
    const p = new PlainPublishers();
    try {
      for (const [i, id] of participantIds.entries()) {
        const { port, producerId } = await server.publishPlain(classId, id, 'video', {
          codecs: [{ mimeType: 'video/VP8', payloadType: PT, clockRate: 90000, rtcpFeedback: [{ type: 'nack' }, { type: 'nack', parameter: 'pli' }, { type: 'ccm', parameter: 'fir' }] }],
          encodings: SIMULCAST_LAYERS.map((_, layer) => ({ ssrc: ssrcOf(i, layer) })),
        });
        p.producerIds.push(producerId);
        const socket = await p.bound();
        socket.on('message', () => undefined); // mediasoup's RTCP (receiver reports, PLIs)
        p.targets.push({ socket, port });
      }
      const layerPorts: number[] = [];
      for (const [layer] of SIMULCAST_LAYERS.entries()) {
        const sock = await p.bound();
        sock.on('message', (pkt) => p.fanOut(pkt, layer));
        layerPorts.push((sock.address() as { port: number }).port);
      }
      p.ffmpeg = spawn('ffmpeg', encoderArgs(layerPorts), { stdio: ['ignore', 'ignore', 'inherit'] });
      return p;
    } catch (err) {
      p.close();
      throw err;
    }
  }

  private async bound(): Promise<dgram.Socket> {
    const sock = dgram.createSocket('udp4');
    this.sockets.push(sock);
    await new Promise<void>((r) => sock.bind(0, '127.0.0.1', () => r()));
    return sock;
  }

  /** RTP (SSRC at byte 8) and RTCP sender reports (PT 200, SSRC at byte 4) go to every publisher. */
  private fanOut(pkt: Buffer, layer: number): void {
    const offset = (pkt[1]! & 0x7f) === PT ? 8 : pkt[1] === 200 ? 4 : -1;
    if (offset < 0) return;
    for (const [i, t] of this.targets.entries()) {
      const copy = Buffer.from(pkt);
      copy.writeUInt32BE(ssrcOf(i, layer), offset);
      t.socket.send(copy, t.port, '127.0.0.1');
    }
  }

  close(): void {
    this.ffmpeg?.kill('SIGKILL');
    for (const s of this.sockets) s.close();
    this.sockets.length = 0;
  }
}

function encoderArgs(layerPorts: number[]): string[] {
  const args = ['-hide_banner', '-loglevel', 'error', '-re', '-f', 'lavfi', '-i', 'testsrc2=size=960x540:rate=20', '-filter_complex', '[0]split=3[a][b][c];[a]scale=240:136[l0];[b]scale=480:270[l1];[c]null[l2]'];
  for (const [layer, l] of SIMULCAST_LAYERS.entries()) {
    const k = `${l.kbps}k`;
    args.push('-map', `[l${layer}]`, '-c:v', 'libvpx', '-deadline', 'realtime', '-cpu-used', '8', '-lag-in-frames', '0', '-error-resilient', '1', '-g', '20', '-b:v', k, '-maxrate', k, '-bufsize', k);
    args.push('-payload_type', String(PT), '-ssrc', String(ssrcOf(0, layer)), '-f', 'rtp', `rtp://127.0.0.1:${layerPorts[layer]}?rtcpport=${layerPorts[layer]}&pkt_size=1200`);
  }
  return args;
}
