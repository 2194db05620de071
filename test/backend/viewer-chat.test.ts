import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { after, before, test } from 'node:test';
import { io, type Socket } from 'socket.io-client';
import { makeApiKey } from '../../backend/auth/api-keys.js';
import { signJoinToken } from '../../backend/auth/join-token.js';
import { signViewerToken } from '../../backend/auth/viewer-token.js';
import type { RunningServer } from '../../backend/main.js';
import { DEMO_CLUB_ID } from '../../backend/store/seed.js';
import type { ClassStateView } from '../../protocol/class-state.js';
import type { ChatMessage } from '../../protocol/social.js';
import type { PlaybackInfo, StreamCreated } from '../../protocol/streams.js';
import { VIEWER_NAMESPACE } from '../../protocol/viewer-chat.js';
import { startBackend } from '../support/backend.js';
import { connect, connected, nextEvent, refused, request } from '../support/socket-client.js';
import { until } from '../support/waits.js';

/*
 * The chat of a class's broadcast, for its viewers: real backend (mediasoup, PGlite, Socket.IO on
 * the /viewers namespace), real sockets. Streams are started through the REST API; no coach
 * publishes here, so FFmpeg never starts: the chat only needs the stream to be on air.
 */

let server: RunningServer;
let apiKey: string;
let secret: string;
const sockets: Socket[] = [];

before(async () => {
  server = await startBackend();
  const k = makeApiKey();
  await server.repos.apiKeys.add({ id: k.id, clubId: DEMO_CLUB_ID, secretHash: k.secretHash, label: 'test' });
  apiKey = k.key;
  secret = (await server.repos.clubs.get(DEMO_CLUB_ID))!.joinSecret;
});
after(async () => {
  for (const s of sockets) s.disconnect();
  await server?.stop();
});

