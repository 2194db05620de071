import { spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { freePort } from './ports.js';

export interface Turn {
  url: string;
  secret: string;
  /** Allocations coturn logged so far (relay actually used). */
  allocations(): number;
  stop(): Promise<void>;
}


/**
 * Debian's coturn on loopback with the TURN REST API secret, relaying to loopback peers (the
 * SFU). UDP relay ports come from a range apart from the SFU's.
 */
export async function startCoturn(): Promise<Turn> {
  const port = await freePort();
  const secret = crypto.randomBytes(24).toString('hex');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fitlive-turn-'));
  const log = path.join(dir, 'turn.log');
  const args = [
    '-n', '--no-cli', '--no-tls', '--no-dtls', '--fingerprint',
    '--listening-ip=127.0.0.1', '--relay-ip=127.0.0.1', `--listening-port=${port}`,
    '--min-port=52000', '--max-port=52999',
    '--use-auth-secret', `--static-auth-secret=${secret}`, '--realm=fitlive.test',
    '--allow-loopback-peers', '--no-multicast-peers',
    `--log-file=${log}`, '--simple-log', '--no-stdout-log', '-v',
    `--pidfile=${path.join(dir, 'turn.pid')}`,
  ];
  const child: ChildProcess = spawn('turnserver', args, { stdio: 'ignore' });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  // Ready once it answers on its TCP listener.
  const deadline = Date.now() + 10_000;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = net.connect(port, '127.0.0.1', () => (s.destroy(), resolve(true)));
      s.once('error', () => resolve(false));
    });
    if (ok) break;
    if (Date.now() > deadline || child.exitCode !== null) throw new Error(`coturn did not start (see ${log})`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url: `turn:127.0.0.1:${port}?transport=udp`,
    secret,
    allocations: () => (fs.existsSync(log) ? (fs.readFileSync(log, 'utf8').match(/ALLOCATE processed, success/g) ?? []).length : 0),
    async stop() {
      child.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 3000))]);
      if (child.exitCode === null) child.kill('SIGKILL');
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
