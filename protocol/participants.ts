import { z } from 'zod';

export const roleSchema = z.enum(['coach', 'member']);
export type Role = z.infer<typeof roleSchema>;

/** A person in a live class, as every client sees them. */
export const participantSchema = z.object({
  id: z.string(),
  role: roleSchema,
  displayName: z.string(),
  /** Named a chat moderator by the club (the join token's `mod` claim). */
  moderator: z.boolean().optional(),
});
export type ParticipantInfo = z.infer<typeof participantSchema>;

/** What a track is: a camera, a microphone, or (the coach) a shared screen and its sound. */
export const mediaSourceSchema = z.enum(['camera', 'mic', 'screen', 'screen-audio']);
export type MediaSource = z.infer<typeof mediaSourceSchema>;

/** A published track some participant may consume. */
export const producerInfoSchema = z.object({
  producerId: z.string(),
  participantId: z.string(),
  kind: z.enum(['audio', 'video']),
  source: mediaSourceSchema,
});
export type ProducerInfo = z.infer<typeof producerInfoSchema>;
