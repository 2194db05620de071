import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import WebSocket from 'ws';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './chromium-flags.mjs';

/*
 * Debian's Janus (1.1.2, bookworm) for the comparison bench, in a network namespace of its own,
 * together with the Chromium that talks to it.
 *
 * Why a namespace: Janus gathers ICE candidates only on interfaces without IFF_LOOPBACK (ice.c
 * skips `lo`), so on a machine whose only safe address is loopback it offers no usable
 * candidate. A veth pair is not a loopback interface, so Janus gathers on it; the addresses on
 * both ends are still from 127.0.0.0/8.
 *
 *   host namespace                           netns fljanus-<pid>-<hex>  (lo up + the veth end)
 *   fjh<hex> 127.77.N.1/32  <── veth ──>  fjn<hex> 127.77.N.2/32   ← Janus: ICE + WebSocket API
 *   (bench's page server, Node's                                     ← Chromium (run via
 *    readiness check of Janus)                                          wrapExecutable()), which
 *                                                                       gathers on lo + the veth
 *
 * Chromium runs *inside* Janus's namespace (wrapExecutable: `ip netns exec <ns> chromium`;
 * playwright drives it over a pipe, which does not care about namespaces). There it sees only lo
 * (127.0.0.1) and the veth end (127.77.N.2): it cannot gather, and so never sends from or to, the
 * host's eth0 address. Media between Chromium and Janus never leaves the namespace (127.77.N.2 is
 * local there, delivered over its lo), as media between Chromium and our SFU on the host's
 * loopback never leaves the host's lo. The veth carries only the page/WebSocket traffic between
 * 127.77.N.1 and 127.77.N.2.
 *
 * What each step is for:
 *  - `route_localnet=1` on both veth ends (only those two interfaces, never `all`): the kernel
 *    treats 127/8 as martian on a non-loopback interface (dropped on input, refused on output,
 *    no ARP) unless that interface has route_localnet.
 *  - host side, `127.77.N.2/32 dev fjh... table local`, and in the namespace
 *    `127.77.N.1/32 dev fjn... table local`: the `local` table holds `local 127.0.0.0/8 dev lo`
 *    and is looked up before `main`, so without a more specific route *in that table* the other
 *    end's address would be delivered to the namespace's own lo. Each goes away with the veth.
 *  - no other route anywhere: the namespace has lo's 127/8, its veth /32 and the route to the
 *    host end, nothing else (no default route, no route to the host's own interface addresses,
 *    no forwarding: ip_forward is not touched). `ip route get` to any other address fails there.
 *  - N is picked at random (1..254) and checked unused, so two runs do not collide; a run that
 *    was killed leaves a namespace whose name holds a dead pid: the next start removes it (and
 *    the Janus and Chromium in it).
 *
 * The same namespace machinery (createNetns) serves our own join bench (test/bench/run.ts), whose
 * Chromium must not see the host's eth0 address either (in the host namespace it gathers it and
 * mediasoup then answers to it). There the namespace's lo stays *down* and 127.0.0.0/8 is routed
 * over the veth (`loopback: 'host'`): Chromium's only address is 127.77.N.2, and 127.0.0.1 (our
 * backend's HTTP, Socket.IO and mediasoup, unchanged) is the host's, reached over the veth. The
 * host delivers it itself (route_localnet on its veth end) and answers to 127.77.N.2 through the
 * local-table route: nothing is forwarded, and no other address is reachable from there either.
 *
 * Janus's config is generated in a temp dir (`janus -F dir`), never /etc/janus: only the
 * VideoRoom plugin and the WebSocket transport are loaded, the WebSocket server binds
 * 127.77.N.2 only, and `ice_enforce_list` names the veth end (so Janus offers 127.77.N.2 only,
 * not the namespace's lo).
 */

export const JANUS_BIN = '/usr/bin/janus';
const LIB_DIR = '/usr/lib/x86_64-linux-gnu/janus';
const INSTALL_SCRIPT = fileURLToPath(new URL('../../scripts/install-system-deps.sh', import.meta.url));

export interface JanusRoom {
  id: number;
  /** Video bitrate cap Janus asks of publishers (REMB), bits/s. */
  bitrate: number;
}

