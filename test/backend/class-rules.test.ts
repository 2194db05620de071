import assert from 'node:assert/strict';
import { beforeEach, describe, test } from 'node:test';
import { ClassRules, SEEN_OPS_KEPT } from '../../backend/classes/class-rules.js';
import { ClassSession } from '../../backend/classes/class-session.js';
import { pauseTimer, readTimer, resumeTimer, skipPhase, startTimer } from '../../protocol/timer.js';
import { AppError } from '../../backend/errors.js';
import type { Plan } from '../../protocol/class-state.js';

const plan: Plan = [
  { id: 'squat', name: 'Squats', targets: { beginner: { reps: 10 }, intermediate: { reps: 15 }, advanced: { reps: 20 } } },
  { id: 'plank', name: 'Plank', targets: { beginner: { seconds: 20 }, intermediate: { seconds: 40 }, advanced: { seconds: 60 } } },
  { id: 'burpee', name: 'Burpees', targets: { beginner: { reps: 5 }, intermediate: { reps: 10 }, advanced: { reps: 15 } } },
];

function code(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    if (err instanceof AppError) return err.code;
    throw err;
  }
  return 'ok';
}

let session: ClassSession;
let rules: ClassRules;
beforeEach(() => {
  session = new ClassSession('k', 'HIIT');
  rules = new ClassRules(session, plan);
  for (const [id, identity, role, level] of [
    ['c', 'sam', 'coach', 'advanced'],
    ['b', 'bea', 'member', 'beginner'],
    ['i', 'ian', 'member', 'intermediate'],
    ['a', 'ada', 'member', 'advanced'],
  ] as const) {
    session.join({ id, identity, role, displayName: identity });
    rules.seated(id, level);
  }
});

