import { spawn, type ChildProcess } from 'node:child_process';
import { freePort } from './ports.js';

/**
 * A throwaway Redis (Debian's `redis-server`, installed by scripts/install-system-deps.sh --test)
 * on a free loopback port, in memory only, stopped by `stop()`.
 */
export interface TestRedis {
  url: string;
  stop(): Promise<void>;
}


export async function startRedis(): Promise<TestRedis> {
  const port = await freePort();
  const proc: ChildProcess = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--protected-mode', 'yes'], { stdio: ['ignore', 'pipe', 'pipe'] });
  await new Promise<void>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`redis-server did not start:\n${out}`)), 10_000);
    proc.once('error', (err) => (clearTimeout(timer), reject(new Error(`redis-server could not run (apt-get install redis-server): ${err.message}`))));
    proc.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('Ready to accept connections')) {
        clearTimeout(timer);
        resolve();
      }
    });
  });
  return {
    url: `redis://127.0.0.1:${port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        if (proc.exitCode !== null) return resolve();
        proc.once('exit', () => resolve());
        proc.kill('SIGKILL');
      }),
  };
}
