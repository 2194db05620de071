import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import type { Socket } from 'socket.io-client';
import { makeApiKey } from '../../backend/auth/api-keys.js';
import { signJoinToken } from '../../backend/auth/join-token.js';
import type { RunningServer } from '../../backend/main.js';
import { DEMO_CLUB_ID } from '../../backend/store/seed.js';
import type { ChatMessage } from '../../protocol/social.js';
import { startBackend } from '../support/backend.js';
import { stateWhere } from '../support/waits.js';
import { connect, connected, nextEvent, request } from '../support/socket-client.js';

/* Chat, hands and reactions over real sockets to the real backend (mediasoup, PGlite on disk). */

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fitlive-chat-'));
let server: RunningServer;
let apiKey: string;
const sockets: Socket[] = [];

async function boot() {
  server = await startBackend({ DATA_DIR: dataDir });
}

before(async () => {
  await boot();
  const k = makeApiKey();
  await server.repos.apiKeys.add({ id: k.id, clubId: DEMO_CLUB_ID, secretHash: k.secretHash, label: 'test' });
  apiKey = k.key;
});
after(async () => {
  for (const s of sockets) s.disconnect();
  await server?.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

let classCounter = 0;
async function newClass(capacity = 50): Promise<string> {
  const id = `chat-${++classCounter}-${crypto.randomBytes(3).toString('hex')}`;
  await server.repos.classes.create({ id, clubId: DEMO_CLUB_ID, title: 'Chatty class', coachName: 'Sam', startsAt: null, plan: [], durationMinutes: 45, capacity });
  return id;
}

async function join(classId: string, sub: string, role: 'coach' | 'member', extra: { mod?: boolean } = {}) {
  const secret = (await server.repos.clubs.get(DEMO_CLUB_ID))!.joinSecret;
  const token = await signJoinToken({ club: DEMO_CLUB_ID, class: classId, role, name: sub, sub, ...extra }, secret, 600);
  const socket = connect(server, { token, classId });
  sockets.push(socket);
  await connected(socket);
  const caps = (await request(socket, 'room:capabilities', {})).data.routerRtpCapabilities;
  const res = await request(socket, 'room:join', { rtpCapabilities: caps });
  assert.ok(res.data, `join of ${sub}: ${JSON.stringify(res.error)}`);
  return { socket, id: res.data.self.id as string };
}

/** Collects every chat message a socket receives. */
function inbox(s: Socket): ChatMessage[] {
  const got: ChatMessage[] = [];
  s.on('chat:message', (m: ChatMessage) => got.push(m));
  return got;
}


const until = async (cond: () => boolean, ms = 5000) => {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 10));
  }
};

const send = (s: Socket, text: string, clientId = crypto.randomUUID()) => request(s, 'chat:send', { text, clientId });

test('messages are ordered by the server, delivered to everyone in order, and survive a backend restart without loss or duplicates', { timeout: 90_000 }, async () => {
  const classId = await newClass();
  const coach = await join(classId, 'coach-sam', 'coach');
  const members = await Promise.all(['ana', 'ben', 'cy', 'dee', 'eve'].map((n) => join(classId, n, 'member')));
  const everyone = [coach, ...members];
  const inboxes = everyone.map((p) => inbox(p.socket));

  // 25 messages at once from five people (five each: within the rate limit).
  const sent = members.flatMap((m, i) => Array.from({ length: 5 }, (_, k) => ({ socket: m.socket, text: `${i}-${k}`, clientId: crypto.randomUUID() })));
  const acks = await Promise.all(sent.map((m) => send(m.socket, m.text, m.clientId)));
  for (const a of acks) assert.ok(a.data, JSON.stringify(a.error));
  const seqs = acks.map((a) => a.data.message.seq as number).sort((a, b) => a - b);
  assert.deepEqual(seqs, Array.from({ length: 25 }, (_, i) => i + 1), 'one sequence number per message, no gaps');

  await until(() => inboxes.every((box) => box.length === 25));
  for (const box of inboxes) assert.deepEqual(box.map((m) => m.seq), seqs, 'every client receives the messages in seq order');
  const bySeq = new Map(acks.map((a, i) => [a.data.message.seq as number, sent[i]!.text]));
  for (const m of inboxes[0]!) assert.equal(m.text, bySeq.get(m.seq));

  // A retry of an acknowledged message returns it, and nobody receives it twice.
  const retry = await send(sent[3]!.socket, sent[3]!.text, sent[3]!.clientId);
  assert.equal(retry.data.duplicate, true);
  assert.equal(retry.data.message.seq, acks[3]!.data.message.seq);

  // The backend restarts on the same data.
  for (const s of everyone) s.socket.disconnect();
  await server.stop();
  await boot();

  const back = await join(classId, 'ana', 'member');
  const history = await request(back.socket, 'chat:history', {});
  assert.deepEqual(history.data.messages.map((m: ChatMessage) => m.seq), seqs, 'all 25 acknowledged messages, once each, in order');
  assert.equal(history.data.hasMore, false);
  // The same retry after the restart is still recognised; the next message continues the sequence.
  const again = await send(back.socket, 'x', sent[0]!.clientId);
  assert.equal(again.error, undefined);
  assert.equal(again.data.duplicate, true);
  assert.equal(again.data.message.seq, acks[0]!.data.message.seq);
  const next = await send(back.socket, 'after the restart');
  assert.equal(next.data.message.seq, 26);
  back.socket.disconnect();
});

