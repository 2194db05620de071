import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildSummary, summaryToCsv } from '../../backend/classes/summary.js';

const at = (s: number) => new Date(Date.UTC(2026, 10, 23, 9, 0, s));
const cls = { id: 'hiit', title: 'HIIT', plan: [{ id: 'squats', name: 'Squats', targets: { beginner: { reps: 1 }, intermediate: { reps: 2 }, advanced: { reps: 3 } } }] };

test('summary: time present over several visits, reps per exercise, peak without double-counting a reconnect', () => {
  const s = buildSummary(
    cls,
    [
      { identity: 'sam', displayName: 'Coach Sam', role: 'coach', level: null, joinedAt: at(0), leftAt: null },
      { identity: 'ana', displayName: 'Ana', role: 'member', level: 'beginner', joinedAt: at(10), leftAt: at(40) },
      // Ana's reconnect: a new visit starting the instant the old one ended.
      { identity: 'ana', displayName: 'Ana', role: 'member', level: 'intermediate', joinedAt: at(40), leftAt: at(70) },
      { identity: 'ben', displayName: 'Ben', role: 'member', level: 'advanced', joinedAt: at(80), leftAt: at(90) },
    ],
    [
      { identity: 'ana', exerciseId: 'squats', count: 12, cameraCount: 10 },
      { identity: 'ana', exerciseId: 'freestyle', count: 3 },
      { identity: 'ghost', exerciseId: 'squats', count: 9 },
    ],
    at(100),
  );
  assert.equal(s.peakParticipants, 2);
  assert.deepEqual(
    s.people.map((p) => [p.identity, p.presentSeconds, p.visits, p.totalReps, p.level]),
    [
      ['sam', 100, 1, 0, null],
      ['ana', 60, 2, 15, 'intermediate'],
      ['ben', 10, 1, 0, 'advanced'],
    ],
  );
  const ana = s.people.find((p) => p.identity === 'ana')!;
  assert.deepEqual([ana.cameraReps, ana.totalCameraReps], [{ squats: 10 }, 10], 'camera-counted reps are kept apart');
  const csv = summaryToCsv(s).trim().split('\n');
  assert.equal(csv[0], 'identity,name,role,level,first_joined_at,last_left_at,present_seconds,visits,total_reps,camera_reps,squats,freestyle');
  assert.match(csv[2]!, /^ana,Ana,member,intermediate,.*,60,2,15,10,12,3$/);
});

test('CSV cells are quoted and spreadsheet formulas neutralised', () => {
  const s = buildSummary(cls, [{ identity: 'x', displayName: '=HYPERLINK("evil"), "Ana"', role: 'member', level: null, joinedAt: at(0), leftAt: at(1) }], [], at(2));
  const row = summaryToCsv(s).split('\n')[1]!;
  assert.ok(row.startsWith('x,"\'=HYPERLINK(""evil""), ""Ana""",'), row);
});
