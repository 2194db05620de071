import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { io, type Socket } from 'socket.io-client';
import { makeApiKey } from '../../backend/auth/api-keys.js';
import { signJoinToken } from '../../backend/auth/join-token.js';
import { signViewerToken } from '../../backend/auth/viewer-token.js';
import { openDb, type Db } from '../../backend/store/db.js';
import { createRepositories, type Repositories } from '../../backend/store/repositories.js';
import { DEMO_CLASS_ID, DEMO_CLUB_ID, DEMO_STREAM_ID } from '../../backend/store/seed.js';
import type { ChatMessage } from '../../protocol/social.js';
import { VIEWER_NAMESPACE } from '../../protocol/viewer-chat.js';
import { SignalingClient, type SignalingStatus } from '../../widget/room/signaling-client.js';
import { startBackendProcess, type BackendProcess } from '../support/backend-process.js';
import { startPostgres, type TestPostgres } from '../support/postgres.js';
import { startRedis, type TestRedis } from '../support/redis.js';
import { until } from '../support/waits.js';

/*
 * Two backend nodes, each in its own process (real mediasoup, Socket.IO with the Redis adapter),
 * sharing a real Postgres (Debian's postgresql) and a real redis-server, on loopback. The member
 * is the widget's own SignalingClient (Node build of socket.io-client): it is sent to the class's
 * node by the handshake and finds the class again by itself when that node is killed.
 */

const TTL_MS = 1500;
let pg: TestPostgres;
let redis: TestRedis;
let db: Db;
let repos: Repositories;
let apiKey: string;
let secret: string;
const nodes: Record<string, BackendProcess> = {};
const sockets: Socket[] = [];
const clients: SignalingClient[] = [];
const shared = fs.mkdtempSync(path.join(os.tmpdir(), 'fitlive-cluster-'));

before(async () => {
  [pg, redis] = await Promise.all([startPostgres(), startRedis()]);
  const env = {
    DATABASE_URL: pg.url,
    REDIS_URL: redis.url,
    NODE_TTL_MS: String(TTL_MS),
    HLS_LINK_SECRET: 'h'.repeat(40),
    FILE_LINK_SECRET: 'f'.repeat(40),
    HLS_DIR: path.join(shared, 'hls'),
    FILES_DIR: path.join(shared, 'files'),
    PORT: '0',
    // Low, to see the limit shared between the nodes (counted in Redis).
    AUTH_FAILURES_PER_MINUTE: '6',
  };
  // One after the other: the first migrates and seeds the shared database.
  nodes.a = await startBackendProcess({ ...env, NODE_ID: 'node-a' });
  nodes.b = await startBackendProcess({ ...env, NODE_ID: 'node-b' });
  db = await openDb({ databaseUrl: pg.url, dataDir: ':memory:' });
  repos = createRepositories(db);
  const k = makeApiKey();
  await repos.apiKeys.add({ id: k.id, clubId: DEMO_CLUB_ID, secretHash: k.secretHash, label: 'test' });
  apiKey = k.key;
  secret = (await repos.clubs.get(DEMO_CLUB_ID))!.joinSecret;
});

after(async () => {
  for (const c of clients) c.close();
  for (const s of sockets) s.disconnect();
  await Promise.all(Object.values(nodes).map((n) => n.stop()));
  await db?.close();
  await Promise.all([redis?.stop(), pg?.stop()]);
  fs.rmSync(shared, { recursive: true, force: true });
});

async function nodeOf(url: string, classId: string): Promise<{ nodeId: string; url: string }> {
  const res = await fetch(`${url}/api/v1/classes/${classId}/node`);
  assert.equal(res.status, 200, await res.clone().text());
  return (await res.json()) as { nodeId: string; url: string };
}