test('history pages back 100 at a time', { timeout: 60_000 }, async () => {
  const classId = await newClass();
  const coach = await join(classId, 'coach-sam', 'coach');
  // Written straight to the store (the rate limit would make this slow through the socket).
  const pid = (await server.repos.attendance.participantId(DEMO_CLUB_ID, 'coach-sam'))!;
  for (let seq = 1; seq <= 230; seq++) {
    await server.repos.chat.add({ classId, seq, participantDbId: pid, senderKey: coach.id, displayName: 'Sam', role: 'coach', text: `m${seq}`, clientId: `seed-${seq}`, sentAt: Date.now() });
  }
  const p1 = await request(coach.socket, 'chat:history', {});
  assert.equal(p1.data.messages.length, 100);
  assert.equal(p1.data.messages[0].seq, 131);
  assert.equal(p1.data.messages[99].seq, 230);
  assert.equal(p1.data.hasMore, true);
  const p3 = await request(coach.socket, 'chat:history', { beforeSeq: 31 });
  assert.deepEqual([p3.data.messages.length, p3.data.messages[0].seq, p3.data.hasMore], [30, 1, false]);
  coach.socket.disconnect();
});

test('rate limit, length limit, and text only', { timeout: 60_000 }, async () => {
  const classId = await newClass();
  const ana = await join(classId, 'ana', 'member');
  for (let i = 0; i < 5; i++) assert.ok((await send(ana.socket, `hi ${i}`)).data);
  const limited = await send(ana.socket, 'one too many');
  assert.equal(limited.error?.code, 'rate_limited');
  assert.match(limited.error!.message, /too fast: wait \d+ s/);

  const bob = await join(classId, 'bob', 'member');
  assert.equal((await send(bob.socket, 'x'.repeat(501))).error?.code, 'bad_request');
  assert.equal((await send(bob.socket, '   ')).error?.code, 'bad_request');
  assert.equal((await request(bob.socket, 'chat:send', { text: 'hi', clientId: 'short' })).error?.code, 'bad_request');
  assert.equal((await request(bob.socket, 'chat:send', { text: 'hi', clientId: crypto.randomUUID(), html: '<b>' })).error?.code, 'bad_request');
  // Markup is stored and sent as the text it is (the widget renders text, never HTML).
  const markup = await send(bob.socket, '<img src=x onerror=alert(1)> **hi**');
  assert.equal(markup.data.message.text, '<img src=x onerror=alert(1)> **hi**');
  ana.socket.disconnect();
  bob.socket.disconnect();
});