export interface JanusOptions {
  room?: Partial<JanusRoom>;
  /** Janus's own debug level (0-7); the log goes to a file in the config dir. */
  debugLevel?: number;
  /** Keep the config dir and Janus's log after stop() (its path is printed). */
  keepLog?: boolean;
  startTimeoutMs?: number;
}

export interface NetnsOptions {
  /** Part of the namespace's name: fl<tag>-<pid>-<hex>. */
  tag: 'janus' | 'chrome';
  /**
   * `own`: lo up in the namespace, so 127/8 there is its own (Janus + Chromium together).
   * `host`: lo down and 127.0.0.0/8 routed over the veth, so 127.0.0.1 there is the host's.
   */
  loopback: 'own' | 'host';
}

/** A network namespace joined to this one by a veth pair carrying 127.77.N.1 (here) / 127.77.N.2 (there). */
export interface Netns {
  /** The address on the namespace's end of the veth. */
  ip: string;
  /** The host namespace's end of the veth: bind a server here to reach it from the namespace. */
  hostIp: string;
  /** The network namespace's name. */
  ns: string;
  /** The veth ends' names: host side, namespace side. */
  hostIf: string;
  peerIf: string;
  /**
   * A small script (in a temp dir of the namespace's) that runs `bin` inside the namespace with
   * the arguments it is given: `exec ip netns exec <ns> <bin> "$@"`. For playwright's `executablePath`.
   */
  wrapExecutable(bin: string): string;
  /** `ip -4 route show table all` in the namespace (for checks: only 127/8 should appear). */
  routes(): string;
  /** Whether the namespace has a route to `addr` (`ip route get`). */
  canRoute(addr: string): boolean;
  /** Kills what runs in the namespace and removes it (synchronous; also runs on exit / SIGINT / SIGTERM). */
  remove(): void;
}

export interface JanusServer extends Netns {
  /** `ws://127.77.N.2:8188`: the Janus API over the WebSocket transport (subprotocol janus-protocol). */
  wsUrl: string;
  /** What Janus's `info` answers, e.g. "1.1.2". */
  version: string;
  room: JanusRoom;
  logFile: string;
  /** The last lines of Janus's log (for error messages). */
  logTail(lines?: number): string;
  stop(): Promise<void>;
}

function run(cmd: string, args: string[]): string {
  return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 10_000 });
}

