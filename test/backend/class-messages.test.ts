import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import type { Socket } from 'socket.io-client';
import { signJoinToken } from '../../backend/auth/join-token.js';
import type { RunningServer } from '../../backend/main.js';
import { DEMO_CLASS_ID, DEMO_CLUB_ID } from '../../backend/store/seed.js';
import type { ClassStateView, Level } from '../../protocol/class-state.js';
import { startBackend } from '../support/backend.js';
import { stateWhere } from '../support/waits.js';
import { connect, connected, nextEvent, request } from '../support/socket-client.js';

/* The fitness messages over real sockets to the real backend (mediasoup, PGlite on disk). */

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fitlive-class-'));
let server: RunningServer;
const sockets: Socket[] = [];

before(async () => {
  server = await startBackend({ DATA_DIR: dataDir });
});
after(async () => {
  for (const s of sockets) s.disconnect();
  await server?.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

async function tokenFor(sub: string, role: 'coach' | 'member', classId = DEMO_CLASS_ID) {
  const secret = (await server.repos.clubs.get(DEMO_CLUB_ID))!.joinSecret;
  return signJoinToken({ club: DEMO_CLUB_ID, class: classId, role, name: sub, sub }, secret, 600);
}

async function join(sub: string, role: 'coach' | 'member', level?: Level, token?: string, classId = DEMO_CLASS_ID) {
  const socket = connect(server, { token: token ?? (await tokenFor(sub, role, classId)), classId });
  sockets.push(socket);
  await connected(socket);
  const caps = (await request(socket, 'room:capabilities', {})).data.routerRtpCapabilities;
  const res = await request(socket, 'room:join', { rtpCapabilities: caps, ...(level ? { level } : {}) });
  return { socket, res, id: res.data?.self.id as string, state: res.data?.classState as ClassStateView };
}



test('a whole class over the socket: refusals for members, coach controls reach everyone, reps are idempotent', { timeout: 60_000 }, async () => {
  const coach = await join('coach-sam', 'coach');
  const bea = await join('bea', 'member', 'beginner');
  const ian = await join('ian', 'member', 'intermediate');
  assert.equal(ian.state.participants[ian.id]!.level, 'intermediate');
  assert.equal(ian.state.plan.length, 5, 'the class plan comes with the join');
  const serverNow = ian.res.data.serverNow as number;
  assert.ok(Math.abs(serverNow - Date.now()) < 1000);

  // A member attempting every coach action is refused, and nothing changes.
  const coachActions: Array<[string, unknown]> = [
    ['class:set-mode', { mode: 'workout' }],
    ['class:set-level', { participantId: ian.id, level: 'advanced' }],
    ['class:set-plan', { plan: [] }],
    ['class:show-exercise', { index: 0, level: null }],
    ['class:advance', {}],
    ['timer:start', { spec: { workSeconds: 40, restSeconds: 20, rounds: 8 } }],
    ['timer:control', { action: 'pause' }],
    ['mic:set-muted', { participantId: ian.id, muted: true }],
    ['mic:mute-all', { lock: true }],
    ['class:spotlight', { participantId: bea.id }],
    ['class:remove', { participantId: ian.id }],
    ['class:end', {}],
    ['breakouts:start', {}],
    ['breakouts:visit', { room: 'advanced' }],
    ['breakouts:end', {}],
  ];
  for (const [name, payload] of coachActions) {
    const res = await request(bea.socket, name, payload);
    assert.equal(res.error?.code, 'forbidden', `${name}: ${JSON.stringify(res)}`);
  }
  assert.equal((await request(coach.socket, 'rep:tap', { opId: 'coach-op-1' })).error?.code, 'forbidden', 'coaches do not count reps');

  // The mode switch reaches everyone, and only that changed.
  const seen = [bea, ian, coach].map((p) => stateWhere(p.socket, (st) => st.mode === 'workout'));
  assert.deepEqual(await request(coach.socket, 'class:set-mode', { mode: 'workout' }), { data: {} });
  for (const state of await Promise.all(seen)) {
    assert.equal(state.mode, 'workout');
    assert.deepEqual(state.cards, { beginner: null, intermediate: null, advanced: null });
    assert.equal(state.timer, null);
    assert.equal(state.spotlightId, null);
    assert.equal((state as Partial<ClassStateView>).participants, undefined, 'members travel as class:members changes, not in every state');
    assert.equal(state.plan.length, 5);
  }

  // A level change travels as that one member's change.
  const levelChange = nextEvent<{ changes: Record<string, { level: string } | null> }>(bea.socket, 'class:members');
  assert.deepEqual(await request(coach.socket, 'class:set-level', { participantId: ian.id, level: 'advanced' }), { data: {} });
  const { changes } = await levelChange;
  assert.deepEqual(Object.keys(changes), [ian.id]);
  assert.equal(changes[ian.id]!.level, 'advanced');
  await request(coach.socket, 'class:set-level', { participantId: ian.id, level: 'intermediate' });

  // An exercise pushed to one level changes only that level's card.
  await request(coach.socket, 'class:advance', {});
  const pushed = stateWhere(ian.socket, (st) => st.cards.intermediate === 2);
  await request(coach.socket, 'class:show-exercise', { index: 2, level: 'intermediate' });
  assert.deepEqual((await pushed).cards, { beginner: 0, intermediate: 2, advanced: 0 });

  // Reps: stored, counted once per operation id, seen by the coach.
  const counted = nextEvent(coach.socket, 'rep:counted');
  assert.deepEqual((await request(ian.socket, 'rep:tap', { opId: 'ian-op-0001' })).data, { exerciseId: 'plank', count: 1, duplicate: false });
  assert.deepEqual(await counted, { participantId: ian.id, exerciseId: 'plank', count: 1 });
  assert.deepEqual((await request(ian.socket, 'rep:tap', { opId: 'ian-op-0001' })).data, { exerciseId: 'plank', count: 1, duplicate: true });
  assert.equal((await request(ian.socket, 'rep:tap', { opId: 'x' })).error?.code, 'bad_request', 'operation ids are long enough to be unique');
  await request(bea.socket, 'rep:tap', { opId: 'bea-op-0001' });
  assert.equal((await request(bea.socket, 'rep:tap', { opId: 'bea-op-0002' })).data.count, 2);

  // Camera counting: the coach turns it on for Bea's exercise (members may not); camera reps are
  // marked on the coach's screen; Bea takes one back; the summary keeps them apart.
  const beaExercise = (await request(bea.socket, 'rep:tap', { opId: 'bea-op-0003' })).data.exerciseId;
  assert.equal((await request(bea.socket, 'class:auto-count', { exerciseId: beaExercise, movement: 'squat' })).error?.code, 'forbidden');
  assert.equal((await request(coach.socket, 'class:auto-count', { exerciseId: beaExercise, movement: 'burpee' })).error?.code, 'bad_request', 'only movements the camera can count');
  const autoOn = stateWhere(bea.socket, (st) => st.autoCount[beaExercise] === 'squat');
  assert.deepEqual(await request(coach.socket, 'class:auto-count', { exerciseId: beaExercise, movement: 'squat' }), { data: {} });
  await autoOn;
  const cameraCounted = nextEvent(coach.socket, 'rep:counted');
  assert.deepEqual((await request(bea.socket, 'rep:tap', { opId: 'bea-cam-0001', source: 'camera' })).data, { exerciseId: beaExercise, count: 4, duplicate: false });
  assert.deepEqual(await cameraCounted, { participantId: bea.id, exerciseId: beaExercise, count: 4, cameraCount: 1 });
  await request(bea.socket, 'rep:tap', { opId: 'bea-cam-0002', source: 'camera' });
  assert.equal((await request(bea.socket, 'rep:tap', { opId: 'bea-cam-0003', source: 'elbow' })).error?.code, 'bad_request');
  assert.deepEqual((await request(bea.socket, 'rep:undo', { opId: 'bea-undo-0001' })).data, { exerciseId: beaExercise, count: 4, duplicate: false });
  assert.deepEqual((await request(bea.socket, 'rep:undo', { opId: 'bea-undo-0001' })).data, { exerciseId: beaExercise, count: 4, duplicate: true });

  // Mute with lock: the member cannot unmute; the coach can.
  await request(coach.socket, 'mic:set-muted', { participantId: bea.id, muted: true, lock: true });
  assert.equal((await request(bea.socket, 'mic:set-muted', { participantId: bea.id, muted: false })).error?.code, 'mic_locked');
  await request(coach.socket, 'mic:set-muted', { participantId: bea.id, muted: false });
  assert.deepEqual(await request(bea.socket, 'mic:set-muted', { participantId: bea.id, muted: true }), { data: {} });

  // The timer: phases come from the server clock.
  const timed = stateWhere(ian.socket, (st) => st.timer !== null);
  await request(coach.socket, 'timer:start', { spec: { workSeconds: 40, restSeconds: 20, rounds: 8 } });
  const timer = (await timed).timer!;
  assert.ok(Math.abs(timer.startedAt - Date.now()) < 1000);

  // Remove: gone, and the same token cannot come back.
  const removedToken = await tokenFor('ian', 'member');
  const closed = nextEvent(ian.socket, 'room:closed');
  await request(coach.socket, 'class:remove', { participantId: ian.id });
  assert.deepEqual(await closed, { reason: 'removed' });
  const back = await join('ian', 'member', undefined, removedToken);
  assert.equal(back.res.error?.code, 'removed');
  await request(coach.socket, 'class:spotlight', { participantId: bea.id });

  // The plan through REST: coaches only, validated, and live clients get it at once.
  const api = (path: string, token: string, init: RequestInit = {}) =>
    fetch(`${server.url}/api/v1/classes/${DEMO_CLASS_ID}${path}`, { ...init, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...init.headers } });
  const coachToken = await tokenFor('coach-sam', 'coach');
  const beaToken = await tokenFor('bea', 'member');
  const newPlan = [{ id: 'jacks', name: 'Jumping jacks', targets: { beginner: { reps: 10 }, intermediate: { seconds: 30 }, advanced: { seconds: 45 } } }];
  assert.equal((await api('/plan', beaToken, { method: 'PUT', body: JSON.stringify({ plan: newPlan }) })).status, 403);
  const badPlan = await api('/plan', coachToken, { method: 'PUT', body: JSON.stringify({ plan: [{ id: 'x', name: 'X', targets: { beginner: { reps: -1 } } }] }) });
  assert.equal(badPlan.status, 400);
  assert.equal((await badPlan.json()).error.code, 'bad_request');
  assert.equal((await fetch(`${server.url}/api/v1/classes/${DEMO_CLASS_ID}/plan`)).status, 401);
  const replanned = stateWhere(bea.socket, (st) => st.plan.length === 1);
  assert.equal((await api('/plan', coachToken, { method: 'PUT', body: JSON.stringify({ plan: newPlan }) })).status, 200);
  assert.equal((await replanned).plan[0]!.id, 'jacks');
  assert.deepEqual((await (await api('/plan', beaToken)).json()).plan, newPlan);

  // End: everyone sees the end; nobody can join afterwards.
  const ended = [nextEvent(bea.socket, 'room:closed'), nextEvent(coach.socket, 'room:closed')];
  await request(coach.socket, 'class:end', {});
  for (const e of await Promise.all(ended)) assert.deepEqual(e, { reason: 'ended' });
  const late = await join('late', 'member');
  assert.equal(late.res.error?.code, 'class_ended');

  // The summary: the coach gets everyone (JSON and CSV), a member only themselves.
  const full = await (await api('/summary', coachToken)).json();
  const beaRow = full.people.find((p: { identity: string }) => p.identity === 'bea');
  assert.equal(beaRow.totalReps, 4);
  assert.deepEqual([beaRow.totalCameraReps, beaRow.cameraReps], [1, { [beaExercise]: 1 }]);
  assert.equal(full.people.find((p: { identity: string }) => p.identity === 'ian').reps.plank, 1);
  assert.ok(full.peakParticipants >= 3);
  const csv = await (await api('/summary?format=csv', coachToken)).text();
  assert.match(csv.split('\n')[0]!, /^identity,name,role,level,.*,total_reps,camera_reps,/);
  const own = await (await api('/summary', beaToken)).json();
  assert.deepEqual(own.people.map((p: { identity: string }) => p.identity), ['bea']);
  assert.equal((await api('/summary', await tokenFor('x', 'member', 'demo-yoga'))).status, 403, 'a token for another class');
});

test('acknowledged reps survive a backend restart and count on from there', { timeout: 60_000 }, async () => {
  const yoga = 'demo-yoga';
  const first = await join('dora', 'member', 'advanced', undefined, yoga);
  const { exerciseId } = (await request(first.socket, 'rep:tap', { opId: 'dora-op-0001' })).data;
  await request(first.socket, 'rep:tap', { opId: 'dora-op-0002' });
  await request(first.socket, 'rep:tap', { opId: 'dora-cam-0001', source: 'camera' });
  await request(first.socket, 'rep:tap', { opId: 'dora-cam-0002', source: 'camera' });
  await request(first.socket, 'rep:undo', { opId: 'dora-undo-0001' });
  await server.stop();

  server = await startBackend({ DATA_DIR: dataDir });
  const again = await join('dora', 'member', 'advanced', undefined, yoga);
  assert.deepEqual(again.state.participants[again.id]!.reps, { [exerciseId]: 3 });
  assert.deepEqual(again.state.participants[again.id]!.cameraReps, { [exerciseId]: 1 }, 'camera reps and the correction are replayed');
  assert.equal((await request(again.socket, 'rep:tap', { opId: 'dora-op-0002' })).data.duplicate, true, 'a retry after the restart does not count');
  assert.equal((await request(again.socket, 'rep:tap', { opId: 'dora-op-0003' })).data.count, 4);
});
