import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** The real backend in its own process (test/support/serve-backend.ts): a node that can be killed. */
export interface BackendProcess {
  url: string;
  proc: ChildProcess;
  /** SIGKILL: the node dies as a crashed machine would (no goodbye to Redis or clients). */
  kill(): Promise<void>;
  /** SIGTERM: a clean shutdown. */
  stop(): Promise<void>;
}

export async function startBackendProcess(env: Record<string, string>): Promise<BackendProcess> {
  const proc = spawn(process.execPath, ['--import', 'tsx', 'test/support/serve-backend.ts'], {
    cwd: root,
    env: { ...process.env, LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn', ...env },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`backend did not start:\n${out}`)), 30_000);
    proc.once('exit', (code) => (clearTimeout(timer), reject(new Error(`backend exited (${code}) before starting:\n${out}`))));
    proc.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /FITLIVE_BACKEND (\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
  });
  const exited = new Promise<void>((resolve) => (proc.exitCode !== null ? resolve() : proc.once('exit', () => resolve())));
  return {
    url,
    proc,
    kill: async () => {
      proc.kill('SIGKILL');
      await exited;
    },
    stop: async () => {
      proc.kill('SIGTERM');
      const timer = setTimeout(() => proc.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
