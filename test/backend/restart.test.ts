import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import type { Socket } from 'socket.io-client';
import { signJoinToken } from '../../backend/auth/join-token.js';
import type { RunningServer } from '../../backend/main.js';
import { DEMO_CLASS_ID, DEMO_CLUB_ID } from '../../backend/store/seed.js';
import type { ClassStateView } from '../../protocol/class-state.js';
import { startBackend } from '../support/backend.js';
import { connect, connected, request } from '../support/socket-client.js';

/* A backend restart: the class state comes back from the store (real backend, PGlite on disk). */

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fitlive-restart-'));
let server: RunningServer;
const sockets: Socket[] = [];
after(async () => {
  for (const s of sockets) s.disconnect();
  await server?.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

async function join(sub: string, role: 'coach' | 'member', level?: string) {
  const secret = (await server.repos.clubs.get(DEMO_CLUB_ID))!.joinSecret;
  const token = await signJoinToken({ club: DEMO_CLUB_ID, class: DEMO_CLASS_ID, role, name: sub, sub }, secret, 600);
  const socket = connect(server, { token, classId: DEMO_CLASS_ID });
  sockets.push(socket);
  await connected(socket);
  const caps = (await request(socket, 'room:capabilities', {})).data.routerRtpCapabilities;
  const res = await request(socket, 'room:join', { rtpCapabilities: caps, ...(level ? { level } : {}) });
  assert.ok(res.data, JSON.stringify(res.error));
  return { socket, id: res.data.self.id as string, state: res.data.classState as ClassStateView };
}

const ok = async (p: Promise<{ data?: unknown; error?: unknown }>) => assert.equal((await p).error, undefined);

test('after a backend restart the class carries on: mode, cards, timer, levels, microphone locks, hands and reps', { timeout: 90_000 }, async () => {
  server = await startBackend({ DATA_DIR: dataDir });
  const coach = await join('coach-sam', 'coach');
  const ana = await join('ana', 'member', 'advanced');
  await ok(request(coach.socket, 'class:set-mode', { mode: 'workout' }));
  await ok(request(coach.socket, 'class:show-exercise', { index: 1, level: 'beginner' }));
  await ok(request(coach.socket, 'class:show-exercise', { index: 2, level: 'advanced' }));
  await ok(request(coach.socket, 'timer:start', { spec: { workSeconds: 40, restSeconds: 20, rounds: 8 } }));
  await ok(request(coach.socket, 'mic:set-muted', { participantId: ana.id, muted: true, lock: true }));
  await ok(request(ana.socket, 'hand:raise', {}));
  for (let i = 0; i < 3; i++) await ok(request(ana.socket, 'rep:tap', { opId: `rep-op-${i}-xxxx` }));
  const before = (await request(coach.socket, 'time:sync', {}), (await join('ben', 'member')).state);

  await server.stop();
  server = await startBackend({ DATA_DIR: dataDir });

  const coach2 = await join('coach-sam', 'coach');
  const ana2 = await join('ana', 'member', 'beginner');
  assert.equal(ana2.id, ana.id, 'the same participant id');
  const after = ana2.state;
  assert.equal(after.mode, 'workout');
  assert.deepEqual(after.cards, before.cards);
  assert.deepEqual(after.timer, before.timer, 'the timer runs on from the same start');
  const mine = after.participants[ana.id]!;
  assert.equal(mine.level, 'advanced', 'her level, not the one the lobby sent');
  assert.deepEqual([mine.mutedByCoach, mine.micLocked], [true, true]);
  assert.deepEqual(mine.reps, { [before.plan[2]!.id]: 3 });
  assert.deepEqual(after.hands, [ana.id]);
  assert.equal((await request(ana2.socket, 'mic:set-muted', { participantId: ana.id, muted: false })).error?.code, 'mic_locked');
  coach2.socket.disconnect();
});
