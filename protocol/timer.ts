import type { TimerSpec, TimerState } from './class-state.js';

// Pure timer arithmetic shared by the server (to apply the coach's commands) and every client
// (to show the same phase and seconds from one server-clock state).

export type TimerPhase = 'work' | 'rest' | 'done';

export interface TimerReading {
  phase: TimerPhase;
  /** 1-based round. */
  round: number;
  /** Milliseconds left in this phase (0 when done). */
  remainingMs: number;
  paused: boolean;
}

export function startTimer(spec: TimerSpec, now: number): TimerState {
  return { spec, startedAt: now, pausedMs: 0, pausedAt: null, skippedMs: 0 };
}

/** Milliseconds of the timer's own time that have run at `now`. */
export function elapsedMs(t: TimerState, now: number): number {
  const until = t.pausedAt ?? now;
  return Math.max(0, until - t.startedAt - t.pausedMs + t.skippedMs);
}

/** Work, rest, work, … with no rest after the last round. */
export function readTimer(t: TimerState, now: number): TimerReading {
  const { workSeconds, restSeconds, rounds } = t.spec;
  const work = workSeconds * 1000;
  const rest = restSeconds * 1000;
  const cycle = work + rest;
  const total = rounds * work + (rounds - 1) * rest;
  const e = elapsedMs(t, now);
  const paused = t.pausedAt !== null;
  if (e >= total) return { phase: 'done', round: rounds, remainingMs: 0, paused };
  const round = Math.floor(e / cycle);
  const within = e - round * cycle;
  if (within < work) return { phase: 'work', round: round + 1, remainingMs: work - within, paused };
  return { phase: 'rest', round: round + 1, remainingMs: cycle - within, paused };
}

export function pauseTimer(t: TimerState, now: number): TimerState {
  return t.pausedAt === null ? { ...t, pausedAt: now } : t;
}

export function resumeTimer(t: TimerState, now: number): TimerState {
  return t.pausedAt === null ? t : { ...t, pausedMs: t.pausedMs + (now - t.pausedAt), pausedAt: null };
}

/** Jumps to the start of the next phase. */
export function skipPhase(t: TimerState, now: number): TimerState {
  const r = readTimer(t, now);
  return r.phase === 'done' ? t : { ...t, skippedMs: t.skippedMs + r.remainingMs };
}
