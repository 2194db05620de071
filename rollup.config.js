// The widget bundle: dist/fitlive.js, one ES module defining every element.
// TypeScript is stripped by esbuild (type-checking is `npm run typecheck`); hls.js will be
// split into a lazy chunk when <fit-live-stream> lands.
import commonjs from '@rollup/plugin-commonjs';
import { nodeResolve } from '@rollup/plugin-node-resolve';
import replace from '@rollup/plugin-replace';
import terser from '@rollup/plugin-terser';
import esbuild from 'rollup-plugin-esbuild';

import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';

/**
 * engine.io-client maps its `*.node.js` transports to browser ones through package.json's
 * "browser" field, which node-resolve does not apply to relative imports inside the package;
 * without this the bundle would pull Node's XMLHttpRequest shim (fs, child_process).
 */
const engineIoBrowserTransports = {
  name: 'engine-io-browser-transports',
  resolveId(source, importer) {
    if (importer?.includes(`${path.sep}engine.io-client${path.sep}`) && source.endsWith('.node.js')) {
      return path.resolve(path.dirname(importer), source.replace(/\.node\.js$/, '.js'));
    }
    return null;
  },
};

/**
 * The pose model (issue 11), all lazy: `chunks/pose-estimator-<hash>.js` (what the rep counter
 * imports), the worker module it starts, the tfjs runtime they share, tfjs-backend-wasm's
 * binaries and MoveNet's graph + weights, every name content-hashed (immutable URLs). Code finds
 * the files through two modules (widget/pose/pose-assets.ts, pose-worker-url.ts) that hold
 * placeholders in the sources (so Vite and the test server still resolve them) and are replaced
 * here: their URLs are resolved against the importing chunk's import.meta.url, so the files come
 * from the server that served the bundle, not the club's page.
 */
const POSE_ESTIMATOR = path.resolve('widget/pose/pose-estimator.ts');
const POSE_WORKER = path.resolve('widget/pose/pose-worker.ts');
const POSE_ASSETS = path.resolve('widget/pose/pose-assets.ts');
const POSE_WORKER_URL = path.resolve('widget/pose/pose-worker-url.ts');
const WIDGET_ENTRY = path.resolve('widget/index.ts');
const MOVENET = 'node_modules/@vladmandic/human/models/movenet-lightning';
const TFJS_WASM = 'node_modules/@tensorflow/tfjs-backend-wasm/dist';
const shortHash = (buf) => crypto.createHash('sha256').update(buf).digest('base64url').slice(0, 8);
const poseAssets = {
  name: 'pose-assets',
  buildStart() {
    // Built whether or not the entry imports it yet; loaded after the entry, so it may share the entry's modules.
    this.emitFile({ type: 'chunk', id: POSE_ESTIMATOR, name: 'pose-estimator', implicitlyLoadedAfterOneOf: [WIDGET_ENTRY] });
  },
  load(id) {
    if (id === POSE_WORKER_URL) {
      // Its own entry, strict: nothing else may import from it (its top level starts the model),
      // and it shares nothing with the widget's entry (a worker has no DOM for the elements).
      const ref = this.emitFile({ type: 'chunk', id: POSE_WORKER, name: 'pose-worker', preserveSignature: 'strict' });
      return `export default import.meta.ROLLUP_FILE_URL_${ref};`;
    }
    if (id !== POSE_ASSETS) return null;
    // The weights keep the name the graph's weightsManifest gives them, with our hash; the graph
    // is rewritten to name that file (tfjs fetches weights relative to the graph's URL).
    const bin = fs.readFileSync(`${MOVENET}.bin`);
    const binName = `movenet-lightning-${shortHash(bin)}.bin`;
    this.emitFile({ type: 'asset', fileName: `assets/${binName}`, source: bin });
    const graph = JSON.parse(fs.readFileSync(`${MOVENET}.json`, 'utf8'));
    if (graph.weightsManifest.length !== 1 || graph.weightsManifest[0].paths.length !== 1) throw new Error('movenet-lightning.json: expected one weights file');
    graph.weightsManifest[0].paths = [binName];
    const model = this.emitFile({ type: 'asset', name: 'movenet-lightning.json', source: JSON.stringify(graph) });
    const wasm = (name) => this.emitFile({ type: 'asset', name, source: fs.readFileSync(path.join(TFJS_WASM, name)) });
    const plain = wasm('tfjs-backend-wasm.wasm');
    const simd = wasm('tfjs-backend-wasm-simd.wasm');
    // Threads are off (pose-runtime.ts): the threaded name is mapped to the SIMD file and never fetched.
    return [
      `export const MODEL_URL = import.meta.ROLLUP_FILE_URL_${model};`,
      'export const WASM_URLS = {',
      `  'tfjs-backend-wasm.wasm': import.meta.ROLLUP_FILE_URL_${plain},`,
      `  'tfjs-backend-wasm-simd.wasm': import.meta.ROLLUP_FILE_URL_${simd},`,
      `  'tfjs-backend-wasm-threaded-simd.wasm': import.meta.ROLLUP_FILE_URL_${simd},`,
      '};',
    ].join('\n');
  },
};