function tryRun(cmd: string, args: string[]): boolean {
  return spawnSync(cmd, args, { stdio: 'ignore', timeout: 10_000 }).status === 0;
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/** Installs Janus from Debian (scripts/install-system-deps.sh --janus) when it is missing; throws if that cannot be done. */
export function ensureJanusInstalled(): void {
  const ipOk = fs.existsSync('/usr/sbin/ip') || fs.existsSync('/sbin/ip') || fs.existsSync('/usr/bin/ip');
  if (fs.existsSync(JANUS_BIN) && ipOk && fs.existsSync(path.join(LIB_DIR, 'plugins/libjanus_videoroom.so'))) return;
  console.error(`janus: not installed, running ${path.relative(process.cwd(), INSTALL_SCRIPT)} (Debian packages)`);
  const r = spawnSync('bash', [INSTALL_SCRIPT, '--janus'], { stdio: ['ignore', 'inherit', 'inherit'], timeout: 300_000 });
  if (r.status !== 0 || !fs.existsSync(JANUS_BIN)) {
    throw new Error(`Janus is not installed and ${INSTALL_SCRIPT} failed (exit ${r.status ?? r.signal}): install it with \`sudo bash scripts/install-system-deps.sh --janus\` (Debian's janus 1.1.2, iproute2)`);
  }
}

/** Removes namespaces (and the Janus / Chromium in them) left by runs that died without cleaning up. */
function removeStaleNamespaces(): void {
  let list = '';
  try {
    list = run('ip', ['netns', 'list']);
  } catch {
    return;
  }
  for (const line of list.split('\n')) {
    const name = line.split(' ')[0] ?? '';
    const m = /^fl(?:janus|chrome)-(\d+)-[0-9a-f]+$/.exec(name);
    if (!m || alive(Number(m[1]))) continue;
    try {
      for (const pid of run('ip', ['netns', 'pids', name]).split('\n').map(Number).filter(Boolean)) {
        // Its config dir (janus -F <dir>) was ours too: remove it with the process.
        const args = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
        const dir = args.includes('-F') ? args[args.indexOf('-F') + 1] : undefined;
        process.kill(pid, 'SIGKILL');
        if (args[0] === JANUS_BIN && dir && path.basename(dir).startsWith('fitlive-janus-')) fs.rmSync(dir, { recursive: true, force: true });
      }
    } catch {
      // already gone
    }
    tryRun('ip', ['netns', 'del', name]);
  }
}

function pickSubnet(): number {
  const used = run('ip', ['-4', '-o', 'addr', 'show']) + run('ip', ['-4', 'route', 'show', 'table', 'local']);
  for (let i = 0; i < 50; i++) {
    const n = 1 + crypto.randomInt(254);
    if (!used.includes(`127.77.${n}.`)) return n;
  }
  throw new Error('netns: no free 127.77.N.0 subnet for the veth pair');
}

/** Creates a network namespace and its veth pair (see the top of this file). Needs root. */
export function createNetns(opts: NetnsOptions): Netns {
  if (process.getuid?.() !== 0) throw new Error('netns: making a network namespace and a veth pair needs root');
  removeStaleNamespaces();
  const hex = crypto.randomBytes(3).toString('hex');
  const ns = `fl${opts.tag}-${process.pid}-${hex}`;
  const letter = opts.tag === 'janus' ? 'j' : 'c';
  const hostIf = `f${letter}h${hex}`;
  const peerIf = `f${letter}n${hex}`;
  const n = pickSubnet();
  const hostIp = `127.77.${n}.1`;
  const ip = `127.77.${n}.2`;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fitlive-netns-'));
  let removed = false;

  // Synchronous, so that it can also run from process 'exit' and signal handlers.
  const remove = () => {
    if (removed) return;
    removed = true;
    try {
      for (const pid of run('ip', ['netns', 'pids', ns]).split('\n').map(Number).filter(Boolean)) process.kill(pid, 'SIGKILL');
    } catch {
      // namespace gone already
    }
    // Deleting the namespace destroys its veth end, which takes the host end and its routes with it.
    tryRun('ip', ['netns', 'del', ns]);
    if (fs.existsSync(`/sys/class/net/${hostIf}`)) tryRun('ip', ['link', 'del', hostIf]);
    fs.rmSync(dir, { recursive: true, force: true });
    process.off('exit', remove);
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  };
  const onSignal = (signal: NodeJS.Signals) => {
    remove();
    process.exit(signal === 'SIGINT' ? 130 : 143);
  };
  process.on('exit', remove);
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  try {
    run('ip', ['netns', 'add', ns]);
    run('ip', ['link', 'add', hostIf, 'type', 'veth', 'peer', 'name', peerIf, 'netns', ns]);
    // Host end.
    run('ip', ['addr', 'add', `${hostIp}/32`, 'dev', hostIf]);
    run('sysctl', ['-qw', `net.ipv4.conf.${hostIf}.route_localnet=1`]);
    run('ip', ['link', 'set', hostIf, 'up']);
    run('ip', ['route', 'add', `${ip}/32`, 'dev', hostIf, 'src', hostIp, 'table', 'local']);
    // Namespace end.
    run('ip', ['-n', ns, 'addr', 'add', `${ip}/32`, 'dev', peerIf]);
    run('ip', ['netns', 'exec', ns, 'sysctl', '-qw', `net.ipv4.conf.${peerIf}.route_localnet=1`]);
    run('ip', ['-n', ns, 'link', 'set', peerIf, 'up']);
    if (opts.loopback === 'own') {
      // lo up: 127/8 is local here; the host end needs a local-table route to be reached over the veth.
      run('ip', ['-n', ns, 'link', 'set', 'lo', 'up']);
      run('ip', ['-n', ns, 'route', 'add', `${hostIp}/32`, 'dev', peerIf, 'src', ip, 'table', 'local']);
    } else {
      // lo down: nothing of 127/8 is local here but the veth end, so all of it goes to the host namespace.
      run('ip', ['-n', ns, 'route', 'add', '127.0.0.0/8', 'dev', peerIf, 'src', ip]);
    }
  } catch (err) {
    remove();
    throw err;
  }

  return {
    ip,
    hostIp,
    ns,
    hostIf,
    peerIf,
    wrapExecutable(bin: string) {
      const file = path.join(dir, `netns-${path.basename(bin)}`);
      fs.writeFileSync(file, `#!/bin/sh\n# Runs ${bin} in network namespace ${ns} (veth ${peerIf}, lo ${opts.loopback === 'own' ? 'up' : 'down'}).\nexec ip netns exec '${ns}' '${bin}' "$@"\n`, { mode: 0o755 });
      return file;
    },
    routes: () => run('ip', ['-n', ns, '-4', 'route', 'show', 'table', 'all']),
    canRoute: (addr: string) => tryRun('ip', ['-n', ns, 'route', 'get', addr]),
    remove,
  };
}

/** Packet counters of the host namespace's interfaces (from sysfs; no capture). */
export function interfacePackets(): Record<string, { rx: number; tx: number }> {
  const out: Record<string, { rx: number; tx: number }> = {};
  for (const name of fs.readdirSync('/sys/class/net')) {
    const read = (f: string) => Number(fs.readFileSync(`/sys/class/net/${name}/statistics/${f}`, 'utf8'));
    try {
      out[name] = { rx: read('rx_packets'), tx: read('tx_packets') };
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

/** This namespace's IPv4 addresses other than 127/8. */
export function hostAddresses(): string[] {
  return Object.values(os.networkInterfaces())
    .flat()
    .filter((a) => a && a.family === 'IPv4' && !a.address.startsWith('127.'))
    .map((a) => a!.address);
}

/**
 * Debian chromium with our usual flags (chromium-flags.mjs), inside `net`: playwright starts it
 * through net.wrapExecutable() and drives it over a pipe, which crosses namespaces as it is.
 */
export async function launchChromiumIn(net: Netns, extraArgs: string[] = []): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM_PATH)) throw new Error(`Debian chromium not found at ${CHROMIUM_PATH}: run scripts/install-system-deps.sh --test`);
  const downloads = fs.mkdtempSync(path.join(os.tmpdir(), 'fitlive-chromium-'));
  const removeDownloads = () => fs.rmSync(downloads, { recursive: true, force: true });
  try {
    const browser = await chromium.launch({
      executablePath: net.wrapExecutable(CHROMIUM_PATH),
      headless: true,
      args: [...CHROMIUM_ARGS, ...extraArgs],
      downloadsPath: downloads,
      timeout: 30_000,
    });
    browser.once('disconnected', removeDownloads);
    return browser;
  } catch (err) {
    removeDownloads();
    throw err;
  }
}

function janusConfig(dir: string, ip: string, peerIf: string, room: JanusRoom, debugLevel: number): void {
  // Load only what the bench uses: every other plugin / transport / logger in Debian's package is disabled.
  const others = (sub: string, keep: string) =>
    fs.existsSync(path.join(LIB_DIR, sub))
      ? fs.readdirSync(path.join(LIB_DIR, sub)).filter((f) => /^libjanus_\w+\.so$/.test(f) && f !== keep).join(',')
      : '';
  fs.writeFileSync(
    path.join(dir, 'janus.jcfg'),
    `general: {
  configs_folder = "${dir}"
  plugins_folder = "${LIB_DIR}/plugins"
  transports_folder = "${LIB_DIR}/transports"
  events_folder = "${LIB_DIR}/events"
  loggers_folder = "${LIB_DIR}/loggers"
  debug_level = ${debugLevel}
  debug_colors = false
  debug_timestamps = true
  interface = "${ip}"
  server_name = "fitlive-bench"
  session_timeout = 60
}
certificates: {
}
media: {
  rtp_port_range = "40000-40999"
}
nat: {
  nice_debug = false
  ice_enforce_list = "${peerIf}"
}
plugins: {
  disable = "${others('plugins', 'libjanus_videoroom.so')}"
}
transports: {
  disable = "${others('transports', 'libjanus_websockets.so')}"
}
loggers: {
  disable = "${others('loggers', '')}"
}
events: {
  broadcast = false
}
`,
  );
  fs.writeFileSync(
    path.join(dir, 'janus.transport.websockets.jcfg'),
    `general: {
  json = "plain"
  ws = true
  ws_port = 8188
  ws_ip = "${ip}"
  wss = false
}
admin: {
  admin_ws = false
  admin_wss = false
}
`,
  );
  fs.writeFileSync(
    path.join(dir, 'janus.plugin.videoroom.jcfg'),
    `general: {
}
room-${room.id}: {
  description = "fitlive bench"
  publishers = 6
  bitrate = ${room.bitrate}
  fir_freq = 0
  audiocodec = "opus"
  videocodec = "vp8"
  record = false
}
`,
  );
}

/** Asks Janus for `info` over its WebSocket API; resolves with its version string. */
function janusInfo(url: string, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, 'janus-protocol');
    const timer = setTimeout(() => (ws.terminate(), reject(new Error('info timed out'))), timeoutMs);
    ws.once('open', () => ws.send(JSON.stringify({ janus: 'info', transaction: 'info' })));
    ws.once('message', (data) => {
      clearTimeout(timer);
      ws.close();
      const msg = JSON.parse(String(data)) as { janus: string; version_string?: string };
      if (msg.janus === 'server_info' && msg.version_string) resolve(msg.version_string);
      else reject(new Error(`unexpected answer to info: ${String(data).slice(0, 200)}`));
    });
    ws.once('error', (err) => (clearTimeout(timer), reject(err)));
  });
}

