import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Logger } from '../logger.js';

/**
 * Records a broadcast as HLS VOD: a second FFmpeg copies (no re-encoding) the top rendition's
 * live playlist into its own growing playlist; when the broadcast ends the live playlist ends,
 * FFmpeg reads to its end and closes the recording with #EXT-X-ENDLIST.
 */
export class Recorder {
  private child: ChildProcess | undefined;
  private waitTimer: NodeJS.Timeout | undefined;
  private stopped = false;
  private exited: Promise<void> = Promise.resolve();

  constructor(
    private readonly livePlaylist: string,
    readonly dir: string,
    private readonly logger: Logger,
  ) {}

  start(): void {
    fs.mkdirSync(this.dir, { recursive: true });
    // The live playlist appears once the encoder has its first segment.
    this.waitTimer = setInterval(() => {
      if (this.stopped || !fs.existsSync(this.livePlaylist)) return;
      clearInterval(this.waitTimer);
      this.spawn();
    }, 250);
  }

  private spawn(): void {
    const child = spawn('ffmpeg', [
      '-hide_banner', '-loglevel', 'error', '-nostdin',
      '-live_start_index', '0', '-i', this.livePlaylist,
      '-map', '0', '-c', 'copy',
      '-f', 'hls', '-hls_time', '4', '-hls_list_size', '0', '-hls_playlist_type', 'event',
      '-hls_segment_filename', path.join(this.dir, 'seg_%05d.ts'),
      path.join(this.dir, 'index.m3u8'),
    ], { stdio: ['ignore', 'ignore', 'pipe'] });
    this.child = child;
    let tail = '';
    child.stderr?.on('data', (d: Buffer) => (tail = (tail + d.toString()).slice(-1000)));
    this.exited = new Promise((resolve) => child.once('exit', (code) => {
      if (code) this.logger.warn({ dir: this.dir, code, stderr: tail.trim() }, 'recorder exited');
      resolve();
    }));
  }

  /** Waits for the recording to reach the end of the (ended) live playlist; then closes it. */
  async finish(): Promise<{ ok: boolean; durationSeconds: number }> {
    this.stopped = true;
    if (this.waitTimer) clearInterval(this.waitTimer);
    const child = this.child;
    if (child && child.exitCode === null) {
      const timer = setTimeout(() => child.kill('SIGINT'), 15_000);
      await this.exited;
      clearTimeout(timer);
    }
    const playlist = path.join(this.dir, 'index.m3u8');
    if (!fs.existsSync(playlist)) return { ok: false, durationSeconds: 0 };
    let text = fs.readFileSync(playlist, 'utf8');
    if (!text.includes('#EXT-X-ENDLIST')) fs.writeFileSync(playlist, (text = `${text.trimEnd()}\n#EXT-X-ENDLIST\n`));
    const durationSeconds = [...text.matchAll(/#EXTINF:([\d.]+)/g)].reduce((s, m) => s + Number(m[1]), 0);
    return { ok: durationSeconds > 0, durationSeconds: Math.round(durationSeconds * 10) / 10 };
  }
}

/** Remuxes a recording to MP4 (no re-encoding), for download. */
export function makeMp4(dir: string, logger: Logger): Promise<boolean> {
  return new Promise((resolve) => {
    const out = path.join(dir, 'recording.mp4');
    const child = spawn('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-nostdin', '-y', '-i', path.join(dir, 'index.m3u8'), '-c', 'copy', '-bsf:a', 'aac_adtstoasc', '-movflags', '+faststart', `${out}.part.mp4`], { stdio: ['ignore', 'ignore', 'pipe'] });
    let tail = '';
    child.stderr?.on('data', (d: Buffer) => (tail = (tail + d.toString()).slice(-1000)));
    child.once('exit', (code) => {
      if (code === 0) {
        fs.renameSync(`${out}.part.mp4`, out);
        resolve(true);
      } else {
        logger.warn({ dir, code, stderr: tail.trim() }, 'mp4 remux failed');
        resolve(false);
      }
    });
  });
}
