import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Logger } from '../logger.js';
import type { LiveClasses } from '../signaling/live-classes.js';
import type { Repositories } from '../store/repositories.js';
import type { StreamRecord } from '../store/stream-repository.js';
import { ClassEgress } from './class-egress.js';
import { HlsEncoder, LADDER } from './hls-encoder.js';
import { Recorder, makeMp4 } from './recorder.js';
import { WRONG_KEY_LINE, rtmpInputArgs, rtmpKey } from './rtmp-ingest.js';

interface Running {
  encoder: HlsEncoder;
  egress: ClassEgress | undefined;
  sampler: NodeJS.Timeout;
  recording: { id: string; recorder: Recorder } | undefined;
}

/** What the HTTP API needs of the broadcasts (in a cluster, start/stop go to the class's node). */
export type StreamControl = Pick<StreamManager, 'dirOf' | 'recordingDir' | 'makeMp4' | 'start' | 'stop'>;

/**
 * The broadcasts live on this node: for each, its source (a class's coach) and the FFmpeg that
 * turns it into the HLS ladder under `<hlsRoot>/<stream id>/`.
 */
export class StreamManager {
  private readonly running = new Map<string, Running>();

  constructor(
    private readonly repos: Repositories,
    private readonly liveClasses: LiveClasses,
    readonly hlsRoot: string,
    private readonly logger: Logger,
    private readonly rtmp: { listenIp: string },
    private readonly sampleEveryMs = 60_000,
  ) {}

  dirOf(streamId: string): string {
    return path.join(this.hlsRoot, streamId);
  }

  /** Where a recording's HLS VOD (and MP4) lives. */
  recordingDir(recordingId: string): string {
    return path.join(this.hlsRoot, 'recordings', recordingId);
  }

  /** Makes a recording's MP4 (in the background); its status is in the store. */
  async makeMp4(recordingId: string): Promise<void> {
    await this.repos.recordings.setMp4(recordingId, 'making');
    void makeMp4(this.recordingDir(recordingId), this.logger).then((ok) => this.repos.recordings.setMp4(recordingId, ok ? 'ready' : 'failed'));
  }

  isRunning(streamId: string): boolean {
    return this.running.has(streamId);
  }

  /** The FFmpeg of a running stream (tests kill it to see it come back). */
  encoderOf(streamId: string): HlsEncoder | undefined {
    return this.running.get(streamId)?.encoder;
  }

  /** Starts encoding a stream; `resume` (after a restart) keeps its playlists and appends to them. */
  async start(stream: StreamRecord, opts: { resume?: boolean } = {}): Promise<void> {
    if (this.running.has(stream.id)) return;
    const dir = this.dirOf(stream.id);
    if (!opts.resume) fs.rmSync(dir, { recursive: true, force: true });
    else fs.rmSync(path.join(dir, 'source.sdp'), { force: true });
    const log = this.logger.child({ streamId: stream.id });
    let egress: ClassEgress | undefined;
    let encoder: HlsEncoder;
    if (stream.source.type === 'class') {
      const sdp = path.join(dir, 'source.sdp');
      encoder = new HlsEncoder(dir, { args: ClassEgress.inputArgs(sdp), onStarted: () => egress?.flow() }, log);
      let started = false;
      egress = new ClassEgress(stream.source.classId, this.liveClasses, sdp, log, () => {
        if (!started) {
          started = true;
          encoder.start();
        } else encoder.restartNow();
      });
      egress.start();
    } else {
      const club = await this.repos.clubs.get(stream.clubId);
      if (!club || stream.rtmpPort === null) throw new Error('RTMP stream without a club or a port');
      encoder = new HlsEncoder(dir, { args: rtmpInputArgs(this.rtmp.listenIp, stream.rtmpPort, rtmpKey(club.joinSecret, stream.id)), refuseOn: WRONG_KEY_LINE }, log);
      encoder.start();
    }
    const sampler = setInterval(() => void this.sample(stream.id), this.sampleEveryMs);
    sampler.unref();
    let recording: Running['recording'];
    if (stream.record) {
      const id = `r_${crypto.randomBytes(8).toString('base64url')}`;
      await this.repos.recordings.create({ id, streamId: stream.id, clubId: stream.clubId });
      const recorder = new Recorder(path.join(dir, LADDER[0].name, 'index.m3u8'), this.recordingDir(id), log);
      recorder.start();
      recording = { id, recorder };
    }
    this.running.set(stream.id, { encoder, egress, sampler, recording });
    log.info({ source: stream.source }, 'broadcast started');
  }

  private async sample(streamId: string): Promise<void> {
    const viewers = await this.repos.streams.watching(streamId).catch(() => 0);
    await this.repos.streams.sample(streamId, viewers).catch(() => undefined);
  }

  async stop(streamId: string): Promise<void> {
    const r = this.running.get(streamId);
    if (!r) return;
    this.running.delete(streamId);
    clearInterval(r.sampler);
    r.egress?.close();
    await r.encoder.stop();
    if (r.recording) {
      const { ok, durationSeconds } = await r.recording.recorder.finish();
      await this.repos.recordings.finish(r.recording.id, ok ? 'ready' : 'failed', ok ? durationSeconds : null);
    }
    await this.sample(streamId);
    this.logger.info({ streamId }, 'broadcast stopped');
  }

  async stopAll(): Promise<void> {
    await Promise.all([...this.running.keys()].map((id) => this.stop(id)));
  }
}
