import { z } from 'zod';

/*
 * The fitness side of a live class: modes, levels, the plan and its exercise cards, reps, the
 * interval timer and the coach's controls. Wire schemas here; the rules are in
 * backend/classes/ (pure) and enforced by the server.
 */

export { FREESTYLE, LEVELS, MOVEMENTS, type Movement } from './class-constants.js';
import { MOVEMENTS } from './class-constants.js';

export const levelSchema = z.enum(['beginner', 'intermediate', 'advanced']);
export type Level = z.infer<typeof levelSchema>;

export const movementSchema = z.enum(MOVEMENTS);

/** Where a rep came from: a tap, or the member's camera (counted in their browser). */
export const repSourceSchema = z.enum(['tap', 'camera']);
export type RepSource = z.infer<typeof repSourceSchema>;

export const modeSchema = z.enum(['teach', 'workout']);
export type Mode = z.infer<typeof modeSchema>;

/** What one level does for an exercise: a number of reps or a number of seconds. */
export const targetSchema = z.union([
  z.object({ reps: z.number().int().min(1).max(1000) }).strict(),
  z.object({ seconds: z.number().int().min(1).max(3600) }).strict(),
]);
export type Target = z.infer<typeof targetSchema>;

export const exerciseSchema = z
  .object({
    id: z.string().trim().min(1).max(64),
    name: z.string().trim().min(1).max(80),
    targets: z.object({ beginner: targetSchema, intermediate: targetSchema, advanced: targetSchema }).strict(),
  })
  .strict();
export type Exercise = z.infer<typeof exerciseSchema>;

export const planSchema = z
  .array(exerciseSchema)
  .max(100)
  .refine((plan) => new Set(plan.map((e) => e.id)).size === plan.length, { message: 'exercise ids must be unique' });
export type Plan = z.infer<typeof planSchema>;

/** Work/rest intervals; a plain countdown is one round with no rest. */
export const timerSpecSchema = z
  .object({
    workSeconds: z.number().int().min(1).max(3600),
    restSeconds: z.number().int().min(0).max(3600),
    rounds: z.number().int().min(1).max(100),
  })
  .strict();
export type TimerSpec = z.infer<typeof timerSpecSchema>;

/**
 * A running timer as the server keeps it, in server-clock milliseconds. Every client derives the
 * phase and seconds left from it and its estimate of the server clock, so all screens agree.
 */
export interface TimerState {
  spec: TimerSpec;
  startedAt: number;
  /** Time spent paused so far (excluding a pause in progress). */
  pausedMs: number;
  /** Set while paused. */
  pausedAt: number | null;
  /** Time skipped forward by the coach. */
  skippedMs: number;
}

export interface ParticipantClassState {
  level: Level;
  /** Acknowledged reps per exercise id (taps and camera, less the member's corrections). */
  reps: Record<string, number>;
  /** Of those, how many the member's camera counted, per exercise id (absent: none). */
  cameraReps?: Record<string, number>;
  /** Muted by the coach (their microphone is paused on the server). */
  mutedByCoach: boolean;
  /** The coach locked the microphone: the member cannot unmute. */
  micLocked: boolean;
}

/**
 * What the `class:state` broadcast carries: the class state without the per-member map, which
 * travels as `class:members` changes (a class of a thousand must not resend every member on
 * every change). The join answer carries the whole ClassStateView.
 */
export type ClassStateUpdate = Omit<ClassStateView, 'participants'>;

/** Per-member changes since the last broadcast: a member's new state, or null when they left. */
export type ClassMemberChanges = Record<string, ParticipantClassState | null>;

/** The class state every client in the class receives (one object for all: nothing in it is private). */
export interface ClassStateView {
  mode: Mode;
  plan: Plan;
  /** Index into `plan` of the card each level shows, or null before the first one. */
  cards: Record<Level, number | null>;
  spotlightId: string | null;
  /**
   * Breakouts by level: while set, each member is in the room of their level with the others of
   * that level, and the coach is in `coachRoom` (or none).
   */
  breakouts: { coachRoom: Level | null } | null;
  timer: TimerState | null;
  /** Exercises the coach set to be counted by members' cameras: exercise id → movement. */
  autoCount: Record<string, import('./class-constants.js').Movement>;
  ended: boolean;
  participants: Record<string, ParticipantClassState>;
  /** Raised hands, oldest first. */
  hands: string[];
  /** Participants the coach (or a moderator) muted in chat. */
  chatMuted: string[];
  /** Member seats: the class's limit, how many are taken, how many people wait for one. */
  seats: { capacity: number; taken: number; waiting: number };
}
