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
import type { BoardState, SharedFile } from '../../protocol/social.js';
import { startBackend } from '../support/backend.js';
import { stateWhere } from '../support/waits.js';
import { connect, connected, nextEvent, request } from '../support/socket-client.js';

/* Capacity and the waitlist, the whiteboard, and shared files: real backend, real sockets. */

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fitlive-seats-'));
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

async function newClass(capacity = 50): Promise<string> {
  const id = `seats-${crypto.randomBytes(4).toString('hex')}`;
  await server.repos.classes.create({ id, clubId: DEMO_CLUB_ID, title: 'Small class', coachName: 'Sam', startsAt: null, plan: [], durationMinutes: 45, capacity });
  return id;
}

async function tokenFor(classId: string, sub: string, role: 'coach' | 'member') {
  const secret = (await server.repos.clubs.get(DEMO_CLUB_ID))!.joinSecret;
  return signJoinToken({ club: DEMO_CLUB_ID, class: classId, role, name: sub, sub }, secret, 600);
}

async function open(classId: string, sub: string, role: 'coach' | 'member') {
  const socket = connect(server, { token: await tokenFor(classId, sub, role), classId });
  sockets.push(socket);
  await connected(socket);
  return socket;
}

let caps: unknown;
async function joinOn(socket: Socket) {
  caps ??= (await request(socket, 'room:capabilities', {})).data.routerRtpCapabilities;
  return request(socket, 'room:join', { rtpCapabilities: caps });
}