describe('class rules', () => {
  test('modes and levels: the coach decides, members cannot', () => {
    assert.equal(rules.view().mode, 'teach');
    assert.equal(code(() => rules.setMode('b', 'workout')), 'forbidden');
    rules.setMode('c', 'workout');
    assert.equal(rules.view().mode, 'workout');
    assert.equal(code(() => rules.setLevel('i', 'i', 'advanced')), 'forbidden');
    rules.setLevel('c', 'b', 'intermediate');
    assert.equal(rules.view().participants.b!.level, 'intermediate');
    assert.equal(code(() => rules.setLevel('c', 'ghost', 'advanced')), 'not_found');
  });

  test('an exercise pushed to one level changes only that level’s card', () => {
    rules.advance('c');
    assert.deepEqual(rules.view().cards, { beginner: 0, intermediate: 0, advanced: 0 });
    rules.showExercise('c', 2, 'intermediate');
    assert.deepEqual(rules.view().cards, { beginner: 0, intermediate: 2, advanced: 0 });
    assert.equal(rules.currentExerciseId('i'), 'burpee');
    assert.equal(rules.currentExerciseId('b'), 'squat');
    assert.equal(code(() => rules.advance('c')), 'bad_request', 'the furthest card was the last exercise');
  });

  test('advance walks the plan and stops at its end; bad indexes are refused', () => {
    assert.equal(rules.advance('c'), 0);
    assert.equal(rules.advance('c'), 1);
    assert.equal(rules.advance('c'), 2);
    assert.equal(code(() => rules.advance('c')), 'bad_request');
    assert.equal(code(() => rules.showExercise('c', 7, null)), 'bad_request');
    assert.equal(code(() => rules.showExercise('c', -1, null)), 'bad_request');
    assert.equal(code(() => rules.showExercise('a', 0, null)), 'forbidden');
  });

  test('a shorter plan drops cards that no longer exist', () => {
    rules.showExercise('c', 2, null);
    rules.setPlan('c', plan.slice(0, 1));
    assert.deepEqual(rules.view().cards, { beginner: null, intermediate: null, advanced: null });
    assert.equal(rules.currentExerciseId('b'), 'freestyle');
  });

  test('reps: the operation ids remembered per member stay bounded; an old one the store had is noted, not counted', () => {
    rules.advance('c');
    const total = SEEN_OPS_KEPT + 100;
    for (let i = 0; i < total; i++) rules.recordRep('b', `op-${i}`, 'squat');
    assert.equal(rules.view().participants.b!.reps.squat, total);
    // The newest are answered from memory; the oldest are left to the store's unique key.
    assert.equal(rules.checkRep('b', `op-${total - 1}`).duplicate, true);
    assert.equal(rules.checkRep('b', `op-${total - SEEN_OPS_KEPT}`).duplicate, true);
    assert.equal(rules.checkRep('b', 'op-0').duplicate, false, 'forgotten here (a long class must not grow memory without bound)');
    rules.rememberOp('b', 'op-0');
    assert.equal(rules.checkRep('b', 'op-0').duplicate, true);
    assert.equal(rules.view().participants.b!.reps.squat, total, 'noting it counted nothing');
    assert.equal(rules.checkRep('b', `op-${total - SEEN_OPS_KEPT}`).duplicate, false, 'the oldest remembered made room');
  });

  test('reps: members only, counted per exercise, a retried operation never twice', () => {
    rules.advance('c');
    assert.equal(code(() => rules.checkRep('c', 'op1')), 'forbidden');
    const first = rules.checkRep('b', 'op1');
    assert.deepEqual(first, { exerciseId: 'squat', duplicate: false, kind: 'tap' });
    assert.equal(rules.recordRep('b', 'op1', 'squat').count, 1);
    assert.equal(rules.recordRep('b', 'op2', 'squat').count, 2);
    assert.deepEqual(rules.checkRep('b', 'op1'), { exerciseId: 'squat', duplicate: true, kind: 'tap' });
    const again = rules.recordRep('b', 'op1', 'squat');
    assert.equal(again.duplicate, true);
    assert.equal(again.count, 2);
    rules.advance('c');
    assert.equal(rules.recordRep('b', 'op3', 'plank').count, 1);
    assert.deepEqual(rules.view().participants.b!.reps, { squat: 2, plank: 1 });
  });

  test('camera reps are marked; a correction takes one back (a camera one first), never below zero', () => {
    rules.advance('c');
    rules.recordRep('b', 'cam1', 'squat', 'camera');
    rules.recordRep('b', 'cam2', 'squat', 'camera');
    assert.deepEqual(rules.recordRep('b', 'tap1', 'squat', 'tap'), { participantId: 'b', exerciseId: 'squat', count: 3, cameraCount: 2, duplicate: false });
    assert.equal(rules.recordRep('b', 'cam2', 'squat', 'camera').duplicate, true, 'a retried camera rep never counts twice');
    assert.deepEqual(rules.checkRep('b', 'undo1', 'undo'), { exerciseId: 'squat', duplicate: false, kind: 'undo-camera' }, 'a camera rep is taken back first');
    const undone = rules.recordRep('b', 'undo1', 'squat', 'undo-camera');
    assert.deepEqual([undone.count, undone.cameraCount], [2, 1]);
    assert.deepEqual(rules.view().participants.b!.cameraReps, { squat: 1 });
    rules.recordRep('b', 'undo2', 'squat', rules.checkRep('b', 'undo2', 'undo').kind);
    assert.equal(rules.checkRep('b', 'undo3', 'undo').kind, 'undo', 'no camera rep left: a tapped one');
    rules.recordRep('b', 'undo3', 'squat', 'undo');
    assert.deepEqual([rules.view().participants.b!.reps.squat, rules.view().participants.b!.cameraReps], [0, { squat: 0 }]);
    assert.equal(code(() => rules.checkRep('b', 'undo4', 'undo')), 'bad_request', 'nothing left to take back');
    assert.equal(rules.checkRep('b', 'undo3', 'undo').duplicate, true, 'a retried correction is not refused');
  });

  test('camera counting: the coach sets it per exercise of the plan; it survives a snapshot and a shorter plan drops it', () => {
    assert.equal(code(() => rules.setAutoCount('b', 'squat', 'squat')), 'forbidden');
    assert.equal(code(() => rules.setAutoCount('c', 'nope', 'squat')), 'bad_request');
    rules.setAutoCount('c', 'squat', 'squat');
    rules.setAutoCount('c', 'freestyle', 'jumping-jack');
    assert.deepEqual(rules.view().autoCount, { squat: 'squat', freestyle: 'jumping-jack' });
    const snap = rules.snapshot();
    const other = new ClassRules(session, plan);
    other.restore(JSON.parse(JSON.stringify(snap)));
    assert.deepEqual(other.view().autoCount, { squat: 'squat', freestyle: 'jumping-jack' });
    rules.setPlan('c', plan.filter((e) => e.id !== 'squat'));
    assert.deepEqual(rules.view().autoCount, { freestyle: 'jumping-jack' });
    rules.setAutoCount('c', 'freestyle', null);
    assert.deepEqual(rules.view().autoCount, {});
  });

  test('mute: the coach mutes and locks; a member may mute self, unmute unless locked', () => {
    assert.equal(code(() => rules.setMuted('b', 'i', true)), 'forbidden');
    rules.setMuted('c', 'b', true, true);
    assert.equal(code(() => rules.setMuted('b', 'b', false)), 'mic_locked');
    rules.setMuted('c', 'i', true, false);
    rules.setMuted('i', 'i', false);
    assert.equal(rules.stateOf('i')!.mutedByCoach, false);
    assert.deepEqual(rules.muteAll('c', false).sort(), ['a', 'b', 'i']);
    assert.equal(code(() => rules.muteAll('a', false)), 'forbidden');
  });

  test('spotlight, remove and end', () => {
    rules.spotlight('c', 'a');
    assert.equal(rules.view().spotlightId, 'a');
    assert.equal(code(() => rules.spotlight('b', 'b')), 'forbidden');
    rules.remove('c', 'a');
    assert.equal(rules.view().spotlightId, null);
    assert.equal(code(() => rules.admit('ada')), 'removed');
    rules.admit('bea');
    assert.equal(code(() => rules.remove('c', 'c')), 'forbidden');
    assert.equal(code(() => rules.end('i')), 'forbidden');
    rules.end('c');
    assert.equal(code(() => rules.admit('bea')), 'class_ended');
    assert.equal(code(() => rules.checkRep('b', 'late')), 'class_ended');
    assert.equal(code(() => rules.setMode('c', 'workout')), 'class_ended');
  });

  test('media: the coach receives everyone, members the coach and the spotlighted member only', () => {
    assert.equal(rules.canReceive('c', 'b'), true);
    assert.equal(rules.canReceive('b', 'c'), true);
    assert.equal(rules.canReceive('b', 'i'), false);
    assert.equal(rules.canReceive('b', 'b'), false);
    assert.deepEqual(rules.receiversOf('a'), ['c']);
    rules.spotlight('c', 'a');
    assert.deepEqual(rules.receiversOf('a').sort(), ['b', 'c', 'i']);
    session.leave('b');
    assert.equal(rules.canReceive('b', 'c'), false, 'nobody outside the class receives anything');
  });

  test('breakouts by level: members with their level, the coach where they visit, then back', () => {
    session.join({ id: 'b2', identity: 'bo', role: 'member', displayName: 'bo' });
    rules.seated('b2', 'beginner');
    assert.equal(code(() => rules.startBreakouts('b')), 'forbidden');
    rules.startBreakouts('c');
    assert.deepEqual(rules.view().breakouts, { coachRoom: 'beginner' });
    assert.equal(rules.canReceive('b', 'b2'), true, 'same level, same room');
    assert.equal(rules.canReceive('b', 'i'), false, 'another level, another room');
    assert.equal(rules.canReceive('b', 'c'), true, 'the coach is visiting the beginners');
    assert.equal(rules.canReceive('i', 'c'), false);
    rules.visitBreakout('c', 'intermediate');
    assert.equal(rules.canReceive('i', 'c'), true);
    assert.equal(rules.canReceive('c', 'b'), false, 'the coach sees the room they are in');
    rules.setLevel('c', 'b', 'intermediate');
    assert.equal(rules.canReceive('b', 'i'), true, 'a new level moves the member');
    assert.equal(code(() => rules.visitBreakout('i', 'advanced')), 'forbidden');
    rules.endBreakouts('c');
    assert.equal(rules.view().breakouts, null);
    assert.equal(rules.canReceive('b', 'i'), false, 'back in the main room members see the coach only');
    assert.equal(code(() => rules.visitBreakout('c', 'advanced')), 'bad_request');
  });

  test('the timer is the coach’s', () => {
    assert.equal(code(() => rules.startTimer('b', { workSeconds: 40, restSeconds: 20, rounds: 8 }, 0)), 'forbidden');
    assert.equal(code(() => rules.controlTimer('c', 'pause', 0)), 'bad_request');
    rules.startTimer('c', { workSeconds: 40, restSeconds: 20, rounds: 8 }, 1000);
    rules.controlTimer('c', 'pause', 2000);
    assert.equal(rules.view().timer!.pausedAt, 2000);
    rules.controlTimer('c', 'stop', 3000);
    assert.equal(rules.view().timer, null);
  });
});