test("the club's word filter masks words in live classes at once", { timeout: 60_000 }, async () => {
  const classId = await newClass();
  const ana = await join(classId, 'ana', 'member');
  const api = (method: string, p: string, body?: unknown) =>
    fetch(`${server.url}/api${p}`, { method, headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' }, ...(body ? { body: JSON.stringify(body) } : {}) });
  assert.equal((await send(ana.socket, 'what the heck')).data.message.text, 'what the heck');
  const put = await api('PUT', '/v1/chat/filter', { words: ['Heck', 'darn'] });
  assert.deepEqual(await put.json(), { words: ['heck', 'darn'] });
  assert.equal((await send(ana.socket, 'what the HECK, darn it')).data.message.text, 'what the ••••, •••• it');
  assert.equal((await api('PUT', '/v1/chat/filter', { words: 'heck' })).status, 400);
  const memberToken = await signJoinToken({ club: DEMO_CLUB_ID, class: classId, role: 'coach', name: 'x', sub: 'x' }, (await server.repos.clubs.get(DEMO_CLUB_ID))!.joinSecret, 600);
  const asCoach = await fetch(`${server.url}/api/v1/chat/filter`, { headers: { authorization: `Bearer ${memberToken}` } });
  assert.equal(asCoach.status, 403, 'the filter is the club’s, not a coach’s');
  await api('PUT', '/v1/chat/filter', { words: [] });
  ana.socket.disconnect();
});

test('deleting reaches everyone and history; chat mute holds across a rejoin; reports reach the club', { timeout: 60_000 }, async () => {
  const classId = await newClass();
  const coach = await join(classId, 'coach-sam', 'coach');
  const ana = await join(classId, 'ana', 'member');
  const mod = await join(classId, 'mo', 'member', { mod: true });
  const bad = await send(ana.socket, 'buy cheap stuff at spam.example');
  const good = await send(ana.socket, 'great class');
  const seq = bad.data.message.seq as number;

  // A member cannot delete; a moderator can; everyone is told.
  assert.equal((await request(ana.socket, 'chat:delete', { seq: good.data.message.seq })).error?.code, 'forbidden');
  const seen = [coach, ana].map((p) => nextEvent<{ seq: number }>(p.socket, 'chat:deleted'));
  assert.deepEqual(await request(mod.socket, 'chat:delete', { seq }), { data: {} });
  for (const d of await Promise.all(seen)) assert.equal(d.seq, seq);
  const history = await request(coach.socket, 'chat:history', {});
  assert.deepEqual(history.data.messages.map((m: ChatMessage) => m.seq), [good.data.message.seq]);
  assert.equal((await request(coach.socket, 'chat:delete', { seq })).error?.code, 'not_found');

  // Report: stored for the club.
  assert.deepEqual(await request(coach.socket, 'chat:report', { seq: good.data.message.seq, reason: 'testing reports' }), { data: {} });
  assert.equal((await request(coach.socket, 'chat:report', { seq: 9999 })).error?.code, 'not_found');
  const reports = (await (await fetch(`${server.url}/api/v1/chat/reports`, { headers: { authorization: `Bearer ${apiKey}` } })).json()) as { reports: Array<{ classId: string; seq: number; reason: string; reporter: string; sender: string }> };
  const mine = reports.reports.find((r) => r.classId === classId);
  assert.deepEqual(mine && { seq: mine.seq, reason: mine.reason, reporter: mine.reporter, sender: mine.sender }, { seq: good.data.message.seq, reason: 'testing reports', reporter: 'coach-sam', sender: 'ana' });

  // Mute: a member cannot mute; the coach can; it holds when Ana comes back.
  assert.equal((await request(ana.socket, 'chat:mute', { participantId: mod.id, muted: true })).error?.code, 'forbidden');
  const mutedState = stateWhere(ana.socket, (s) => s.chatMuted.includes(ana.id));
  assert.deepEqual(await request(coach.socket, 'chat:mute', { participantId: ana.id, muted: true }), { data: {} });
  await mutedState;
  assert.equal((await send(ana.socket, 'hello?')).error?.code, 'chat_muted');
  ana.socket.disconnect();
  const anaAgain = await join(classId, 'ana', 'member');
  assert.equal((await send(anaAgain.socket, 'hello?')).error?.code, 'chat_muted');
  await request(coach.socket, 'chat:mute', { participantId: anaAgain.id, muted: false });
  assert.ok((await send(anaAgain.socket, 'thanks')).data);
  for (const p of [coach, mod, anaAgain]) p.socket.disconnect();
});

test('hands: raised in order, seen by the coach, called on (spotlight), lowered; reactions arrive summed', { timeout: 60_000 }, async () => {
  const classId = await newClass();
  const coach = await join(classId, 'coach-sam', 'coach');
  const ana = await join(classId, 'ana', 'member');
  const ben = await join(classId, 'ben', 'member');
  const two = stateWhere(coach.socket, (s) => s.hands.length === 2);
  await request(ben.socket, 'hand:raise', {});
  await request(ana.socket, 'hand:raise', {});
  assert.deepEqual((await two).hands, [ben.id, ana.id]);
  assert.equal((await request(ana.socket, 'hand:lower', { participantId: ben.id })).error?.code, 'forbidden');
  assert.equal((await request(ana.socket, 'hand:call', { participantId: ben.id })).error?.code, 'forbidden');
  const called = stateWhere(ana.socket, (s) => s.spotlightId === ben.id);
  assert.deepEqual(await request(coach.socket, 'hand:call', { participantId: ben.id }), { data: {} });
  assert.deepEqual((await called).hands, [ana.id]);
  // Spotlighted: Ana is now offered Ben's media (he has none here, but the route is open).
  const lowered = stateWhere(coach.socket, (s) => s.hands.length === 0);
  await request(ana.socket, 'hand:lower', {});
  await lowered;

  const burst = nextEvent<{ counts: Record<string, number> }>(coach.socket, 'reaction:burst');
  await Promise.all([request(ana.socket, 'reaction:send', { emoji: '🔥' }), request(ana.socket, 'reaction:send', { emoji: '🔥' }), request(ben.socket, 'reaction:send', { emoji: '👏' })]);
  assert.deepEqual((await burst).counts, { '🔥': 2, '👏': 1 });
  assert.equal((await request(ana.socket, 'reaction:send', { emoji: '💩' })).error?.code, 'bad_request');
  const spam = await Promise.all(Array.from({ length: 8 }, () => request(ben.socket, 'reaction:send', { emoji: '💪' })));
  assert.ok(spam.some((r) => r.error?.code === 'rate_limited'), 'a member sending a flood is throttled');
  for (const p of [coach, ana, ben]) p.socket.disconnect();
});
