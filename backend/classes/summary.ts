import type { Plan } from '../../protocol/class-state.js';
import type { ClassSummary, PersonSummary } from '../../protocol/summary.js';

export type { ClassSummary, PersonSummary };

export interface VisitRow {
  identity: string;
  displayName: string;
  role: 'coach' | 'member';
  level: string | null;
  joinedAt: Date;
  leftAt: Date | null;
}

export interface RepCountRow {
  identity: string;
  exerciseId: string;
  count: number;
  /** Of `count`, reps the member's camera counted. */
  cameraCount?: number;
}

/** Builds the end-of-class summary from stored visits and reps. Pure. */
export function buildSummary(
  cls: { id: string; title: string; plan: Plan },
  visits: readonly VisitRow[],
  reps: readonly RepCountRow[],
  now: Date,
): ClassSummary {
  const people = new Map<string, PersonSummary>();
  for (const v of visits) {
    const end = v.leftAt ?? now;
    let p = people.get(v.identity);
    if (!p) {
      p = {
        identity: v.identity,
        displayName: v.displayName,
        role: v.role,
        level: v.level,
        firstJoinedAt: v.joinedAt.toISOString(),
        lastLeftAt: null,
        presentSeconds: 0,
        visits: 0,
        reps: {},
        totalReps: 0,
        cameraReps: {},
        totalCameraReps: 0,
      };
      people.set(v.identity, p);
    }
    p.visits++;
    p.presentSeconds += Math.max(0, Math.round((end.getTime() - v.joinedAt.getTime()) / 1000));
    p.level = v.level ?? p.level;
    p.lastLeftAt = v.leftAt ? v.leftAt.toISOString() : null;
  }
  for (const r of reps) {
    const p = people.get(r.identity);
    if (!p) continue;
    p.reps[r.exerciseId] = r.count;
    p.totalReps += r.count;
    if (r.cameraCount) {
      p.cameraReps[r.exerciseId] = r.cameraCount;
      p.totalCameraReps += r.cameraCount;
    }
  }
  return {
    classId: cls.id,
    title: cls.title,
    plan: cls.plan.map((e) => ({ id: e.id, name: e.name })),
    peakParticipants: peakOverlap(visits, now),
    people: [...people.values()].sort((a, b) => (a.role === b.role ? a.firstJoinedAt.localeCompare(b.firstJoinedAt) : a.role === 'coach' ? -1 : 1)),
  };
}

/** The most people present at once (a person's overlapping visits, e.g. two tabs, count once). */
function peakOverlap(visits: readonly VisitRow[], now: Date): number {
  const events = visits.flatMap((v) => [
    { t: v.joinedAt.getTime(), d: 1, who: v.identity },
    { t: (v.leftAt ?? now).getTime(), d: -1, who: v.identity },
  ]);
  // Leaves before joins at the same instant: a reconnect is not two people.
  events.sort((a, b) => a.t - b.t || a.d - b.d);
  const present = new Map<string, number>();
  let peak = 0;
  for (const e of events) {
    present.set(e.who, (present.get(e.who) ?? 0) + e.d);
    if ((present.get(e.who) ?? 0) <= 0) present.delete(e.who);
    peak = Math.max(peak, present.size);
  }
  return peak;
}

const csvCell = (v: unknown) => {
  const s = String(v ?? '');
  // Quote when needed; a leading formula character is neutralised for spreadsheet safety.
  const safe = /^[=+\-@]/.test(s) ? `'${s}` : s;
  return /[",\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
};

/** One row per person: attendance, then reps per exercise of the plan (and free reps). */
export function summaryToCsv(s: ClassSummary): string {
  const exercises = [...s.plan.map((e) => e.id), 'freestyle'];
  const header = ['identity', 'name', 'role', 'level', 'first_joined_at', 'last_left_at', 'present_seconds', 'visits', 'total_reps', 'camera_reps', ...exercises];
  const rows = s.people.map((p) => [p.identity, p.displayName, p.role, p.level, p.firstJoinedAt, p.lastLeftAt, p.presentSeconds, p.visits, p.totalReps, p.totalCameraReps, ...exercises.map((e) => p.reps[e] ?? 0)]);
  return [header, ...rows].map((r) => r.map(csvCell).join(',')).join('\n') + '\n';
}
