// Widget tests in Debian's chromium (never a downloaded browser), against the real backend.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import readline from 'node:readline';
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { chromeLauncher } from '@web/test-runner-chrome';
import { build } from 'esbuild';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './test/support/chromium-flags.mjs';
import { hlsStandInPlugin } from './test/widget/hls-stand-in.mjs';
import { SUPABASE_TEST_SECRET, SUPABASE_TEST_USERS, gotrueStandIn } from './test/widget/gotrue-stand-in.mjs';

// WTR_PORT lets two runs share a machine (the default is fixed: origins are allow-listed by port).
const PORT = Number(process.env.WTR_PORT ?? 8765);
const cacheDir = path.resolve('node_modules/.cache/fitlive-wtr');

// mediasoup-client is CommonJS, and socket.io-client's browser transports are chosen through a
// package.json "browser" map: esbuild bundles both as browser ES modules once, up front.
const prebundled = { 'mediasoup-client': 'mediasoup-client.js', 'socket.io-client': 'socket.io-client.js', '@supabase/supabase-js': 'supabase-js.js' };
const require = createRequire(import.meta.url);
fs.mkdirSync(cacheDir, { recursive: true });
for (const [pkg, file] of Object.entries(prebundled)) {
  // A CommonJS entry bundled as ESM only has a default export: re-export its names explicitly.
  const names = Object.keys(require(pkg)).filter((n) => n !== 'default' && !n.startsWith('__'));
  await build({
    stdin: { contents: `export { ${names.join(', ')} } from '${pkg}';`, resolveDir: process.cwd(), loader: 'js' },
    outfile: path.join(cacheDir, file),
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2021',
    logLevel: 'warning',
  });
}

/** Starts the backend (real mediasoup, Socket.IO, PGlite) in a child process for the run. */
function backendPlugin() {
  let child;
  let url;
  return {
    name: 'fitlive-backend',
    async serverStart() {
      child = spawn(process.execPath, ['--import', 'tsx', 'test/support/serve-backend.ts'], {
        env: {
          ...process.env,
          ALLOW_ORIGINS: `http://localhost:${PORT},http://127.0.0.1:${PORT}`,
          // Supabase sign-in: the stand-in's project secret; Ana a member of the demo club, Sam its staff, Zed in no club.
          SUPABASE_JWT_SECRET: SUPABASE_TEST_SECRET,
          CLUB_MEMBERS: `${SUPABASE_TEST_USERS['ana@example.com'].id}:member,${SUPABASE_TEST_USERS['sam@example.com'].id}:staff`,
        },
        stdio: ['pipe', 'pipe', 'inherit'],
      });
      // Logs go to stdout too: wait for the marker line that carries the URL.
      url = await new Promise((resolve, reject) => {
        readline.createInterface({ input: child.stdout }).on('line', (line) => {
          if (line.startsWith('FITLIVE_BACKEND ')) resolve(line.slice('FITLIVE_BACKEND '.length).trim());
          else if (line.trim()) process.stderr.write(`[backend] ${line}\n`);
        });
        child.once('exit', (code) => reject(new Error(`backend exited with ${code}`)));
      });
    },
    async serverStop() {
      child?.kill('SIGTERM');
    },
    async serve(context) {
      if (context.path === '/__fitlive/backend.js') return { body: `export const backendUrl = ${JSON.stringify(url)};`, type: 'js' };
      // Tokens are minted server-side, as a club's server would, through the backend's dev endpoint.
      if (context.path === '/__fitlive/token') {
        const res = await fetch(`${url}/api/dev/token`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(Object.fromEntries(new URLSearchParams(context.querystring))),
        });
        return { body: await res.text(), type: 'json' };
      }
    },
    resolveImport({ source }) {
      if (prebundled[source]) return `/${path.relative(process.cwd(), path.join(cacheDir, prebundled[source]))}`;
    },
  };
}

export default {
  files: ['test/widget/**/*.test.ts'],
  port: PORT,
  nodeResolve: { exportConditions: ['browser', 'production'] },
  concurrency: 1,
  middleware: [gotrueStandIn],
  testsFinishTimeout: 180_000,
  testFramework: { config: { timeout: 30_000 } },
  plugins: [backendPlugin(), hlsStandInPlugin(), esbuildPlugin({ ts: true, target: 'es2021', tsconfig: 'tsconfig.json' })],
  browsers: [
    chromeLauncher({
      launchOptions: {
        executablePath: CHROMIUM_PATH,
        headless: true,
        args: CHROMIUM_ARGS,
      },
    }),
  ],
};
