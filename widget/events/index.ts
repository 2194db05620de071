import type { ErrorBody } from '../../protocol/errors.js';
import type { Role } from '../../protocol/participants.js';
import type { ChatMessage } from '../../protocol/social.js';

/** Every event FitLive elements fire: bubbling, composed, named `fit-*`. */
export interface FitEventMap {
  'fit-joined': CustomEvent<{ participantId: string; role: Role }>;
  'fit-left': CustomEvent<{ reason: string }>;
  'fit-error': CustomEvent<ErrorBody>;
  'fit-rep': CustomEvent<{ count: number }>;
  /** A chat message arrived live (each once; not fired for history pages). */
  'fit-chat-message': CustomEvent<ChatMessage>;
  /** A burst of reactions from the class, summed per emoji. */
  'fit-reaction': CustomEvent<{ counts: Partial<Record<string, number>> }>;
  /** The class is full and this seat waits in line: `position` 1 = next, 0 = a seat is held. */
  'fit-waitlist': CustomEvent<{ position: number | undefined }>;
}

declare global {
  interface HTMLElementEventMap extends FitEventMap {}
}
