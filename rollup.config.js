// The widget bundle: dist/fitlive.js, one ES module defining every element.
// TypeScript is stripped by esbuild (type-checking is `npm run typecheck`); hls.js will be
// split into a lazy chunk when <fit-live-stream> lands.
import commonjs from '@rollup/plugin-commonjs';
import { nodeResolve } from '@rollup/plugin-node-resolve';
import replace from '@rollup/plugin-replace';
import terser from '@rollup/plugin-terser';
import esbuild from 'rollup-plugin-esbuild';

export default {
  input: 'widget/index.ts',
  output: {
    dir: 'dist',
    format: 'es',
    entryFileNames: 'fitlive.js',
    chunkFileNames: 'chunks/[name]-[hash].js',
    sourcemap: true,
  },
  plugins: [
    replace({ preventAssignment: true, values: { 'process.env.NODE_ENV': JSON.stringify('production') } }),
    nodeResolve({ browser: true, extensions: ['.ts', '.js', '.mjs'] }),
    commonjs(),
    esbuild({ target: 'es2021', tsconfig: 'tsconfig.json' }),
    terser({ format: { comments: false }, compress: { passes: 2 } }),
  ],
};
