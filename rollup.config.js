// The widget bundle: dist/fitlive.js, one ES module defining every element.
// TypeScript is stripped by esbuild (type-checking is `npm run typecheck`); hls.js will be
// split into a lazy chunk when <fit-live-stream> lands.
import commonjs from '@rollup/plugin-commonjs';
import { nodeResolve } from '@rollup/plugin-node-resolve';
import replace from '@rollup/plugin-replace';
import terser from '@rollup/plugin-terser';
import esbuild from 'rollup-plugin-esbuild';

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

export default {
  input: 'widget/index.ts',
  output: {
    dir: 'dist',
    format: 'es',
    entryFileNames: 'fitlive.js',
    chunkFileNames: 'chunks/[name]-[hash].js',
    // supabase-js (the sign-in, only when a page shows one) as a chunk with a telling name.
    manualChunks: (id) => (id.includes('/node_modules/@supabase/') ? 'supabase' : undefined),
    sourcemap: true,
  },
  plugins: [
    engineIoBrowserTransports,
    replace({ preventAssignment: true, values: { 'process.env.NODE_ENV': JSON.stringify('production') } }),
    nodeResolve({ browser: true, exportConditions: ['browser', 'module', 'import', 'default'], extensions: ['.ts', '.js', '.mjs'] }),
    commonjs(),
    esbuild({ target: 'es2021', tsconfig: 'tsconfig.json' }),
    terser({ format: { comments: false }, compress: { passes: 2 } }),
  ],
};