test('50 racing joins against a limit of 20: exactly 20 seated, the rest wait in line, a leaver’s seat goes to the first in line', { timeout: 120_000 }, async () => {
  const classId = await newClass(20);
  const coach = await open(classId, 'coach-sam', 'coach');
  assert.ok((await joinOn(coach)).data, 'the coach needs no seat');
  const members = await Promise.all(Array.from({ length: 50 }, (_, i) => open(classId, `m${i}`, 'member')));

  const results = await Promise.all(members.map((s) => joinOn(s)));
  const admitted = members.filter((_, i) => results[i]!.data);
  const full = members.filter((_, i) => results[i]!.error?.code === 'class_full');
  assert.equal(admitted.length, 20, 'exactly the limit is seated');
  assert.equal(full.length, 30, 'everyone else is told the class is full');
  assert.match(results.find((r) => r.error)!.error!.message, /full \(20 places\)/);

  // Everyone turned away waits, in order.
  const thirty = stateWhere(coach, (s) => s.seats.waiting === 30);
  const positions: number[] = [];
  for (const s of full) positions.push((await request(s, 'waitlist:join', {})).data.position);
  assert.deepEqual(positions, Array.from({ length: 30 }, (_, i) => i + 1));
  const st = await thirty;
  assert.deepEqual(st.seats, { capacity: 20, taken: 20, waiting: 30 });

  // A newcomer cannot skip the line.
  const late = await open(classId, 'late', 'member');
  assert.equal((await joinOn(late)).error?.code, 'class_full');

  // One leaves: the first in line is told a seat is held, the others move up, and the seat is theirs.
  const promoted = nextEvent<{ holdSeconds: number }>(full[0]!, 'waitlist:promoted');
  const movedUp = nextEvent<{ position: number }>(full[1]!, 'waitlist:position');
  admitted[0]!.disconnect();
  assert.ok((await promoted).holdSeconds >= 10);
  assert.equal((await movedUp).position, 1);
  assert.equal((await joinOn(late)).error?.code, 'class_full', 'the held seat is not the newcomer’s');
  const after = stateWhere(coach, (s) => s.seats.waiting === 29 && s.seats.taken === 20);
  assert.ok((await joinOn(full[0]!)).data, 'the promoted member joins');
  assert.equal((await after).seats.capacity, 20);

  // Leaving the line moves the others up; the club raising the limit seats the next in line.
  const moved = nextEvent<{ position: number }>(full[2]!, 'waitlist:position');
  await request(full[1]!, 'waitlist:leave', {});
  assert.equal((await moved).position, 1);
  const seatFor2 = nextEvent(full[2]!, 'waitlist:promoted');
  const res = await fetch(`${server.url}/api/v1/classes/${classId}`, { method: 'PATCH', headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' }, body: JSON.stringify({ capacity: 21 }) });
  assert.equal(res.status, 200);
  await seatFor2;
  assert.ok((await joinOn(full[2]!)).data);
  for (const s of [coach, late, ...members]) s.disconnect();
});

test('the board: the coach draws, members see it live, a late joiner and a restarted backend have it; members cannot draw', { timeout: 90_000 }, async () => {
  const classId = await newClass();
  const coach = await open(classId, 'coach-sam', 'coach');
  await joinOn(coach);
  const ana = await open(classId, 'ana', 'member');
  await joinOn(ana);
  const stroke = { kind: 'stroke', id: 's1', color: '#e11d48', width: 6, points: [[0.1, 0.2], [0.4, 0.5], [0.6, 0.5]] };
  const text = { kind: 'text', id: 't1', color: '#111111', size: 48, x: 0.1, y: 0.8, text: 'AMRAP 12 min' };
  const live = nextEvent<{ item: unknown; version: number }>(ana, 'board:item');
  assert.deepEqual(await request(coach, 'board:draw', { item: stroke }), { data: { version: 1 } });
  assert.deepEqual((await live).item, stroke);
  await request(coach, 'board:draw', { item: text });
  assert.equal((await request(ana, 'board:draw', { item: { ...stroke, id: 's2' } })).error?.code, 'forbidden');
  assert.equal((await request(coach, 'board:draw', { item: { ...stroke, id: 's3', points: [[2, 0]] } })).error?.code, 'bad_request');
  assert.equal((await request(coach, 'board:draw', { item: { ...stroke, id: 's4', color: 'red;background:url(x)' } })).error?.code, 'bad_request');

  const late = await open(classId, 'ben', 'member');
  await joinOn(late);
  const board = (await request(late, 'board:get', {})).data.board as BoardState;
  assert.deepEqual(board.items, [stroke, text]);

  const undone = nextEvent<BoardState>(late, 'board:state');
  await request(coach, 'board:undo', {});
  assert.deepEqual((await undone).items, [stroke]);

  // Saved with the class: it is there after a restart.
  for (const s of [coach, ana, late]) s.disconnect();
  await server.stop();
  await boot();
  const back = await open(classId, 'ana', 'member');
  await joinOn(back);
  assert.deepEqual((await request(back, 'board:get', {})).data.board.items, [stroke]);
  back.disconnect();
});

test('files: the coach shares a PDF or image; the class is told; links expire and cannot be forged; wrong types and sizes are refused', { timeout: 90_000 }, async () => {
  const classId = await newClass();
  const coachToken = await tokenFor(classId, 'coach-sam', 'coach');
  const memberToken = await tokenFor(classId, 'ana', 'member');
  const ana = await open(classId, 'ana', 'member');
  await joinOn(ana);
  const upload = (body: Uint8Array, token: string, name = 'workout.pdf', type = 'application/pdf') =>
    fetch(`${server.url}/api/v1/classes/${classId}/files?name=${encodeURIComponent(name)}`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': type }, body: new Blob([body as Uint8Array<ArrayBuffer>]) });

  const pdf = Buffer.concat([Buffer.from('%PDF-1.4\n'), crypto.randomBytes(2000)]);
  const told = nextEvent<SharedFile>(ana, 'file:shared');
  const res = await upload(pdf, coachToken, '../../etc/Week 3 "plan".pdf');
  assert.equal(res.status, 201);
  const shared = (await res.json()) as SharedFile;
  assert.equal(shared.name, 'Week 3 plan.pdf');
  assert.equal(shared.contentType, 'application/pdf');
  assert.equal((await told).id, shared.id);
  const got = await fetch(`${server.url}${shared.url}`);
  assert.equal(got.status, 200);
  assert.equal(got.headers.get('content-type'), 'application/pdf');
  assert.equal(got.headers.get('x-content-type-options'), 'nosniff');
  assert.ok(Buffer.from(await got.arrayBuffer()).equals(pdf));
  assert.ok(fs.existsSync(path.join(dataDir, 'files', shared.id)), 'stored under the data folder by default');

  // Listed with fresh links for a late joiner.
  const list = (await request(ana, 'files:list', {})).data.files as SharedFile[];
  assert.deepEqual(list.map((f) => f.id), [shared.id]);

  // A forged or stretched link is refused.
  const url = new URL(shared.url, server.url);
  url.searchParams.set('exp', String(Number(url.searchParams.get('exp')) + 3600));
  assert.equal((await fetch(url)).status, 401);
  const expired = server.files.link((await server.repos.files.get(shared.id))!, Date.now() - 2 * 3600_000);
  const gone = await fetch(`${server.url}${expired.url}`);
  assert.equal(gone.status, 410);
  assert.equal(((await gone.json()) as { error: { code: string } }).error.code, 'token_expired');

  // Refusals: a member uploading, a type that is not a PDF or image (whatever its header says), too big, empty.
  assert.equal((await upload(pdf, memberToken)).status, 403);
  const html = await upload(Buffer.from('<html><script>alert(1)</script></html>'), coachToken, 'evil.pdf', 'application/pdf');
  assert.equal(html.status, 415);
  assert.equal(((await html.json()) as { error: { code: string } }).error.code, 'unsupported_media_type');
  const big = await upload(Buffer.concat([Buffer.from('%PDF-'), Buffer.alloc(10 * 1024 * 1024)]), coachToken);
  assert.equal(big.status, 413);
  assert.equal(((await big.json()) as { error: { code: string } }).error.code, 'payload_too_large');
  assert.equal((await upload(new Uint8Array(0), coachToken)).status, 400);
  const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), crypto.randomBytes(100)]);
  const img = await upload(png, coachToken, 'squat form', 'application/octet-stream');
  assert.equal(img.status, 201);
  assert.deepEqual(await img.json().then((f) => [(f as SharedFile).contentType, (f as SharedFile).name]), ['image/png', 'squat form.png']);
  ana.disconnect();
});
