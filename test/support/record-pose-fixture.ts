// Records real MoveNet output for the counting core's tests: an FFmpeg fake camera (a public-domain
// photo moved in a known rhythm) through the built pose estimator in headless Chromium, saved as a
// PoseFrame series (keypoints rounded to 3 decimals, t in ms from when the camera opened) plus a
// sibling <name>.meta.json (expected cycles, period, the FFmpeg command).
//
//   npm run build
//   node --import tsx test/support/record-pose-fixture.ts test/fixtures/pose/bob-2s.json --rhythm hold:1,move:5x2,hold:1
//   node --import tsx test/support/record-pose-fixture.ts test/fixtures/pose/bob-2s-pause.json --rhythm hold:1,move:3x2,hold:3,move:2x2,hold:1
//
// Options: --rhythm (hold:<s> and move:<cycles>x<period s>, comma-separated; default
// hold:1,move:5x2,hold:1), --photo camera|astronaut (default camera), --worker false.
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { K, type PoseFrame } from '../../widget/pose/keypoints.js';
import { countCycles, makeBobVideo, parseRhythm } from './fake-camera.js';
import { startPoseStack } from './pose-harness.js';
import { testPhotos } from './test-photos.js';

const { values, positionals } = parseArgs({ allowPositionals: true, options: { rhythm: { type: 'string', default: 'hold:1,move:5x2,hold:1' }, photo: { type: 'string', default: 'camera' }, worker: { type: 'string', default: 'true' } } });
const out = positionals[0];
if (!out || !out.endsWith('.json')) {
  console.error('usage: node --import tsx test/support/record-pose-fixture.ts <out.json> [--rhythm hold:1,move:5x2,hold:1] [--photo camera|astronaut]');
  process.exit(2);
}
const segments = parseRhythm(values.rhythm!);
const periods = [...new Set(segments.flatMap((s) => ('period' in s ? [s.period * 1000] : [])))];
const photos = testPhotos();
const photo = photos[values.photo as keyof typeof photos];
if (!photo) throw new Error(`--photo must be one of ${Object.keys(photos).join(', ')}`);

const video = makeBobVideo(photo, segments);
const stack = await startPoseStack({ cameraFile: video.file });
try {
  const page = await stack.openPage();
  const info = await page.load(values.worker !== 'false');
  // The file once (Chromium starts it at its first frame when the camera opens, then loops it).
  const run = await page.camera(video.durationS * 1000 - 200);
  const r3 = (v: number) => Math.round(v * 1000) / 1000;
  const frames: PoseFrame[] = run.frames.map((f) => ({
    keypoints: f.keypoints.map((k) => ({ x: r3(k.x), y: r3(k.y), score: r3(k.score) })),
    width: f.width,
    height: f.height,
    t: Math.round(f.t - run.cameraStart),
  }));
  const nose = countCycles(frames.filter((f) => f.keypoints[K.nose]!.score >= 0.3).map((f) => ({ t: f.t, y: f.keypoints[K.nose]!.y })));
  if (page.foreignRequests().length) throw new Error(`requests off the loopback origins: ${page.foreignRequests().join(', ')}`);
  await page.close();

  fs.mkdirSync(path.dirname(path.resolve(out)), { recursive: true });
  // One frame a line: readable diffs, still valid JSON.
  fs.writeFileSync(out, `[\n${frames.map((f) => JSON.stringify(f)).join(',\n')}\n]\n`);
  const meta = {
    expectedCycles: video.expectedCycles,
    periodMs: periods.length === 1 ? periods[0] : periods,
    rhythm: values.rhythm,
    how: `${video.command} (photo: ${path.basename(photo)} from Debian python3-skimage, public domain), played by Chromium's --use-file-for-fake-video-capture into the built pose estimator (MoveNet SinglePose Lightning, tfjs ${info.backend}, ${info.inWorker ? 'worker' : 'page thread'}), recorded by test/support/record-pose-fixture.ts`,
    frames: frames.length,
    durationMs: Math.round(run.runMs),
    video: { width: run.videoWidth, height: run.videoHeight, durationS: video.durationS },
    noseCycles: nose.cycles,
  };
  fs.writeFileSync(out.replace(/\.json$/, '.meta.json'), `${JSON.stringify(meta, null, 2)}\n`);
  console.log(`${out}: ${frames.length} frames over ${(run.runMs / 1000).toFixed(1)} s (${((frames.length / run.runMs) * 1000).toFixed(1)} fps), ${info.backend}${info.inWorker ? ' in a worker' : ''}; expected cycles ${video.expectedCycles}, the nose's hysteresis counts ${nose.cycles} at ${nose.at.map((t) => (t / 1000).toFixed(2)).join(', ')} s`);
  if (nose.cycles !== video.expectedCycles) process.exitCode = 1;
} finally {
  await stack.close();
  video.remove();
}
process.exit();
