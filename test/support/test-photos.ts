import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

/*
 * Real photos for the pose model's tests, never committed: Debian's python3-skimage ships
 * public-domain ones (skimage/data, see its docstrings): astronaut.png (NASA, upper body),
 * camera.png (CC0, a man with a camera, knees up) and chelsea.png (a cat: no person).
 * Taken from the installed package when there is one, else `apt-get download` (no root needed)
 * into node_modules/.cache/fitlive-test-photos and only those PNGs unpacked.
 */

export interface TestPhotos {
  astronaut: string;
  camera: string;
  chelsea: string;
}

const NAMES = ['astronaut', 'camera', 'chelsea'] as const;
const DATA = 'usr/lib/python3/dist-packages/skimage/data';

const inDir = (dir: string): TestPhotos => Object.fromEntries(NAMES.map((n) => [n, path.join(dir, `${n}.png`)])) as unknown as TestPhotos;
const complete = (p: TestPhotos) => Object.values(p).every((f) => fs.existsSync(f) && fs.statSync(f).size > 10_000);

export function testPhotos(cacheDir = path.resolve('node_modules/.cache/fitlive-test-photos')): TestPhotos {
  const system = inDir(`/${DATA}`);
  if (complete(system)) return system;
  const cached = inDir(path.join(cacheDir, DATA));
  if (complete(cached)) return cached;

  fs.mkdirSync(cacheDir, { recursive: true });
  try {
    execFileSync('apt-get', ['download', 'python3-skimage'], { cwd: cacheDir, stdio: ['ignore', 'ignore', 'pipe'] });
  } catch (err) {
    const stderr = String((err as { stderr?: Buffer }).stderr ?? err).trim();
    throw new Error(
      `The pose tests need the public-domain photos in Debian's python3-skimage, and \`apt-get download python3-skimage\` failed in ${cacheDir}:\n${stderr}\n` +
        'Fix: make the package downloadable (as root: apt-get update), or install it (apt-get install python3-skimage).',
    );
  }
  const deb = fs.readdirSync(cacheDir).find((f) => /^python3-skimage_.*\.deb$/.test(f));
  if (!deb) throw new Error(`apt-get download python3-skimage left no .deb in ${cacheDir}`);
  try {
    // Only the three PNGs (the package unpacks to ~60 MB).
    const tar = execFileSync('dpkg-deb', ['--fsys-tarfile', path.join(cacheDir, deb)], { maxBuffer: 512 * 1024 * 1024 });
    execFileSync('tar', ['-x', '-C', cacheDir, ...NAMES.map((n) => `./${DATA}/${n}.png`)], { input: tar });
  } finally {
    fs.rmSync(path.join(cacheDir, deb), { force: true });
  }
  if (!complete(cached)) throw new Error(`${deb} did not contain ${NAMES.map((n) => `${n}.png`).join(', ')} under /${DATA}`);
  return cached;
}