test('every node agrees on where each class runs, and classes spread over both', async () => {
  const t0 = Date.now();
  const ids = Array.from({ length: 24 }, (_, i) => `placed-${i}-${crypto.randomBytes(3).toString('hex')}`);
  for (const id of ids) await repos.classes.create({ id, clubId: DEMO_CLUB_ID, title: id, coachName: 'Sam', startsAt: null, plan: [], durationMinutes: 45, capacity: 20 });
  // Asked of both nodes at the same moment: concurrent first placements must still agree.
  const answers = await Promise.all(ids.map((id) => Promise.all([nodeOf(nodes.a!.url, id), nodeOf(nodes.b!.url, id)])));
  console.log(`# ${ids.length * 2} concurrent placements in ${Date.now() - t0} ms`);
  for (const [i, [a, b]] of answers.entries()) assert.deepEqual(a, b, `placement of ${ids[i]}`);
  const perNode = new Map<string, number>();
  for (const [a] of answers) perNode.set(a.nodeId, (perNode.get(a.nodeId) ?? 0) + 1);
  assert.deepEqual([...perNode.keys()].sort(), ['node-a', 'node-b'], `both nodes take classes: ${JSON.stringify([...perNode])}`);
  // Asked again later: the same answers (placements are kept, not recomputed from changing load).
  for (const [i, id] of ids.entries()) assert.equal((await nodeOf(nodes.b!.url, id)).nodeId, answers[i]![0].nodeId);
  const byUrl = { 'node-a': nodes.a!.url, 'node-b': nodes.b!.url } as Record<string, string>;
  for (const [a] of answers) assert.equal(a.url, byUrl[a.nodeId]);
  for (const n of [nodes.a!, nodes.b!]) assert.match(await (await fetch(`${n.url}/metrics`)).text(), /^fitlive_cluster_nodes 2$/m);
});

test('per-address limits are counted across nodes, not once per node', async () => {
  const statuses: number[] = [];
  for (let i = 0; i < 8; i++) {
    const node = i % 2 ? nodes.b! : nodes.a!;
    // One client (behind the loopback proxy the backend trusts), guessing keys on both nodes.
    const headers = { authorization: 'Bearer flk_000000000000_wrongwrongwrongwrongwrong', 'x-forwarded-for': '203.0.113.9' };
    statuses.push((await fetch(`${node.url}/api/v1/club`, { headers })).status);
    // A failure is counted once its answer has gone (in Redis, a round trip later): give it that.
    await new Promise((r) => setTimeout(r, 50));
  }
  // Six failures in all (three on each node) use the allowance; the seventh is refused on either.
  assert.deepEqual(statuses, [401, 401, 401, 401, 401, 401, 429, 429]);
});

interface Member {
  client: SignalingClient;
  statuses: SignalingStatus[];
  reconnected: () => Promise<void>;
  chat: ChatMessage[];
}

/** The widget's signaling client, given a node that does not run the class (as a load balancer might). */
async function member(home: string, sub: string): Promise<Member> {
  const token = await signJoinToken({ club: DEMO_CLUB_ID, class: DEMO_CLASS_ID, role: 'member', name: sub, sub }, secret, 600);
  const statuses: SignalingStatus[] = [];
  let onReconnect: () => void = () => undefined;
  let connectedOnce!: () => void;
  const firstConnect = new Promise<void>((r) => (connectedOnce = r));
  const client = new SignalingClient(home, { token, classId: DEMO_CLASS_ID }, {
    status: (s) => {
      statuses.push(s);
      if (s === 'connected') connectedOnce();
    },
    failed: (err) => assert.fail(`signaling failed: ${err.code} ${err.message}`),
    reconnected: () => onReconnect(),
  });
  clients.push(client);
  const chat: ChatMessage[] = [];
  client.onNotification('chat:message', (m) => void chat.push(m));
  await firstConnect;
  return { client, statuses, chat, reconnected: () => new Promise<void>((r) => (onReconnect = r)) };
}

async function join(client: SignalingClient): Promise<void> {
  const { routerRtpCapabilities } = await client.request('room:capabilities', {});
  await client.request('room:join', { rtpCapabilities: routerRtpCapabilities as Record<string, unknown> });
}

let owner: 'a' | 'b';
let other: 'a' | 'b';
let m: Member;