/**
 * tfjs-backend-wasm's Emscripten glue requires Node's fs, path, os, perf_hooks and worker_threads
 * on code paths browsers never take; its package.json's "browser" map drops them, but not for
 * requires seen through the CommonJS plugin. Empty modules here, never bare imports in a chunk.
 */
const NODE_BUILTINS = new Set(['fs', 'path', 'os', 'perf_hooks', 'worker_threads', 'crypto', 'util', 'node-fetch']);
const tfjsNoNodeBuiltins = {
  name: 'tfjs-no-node-builtins',
  resolveId(source, importer) {
    return NODE_BUILTINS.has(source.replace(/^node:/, '')) && importer?.includes(`${path.sep}node_modules${path.sep}@tensorflow${path.sep}`) ? '\0empty-node-builtin' : null;
  },
  load(id) {
    return id === '\0empty-node-builtin' ? 'export default {};' : null;
  },
};

const WEBRTC = /[/\\]node_modules[/\\](mediasoup-client|sdp-transform|h264-profile-level-id|awaitqueue|fake-mediastreamtrack|events-alias|debug|ms)[/\\]/;

/** A fresh dist/ per build: chunk names carry content hashes, old ones would pile up. */
const cleanDist = {
  name: 'clean-dist',
  buildStart() {
    fs.rmSync('dist', { recursive: true, force: true });
  },
};

/**
 * The entry is versioned (`fitlive.<hash>.js`, immutable: cache it forever, pin it with SRI);
 * `fitlive.js` is a stub re-exporting it, the one URL that changes with a release (short cache).
 * `fitlive.manifest.json` names the versioned entry and its SRI hash for the embed snippet.
 */
const versionedEntry = {
  name: 'versioned-entry',
  writeBundle(options, bundle) {
    const entry = Object.values(bundle).find((c) => c.type === 'chunk' && c.isEntry && c.facadeModuleId === WIDGET_ENTRY);
    const file = path.join(options.dir, entry.fileName);
    const integrity = `sha384-${crypto.createHash('sha384').update(fs.readFileSync(file)).digest('base64')}`;
    fs.writeFileSync(path.join(options.dir, 'fitlive.js'), `// FitLive: the current release. Pin a version with ${entry.fileName} (see fitlive.manifest.json).\nexport * from './${entry.fileName}';\n`);
    fs.writeFileSync(path.join(options.dir, 'fitlive.manifest.json'), `${JSON.stringify({ entry: entry.fileName, integrity, version: JSON.parse(fs.readFileSync('package.json', 'utf8')).version }, null, 2)}\n`);
  },
};

/**
 * Brotli and gzip copies of every text and wasm file, made once here rather than per request:
 * the backend sends the best one the browser accepts (express-static-gzip). The model's weights
 * barely compress and are left as they are.
 */
const precompress = {
  name: 'precompress',
  writeBundle: {
    sequential: true,
    order: 'post',
    handler(options) {
      for (const entry of fs.readdirSync(options.dir, { recursive: true, withFileTypes: true })) {
        if (!entry.isFile() || !/\.(js|json|wasm|css|svg)$/.test(entry.name)) continue;
        const file = path.join(entry.parentPath, entry.name);
        const raw = fs.readFileSync(file);
        if (raw.length < 1024) continue;
        fs.writeFileSync(`${file}.br`, zlib.brotliCompressSync(raw, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: raw.length } }));
        fs.writeFileSync(`${file}.gz`, zlib.gzipSync(raw, { level: 9 }));
      }
    },
  },
};

export default {
  input: 'widget/index.ts',
  // Lazy chunks import what they share with the entry from fitlive.js itself: no extra chunk
  // (and no extra request) in front of the elements.
  preserveEntrySignatures: 'allow-extension',
  output: {
    dir: 'dist',
    format: 'es',
    // The pose worker is an entry of its own (a Worker's module), but a lazy file like the chunks.
    entryFileNames: (chunk) => (chunk.facadeModuleId === WIDGET_ENTRY ? 'fitlive.[hash].js' : 'chunks/[name]-[hash].js'),
    chunkFileNames: 'chunks/[name]-[hash].js',
    // Chunks with telling names: supabase-js (the sign-in, only when a page shows one) and
    // WebRTC (mediasoup-client and its SDP helpers, only for a class room).
    // CommonJS interop helpers get a tiny chunk of their own: left alone they would join the
    // WebRTC chunk, and the pose worker (tfjs uses them too) would load mediasoup-client for them.
    manualChunks: (id) =>
      id.includes('/node_modules/@supabase/') ? 'supabase' : WEBRTC.test(id) ? 'webrtc' : id === '\0commonjsHelpers.js' ? 'commonjs-helpers' : undefined,
    sourcemap: true,
  },
  plugins: [
    cleanDist,
    engineIoBrowserTransports,
    poseAssets,
    tfjsNoNodeBuiltins,
    replace({ preventAssignment: true, values: { 'process.env.NODE_ENV': JSON.stringify('production') } }),
    nodeResolve({ browser: true, exportConditions: ['browser', 'module', 'import', 'default'], extensions: ['.ts', '.js', '.mjs'] }),
    commonjs(),
    esbuild({ target: 'es2021', tsconfig: 'tsconfig.json' }),
    terser({ format: { comments: false }, compress: { passes: 2 } }),
    versionedEntry,
    precompress,
  ],
};
