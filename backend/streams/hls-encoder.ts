import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Logger } from '../logger.js';

/** The ladder every broadcast is encoded into (best first). */
export const LADDER = [
  { name: '720p', height: 720, width: 1280, bitrate: 2_500_000 },
  { name: '480p', height: 480, width: 854, bitrate: 1_200_000 },
  { name: '360p', height: 360, width: 640, bitrate: 700_000 },
] as const;

/**
 * HLS segment length. Half a second halves the wait for a finished segment (glass-to-glass
 * measured ~2.6 s with 1 s segments). FFmpeg 5.1 then writes `#EXT-X-TARGETDURATION:0`, which
 * is not valid HLS: the server rounds it up to 1 when it serves the playlist.
 */
export const SEGMENT_SECONDS = 0.5;
const FPS = 30;

export interface EncoderInput {
  /** FFmpeg arguments that open the source (before the output options). */
  args: string[];
  /** Called each time FFmpeg (re)starts and is reading: e.g. ask the source for a keyframe. */
  onStarted?: () => void;
  /**
   * A line on FFmpeg's stderr that means the source must be refused: FFmpeg is stopped at once
   * (before it has read any media) and starts listening again.
   */
  refuseOn?: RegExp;
}

/**
 * One FFmpeg per live broadcast: the source in, the H.264/AAC ladder out as HLS in `dir`. An
 * FFmpeg that dies is started again (with a short backoff) and appends to the same playlists,
 * marking a discontinuity, so players carry on.
 */
export class HlsEncoder {
  private child: ChildProcess | undefined;
  private stopped = false;
  private restarts = 0;
  private lastStart = 0;
  private restartTimer: NodeJS.Timeout | undefined;

  constructor(
    readonly dir: string,
    private readonly input: EncoderInput,
    private readonly logger: Logger,
    private readonly ffmpegBin = 'ffmpeg',
  ) {}

  get pid(): number | undefined {
    return this.child?.pid;
  }

  get restartCount(): number {
    return this.restarts;
  }

  start(): void {
    fs.mkdirSync(this.dir, { recursive: true });
    for (const r of LADDER) fs.mkdirSync(path.join(this.dir, r.name), { recursive: true });
    this.spawn();
  }

  private args(): string[] {
    const split = LADDER.map((_, i) => `[v${i}]`).join('');
    const scales = LADDER.map((r, i) => `[v${i}]scale=-2:${r.height}:flags=fast_bilinear,format=yuv420p[o${i}]`).join(';');
    const perRendition = LADDER.flatMap((r, i) => [
      `-b:v:${i}`, `${r.bitrate / 1000}k`, `-maxrate:v:${i}`, `${Math.round((r.bitrate * 1.1) / 1000)}k`, `-bufsize:v:${i}`, `${r.bitrate / 1000}k`,
    ]);
    return [
      '-hide_banner', '-loglevel', 'warning', '-nostdin',
      ...this.input.args,
      '-filter_complex', `[0:v]fps=${FPS},split=${LADDER.length}${split};${scales}`,
      ...LADDER.flatMap((_, i) => ['-map', `[o${i}]`, '-map', '0:a?']),
      // Low latency: no B-frames, a keyframe every second (each segment starts with one).
      '-c:v', 'libx264', '-preset', 'veryfast', '-tune', 'zerolatency', '-profile:v', 'main',
      '-g', String(FPS * SEGMENT_SECONDS), '-keyint_min', String(FPS * SEGMENT_SECONDS), '-sc_threshold', '0', '-force_key_frames', `expr:gte(t,n_forced*${SEGMENT_SECONDS})`,
      ...perRendition,
      '-c:a', 'aac', '-b:a', '96k', '-ac', '2', '-ar', '48000',
      '-f', 'hls', '-hls_time', String(SEGMENT_SECONDS), '-hls_list_size', String(Math.round(8 / SEGMENT_SECONDS)),
      '-hls_flags', 'delete_segments+independent_segments+append_list+discont_start+program_date_time',
      '-hls_segment_type', 'mpegts',
      '-hls_segment_filename', path.join(this.dir, '%v', 'seg_%05d.ts'),
      '-master_pl_name', 'master.m3u8',
      '-var_stream_map', LADDER.map((r, i) => `v:${i},a:${i},name:${r.name}`).join(' '),
      path.join(this.dir, '%v', 'index.m3u8'),
    ];
  }

  private spawn(): void {
    if (this.stopped) return;
    this.lastStart = Date.now();
    const child = spawn(this.ffmpegBin, this.args(), { stdio: ['ignore', 'ignore', 'pipe'] });
    this.child = child;
    let tail = '';
    child.stderr?.on('data', (d: Buffer) => {
      tail = (tail + d.toString()).slice(-2000);
      if (this.input.refuseOn?.test(d.toString()) && !child.killed) {
        this.logger.warn({ dir: this.dir }, 'source refused (wrong stream key)');
        child.kill('SIGKILL');
      }
    });
    child.once('spawn', () => this.input.onStarted?.());
    child.once('error', (err) => this.logger.error({ err: err.message }, 'ffmpeg could not start'));
    child.once('exit', (code, signal) => {
      if (this.child === child) this.child = undefined;
      if (this.stopped) return;
      this.restarts++;
      // A crash loop backs off; a long run restarts at once.
      const delay = Date.now() - this.lastStart > 10_000 ? 100 : Math.min(5000, 250 * 2 ** Math.min(this.restarts, 5));
      this.logger.warn({ dir: this.dir, code, signal, delay, stderr: tail.trim().split('\n').slice(-3).join(' | ') }, 'ffmpeg exited; restarting');
      this.restartTimer = setTimeout(() => {
        this.restartTimer = undefined;
        this.spawn();
      }, delay);
    });
  }

  /** Starts FFmpeg over (its source changed); the playlists continue after a discontinuity. */
  restartNow(): void {
    if (this.stopped) return;
    if (this.child) this.child.kill('SIGKILL');
    else if (!this.restartTimer) this.spawn();
  }

  /** Stops encoding; the playlists get their end marker so players show the end. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.restartTimer) clearTimeout(this.restartTimer);
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGINT'); // FFmpeg finishes the segment and writes #EXT-X-ENDLIST
    const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
    await exited;
    clearTimeout(timer);
  }
}
