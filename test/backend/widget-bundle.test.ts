// The built widget bundle (issue 7): dist/fitlive.js must not contain hls.js; <fit-live-stream>
// imports it as a separate chunk next to it. Runs on the built files (`npm run build` first, or
// `npm test`, whose set-up rebuilds a stale bundle). Prints the gzip sizes the issue compares
// with <mux-player>'s ~327 kB before the first frame.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { gzipSync } from 'node:zlib';

const dist = path.resolve('dist');
if (!fs.existsSync(path.join(dist, 'fitlive.manifest.json'))) execFileSync(path.resolve('node_modules/.bin/rollup'), ['-c', 'rollup.config.js', '--silent'], { stdio: 'inherit' });
/** The versioned entry (`fitlive.js` is a stub re-exporting it). */
const manifest = JSON.parse(fs.readFileSync(path.join(dist, 'fitlive.manifest.json'), 'utf8')) as { entry: string; integrity: string; version: string };
const entry = path.join(dist, manifest.entry);

// Strings only hls.js has: its event names and a playlist tag its parser matches (EXT-X-TARGETDURATION).
const HLS_MARKERS = ['hlsManifestParsed', 'hlsFragBuffered', 'TARGETDURATION'];

const gz = (file: string) => gzipSync(fs.readFileSync(file), { level: 9 }).length;
const kB = (n: number) => `${(n / 1000).toFixed(1)} kB`;

test('widget bundle: hls.js is a lazy chunk, never in dist/fitlive.js', () => {
  const main = fs.readFileSync(entry, 'utf8');
  for (const marker of HLS_MARKERS) assert.ok(!main.includes(marker), `dist/fitlive.js contains hls.js code (${marker})`);

  // The chunk the entry imports dynamically (the one a viewer actually downloads).
  const imports = [...main.matchAll(/import\(\s*["'](\.\/chunks\/[^"']+\.js)["']\s*\)/g)].map((m) => m[1]!);
  const hlsChunk = imports.find((rel) => /hls/i.test(rel));
  assert.ok(hlsChunk, `dist/fitlive.js has no dynamic import of an hls chunk (found: ${imports.join(', ') || 'none'})`);
  const chunkFile = path.join(dist, hlsChunk);
  assert.ok(fs.existsSync(chunkFile), `${hlsChunk} is imported but missing`);
  const chunk = fs.readFileSync(chunkFile, 'utf8');
  for (const marker of HLS_MARKERS) assert.ok(chunk.includes(marker), `${hlsChunk} does not look like hls.js (no ${marker})`);
  // Static imports from the entry would load eagerly: the hls chunk must not be one.
  assert.ok(!new RegExp(`from\\s*["']${hlsChunk.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}["']`).test(main), 'hls chunk is imported statically');

  const mainGz = gz(entry);
  const chunkGz = gz(chunkFile);
  console.log(`fitlive.js ${kB(mainGz)} gzip; ${hlsChunk} ${kB(chunkGz)} gzip; <fit-live-stream> before the first frame (hls.js browsers): ${kB(mainGz + chunkGz)} (mux-player ~327 kB); native HLS (Safari/iOS): ${kB(mainGz)}`);
});

test('widget bundle: no validation library (zod stays on the server; the widget imports plain constants)', () => {
  const main = fs.readFileSync(entry, 'utf8');
  for (const marker of ['ZodError', '$ZodType', 'zod.dev']) assert.ok(!main.includes(marker), `dist/fitlive.js contains zod (${marker}): a protocol file with schemas was imported for a value`);
});

/** The budget of what a page downloads before the elements are defined (issue 10). */
const ENTRY_BUDGET_BYTES = 80_000;
// Strings only mediasoup-client (its handler names) and a pose model would bring.
const WEBRTC_MARKERS = ['Chrome111', 'ReactNative106'];
// tfjs as minified: its wasm backend's flag and binary names, the converter's GraphModel.
const POSE_MARKERS = ['movenet', 'blazepose', '@vladmandic/human', '@tensorflow/tfjs', 'tensorflow', 'tfjs-backend-wasm', 'wasm_has_simd_support', 'graphmodel'];

