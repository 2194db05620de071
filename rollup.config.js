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
    const entry = Object.values(bundle).find((c) => c.type === 'chunk' && c.isEntry);
    const file = path.join(options.dir, entry.fileName);
    const integrity = `sha384-${crypto.createHash('sha384').update(fs.readFileSync(file)).digest('base64')}`;
    fs.writeFileSync(path.join(options.dir, 'fitlive.js'), `// FitLive: the current release. Pin a version with ${entry.fileName} (see fitlive.manifest.json).\nexport * from './${entry.fileName}';\n`);
    fs.writeFileSync(path.join(options.dir, 'fitlive.manifest.json'), `${JSON.stringify({ entry: entry.fileName, integrity, version: JSON.parse(fs.readFileSync('package.json', 'utf8')).version }, null, 2)}\n`);
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
    entryFileNames: 'fitlive.[hash].js',
    chunkFileNames: 'chunks/[name]-[hash].js',
    // Chunks with telling names: supabase-js (the sign-in, only when a page shows one) and
    // WebRTC (mediasoup-client and its SDP helpers, only for a class room).
    manualChunks: (id) => (id.includes('/node_modules/@supabase/') ? 'supabase' : WEBRTC.test(id) ? 'webrtc' : undefined),
    sourcemap: true,
  },
  plugins: [
    cleanDist,
    engineIoBrowserTransports,
    replace({ preventAssignment: true, values: { 'process.env.NODE_ENV': JSON.stringify('production') } }),
    nodeResolve({ browser: true, exportConditions: ['browser', 'module', 'import', 'default'], extensions: ['.ts', '.js', '.mjs'] }),
    commonjs(),
    esbuild({ target: 'es2021', tsconfig: 'tsconfig.json' }),
    terser({ format: { comments: false }, compress: { passes: 2 } }),
    versionedEntry,
  ],
};
