import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from './ports.js';

/**
 * A throwaway Postgres server (Debian's `postgresql`, installed by scripts/install-system-deps.sh
 * --test): a fresh cluster in a temporary directory on a free loopback port, trust auth, stopped
 * and deleted by `stop()`. Postgres refuses to run as root, so as root it runs as `postgres`.
 */
export interface TestPostgres {
  url: string;
  port: number;
  stop(): Promise<void>;
}

function binDir(): string {
  const base = '/usr/lib/postgresql';
  const versions = fs.existsSync(base) ? fs.readdirSync(base).filter((v) => fs.existsSync(path.join(base, v, 'bin', 'postgres'))) : [];
  const newest = versions.sort((a, b) => Number(b) - Number(a))[0];
  if (!newest) throw new Error('Postgres server binaries not found under /usr/lib/postgresql (apt-get install postgresql)');
  return path.join(base, newest, 'bin');
}


export async function startPostgres(): Promise<TestPostgres> {
  const bin = binDir();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fitlive-pg-'));
  const data = path.join(dir, 'data');
  const asRoot = process.getuid?.() === 0;
  // As root: the cluster belongs to `postgres`, and every command runs as that user.
  const run = (cmd: string, args: string[]) => (asRoot ? ['runuser', ['-u', 'postgres', '--', cmd, ...args]] : [cmd, args]) as [string, string[]];
  if (asRoot) execFileSync('chown', ['postgres:postgres', dir]);
  execFileSync(...run(path.join(bin, 'initdb'), ['-D', data, '-U', 'postgres', '--auth=trust', '--encoding=UTF8', '--locale=C.UTF-8', '--no-sync']), { stdio: 'ignore' });
  const port = await freePort();
  const logFile = path.join(dir, 'postgres.log');
  const opts = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off -c synchronous_commit=off`;
  // pg_ctl starts the server in the background and waits until it accepts connections.
  try {
    execFileSync(...run(path.join(bin, 'pg_ctl'), ['-D', data, '-l', logFile, '-o', opts, '-w', '-t', '30', 'start']), { stdio: 'ignore' });
  } catch (err) {
    const log = fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8').slice(-2000) : '';
    throw new Error(`postgres did not start: ${(err as Error).message}\n${log}`);
  }
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  return {
    url,
    port,
    async stop() {
      // Fast shutdown: open sessions are cut, the server is gone when this returns.
      try {
        execFileSync(...run(path.join(bin, 'pg_ctl'), ['-D', data, '-m', 'fast', '-w', '-t', '30', 'stop']), { stdio: 'ignore' });
      } catch {
        // Already stopped.
      }
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
