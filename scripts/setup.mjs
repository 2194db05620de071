// One-time (and cheap when repeated) set-up behind `npm start` and `npm test`:
// Debian packages, the mediasoup worker (cached) and the widget bundle (rebuilt when stale).
// Usage: node scripts/setup.mjs [--test]
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const forTests = process.argv.includes('--test');
const t0 = Date.now();
const run = (cmd, args) => execFileSync(cmd, args, { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] }).toString().trim();

if (!fs.existsSync(path.join(root, 'node_modules', 'mediasoup'))) {
  console.error('fitlive: dependencies are missing: run `npm install` first.');
  process.exit(1);
}

try {
  run('bash', ['scripts/install-system-deps.sh', ...(forTests ? ['--test'] : [])]);
  run('bash', ['scripts/build-mediasoup-worker.sh']);
} catch {
  process.exit(1);
}

// Rebuild dist/ when any widget source is newer than the bundle.
const bundle = path.join(root, 'dist', 'fitlive.js');
const newest = (dir) =>
  fs.readdirSync(path.join(root, dir), { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .reduce((m, e) => Math.max(m, fs.statSync(path.join(e.parentPath, e.name)).mtimeMs), 0);
const sourcesAt = Math.max(newest('widget'), newest('protocol'), fs.statSync(path.join(root, 'rollup.config.js')).mtimeMs, fs.statSync(path.join(root, 'package-lock.json')).mtimeMs);
if (!fs.existsSync(bundle) || fs.statSync(bundle).mtimeMs < sourcesAt) {
  console.error('fitlive: building the widget bundle…');
  try {
    run(path.join(root, 'node_modules', '.bin', 'rollup'), ['-c', 'rollup.config.js', '--silent']);
  } catch {
    process.exit(1);
  }
}
console.error(`fitlive: set-up ready in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
