// Plain constants (no zod): the widget bundle imports this file.

export const LEVELS = ['beginner', 'intermediate', 'advanced'] as const;

/** Exercise id reps count toward when no card is showing (a free set). */
export const FREESTYLE = 'freestyle';

/** Movements a member's camera can count (`<fit-rep-counter auto exercise="…">`). */
export const MOVEMENTS = ['squat', 'push-up', 'jumping-jack', 'lunge'] as const;
export type Movement = (typeof MOVEMENTS)[number];
