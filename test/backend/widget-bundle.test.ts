// The built widget bundle (issue 7): dist/fitlive.js must not contain hls.js; <fit-live-stream>
// imports it as a separate chunk next to it. Runs on the built files (`npm run build` first, or
// `npm test`, whose set-up rebuilds a stale bundle). Prints the gzip sizes the issue compares
// with <mux-player>'s ~327 kB before the first frame.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { gzipSync } from 'node:zlib';

const dist = path.resolve('dist');
const entry = path.join(dist, 'fitlive.js');

// Strings only hls.js has: its event names and a playlist tag its parser matches (EXT-X-TARGETDURATION).
const HLS_MARKERS = ['hlsManifestParsed', 'hlsFragBuffered', 'TARGETDURATION'];

const gz = (file: string) => gzipSync(fs.readFileSync(file), { level: 9 }).length;
const kB = (n: number) => `${(n / 1000).toFixed(1)} kB`;

test('widget bundle: hls.js is a lazy chunk, never in dist/fitlive.js', () => {
  if (!fs.existsSync(entry)) execFileSync(path.resolve('node_modules/.bin/rollup'), ['-c', 'rollup.config.js', '--silent'], { stdio: 'inherit' });
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
