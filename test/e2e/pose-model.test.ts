import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { K } from '../../widget/pose/keypoints.js';
import { countCycles, makeBobVideo, parseRhythm, type BobVideo } from '../support/fake-camera.js';
import { seen, startPoseStack, type PosePage, type PoseStack } from '../support/pose-harness.js';
import { testPhotos } from '../support/test-photos.js';

/*
 * The pose model runtime (issue 11) as a club's page loads it: dist/ from the real backend on
 * http://localhost:<port>, the page on http://127.0.0.1:<port>, so the estimator starts its
 * worker from a blob importing our worker module cross-origin. Real photos (Debian's
 * python3-skimage, fetched at test time), and a fake camera (FFmpeg moves a photo in a known
 * rhythm). Needs `npm run build` first.
 */

let stack: PoseStack;
let video: BobVideo;
const RHYTHM = 'hold:1,move:5x2,hold:1';

before(async () => {
  const photos = testPhotos();
  video = makeBobVideo(photos.camera, parseRhythm(RHYTHM));
  stack = await startPoseStack({ cameraFile: video.file, photos: Object.values(photos) });
});
after(async () => {
  await stack?.close();
  video?.remove();
});

function assertLocalOnly(p: PosePage) {
  assert.deepEqual(p.foreignRequests(), [], 'requests to hosts other than the two local test origins');
  const failed = p.requests.filter((r) => r.failure);
  assert.deepEqual(failed, [], 'failed requests');
}

test('pose model: loaded cross-origin, runs in a worker on wasm; people in real photos, none on a cat', { timeout: 60_000 }, async () => {
  const p = await stack.openPage();
  try {
    const info = await p.load(true);
    assert.equal(info.inWorker, true, 'the estimator should run in a worker (blob → cross-origin module import)');
    assert.match(info.backend, /^wasm/);
    assert.equal(info.backend, 'wasm-simd', 'Chromium has wasm SIMD');
    console.log(`pose model (worker): loaded in ${info.loadMs.toFixed(0)} ms, ${info.backend}`);

    const results: Record<string, number> = {};
    for (const name of ['astronaut.png', 'camera.png', 'chelsea.png']) {
      const frame = await p.photo(name);
      assert.equal(frame.keypoints.length, 17);
      assert.ok(frame.width > 0 && frame.height > 0 && frame.t > 0);
      for (const k of frame.keypoints) assert.ok(k.x >= 0 && k.x <= 1 && k.y >= 0 && k.y <= 1 && k.score >= 0 && k.score <= 1, JSON.stringify(k));
      results[name] = seen(frame);
    }
    console.log('keypoints with score ≥ 0.3:', results);
    assert.ok(results['astronaut.png']! >= 8, `astronaut: ${results['astronaut.png']} keypoints`);
    assert.ok(results['camera.png']! >= 8, `camera: ${results['camera.png']} keypoints`);
    assert.ok(results['chelsea.png']! < 5, `the cat: ${results['chelsea.png']} keypoints`);

    // The astronaut's nose is in the upper half, between her eyes (a check of the mapping back to the frame).
    const astro = await p.photo('astronaut.png');
    const [nose, le, re] = [astro.keypoints[K.nose]!, astro.keypoints[K.left_eye]!, astro.keypoints[K.right_eye]!];
    assert.ok(nose.y < 0.5 && nose.x > Math.min(le.x, re.x) && nose.x < Math.max(le.x, re.x), JSON.stringify({ nose, le, re }));

    assertLocalOnly(p);
    const urls = p.requests.map((r) => r.url);
    const fromBackend = (re: RegExp) => urls.some((u) => u.startsWith(`${stack.backendOrigin}/`) && re.test(u));
    assert.ok(urls.some((u) => u.startsWith(`blob:${stack.pageOrigin}/`)), 'the worker starts from a same-origin blob');
    for (const re of [/\/chunks\/pose-worker-[\w-]+\.js$/, /\/chunks\/pose-runtime-[\w-]+\.js$/, /\/assets\/tfjs-backend-wasm-simd-[\w-]+\.wasm$/, /\/assets\/movenet-lightning-[\w-]+\.json$/, /\/assets\/movenet-lightning-[\w-]+\.bin$/]) {
      assert.ok(fromBackend(re), `no request from the backend for ${re} (seen: ${urls.join(', ')})`);
    }
    assert.ok(!urls.some((u) => /threaded/.test(u)), 'the threaded wasm is never fetched');
  } finally {
    await p.close();
  }
});