const api = (p: string, method = 'GET', body?: unknown) =>
  fetch(`${server.url}/api${p}`, { method, headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' }, ...(body ? { body: JSON.stringify(body) } : {}) });

async function newClassAndStream(source: 'class' | 'rtmp' = 'class') {
  const classId = `vc-${crypto.randomBytes(4).toString('hex')}`;
  await server.repos.classes.create({ id: classId, clubId: DEMO_CLUB_ID, title: 'Broadcast class', coachName: 'Sam', startsAt: null, plan: [], durationMinutes: 45, capacity: 20 });
  const res = await api('/v1/streams', 'POST', { title: 'Live HIIT', source: source === 'class' ? { type: 'class', classId } : { type: 'rtmp' } });
  assert.equal(res.status, 201);
  const stream = (await res.json()) as StreamCreated;
  return { classId, streamId: stream.id };
}

function viewerSocket(auth: unknown, headers: Record<string, string> = {}): Socket {
  const s = io(`${server.url}${VIEWER_NAMESPACE}`, { auth: auth as Record<string, unknown>, transports: ['websocket'], reconnection: false, extraHeaders: headers, forceNew: true });
  sockets.push(s);
  return s;
}

async function viewer(streamId: string, sub: string) {
  const token = await signViewerToken({ club: DEMO_CLUB_ID, stream: streamId, name: `Viewer ${sub}`, sub }, secret, 600);
  const socket = viewerSocket({ token, streamId });
  await connected(socket);
  const joined = await request(socket, 'chat:join', {});
  assert.ok(joined.data, JSON.stringify(joined.error));
  return { socket, self: joined.data.self as { id: string; displayName: string; role: string }, muted: joined.data.muted as boolean, token };
}

async function member(classId: string, sub: string, role: 'coach' | 'member') {
  const token = await signJoinToken({ club: DEMO_CLUB_ID, class: classId, role, name: sub, sub }, secret, 600);
  const socket = connect(server, { token, classId });
  sockets.push(socket);
  await connected(socket);
  const caps = (await request(socket, 'room:capabilities', {})).data.routerRtpCapabilities;
  const res = await request(socket, 'room:join', { rtpCapabilities: caps });
  assert.ok(res.data, JSON.stringify(res.error));
  return { socket, id: res.data.self.id as string };
}

function inbox(s: Socket): ChatMessage[] {
  const got: ChatMessage[] = [];
  s.on('chat:message', (m: ChatMessage) => got.push(m));
  return got;
}

const send = (s: Socket, text: string, clientId: string = crypto.randomUUID()) => request(s, 'chat:send', { text, clientId });

test('viewers and the class share one chat: same order, same store, retries stored once; viewers write only while on air', { timeout: 60_000 }, async () => {
  const { classId, streamId } = await newClassAndStream();
  const coach = await member(classId, 'coach-sam', 'coach');
  const ana = await member(classId, 'ana', 'member');
  const v1 = await viewer(streamId, 'v1');
  assert.equal(v1.self.role, 'viewer');
  assert.match(v1.self.id, /^v_/);
  assert.equal(v1.muted, false);

  // Not on air yet: reading works, writing is refused with a clear code.
  assert.deepEqual((await request(v1.socket, 'chat:history', {})).data, { messages: [], hasMore: false });
  const early = await send(v1.socket, 'hello?');
  assert.equal(early.error?.code, 'stream_not_live');

  assert.equal((await api(`/v1/streams/${streamId}/start`, 'POST')).status, 200);
  const playback = (await (await fetch(`${server.url}/api/v1/streams/${streamId}/playback`, { headers: { authorization: `Bearer ${v1.token}` } })).json()) as PlaybackInfo;
  assert.equal(playback.chat, true, 'playback says the stream has a chat');

  const v2 = await viewer(streamId, 'v2');
  const boxes = [coach, ana, v1, v2].map((p) => inbox(p.socket));
  const clientId = crypto.randomUUID();
  const a = await send(v1.socket, 'Loving this <b>class</b>', clientId);
  assert.ok(a.data, JSON.stringify(a.error));
  const retry = await send(v1.socket, 'Loving this <b>class</b>', clientId);
  assert.equal(retry.data.duplicate, true, 'a retried send is answered with the stored message');
  assert.equal(retry.data.message.seq, a.data.message.seq);
  const b = await send(coach.socket, 'Thanks for watching!');
  const c = await send(ana.socket, 'Hi viewers');
  const d = await send(v2.socket, 'Hi from the couch');
  await until('everyone has the four messages', async () => boxes.map((x) => x.length), (n) => n.every((k) => k >= 4), 5000, 20);
  for (const box of boxes) {
    assert.deepEqual(
      box.map((m) => [m.seq, m.role, m.text]),
      [
        [a.data.message.seq, 'viewer', 'Loving this <b>class</b>'],
        [b.data.message.seq, 'coach', 'Thanks for watching!'],
        [c.data.message.seq, 'member', 'Hi viewers'],
        [d.data.message.seq, 'viewer', 'Hi from the couch'],
      ],
      'class and viewers see one chat, in one order, each message once',
    );
  }
  const history = (await request(ana.socket, 'chat:history', {})).data.messages as ChatMessage[];
  assert.deepEqual(history.map((m) => m.participantId), [v1.self.id, coach.id, ana.id, v2.self.id], 'stored for the class, viewers included');

  // Viewers cannot moderate: those messages do not exist on their side.
  assert.equal((await request(v1.socket, 'chat:delete', { seq: c.data.message.seq })).error?.code, 'bad_request');
  assert.equal((await request(v1.socket, 'chat:mute', { participantId: ana.id, muted: true })).error?.code, 'bad_request');
  // Bad payloads get a stable code.
  assert.equal((await request(v1.socket, 'chat:send', { text: 'x'.repeat(10_000), clientId: 'abcdefgh' })).error?.code, 'bad_request');
  assert.equal((await request(v1.socket, 'chat:send', { text: 42 })).error?.code, 'bad_request');
  assert.equal((await request(v1.socket, 'chat:history', { beforeSeq: -1 })).error?.code, 'bad_request');

  // The coach deletes a viewer's message: gone for viewers too, and from history.
  const gone = nextEvent<{ seq: number }>(v2.socket, 'chat:deleted');
  assert.ok((await request(coach.socket, 'chat:delete', { seq: d.data.message.seq })).data);
  assert.equal((await gone).seq, d.data.message.seq);
  assert.ok(!((await request(v1.socket, 'chat:history', {})).data.messages as ChatMessage[]).some((m) => m.seq === d.data.message.seq));

  // A report from a viewer reaches the club.
  assert.ok((await request(v2.socket, 'chat:report', { seq: b.data.message.seq, reason: 'test' })).data);
  const reports = (await (await api('/v1/chat/reports')).json()) as { reports: Array<{ classId: string; seq: number; reporter: string }> };
  assert.ok(reports.reports.some((r) => r.classId === classId && r.seq === b.data.message.seq && r.reporter === 'v2'));

  // Stopped: the chat closes for viewers (members go on talking).
  assert.equal((await api(`/v1/streams/${streamId}/stop`, 'POST')).status, 200);
  assert.equal((await send(v1.socket, 'still here?')).error?.code, 'stream_not_live');
  assert.ok((await send(ana.socket, 'members still chat')).data);
});

test('the coach mutes a viewer: the viewer is told, cannot write, stays muted when they come back; the rate limit holds for viewers', { timeout: 60_000 }, async () => {
  const { classId, streamId } = await newClassAndStream();
  const coach = await member(classId, 'coach-kim', 'coach');
  const ana = await member(classId, 'ana', 'member');
  assert.equal((await api(`/v1/streams/${streamId}/start`, 'POST')).status, 200);
  const v = await viewer(streamId, 'loud');
  const first = await send(v.socket, 'first!');
  assert.ok(first.data);

  // A member cannot mute a viewer; the coach can, by the id on the viewer's messages.
  assert.equal((await request(ana.socket, 'chat:mute', { participantId: v.self.id, muted: true })).error?.code, 'forbidden');
  assert.equal((await request(coach.socket, 'chat:mute', { participantId: 'v_nobodyatall1234', muted: true })).error?.code, 'not_found');
  const told = nextEvent<{ muted: boolean }>(v.socket, 'chat:muted');
  const state = nextEvent<ClassStateView>(coach.socket, 'class:state');
  assert.ok((await request(coach.socket, 'chat:mute', { participantId: v.self.id, muted: true })).data);
  assert.equal((await told).muted, true);
  assert.ok((await state).chatMuted.includes(v.self.id), 'the coach sees the viewer as muted');
  assert.equal((await send(v.socket, 'let me talk')).error?.code, 'chat_muted');

  // Another tab (or after a reload): still muted.
  v.socket.disconnect();
  const again = await viewer(streamId, 'loud');
  assert.equal(again.muted, true);
  assert.equal((await send(again.socket, 'new tab')).error?.code, 'chat_muted');
  assert.ok((await request(coach.socket, 'chat:mute', { participantId: v.self.id, muted: false })).data);
  assert.ok((await send(again.socket, 'thanks coach')).data);

  // Five messages, then one a second, as for members.
  const burst = await Promise.all(Array.from({ length: 8 }, (_, i) => send(again.socket, `spam ${i}`)));
  const limited = burst.filter((r) => r.error?.code === 'rate_limited');
  assert.ok(limited.length >= 3, `rate limited ${limited.length} of 8`);
  await api(`/v1/streams/${streamId}/stop`, 'POST');
});

test('who may join the chat: a valid viewer token for this stream, from an allowed site, of a stream with a class', { timeout: 30_000 }, async () => {
  const { streamId } = await newClassAndStream();
  const { streamId: rtmpId } = await newClassAndStream('rtmp');
  const { streamId: otherId } = await newClassAndStream();
  const token = await signViewerToken({ club: DEMO_CLUB_ID, stream: streamId, name: 'V', sub: 'v' }, secret, 600);

  assert.equal((await refused(viewerSocket({}))).code, 'unauthorized');
  assert.equal((await refused(viewerSocket({ token: 'not-a-jwt', streamId }))).code, 'token_invalid');
  assert.equal((await refused(viewerSocket({ token, streamId: otherId }))).code, 'forbidden', 'a token for another stream');
  const forged = await signViewerToken({ club: DEMO_CLUB_ID, stream: streamId, name: 'V', sub: 'v' }, 'not-the-club-secret', 600);
  assert.equal((await refused(viewerSocket({ token: forged, streamId }))).code, 'token_invalid');
  const expired = await signViewerToken({ club: DEMO_CLUB_ID, stream: streamId, name: 'V', sub: 'v' }, secret, -60);
  assert.equal((await refused(viewerSocket({ token: expired, streamId }))).code, 'token_expired');
  const rtmpToken = await signViewerToken({ club: DEMO_CLUB_ID, stream: rtmpId, name: 'V', sub: 'v' }, secret, 600);
  assert.equal((await refused(viewerSocket({ token: rtmpToken, streamId: rtmpId }))).code, 'chat_unavailable');
  assert.equal((await refused(viewerSocket({ token, streamId }, { origin: 'https://evil.example' }))).code, 'origin_not_allowed');

  // A class member's join token is not a viewer token.
  const classToken = await signJoinToken({ club: DEMO_CLUB_ID, class: 'demo-hiit', role: 'member', name: 'M', sub: 'm' }, secret, 600);
  assert.equal((await refused(viewerSocket({ token: classToken, streamId }))).code, 'token_invalid');

  // An unknown message is answered, not ignored; the connection stays up.
  const ok = viewerSocket({ token, streamId });
  await connected(ok);
  assert.equal((await request(ok, 'room:join', {})).error?.code, 'bad_request');
  assert.ok((await request(ok, 'chat:join', {})).data);
});