test('widget bundle: within budget (≤ 80 kB gzip before the elements are defined), WebRTC and pose models lazy', () => {
  const main = fs.readFileSync(entry, 'utf8');
  // The entry and every chunk it imports statically (all load before the elements exist).
  const eager = new Set([entry]);
  for (const file of eager) {
    for (const m of fs.readFileSync(file, 'utf8').matchAll(/(?:^|[;}\s])(?:import|export)[^'"()]*?from\s*["'](\.{1,2}\/[^"']+\.js)["']/g)) eager.add(path.resolve(path.dirname(file), m[1]!));
  }
  const total = [...eager].reduce((s, f) => s + gz(f), 0);
  for (const marker of WEBRTC_MARKERS) assert.ok(!main.includes(marker), `dist/fitlive.js contains mediasoup-client (${marker}): it belongs in the lazy WebRTC chunk`);
  for (const marker of POSE_MARKERS) for (const f of eager) assert.ok(!fs.readFileSync(f, 'utf8').toLowerCase().includes(marker), `${path.relative(dist, f)} contains a pose model (${marker})`);
  const chunks = fs.readdirSync(path.join(dist, 'chunks')).filter((f) => f.endsWith('.js'));
  console.log(`before the elements are defined: ${[...eager].map((f) => path.relative(dist, f)).join(' + ')} = ${kB(total)} gzip (budget ${kB(ENTRY_BUDGET_BYTES)}); lazy: ${chunks.map((c) => `${c.replace(/-[\w-]{8}\.js$/, '')} ${kB(gz(path.join(dist, 'chunks', c)))}`).join(', ')}`);
  assert.ok(total <= ENTRY_BUDGET_BYTES, `the widget's eager code is ${kB(total)} gzip, over its ${kB(ENTRY_BUDGET_BYTES)} budget`);
});

test('widget bundle: fitlive.js re-exports the versioned entry; the SRI hash in the manifest matches it', () => {
  const stub = fs.readFileSync(path.join(dist, 'fitlive.js'), 'utf8');
  assert.match(manifest.entry, /^fitlive\.[\w-]{8}\.js$/);
  assert.ok(stub.includes(`export * from './${manifest.entry}'`), stub);
  const sri = `sha384-${crypto.createHash('sha384').update(fs.readFileSync(entry)).digest('base64')}`;
  assert.equal(manifest.integrity, sri);
  // Lazy chunks import the shared code from the versioned entry, never from the stub (one copy of each module).
  for (const c of fs.readdirSync(path.join(dist, 'chunks')).filter((f) => f.endsWith('.js'))) {
    assert.ok(!/["']\.\.\/fitlive\.js["']/.test(fs.readFileSync(path.join(dist, 'chunks', c), 'utf8')), `${c} imports the unversioned stub`);
  }
});

/** Static imports of a built chunk, resolved to files, transitively (itself included). */
function staticGraph(file: string): Set<string> {
  const seen = new Set([file]);
  for (const f of seen) {
    for (const m of fs.readFileSync(f, 'utf8').matchAll(/(?:^|[;}\s])(?:import|export)[^'"()]*?from\s*["'](\.{1,2}\/[^"']+\.js)["']|(?:^|[;}\s])import\s*["'](\.{1,2}\/[^"']+\.js)["']/g)) seen.add(path.resolve(path.dirname(f), (m[1] ?? m[2])!));
  }
  return seen;
}

test('widget bundle: the pose model (issue 11) is lazy: an estimator chunk, a worker that shares nothing with the entry, hashed wasm and model files', () => {
  const chunks = fs.readdirSync(path.join(dist, 'chunks'));
  const find = (re: RegExp) => {
    const name = chunks.find((c) => re.test(c));
    assert.ok(name, `no chunk matching ${re} in dist/chunks (${chunks.join(', ')})`);
    return path.join(dist, 'chunks', name);
  };
  const estimator = find(/^pose-estimator-[\w-]{8}\.js$/);
  const worker = find(/^pose-worker-[\w-]{8}\.js$/);
  const runtime = find(/^pose-runtime-[\w-]{8}\.js$/);
  const runtimeCode = fs.readFileSync(runtime, 'utf8');
  for (const marker of ['tfjs-backend-wasm', 'WASM_HAS_SIMD_SUPPORT', 'GraphModel']) assert.ok(runtimeCode.includes(marker), `${path.basename(runtime)} does not look like tfjs (no ${marker})`);

  // The URLs are the build's (pose-assets.ts and pose-worker-url.ts hold placeholders in the sources).
  for (const f of [estimator, runtime]) assert.ok(!fs.readFileSync(f, 'utf8').includes('about:invalid#fitlive-pose'), `${path.basename(f)} has the sources' placeholder URLs`);
  // The estimator (main thread) loads tfjs only when it has to run the model itself.
  assert.ok(!staticGraph(estimator).has(runtime), 'the estimator imports the tfjs runtime statically');
  assert.ok(fs.readFileSync(estimator, 'utf8').includes(`import("./${path.basename(runtime)}")`), 'the estimator imports the runtime lazily (page-thread fallback)');
  // The worker runs in a worker: never the entry (elements, Lit) nor WebRTC, and no bare module specifiers.
  const workerGraph = staticGraph(worker);
  assert.ok(workerGraph.has(runtime));
  for (const f of workerGraph) {
    assert.ok(!path.basename(f).startsWith('fitlive.') && !/webrtc|supabase|hls/.test(path.basename(f)), `the pose worker loads ${path.relative(dist, f)}`);
    const bare = /(?:^|[;}\s])import\s*(?:[\w*{][^'"()]*?from\s*)?["'](?![./])([^"']+)["']/.exec(fs.readFileSync(f, 'utf8'));
    assert.ok(!bare, `${path.relative(dist, f)} imports "${bare?.[1]}" (a Node built-in left in?)`);
  }
  assert.ok(!fs.readFileSync(worker, 'utf8').includes('export'), 'nothing imports from the worker module (its top level starts the model)');

  const assets = fs.readdirSync(path.join(dist, 'assets')).filter((a) => !/\.(br|gz)$/.test(a));
  for (const re of [/^tfjs-backend-wasm-simd-[\w-]{8}\.wasm$/, /^tfjs-backend-wasm-[\w-]{8}\.wasm$/, /^movenet-lightning-[\w-]{8}\.json$/, /^movenet-lightning-[\w-]{8}\.bin$/]) assert.ok(assets.some((a) => re.test(a)), `no ${re} in dist/assets (${assets.join(', ')})`);
  const size = (f: string) => `${kB(fs.statSync(f).size)} (${kB(gz(f))} gzip)`;
  console.log(`pose (lazy): estimator ${size(estimator)}, worker ${size(worker)}, runtime ${size(runtime)}; ${assets.map((a) => `${a.replace(/-[\w-]{8}(\.\w+)$/, '$1')} ${size(path.join(dist, 'assets', a))}`).join(', ')}`);
});