/** Starts Janus in a fresh network namespace (lo up) joined to this one by a veth pair. */
export async function startJanus(opts: JanusOptions = {}): Promise<JanusServer> {
  ensureJanusInstalled();
  if (process.getuid?.() !== 0) throw new Error('janus: the bench makes a network namespace and a veth pair, which needs root');

  const room: JanusRoom = { id: opts.room?.id ?? 1234, bitrate: opts.room?.bitrate ?? 1_200_000 };
  const net = createNetns({ tag: 'janus', loopback: 'own' });
  const { ns, ip, peerIf } = net;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fitlive-janus-'));
  const logFile = path.join(dir, 'janus.log');
  let child: ChildProcess | undefined;
  const cleanupSync = () => {
    if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    net.remove();
  };
  const removeDir = () => {
    if (!opts.keepLog) fs.rmSync(dir, { recursive: true, force: true });
  };
  process.on('exit', removeDir);

  const logTail = (lines = 30) => (fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8').trimEnd().split('\n').slice(-lines).join('\n') : '(no log)');

  try {
    janusConfig(dir, ip, peerIf, room, opts.debugLevel ?? 4);
    const log = fs.openSync(logFile, 'a');
    // `ip netns exec` execs janus in place, so child.pid is Janus's own pid.
    child = spawn('ip', ['netns', 'exec', ns, JANUS_BIN, '-C', path.join(dir, 'janus.jcfg'), '-F', dir, '-o'], { stdio: ['ignore', log, log] });
    fs.closeSync(log);
    const exited = new Promise<void>((resolve) => child!.once('exit', () => resolve()));

    const wsUrl = `ws://${ip}:8188`;
    const deadline = Date.now() + (opts.startTimeoutMs ?? 15_000);
    let version = '';
    for (;;) {
      if (child.exitCode !== null || child.signalCode !== null) throw new Error(`janus exited (${child.exitCode ?? child.signalCode}) while starting:\n${logTail()}`);
      try {
        version = await janusInfo(wsUrl, 2000);
        break;
      } catch {
        if (Date.now() > deadline) throw new Error(`janus did not answer on ${wsUrl} within ${opts.startTimeoutMs ?? 15_000} ms:\n${logTail()}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    }

    return {
      ...net,
      wsUrl,
      version,
      room,
      logFile,
      logTail,
      async stop() {
        if (child && child.exitCode === null && child.signalCode === null) {
          child.kill('SIGTERM');
          await Promise.race([exited, new Promise((r) => setTimeout(r, 3000))]);
        }
        cleanupSync();
        process.off('exit', removeDir);
        if (opts.keepLog) console.error(`janus: log kept in ${logFile}`);
        removeDir();
      },
    };
  } catch (err) {
    cleanupSync();
    process.off('exit', removeDir);
    removeDir();
    throw err;
  }
}
