import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/*
 * A fake camera for the pose model: a real photo of a person moved down and up on a black frame
 * in a known rhythm, written by FFmpeg as a .y4m for Chromium's
 * --use-file-for-fake-video-capture. Each cycle starts and ends at the top at rest
 * (y = top + A·(1 − cos 2πt/P)/2), and the video starts and ends with the photo held at the top,
 * so the count of cycles is exact however the capture window is cut, and Chromium's looping of
 * the file joins still frames to still frames.
 */

export type RhythmSegment = { hold: number } | { cycles: number; period: number };

/** `hold:1,move:5x2,hold:1`: hold 1 s, 5 cycles of 2 s, hold 1 s. */
export function parseRhythm(spec: string): RhythmSegment[] {
  return spec.split(',').map((part) => {
    const hold = /^hold:(\d+(?:\.\d+)?)$/.exec(part.trim());
    if (hold) return { hold: Number(hold[1]) };
    const move = /^move:(\d+)x(\d+(?:\.\d+)?)$/.exec(part.trim());
    if (move) return { cycles: Number(move[1]), period: Number(move[2]) };
    throw new Error(`bad rhythm segment "${part}" (hold:<s> or move:<cycles>x<period s>)`);
  });
}

export const rhythmDuration = (segments: RhythmSegment[]) => segments.reduce((s, g) => s + ('hold' in g ? g.hold : g.cycles * g.period), 0);
export const rhythmCycles = (segments: RhythmSegment[]) => segments.reduce((s, g) => s + ('hold' in g ? 0 : g.cycles), 0);

export interface BobVideoOptions {
  /** Frame size (square), pixels. */
  size?: number;
  /** The photo's size on the frame (square), pixels. */
  photoSize?: number;
  /** How far the photo travels down, pixels. */
  amplitude?: number;
  fps?: number;
}

export interface BobVideo {
  file: string;
  /** The FFmpeg command that made it (for fixtures' notes). */
  command: string;
  durationS: number;
  expectedCycles: number;
  /** The photo's top edge (pixels) at time t (seconds), as the video has it. */
  topAt(t: number): number;
  size: number;
  remove(): void;
}

export function makeBobVideo(photo: string, segments: RhythmSegment[], opts: BobVideoOptions = {}, out?: string): BobVideo {
  const size = opts.size ?? 480;
  const photoSize = opts.photoSize ?? 320;
  const amplitude = opts.amplitude ?? 130;
  const fps = opts.fps ?? 15;
  const top = Math.round((size - photoSize - amplitude) / 2);
  const x = Math.round((size - photoSize) / 2);
  const durationS = rhythmDuration(segments);
  const moves: { start: number; end: number; period: number }[] = [];
  let at = 0;
  for (const g of segments) {
    if ('cycles' in g) moves.push({ start: at, end: at + g.cycles * g.period, period: g.period });
    at += 'hold' in g ? g.hold : g.cycles * g.period;
  }
  const offset = moves.map((m) => `if(between(t,${m.start},${m.end}),(1-cos(2*PI*(t-${m.start})/${m.period}))/2,0)`).join('+') || '0';
  const filter = `[1]scale=${photoSize}:${photoSize}[p];[0][p]overlay=x=${x}:y='${top}+${amplitude}*(${offset})':shortest=1,format=yuv420p`;
  const file = out ?? path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'fitlive-bob-')), 'bob.y4m');
  const args = ['-hide_banner', '-loglevel', 'error', '-y', '-f', 'lavfi', '-i', `color=black:s=${size}x${size}:r=${fps}`, '-loop', '1', '-i', photo, '-filter_complex', filter, '-t', String(durationS), file];
  execFileSync('ffmpeg', args, { stdio: ['ignore', 'ignore', 'inherit'] });
  const command = `ffmpeg -f lavfi -i color=black:s=${size}x${size}:r=${fps} -loop 1 -i ${path.basename(photo)} -filter_complex "${filter}" -t ${durationS} ${path.basename(file)}`;
  const topAt = (t: number) => top + amplitude * moves.reduce((s, m) => s + (t >= m.start && t <= m.end ? (1 - Math.cos((2 * Math.PI * (t - m.start)) / m.period)) / 2 : 0), 0);
  return { file, command, durationS, expectedCycles: rhythmCycles(segments), topAt, size, remove: () => fs.rmSync(file, { force: true }) };
}

/**
 * Counts down-and-up cycles in a series of y values (down = larger y) with hysteresis between
 * 30% and 70% of the observed range: one cycle is top → past the lower line → back above the upper line.
 */
export function countCycles(ys: { t: number; y: number }[]): { cycles: number; at: number[]; min: number; max: number } {
  const values = ys.map((p) => p.y);
  const min = Math.min(...values);
  const max = Math.max(...values);
  const lo = min + 0.3 * (max - min);
  const hi = min + 0.7 * (max - min);
  let down = false;
  const at: number[] = [];
  for (const p of ys) {
    if (!down && p.y > hi) down = true;
    else if (down && p.y < lo) {
      down = false;
      at.push(p.t);
    }
  }
  return { cycles: at.length, at, min, max };
}
