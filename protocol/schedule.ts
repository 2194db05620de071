import { z } from 'zod';
import { planSchema } from './class-state.js';

/** A class as a club creates it through `POST /api/v1/classes`. */
export const classInputSchema = z
  .object({
    id: z
      .string()
      .regex(/^[a-z0-9][a-z0-9-]{2,63}$/, 'lowercase letters, digits and dashes, 3–64 long')
      .optional(),
    title: z.string().trim().min(1).max(120),
    coachName: z.string().trim().max(80).default(''),
    startsAt: z.iso.datetime({ offset: true }).nullable().default(null),
    durationMinutes: z.number().int().min(1).max(600).default(45),
    capacity: z.number().int().min(1).max(10_000).default(50),
    plan: planSchema.default([]),
  })
  .strict();
export type ClassInput = z.infer<typeof classInputSchema>;

export const classPatchSchema = classInputSchema.omit({ id: true, plan: true }).partial().strict();

/** A class as the API returns it. */
export interface ClassInfo {
  id: string;
  clubId: string;
  title: string;
  coachName: string;
  startsAt: string | null;
  durationMinutes: number;
  capacity: number;
  status: 'scheduled' | 'live' | 'ended' | 'cancelled';
}