describe('interval timer arithmetic', () => {
  const spec = { workSeconds: 40, restSeconds: 20, rounds: 3 };
  test('work, rest, …, no rest after the last round, then done', () => {
    const t = startTimer(spec, 10_000);
    assert.deepEqual(readTimer(t, 10_000), { phase: 'work', round: 1, remainingMs: 40_000, paused: false });
    assert.deepEqual(readTimer(t, 10_000 + 45_000), { phase: 'rest', round: 1, remainingMs: 15_000, paused: false });
    assert.deepEqual(readTimer(t, 10_000 + 60_000), { phase: 'work', round: 2, remainingMs: 40_000, paused: false });
    assert.deepEqual(readTimer(t, 10_000 + 120_000 + 39_999), { phase: 'work', round: 3, remainingMs: 1, paused: false });
    assert.equal(readTimer(t, 10_000 + 160_000).phase, 'done');
  });

  test('pause freezes it, resume continues where it stopped, skip jumps to the next phase', () => {
    let t = startTimer(spec, 0);
    t = pauseTimer(t, 5_000);
    assert.deepEqual(readTimer(t, 30_000), { phase: 'work', round: 1, remainingMs: 35_000, paused: true });
    t = resumeTimer(t, 30_000);
    assert.deepEqual(readTimer(t, 31_000), { phase: 'work', round: 1, remainingMs: 34_000, paused: false });
    t = skipPhase(t, 31_000);
    assert.deepEqual(readTimer(t, 31_000), { phase: 'rest', round: 1, remainingMs: 20_000, paused: false });
    assert.deepEqual(pauseTimer(pauseTimer(t, 1), 2), pauseTimer(t, 1), 'pausing twice changes nothing');
  });

  test('a countdown is one round without rest', () => {
    const t = startTimer({ workSeconds: 30, restSeconds: 0, rounds: 1 }, 0);
    assert.equal(readTimer(t, 29_000).phase, 'work');
    assert.equal(readTimer(t, 30_000).phase, 'done');
  });
});