test('pose model files: content-hashed, immutable, CORS, wasm as application/wasm; the graph names its hashed weights', async () => {
  const dist = path.resolve('dist/assets');
  const files = fs.readdirSync(dist);
  const json = files.find((f) => /^movenet-lightning-[\w-]{8}\.json$/.test(f));
  assert.ok(json, files.join(', '));
  const graph = JSON.parse(fs.readFileSync(path.join(dist, json), 'utf8')) as { weightsManifest: { paths: string[] }[] };
  const bin = graph.weightsManifest[0]!.paths[0]!;
  assert.match(bin, /^movenet-lightning-[\w-]{8}\.bin$/);
  assert.ok(files.includes(bin), `${bin} is named by the graph but not in dist/assets`);
  for (const [file, type] of [[files.find((f) => /^tfjs-backend-wasm-simd-[\w-]{8}\.wasm$/.test(f))!, 'application/wasm'], [files.find((f) => /^tfjs-backend-wasm-[\w-]{8}\.wasm$/.test(f))!, 'application/wasm'], [json, 'application/json'], [bin, 'application/octet-stream']] as const) {
    const res = await fetch(`${stack.backendOrigin}/assets/${file}`, { headers: { origin: stack.pageOrigin } });
    assert.equal(res.status, 200, file);
    assert.equal(res.headers.get('content-type')?.split(';')[0], type, file);
    assert.equal(res.headers.get('access-control-allow-origin'), '*', file);
    assert.match(res.headers.get('cache-control') ?? '', /immutable/, file);
    await res.arrayBuffer();
  }
});

test('pose model: on the page thread when asked, and when the page forbids workers (CSP); same keypoints', { timeout: 60_000 }, async () => {
  const inWorker = await stack.openPage();
  const reference = await inWorker.load(true).then(() => inWorker.photo('astronaut.png'));
  await inWorker.close();

  const asked = await stack.openPage();
  try {
    const info = await asked.load(false);
    assert.equal(info.inWorker, false);
    assert.match(info.backend, /^wasm/);
    const frame = await asked.photo('astronaut.png');
    // Same model, same letterbox; the frame is scaled by a different path (ImageBitmap vs canvas).
    for (const [i, k] of frame.keypoints.entries()) {
      if (k.score < 0.3) continue;
      assert.ok(Math.abs(k.x - reference.keypoints[i]!.x) < 0.03 && Math.abs(k.y - reference.keypoints[i]!.y) < 0.03, `keypoint ${i}: ${JSON.stringify(k)} vs ${JSON.stringify(reference.keypoints[i])}`);
    }
    assert.ok(!asked.requests.some((r) => /pose-worker/.test(r.url)), 'no worker loaded when not asked for');
    assertLocalOnly(asked);
  } finally {
    await asked.close();
  }

  // A club page whose CSP has no worker-src for blob: the worker cannot start; the model runs anyway.
  const strict = await stack.openPage({ csp: "worker-src 'none'" });
  try {
    const info = await strict.load(true);
    assert.equal(info.inWorker, false, 'a CSP that blocks blob workers falls back to the page thread');
    assert.ok(seen(await strict.photo('astronaut.png')) >= 8);
    assertLocalOnly(strict);
  } finally {
    await strict.close();
  }
});

test('pose model: a fake camera bobbing a photo 5 times (2 s period) gives 5 cycles of the nose', { timeout: 90_000 }, async () => {
  const p = await stack.openPage();
  try {
    const info = await p.load(true);
    assert.equal(info.inWorker, true);
    // The whole file once (Chromium starts it at its first frame when the camera opens).
    const run = await p.camera(video.durationS * 1000 - 300);
    const fps = (run.frames.length / run.runMs) * 1000;
    const ys = run.frames.filter((f) => f.keypoints[K.nose]!.score >= 0.3).map((f) => ({ t: f.t - run.cameraStart, y: f.keypoints[K.nose]!.y }));
    const counted = countCycles(ys);
    console.log(`fake camera ${run.videoWidth}×${run.videoHeight}: ${run.frames.length} frames in ${(run.runMs / 1000).toFixed(1)} s (${fps.toFixed(1)} fps), nose seen in ${ys.length}; nose y ${counted.min.toFixed(3)}–${counted.max.toFixed(3)}; cycles ${counted.cycles} at ${counted.at.map((t) => (t / 1000).toFixed(2)).join(', ')} s; long tasks on the page ${run.longTasks.length}`);
    assert.ok(fps >= 5, `${fps.toFixed(1)} fps`);
    assert.ok(ys.length >= run.frames.length * 0.9, 'the nose is seen in nearly every frame');
    // The photo travels 130 px of 480: the nose should too.
    assert.ok(counted.max - counted.min > 0.2 && counted.max - counted.min < 0.35, `nose swing ${(counted.max - counted.min).toFixed(3)}`);
    assert.equal(counted.cycles, video.expectedCycles, `counted ${counted.cycles} cycles, the video has ${video.expectedCycles}`);
    const gaps = counted.at.slice(1).map((t, i) => t - counted.at[i]!);
    for (const gap of gaps) assert.ok(Math.abs(gap - 2000) < 300, `cycle length ${gap.toFixed(0)} ms (2000 expected)`);
    assertLocalOnly(p);
  } finally {
    await p.close();
  }
});
