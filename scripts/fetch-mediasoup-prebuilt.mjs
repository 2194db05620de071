// Tries mediasoup's own prebuilt worker for this version, OS, arch and kernel, as its postinstall
// would (the same release asset name, MEDIASOUP_WORKER_PREBUILT_DOWNLOAD_BASE_URL honoured).
// Exits 0 with the binary in place, 1 when it cannot be had (e.g. no internet) within a few seconds.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createRequire } from 'node:module';

const [msDir, dest] = process.argv.slice(2);
const pkg = JSON.parse(fs.readFileSync(path.join(msDir, 'package.json'), 'utf8'));
const kernel = os.platform() === 'linux' ? `-kernel${os.release().split('.')[0]}` : '';
const asset = `mediasoup-worker-${pkg.version}-${os.platform()}-${os.arch()}${kernel}.tgz`;
const base =
  process.env.MEDIASOUP_WORKER_PREBUILT_DOWNLOAD_BASE_URL ??
  `${pkg.repository.url.replace(/^git\+/, '').replace(/\.git$/, '')}/releases/download`;

try {
  const res = await fetch(`${base}/${pkg.version}/${asset}`, { signal: AbortSignal.timeout(8000) });
  if (!res.ok || !res.body) throw new Error(`HTTP ${res.status}`);
  const tar = createRequire(path.join(msDir, 'package.json'))('tar');
  fs.mkdirSync(path.dirname(dest), { recursive: true });
  await pipeline(Readable.fromWeb(res.body), tar.x({ cwd: path.dirname(dest), strict: true }));
  fs.chmodSync(dest, 0o755);
  process.exit(0);
} catch (err) {
  console.error(`fitlive[worker]: no prebuilt mediasoup-worker (${err.cause?.code ?? err.message}); building offline`);
  process.exit(1);
}
