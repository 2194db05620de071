// npm run bench:chat-cluster — class chat with 1,000 clients over two backend nodes (issue 9):
// a real Postgres and redis-server, two backend processes joined by Socket.IO's Redis adapter.
// The class runs on one node: CLUSTER_MEMBERS (default 500) members are seated there (room:join
// with media transports, as the widget does); CLUSTER_VIEWERS (default 500) broadcast viewers
// follow the class chat from the other node. Members send CLUSTER_RATE (10) messages/s in total
// for CLUSTER_SECONDS (20); delivery latency is measured at every receiver on both nodes
// (receive time − the sender's timestamp in the text). Target: p99 < 50 ms.
// Clients run in forked processes (CLUSTER_PROCS per kind, default 1: more only adds context switches on a 2-core box) so they do not share a
// backend's event loop, nor decode 500 sockets' messages one after the other in one process.
// Bounded: every wait has a deadline and a hard limit stops it.
import { fork, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { io, type Socket } from 'socket.io-client';
import { signJoinToken } from '../../backend/auth/join-token.js';
import { signViewerToken } from '../../backend/auth/viewer-token.js';
import { openDb } from '../../backend/store/db.js';
import { createRepositories } from '../../backend/store/repositories.js';
import { DEMO_CLUB_ID } from '../../backend/store/seed.js';
import type { ChatMessage } from '../../protocol/social.js';
import { VIEWER_NAMESPACE } from '../../protocol/viewer-chat.js';
import { startBackendProcess, type BackendProcess } from '../support/backend-process.js';
import { startPostgres } from '../support/postgres.js';
import { startRedis } from '../support/redis.js';
import { leanParser } from './lean-parser.js';

const now = () => performance.timeOrigin + performance.now();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

type Req =
  | { type: 'join'; kind: 'member' | 'viewer'; url: string; secret: string; classId: string; streamId: string; from: number; count: number; concurrency: number }
  | { type: 'send'; rate: number; seconds: number }
  | { type: 'collect' };

// ───────────────────────────── client process ─────────────────────────────
if (process.env.CLUSTER_ROLE === 'clients') {
  const sockets: Socket[] = [];
  const latency: number[] = [];
  let received = 0;
  const reply = (m: unknown) => process.send!(m);
  const onChat = (m: ChatMessage) => {
    const t = now();
    const [tag, sent] = m.text.split(' ');
    if (tag !== 'cc') return;
    received++;
    latency.push(t - Number(sent));
  };

  async function joinOne(req: Extract<Req, { type: 'join' }>, i: number): Promise<void> {
    const sub = `cluster-${req.kind}-${i}`;
    const viewer = req.kind === 'viewer';
    const token = viewer
      ? await signViewerToken({ club: DEMO_CLUB_ID, stream: req.streamId, name: `Viewer ${i}`, sub }, req.secret, 3600)
      : await signJoinToken({ club: DEMO_CLUB_ID, class: req.classId, role: 'member', name: `Member ${i}`, sub }, req.secret, 3600);
    const socket = io(viewer ? `${req.url}${VIEWER_NAMESPACE}` : req.url, {
      auth: viewer ? { token, streamId: req.streamId } : { token, classId: req.classId },
      transports: ['websocket'],
      reconnection: false,
      forceNew: true,
      parser: leanParser,
    });
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('connect_error', (err: Error & { data?: unknown }) => reject(new Error(`${err.message} ${JSON.stringify(err.data)}`)));
    });
    if (viewer) {
      const res = await socket.timeout(30_000).emitWithAck('chat:join', {});
      if (!res.data) throw new Error(`viewer ${i}: ${JSON.stringify(res.error)}`);
    } else {
      const caps = await socket.timeout(30_000).emitWithAck('room:capabilities', {});
      const res = await socket.timeout(60_000).emitWithAck('room:join', { rtpCapabilities: caps.data.routerRtpCapabilities });
      if (!res.data) throw new Error(`member ${i}: ${JSON.stringify(res.error)}`);
    }
    socket.on('chat:message', onChat);
    sockets.push(socket);
  }

  process.on('message', async (msg: Req) => {
    if (msg.type === 'join') {
      const errors: string[] = [];
      let next = 0;
      await Promise.all(
        Array.from({ length: msg.concurrency }, async () => {
          while (next < msg.count) {
            const i = msg.from + next++;
            await joinOne(msg, i).catch((err: Error) => errors.push(err.message));
          }
        }),
      );
      reply({ type: 'joined', count: sockets.length, errors: errors.slice(0, 3), errorCount: errors.length });
    } else if (msg.type === 'send') {
      const total = Math.round(msg.rate * msg.seconds);
      const pending: Promise<unknown>[] = [];
      const errors: Record<string, number> = {};
      let acked = 0;
      const t0 = now();
      for (let sent = 0; sent < total; ) {
        const due = Math.min(total, Math.floor(((now() - t0) / 1000) * msg.rate) + 1);
        for (; sent < due; sent++) {
          const socket = sockets[sent % sockets.length]!;
          pending.push(
            socket
              .timeout(30_000)
              .emitWithAck('chat:send', { text: `cc ${now().toFixed(3)}`, clientId: `cc-${process.pid}-${sent}` })
              .then(
                (res: { data?: unknown; error?: { code: string } }) => (res.data ? acked++ : (errors[res.error?.code ?? '?'] = (errors[res.error?.code ?? '?'] ?? 0) + 1)),
                () => (errors.timeout = (errors.timeout ?? 0) + 1),
              ),
          );
        }
        await sleep(20);
      }
      await Promise.all(pending);
      reply({ type: 'sent', acked, errors });
    } else if (msg.type === 'collect') {
      reply({ type: 'collect', received, latency: Float64Array.from(latency) });
    }
  });
  process.on('disconnect', () => process.exit(0));
  reply({ type: 'up' });
} else {
  await orchestrate();
}

