// Plain constants (no zod): the widget bundle imports this file.

export const LEVELS = ['beginner', 'intermediate', 'advanced'] as const;

/** Exercise id reps count toward when no card is showing (a free set). */
export const FREESTYLE = 'freestyle';