test('a member is sent to the class’s node; chat sent there reaches a viewer on the other node, and back', async () => {
  const placed = await nodeOf(nodes.a!.url, DEMO_CLASS_ID);
  owner = placed.nodeId === 'node-a' ? 'a' : 'b';
  other = owner === 'a' ? 'b' : 'a';
  // The member starts at the node that does not run the class and is redirected.
  m = await member(nodes[other]!.url, 'member-1');
  await join(m.client);
  assert.deepEqual(m.statuses, ['connected']);

  // A broadcast viewer on the other node, in the class chat through the Redis adapter.
  const viewerToken = await signViewerToken({ club: DEMO_CLUB_ID, stream: DEMO_STREAM_ID, name: 'Vera', sub: 'viewer-1' }, secret, 600);
  const viewer = io(`${nodes[other]!.url}${VIEWER_NAMESPACE}`, { auth: { token: viewerToken, streamId: DEMO_STREAM_ID }, transports: ['websocket'], reconnection: false, forceNew: true });
  sockets.push(viewer);
  const seen: ChatMessage[] = [];
  viewer.on('chat:message', (msg: ChatMessage) => void seen.push(msg));
  await new Promise<void>((resolve, reject) => (viewer.once('connect', resolve), viewer.once('connect_error', reject)));
  assert.ok((await viewer.timeout(5000).emitWithAck('chat:join', {})).data);

  const t0 = Date.now();
  await m.client.request('chat:send', { text: 'Hello from the class node', clientId: 'cluster-msg-1' });
  const got = await until('viewer on the other node gets the member’s message', () => seen.find((x) => x.clientId === 'cluster-msg-1'), Boolean, 5000, 5);
  console.log(`# chat: member on ${owner} → viewer on ${other} in ${Date.now() - t0} ms`);
  assert.equal(got!.text, 'Hello from the class node');

  // The broadcast is started through the other node's REST API: the class's node encodes it.
  const start = await fetch(`${nodes[other]!.url}/api/v1/streams/${DEMO_STREAM_ID}/start`, { method: 'POST', headers: { authorization: `Bearer ${apiKey}` } });
  assert.equal(start.status, 200, await start.clone().text());
  // The viewer writes on the other node; the class's node orders and stores it, the member reads it.
  const answer = await until(
    'a viewer’s message is accepted once the broadcast runs on the class’s node',
    async () => (await viewer.timeout(5000).emitWithAck('chat:send', { text: 'Hi from a viewer', clientId: 'cluster-viewer-1' })) as { data?: { message: ChatMessage }; error?: { code: string } },
    (a) => !!a.data,
    10_000,
    200,
  );
  assert.equal(answer.data!.message.role, 'viewer');
  const atMember = await until('the member reads the viewer’s message', () => m.chat.find((x) => x.clientId === 'cluster-viewer-1'), Boolean, 5000, 10);
  assert.equal(atMember!.seq, answer.data!.message.seq);
  assert.ok(atMember!.seq > got!.seq, 'one order for the class');

  // An operator changes the plan through the other node: the class's node applies it live.
  const plans: unknown[][] = [];
  m.client.onNotification('class:state', (st) => void plans.push((st as { plan?: unknown[] }).plan ?? []));
  const plan = [{ id: 'lunge', name: 'Lunges', targets: { beginner: { reps: 6 }, intermediate: { reps: 10 }, advanced: { reps: 14 } } }];
  const put = await fetch(`${nodes[other]!.url}/api/v1/classes/${DEMO_CLASS_ID}/plan`, { method: 'PUT', headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' }, body: JSON.stringify({ plan }) });
  assert.equal(put.status, 200, await put.clone().text());
  await until('the member sees the new plan', () => plans.at(-1), (p) => JSON.stringify(p) === JSON.stringify(plan), 5000, 10);
});

test('killing the class’s node re-places the class on the other; the member reconnects there by itself', async () => {
  assert.ok(m, 'runs after the chat test');
  const back = m.reconnected();
  const t0 = Date.now();
  await nodes[owner]!.kill();
  delete nodes[owner];
  await until('the member notices', () => m.statuses.at(-1), (s) => s === 'reconnecting', 15_000, 20);
  await back;
  const tBack = Date.now() - t0;
  await join(m.client);
  const tJoined = Date.now() - t0;
  console.log(`# node killed → member connected to the other node in ${tBack} ms, joined in ${tJoined} ms (heartbeat TTL ${TTL_MS} ms)`);
  assert.equal((await nodeOf(nodes[other]!.url, DEMO_CLASS_ID)).nodeId, `node-${other}`);
  // What was acknowledged before the node died is still there.
  const history = await m.client.request('chat:history', {});
  const texts = history.messages.map((x) => x.text);
  assert.ok(texts.includes('Hello from the class node') && texts.includes('Hi from a viewer'), JSON.stringify(texts));
  await m.client.request('chat:send', { text: 'Still here', clientId: 'cluster-msg-2' });
});