// ───────────────────────────── orchestrator ─────────────────────────────
async function orchestrate(): Promise<void> {
  const MEMBERS = Number(process.env.CLUSTER_MEMBERS ?? 500);
  const VIEWERS = Number(process.env.CLUSTER_VIEWERS ?? 500);
  const RATE = Number(process.env.CLUSTER_RATE ?? 10);
  const SECONDS = Number(process.env.CLUSTER_SECONDS ?? 20);
  const children: ChildProcess[] = [];
  const nodes: BackendProcess[] = [];
  const shared = fs.mkdtempSync(path.join(os.tmpdir(), 'fitlive-chat-cluster-'));
  const [pg, redis] = await Promise.all([startPostgres(), startRedis()]);
  const cleanUp = async () => {
    for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
    await Promise.all(nodes.map((n) => n.kill()));
    await Promise.all([redis.stop(), pg.stop()]);
    fs.rmSync(shared, { recursive: true, force: true });
  };
  setTimeout(() => {
    console.error('chat-cluster bench: hard time limit reached, stopping');
    void cleanUp().finally(() => process.exit(1));
  }, Number(process.env.CLUSTER_TIME_LIMIT_S ?? 300) * 1000).unref();

  const env = {
    DATABASE_URL: pg.url,
    REDIS_URL: redis.url,
    HLS_LINK_SECRET: 'h'.repeat(40),
    FILE_LINK_SECRET: 'f'.repeat(40),
    HLS_DIR: path.join(shared, 'hls'),
    FILES_DIR: path.join(shared, 'files'),
    JOIN_RATE_PER_MINUTE: '10000000',
    LOG_LEVEL: 'error',
    PORT: '0',
  };
  nodes.push(await startBackendProcess({ ...env, NODE_ID: 'bench-a' }));
  nodes.push(await startBackendProcess({ ...env, NODE_ID: 'bench-b' }));
  const db = await openDb({ databaseUrl: pg.url, dataDir: ':memory:' });
  const repos = createRepositories(db);
  const classId = `chat-cluster-${process.pid}`;
  await repos.classes.create({ id: classId, clubId: DEMO_CLUB_ID, title: 'Chat over two nodes', coachName: 'Bench', startsAt: null, plan: [], durationMinutes: 60, capacity: MEMBERS + 10 });
  const stream = await repos.streams.create({ id: `s-${classId}`, clubId: DEMO_CLUB_ID, title: 'Broadcast', description: '', source: { type: 'class', classId }, maxViewers: VIEWERS + 10, record: false, posterUrl: null, rtmpPort: null });
  const secret = (await repos.clubs.get(DEMO_CLUB_ID))!.joinSecret;
  await db.close();
  const placed = (await (await fetch(`${nodes[0]!.url}/api/v1/classes/${classId}/node`)).json()) as { nodeId: string; url: string };
  const classNode = placed.url;
  const otherNode = nodes.find((n) => n.url !== classNode)!.url;

  function spawnClients() {
    const child = fork(fileURLToPath(import.meta.url), [], { env: { ...process.env, CLUSTER_ROLE: 'clients' }, execArgv: ['--import', 'tsx'], serialization: 'advanced', stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    children.push(child);
    const next = (type: string, ms: number) =>
      new Promise<any>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no '${type}' within ${ms} ms`)), ms);
        const on = (m: { type: string }) => {
          if (m.type !== type) return;
          clearTimeout(timer);
          child.off('message', on);
          resolve(m);
        };
        child.on('message', on);
      });
    const ask = (req: Req, answer: string, ms: number) => {
      const p = next(answer, ms);
      child.send(req);
      return p;
    };
    return { next, ask };
  }
  const PROCS = Math.max(1, Number(process.env.CLUSTER_PROCS ?? 1));
  const members = Array.from({ length: PROCS }, spawnClients);
  const viewers = Array.from({ length: PROCS }, spawnClients);
  await Promise.all([...members, ...viewers].map((c) => c.next('up', 30_000)));
  type Client = ReturnType<typeof spawnClients>;
  const share = (total: number, k: number) => [Math.floor((k * total) / PROCS), Math.floor(((k + 1) * total) / PROCS)] as const;
  const joinAll = async (procs: Client[], kind: 'member' | 'viewer', url: string, total: number, concurrency: number) => {
    const answers = await Promise.all(
      procs.map((p, k) => {
        const [from, to] = share(total, k);
        return p.ask({ type: 'join', kind, url, secret, classId, streamId: stream.id, from, count: to - from, concurrency }, 'joined', 200_000);
      }),
    );
    return { count: answers.reduce((s, a) => s + a.count, 0), errorCount: answers.reduce((s, a) => s + a.errorCount, 0), errors: answers.flatMap((a) => a.errors) };
  };
  const collect = async (procs: Client[]) => {
    const answers = await Promise.all(procs.map((p) => p.ask({ type: 'collect' }, 'collect', 30_000)));
    const latency = new Float64Array(answers.reduce((s, a) => s + a.latency.length, 0));
    let o = 0;
    for (const a of answers) (latency.set(a.latency, o), (o += a.latency.length));
    return { received: answers.reduce((s, a) => s + a.received, 0), latency };
  };

  const t0 = now();
  const [mj, vj] = await Promise.all([joinAll(members, 'member', classNode, MEMBERS, 8), joinAll(viewers, 'viewer', otherNode, VIEWERS, 16)]);
  console.log(`\nchat over two nodes: ${mj.count} members on the class's node (${placed.nodeId}), ${vj.count} viewers on the other, joined in ${((now() - t0) / 1000).toFixed(1)} s${mj.errorCount + vj.errorCount ? `; ${mj.errorCount + vj.errorCount} joins failed, e.g. ${[...mj.errors, ...vj.errors][0]}` : ''}`);
  await sleep(2000);

  const sends = await Promise.all(members.map((p) => p.ask({ type: 'send', rate: RATE / PROCS, seconds: SECONDS }, 'sent', SECONDS * 1000 + 60_000)));
  const sent = { acked: sends.reduce((s, a) => s + a.acked, 0), errors: Object.assign({}, ...sends.map((a) => a.errors)) as Record<string, number> };
  const receivers = mj.count + vj.count;
  const expected = sent.acked * receivers;
  let got: Array<{ received: number; latency: Float64Array }> = [];
  for (const end = now() + 15_000; ; await sleep(200)) {
    got = await Promise.all([collect(members), collect(viewers)]);
    if (got.reduce((s, g) => s + g.received, 0) >= expected || now() > end) break;
  }
  const pct = (s: Float64Array, p: number) => s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))] ?? NaN;
  const row = (name: string, lat: Float64Array, received: number, of: number) => {
    lat.sort();
    return `  ${name.padEnd(22)} ${pct(lat, 50).toFixed(1).padStart(7)} ${pct(lat, 95).toFixed(1).padStart(7)} ${pct(lat, 99).toFixed(1).padStart(7)} ${(lat.at(-1) ?? NaN).toFixed(1).padStart(8)}   ${`${received}/${of}`.padStart(13)}`;
  };
  const all = new Float64Array(got[0]!.latency.length + got[1]!.latency.length);
  all.set(got[0]!.latency);
  all.set(got[1]!.latency, got[0]!.latency.length);
  console.log(`${RATE} messages/s for ${SECONDS} s from the members (${sent.acked} acknowledged${Object.keys(sent.errors).length ? `, errors ${JSON.stringify(sent.errors)}` : ''}), each to all ${receivers} clients`);
  console.log('  receivers                  p50     p95     p99      max      delivered   (delivery latency, ms)');
  console.log(row(`members (same node)`, got[0]!.latency, got[0]!.received, sent.acked * mj.count));
  console.log(row(`viewers (other node)`, got[1]!.latency, got[1]!.received, sent.acked * vj.count));
  console.log(row('all', all, got[0]!.received + got[1]!.received, expected));
  console.log(`  p99 ${pct(all, 99).toFixed(1)} ms: ${pct(all, 99) < 50 ? 'meets' : 'misses'} the 50 ms target; ${os.availableParallelism()} CPUs shared by 2 nodes, Postgres, Redis and ${PROCS * 2} client processes\n`);
  await cleanUp();
  process.exit(0);
}
